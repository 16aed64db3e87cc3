package coord

import (
	"math/rand/v2"

	"github.com/chorus-osint/chorus/internal/model"
)

// Hooks for distributed runners (scale/beam): thin exported wrappers over
// the engine's own pair sweep, null-model streams and significance
// arithmetic, so that a runner that partitions the work by key computes
// exactly what Run computes. Nothing here changes Run's behaviour.

// Action is one account acting on one object at a time (Post orders
// actions of equal time; Obj is unused by SweepRun).
type Action = action

// Constants of the significance computation: activity strata, the width of
// each stratum's weight histogram, and the bins of the weight histogram
// behind the 99th percentile.
const (
	NumStrata      = numStrata
	HistCap        = histCap
	PercentileBins = 1 << 12
)

// SweepRun calls emit for every post pair of one object's run (sorted by
// (T, Post)) that the engine pairs: different accounts, at most windowMs
// apart (inclusive), each post with at most maxPartners later posts. It
// returns the post pairs examined and the pairs skipped by the bound.
func SweepRun(run []Action, windowMs int64, maxPartners int, emit func(ai, aj *Action, dt int64)) (raw, truncated int64) {
	s := sweeper{windowMs: windowMs, maxPartners: maxPartners}
	s.forPairs(run, emit)
	return s.stats.RawPairs, s.stats.Truncated
}

// SweepRunOwned is SweepRun for one time slice of a split object: only
// the first owned posts of run start pairs (their later partners may lie in
// the rest, the slice's overlap), and the returned counts are theirs. Post
// must increase along run.
func SweepRunOwned(run []Action, owned int, windowMs int64, maxPartners int, emit func(ai, aj *Action, dt int64)) (raw, truncated int64) {
	if owned >= len(run) {
		return SweepRun(run, windowMs, maxPartners, emit)
	}
	limit := run[owned].Post
	raw, truncated = SweepRun(run, windowMs, maxPartners, func(ai, aj *Action, dt int64) {
		if ai.Post < limit {
			emit(ai, aj, dt)
		}
	})
	// Posts of the overlap pair only with later posts, all in the overlap:
	// their counts are the sweep of the overlap alone.
	r2, t2 := SweepRun(run[owned:], windowMs, maxPartners, func(*Action, *Action, int64) {})
	return raw - r2, truncated - t2
}

// Coaction describes one post pair as the account pair (A < B) sees it:
// the pair key A<<32|B, the gap (capped to uint32), A's and B's posts, and
// whether A acted first (at a zero gap: whether A's post comes first).
func Coaction(ai, aj *Action, dt int64) (key uint64, gap uint32, postA, postB uint32, aFirst bool) {
	c := makeCoaction(ai, aj, dt)
	return c.key, c.dt, c.postA, c.postB, c.aFirst
}

// ActivityBucket returns the activity bucket of an account with n actions
// in the layer (bits.Len of n, capped).
func ActivityBucket(n uint32) uint8 { return uint8(bucketOf(n)) }

// Stratum returns the activity stratum of a pair of accounts with
// activity buckets ba and bb (symmetric).
func Stratum(ba, bb uint8) int { return stratum(int(ba), int(bb)) }

// NullBlockMs is the time block within which the null model swaps accounts
// for a layer with window windowMs.
func NullBlockMs(p *Params, windowMs int64) int64 {
	return max(p.NullBlock.Milliseconds(), 10*windowMs, 1)
}

// SeedNullBlock points src at the random stream of one null block: block
// b (counted from the layer's first post in NullBlockMs steps) of
// permutation perm of layer. Every block has its own stream, so a block's
// shuffle depends on nothing outside it and runners may shuffle blocks in
// any order or place.
func SeedNullBlock(src *rand.PCG, seed uint64, layer model.Layer, perm int, block int64) {
	src.Seed(mix64(seed^mix64(uint64(block)+1)), uint64(layer)<<32|uint64(uint32(perm)))
}

// mix64 is SplitMix64's finaliser: distinct blocks get unrelated seeds.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// PoissonTail returns P(X >= k) for X ~ Poisson(lambda), the pair's own
// p-value.
func PoissonTail(k int, lambda float64) float64 { return poissonTail(k, lambda) }

// BenjaminiHochberg replaces each edge's Q (holding a p-value on entry)
// with its BH q-value over m hypotheses.
func BenjaminiHochberg(edges []model.Edge, m float64) { benjaminiHochberg(edges, m) }

// StrataFDR returns the monotone empirical FDR per stratum and weight from
// the observed and null histograms ([stratum*HistCap + weight]).
func StrataFDR(obs, null []int64, perms float64) []float64 { return strataFDR(obs, null, perms) }

// HistPercentile returns the smallest weight w with at least q of total
// pairs at weight <= w.
func HistPercentile(hist []int64, total int64, q float64) float64 {
	return histPercentile(hist, total, q)
}

// MedianGap returns the median of v (sorting v), as the engine computes an
// edge's median gap.
func MedianGap(v []uint32) int64 { return medianU32(v) }

// PartnerCounts adds to hist (length maxPartners+1) one count per post
// among the first owned posts of run (one object's run, or one time slice
// of it followed by its overlap; sorted by (T, Post)): at index the
// number of later posts inside the window, capped at len(hist)-1. Summed
// over a layer's objects it is the histogram partnerCap builds.
func PartnerCounts(run []Action, owned int, windowMs int64, hist []int64) {
	maxP := len(hist) - 1
	hi := 0
	for i := 0; i < min(owned, len(run)); i++ {
		hi = max(hi, i+1)
		for hi < len(run) && run[hi].T-run[i].T <= windowMs {
			hi++
		}
		hist[min(hi-i-1, maxP)]++
	}
}

// PartnerCapHist is the layer's partner bound under the post-pair budget
// (Params.MaxLayerPairs; <= 0: none) from its PartnerCounts histogram,
// with the post pairs examined under it: what runLayer's partnerCap
// computes from the actions.
func PartnerCapHist(hist []int64, maxPartners int, budget int64) (int, int64) {
	pairsAt := func(k int) int64 {
		var n int64
		for c, posts := range hist {
			n += posts * int64(min(c, k))
		}
		return n
	}
	if budget <= 0 || pairsAt(maxPartners) <= budget {
		return maxPartners, pairsAt(maxPartners)
	}
	lo, hiK := 1, maxPartners
	for lo < hiK {
		mid := (lo + hiK + 1) / 2
		if pairsAt(mid) <= budget {
			lo = mid
		} else {
			hiK = mid - 1
		}
	}
	return lo, pairsAt(lo)
}
