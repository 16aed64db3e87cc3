package coord

import (
	"math"
	"slices"
)

// pairRec is one (account pair, object) co-action: the two accounts acted
// on Obj within the window, Count times (raw post pairs); DtMs is the
// smallest gap, PostA/PostB the posts at that gap; AFirst says whether A's
// post came first there.
type pairRec struct {
	Key    uint64 // A<<32 | B, A < B
	Obj    uint32
	Count  uint32
	DtMs   uint32
	PostA  uint32
	PostB  uint32
	AFirst bool
}

func pairKey(a, b uint32) (uint64, bool) {
	if a < b {
		return uint64(a)<<32 | uint64(b), true
	}
	return uint64(b)<<32 | uint64(a), false
}

// sweepStats reports the bounded-work rule's effect.
type sweepStats struct {
	// Truncated counts post pairs inside the window that were not
	// examined because a post already had MaxPartners later partners in
	// the same object-window.
	Truncated int64
	// RawPairs counts post pairs examined.
	RawPairs int64
	// Objects counts objects with at least one co-action.
	Objects int64
}

// sweeper generates per-object co-action records. It holds reusable
// buffers; one sweeper per goroutine.
type sweeper struct {
	windowMs    int64
	maxPartners int
	local       []pairRec
	stats       sweepStats
	// participation[acct] counts objects in which acct co-acted; lastObj
	// stamps the object last counted (+1, so 0 means never).
	participation []uint32
	lastObj       []uint32
}

func newSweeper(windowMs int64, maxPartners, numAccounts int, trackParticipation bool) *sweeper {
	s := &sweeper{windowMs: windowMs, maxPartners: maxPartners}
	if trackParticipation {
		s.participation = make([]uint32, numAccounts)
		s.lastObj = make([]uint32, numAccounts)
	}
	return s
}

// object sweeps one object's actions (sorted by time) and appends its
// deduplicated pair records to out. Two posts pair when their accounts
// differ and their times are at most windowMs apart (inclusive). Each post
// pairs with at most maxPartners later posts (bounded work for objects
// with very many posters in one window).
func (s *sweeper) object(run []action, obj uint32, out []pairRec) []pairRec {
	s.local = s.local[:0]
	w := s.windowMs
	for i := 0; i < len(run); i++ {
		ai := run[i]
		lim := min(len(run), i+1+s.maxPartners)
		j := i + 1
		for ; j < lim; j++ {
			aj := run[j]
			dt := aj.T - ai.T
			if dt > w {
				break
			}
			s.stats.RawPairs++
			if aj.Acct == ai.Acct {
				continue
			}
			key, aIsI := pairKey(ai.Acct, aj.Acct)
			r := pairRec{Key: key, Obj: obj, Count: 1, DtMs: uint32(min(dt, math.MaxUint32))}
			if aIsI {
				r.PostA, r.PostB, r.AFirst = ai.Post, aj.Post, true
			} else {
				r.PostA, r.PostB, r.AFirst = aj.Post, ai.Post, false
			}
			if dt == 0 {
				r.AFirst = r.PostA < r.PostB
			}
			s.local = append(s.local, r)
		}
		if j == lim && lim < len(run) {
			// Count what the cap skipped.
			for k := lim; k < len(run) && run[k].T-ai.T <= w; k++ {
				s.stats.Truncated++
			}
		}
	}
	if len(s.local) == 0 {
		return out
	}
	s.stats.Objects++
	slices.SortFunc(s.local, func(x, y pairRec) int {
		switch {
		case x.Key < y.Key:
			return -1
		case x.Key > y.Key:
			return 1
		}
		// Keep the smallest gap first so the merged record holds it.
		return int(x.DtMs) - int(y.DtMs)
	})
	k := 0
	for i := 1; i < len(s.local); i++ {
		if s.local[i].Key == s.local[k].Key {
			s.local[k].Count += s.local[i].Count
			continue
		}
		k++
		s.local[k] = s.local[i]
	}
	merged := s.local[:k+1]
	if s.participation != nil {
		stamp := obj + 1
		for _, r := range merged {
			a, b := uint32(r.Key>>32), uint32(r.Key)
			if s.lastObj[a] != stamp {
				s.lastObj[a] = stamp
				s.participation[a]++
			}
			if s.lastObj[b] != stamp {
				s.lastObj[b] = stamp
				s.participation[b]++
			}
		}
	}
	return append(out, merged...)
}

// sweepAll runs the sweeper over every object of acts.
func (s *sweeper) sweepAll(acts *actions, out []pairRec) []pairRec {
	for o := 0; o+1 < len(acts.ObjStart); o++ {
		lo, hi := acts.ObjStart[o], acts.ObjStart[o+1]
		if hi-lo < 2 {
			continue
		}
		out = s.object(acts.A[lo:hi], uint32(o), out)
	}
	return out
}

// sortRecs orders records by (Key, Obj). Records arrive in Obj order, so a
// stable sort by Key suffices; a radix sort keeps this linear.
func sortRecs(recs []pairRec) []pairRec {
	if len(recs) < 1<<12 {
		slices.SortStableFunc(recs, func(x, y pairRec) int {
			switch {
			case x.Key < y.Key:
				return -1
			case x.Key > y.Key:
				return 1
			}
			return 0
		})
		return recs
	}
	return radixSortRecs(recs)
}

// radixSortRecs is an LSD radix sort on Key, 16 bits per pass, skipping
// passes where every key has the same digit. Stable, so Obj order within a
// key is kept.
func radixSortRecs(recs []pairRec) []pairRec {
	buf := make([]pairRec, len(recs))
	src, dst := recs, buf
	var count [1 << 16]int
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count[:])
		for i := range src {
			count[(src[i].Key>>shift)&0xffff]++
		}
		if count[(src[0].Key>>shift)&0xffff] == len(src) {
			continue // all keys share this digit
		}
		sum := 0
		for d := range count {
			c := count[d]
			count[d] = sum
			sum += c
		}
		for i := range src {
			d := (src[i].Key >> shift) & 0xffff
			dst[count[d]] = src[i]
			count[d]++
		}
		src, dst = dst, src
	}
	return src
}
