package stance

import (
	"math"
	"time"
)

// Unanimity summarises how supporters attribute an event, from the counts
// of posts per attribution class (indexed as AttributionClasses: asserts,
// speculates, denies, none).
//
// assertShare is asserts / (asserts + speculates + denies): the share of
// posts that take a position on authorship and assert it; 0 when no post
// takes a position. agreement is 1 − H/log(3), where H is the Shannon
// entropy of the distribution over those three classes: 1 when every
// position-taking post is in the same class (unanimous), 0 when they are
// spread evenly; 0 when no post takes a position. "none" posts are left
// out of both because saying nothing about authorship is not a position.
func Unanimity(counts [4]int) (assertShare, agreement float64) {
	var total float64
	for _, c := range counts[:3] {
		if c > 0 {
			total += float64(c)
		}
	}
	if total == 0 {
		return 0, 0
	}
	assertShare = float64(max(counts[0], 0)) / total
	var h float64
	for _, c := range counts[:3] {
		if c > 0 {
			p := float64(c) / total
			h -= p * math.Log(p)
		}
	}
	return assertShare, 1 - h/math.Log(3)
}

// CountClasses tallies attribution class names into Unanimity's order;
// unknown names are ignored.
func CountClasses(classes []string) [4]int {
	var c [4]int
	for _, s := range classes {
		if i := AttributionIndex(s); i >= 0 {
			c[i]++
		}
	}
	return c
}

// Bin is one time bin of a Trajectory.
type Bin struct {
	// Start is the bin's start; the bin covers [Start, Start+width).
	Start time.Time
	// Offset is Start − tClaim: negative before the claim.
	Offset time.Duration
	// Counts per attribution class (AttributionClasses order).
	Counts [4]int
	// Share is Counts / (sum of Counts); all zero for an empty bin.
	Share [4]float64
	// AssertShare and Agreement are Unanimity(Counts).
	AssertShare, Agreement float64
}

// Trajectory bins posts by time relative to the official claim and returns
// the class shares before and after it. Bins are aligned on tClaim (a bin
// boundary falls exactly at tClaim), so "before" holds the bins ending at
// or before tClaim and "after" those starting at or after it, each in time
// order. times[i] is the time of a post and classes[i] its attribution
// class; posts with an unknown class or a zero time are skipped. width must
// be positive. Empty bins between the first and last post are kept (with
// zero counts) so trajectories of several events can be lined up.
func Trajectory(times []time.Time, classes []string, tClaim time.Time, width time.Duration) (before, after []Bin) {
	if width <= 0 || len(times) == 0 {
		return nil, nil
	}
	n := min(len(times), len(classes))
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	idx := make([]int64, n)
	ok := make([]bool, n)
	for i := 0; i < n; i++ {
		if times[i].IsZero() || AttributionIndex(classes[i]) < 0 {
			continue
		}
		d := times[i].Sub(tClaim)
		b := int64(d / width)
		if d < 0 && d%width != 0 {
			b-- // floor division
		}
		idx[i], ok[i] = b, true
		lo, hi = min(lo, b), max(hi, b)
	}
	if lo > hi {
		return nil, nil
	}
	bins := make([]Bin, hi-lo+1)
	for k := range bins {
		off := time.Duration(lo+int64(k)) * width
		bins[k].Offset = off
		bins[k].Start = tClaim.Add(off)
	}
	for i := 0; i < n; i++ {
		if ok[i] {
			bins[idx[i]-lo].Counts[AttributionIndex(classes[i])]++
		}
	}
	for k := range bins {
		b := &bins[k]
		var tot int
		for _, c := range b.Counts {
			tot += c
		}
		if tot > 0 {
			for c := range b.Counts {
				b.Share[c] = float64(b.Counts[c]) / float64(tot)
			}
		}
		b.AssertShare, b.Agreement = Unanimity(b.Counts)
		if b.Offset < 0 {
			before = append(before, *b)
		} else {
			after = append(after, *b)
		}
	}
	return before, after
}
