package detect

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/hashtab"
	"github.com/chorus-osint/chorus/internal/model"
)

// Stratum false discovery rate (docs/live.md, "Detector"). The batch
// engine's Q is the larger of the BH q-value and the empirical FDR of the
// pair's activity stratum at its weight: the null's expected number of
// pairs with at least that weight over the observed number. That needs
// the whole null weight histogram, which has no cheap closed form, so the
// detector keeps a running estimate: every Evaluate runs one permutation
// of the batch null (accounts shuffled among each time block's posts, per
// class of evergreen objects, each block's stream seeded by the seed, the
// layer, the evaluation number and the block) over the
// held runs, and folds its histogram into a running mean over the last
// Permutations evaluations (an exponential mean with weight
// 1/min(evaluations, Permutations)). The observed histogram is exact.

// permBudget is the number of held post pairs (summed over layers) one
// Evaluate sweeps for the stratum null. Layers take turns: a layer without
// a permutation yet always runs one, the others run in round-robin order
// while the budget lasts, so a tick over a large horizon permutes one or
// two layers instead of all (docs/live.md, "Detector").
const permBudget = 3_000_000

// nullHist is a layer's running null weight histogram per stratum.
type nullHist struct {
	mean    []float64              // [stratum*HistCap + w], per permutation
	n       int                    // permutations folded
	version uint64                 // the layer's version when last permuted
	tab     *hashtab.Table[uint32] // scratch: pair -> index into acc
	acc     []nullAcc
	acct    []uint32 // scratch: permuted account per post slot
	pool    []uint32 // scratch: accounts of one block
	slot    []uint32 // scratch: posts of the layer grouped by block
	hot     []bool   // scratch: post on an evergreen object
	classOf []int32  // scratch: null class + 1 per post slot
}

type nullAcc struct{ objects, lastObj uint32 }

// permute runs one permutation of the layer's held posts and folds its
// weight histogram into h.
func (s *layerState) permute(d *Detector, li int, nm *nullModel, h *nullHist, rngEval int) {
	if h.mean == nil {
		h.mean = make([]float64, coord.NumStrata*coord.HistCap)
		h.tab = hashtab.New[uint32](1024)
	}
	// Posts on evergreen objects (seen in at least EvergreenBlocks blocks
	// of the horizon) and each language are classes of their block, as in
	// batch (coord.PlanNullCells).
	hot := h.hot[:0]
	if d.params.EvergreenBlocks > 0 {
		hot = slices.Grow(hot, len(d.posts))[:len(d.posts)]
		clear(hot)
		for _, r := range s.runs {
			if len(r) < d.params.EvergreenBlocks {
				continue
			}
			n, last := 0, int64(-1)
			for i := range r {
				if b := (r[i].t - nm.minT) / nm.blockMs; b != last {
					n, last = n+1, b
				}
			}
			if n >= d.params.EvergreenBlocks {
				for i := range r {
					hot[r[i].slot] = true
				}
			}
		}
	}
	h.hot = hot
	key := func(i uint32) uint64 { return coord.NullClassKey(d.posts[i].lang, len(hot) > 0 && hot[i]) }
	// Posts of the layer by block (a counting sort), then by class key.
	starts := make([]int, nm.nb+1)
	for i := range d.posts {
		ps := &d.posts[i]
		if ps.seq != 0 && ps.hasLayer(li) {
			starts[(ps.t-nm.minT)/nm.blockMs+1]++
		}
	}
	for b := 1; b <= nm.nb; b++ {
		starts[b] += starts[b-1]
	}
	h.slot = grow(h.slot, starts[nm.nb])
	h.pool = grow(h.pool, starts[nm.nb])
	fill := append([]int(nil), starts[:nm.nb]...)
	for i := range d.posts {
		ps := &d.posts[i]
		if ps.seq != 0 && ps.hasLayer(li) {
			b := (ps.t - nm.minT) / nm.blockMs
			h.slot[fill[b]] = uint32(i)
			fill[b]++
		}
	}
	h.classOf = slices.Grow(h.classOf[:0], len(d.posts))[:len(d.posts)]
	classOf := h.classOf // post slot -> class + 1 (0: not in the layer)
	clear(classOf)
	var classKey []uint64
	classStart := make([]int, nm.nb+1) // per block: first class
	var rel []int                      // per block: class starts, then the block's length
	for b := 0; b < nm.nb; b++ {
		blk := h.slot[starts[b]:starts[b+1]]
		slices.SortStableFunc(blk, func(x, y uint32) int { return cmp.Compare(key(x), key(y)) })
		classStart[b] = len(classKey)
		for k, sl := range blk {
			if k == 0 || key(sl) != key(blk[k-1]) {
				classKey = append(classKey, key(sl))
				rel = append(rel, k)
			}
			classOf[sl] = int32(len(classKey))
			h.pool[starts[b]+k] = d.posts[sl].acct
		}
		rel = append(rel, len(blk))
	}
	classStart[nm.nb] = len(classKey)
	tops := coord.NewClassTops(len(classKey))
	for _, r := range s.runs {
		for i := range r {
			if c := classOf[r[i].slot] - 1; c >= 0 {
				tops.Add(c)
			}
		}
		tops.EndRun()
	}
	top := tops.Top
	src := &rand.PCG{}
	rng := rand.New(src)
	group := make([]int, len(classKey))
	var cells []coord.NullCell
	var idx []int
	for b := 0; b < nm.nb; b++ {
		blk := h.pool[starts[b]:starts[b+1]]
		if len(blk) < 2 {
			continue
		}
		lo, hi := classStart[b], classStart[b+1]
		r := rel[lo+b : hi+b+1]
		cells = cells[:0]
		for c := lo; c < hi; c++ {
			cells = append(cells, coord.NullCell{Key: classKey[c], Size: r[c-lo+1] - r[c-lo], Top: top[c]})
		}
		groups := coord.PlanNullCells(cells, group[lo:hi])
		coord.SeedNullBlock(src, d.params.Seed, s.layer, rngEval, int64(b))
		idx = coord.ShuffleNullCells(rng, r, group[lo:hi], groups, func(x, y int) { blk[x], blk[y] = blk[y], blk[x] }, idx)
	}
	h.acct = grow(h.acct, len(d.posts))
	for i, sl := range h.slot[:starts[nm.nb]] {
		h.acct[sl] = h.pool[i]
	}
	// Sweep every run with the permuted accounts.
	if h.tab.Len() > 0 {
		h.tab.Reset()
	}
	h.acc = h.acc[:0]
	w, mp := s.window, s.maxPartners
	for o, r := range s.runs {
		if len(r) < 2 {
			continue
		}
		for i := range r {
			a := h.acct[r[i].slot]
			for j := i + 1; j < len(r) && j <= i+mp; j++ {
				if r[j].t-r[i].t > w {
					break
				}
				b := h.acct[r[j].slot]
				if a == b {
					continue
				}
				key := uint64(min(a, b))<<32 | uint64(max(a, b))
				v, fresh := h.tab.Get(key)
				if fresh {
					*v = uint32(len(h.acc))
					h.acc = append(h.acc, nullAcc{})
				}
				if x := &h.acc[*v]; x.lastObj != uint32(o)+1 {
					x.lastObj = uint32(o) + 1
					x.objects++
				}
			}
		}
	}
	one := make([]float64, len(h.mean))
	h.tab.Each(func(k uint64, v *uint32) {
		x := h.acc[*v]
		st := coord.Stratum(coord.ActivityBucket(s.cnt[k>>32]), coord.ActivityBucket(s.cnt[uint32(k)]))
		one[st*coord.HistCap+min(int(x.objects), coord.HistCap-1)]++
	})
	h.n++
	h.version = s.version
	beta := 1 / float64(min(h.n, max(1, d.params.Permutations)))
	for i := range h.mean {
		h.mean[i] += beta * (one[i] - h.mean[i])
	}
}

// strataFDR returns the stratum FDR table from the exact observed
// histogram and the running null mean.
func (s *layerState) strataFDR(h *nullHist) []float64 {
	obs := make([]int64, coord.NumStrata*coord.HistCap)
	for pid, key := range s.pairKey {
		if s.pairCo[pid] == 0 {
			continue
		}
		st := coord.Stratum(coord.ActivityBucket(s.cnt[key>>32]), coord.ActivityBucket(s.cnt[uint32(key)]))
		obs[st*coord.HistCap+min(int(s.pairObjs[pid]), coord.HistCap-1)]++
	}
	// StrataFDR divides the null by the number of permutations: pass the
	// per-permutation mean in fixed point.
	const scale = 1 << 16
	null := make([]int64, len(h.mean))
	for i, v := range h.mean {
		null[i] = int64(math.Round(v * scale))
	}
	return coord.StrataFDR(obs, null, scale)
}

// stratumQ applies the stratum FDR to an edge's Q.
func (s *layerState) stratumQ(e *model.Edge, fdr []float64) {
	st := coord.Stratum(coord.ActivityBucket(s.cnt[e.A]), coord.ActivityBucket(s.cnt[e.B]))
	e.Q = math.Max(e.Q, fdr[st*coord.HistCap+min(int(e.Objects), coord.HistCap-1)])
}

func (p *post) hasLayer(li int) bool {
	for _, h := range p.objs {
		if int(h.layer) == li {
			return true
		}
	}
	return false
}

func grow(s []uint32, n int) []uint32 {
	if cap(s) < n {
		return make([]uint32, n)
	}
	return s[:n]
}
