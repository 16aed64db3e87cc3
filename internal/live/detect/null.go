package detect

import (
	"math"
	"math/bits"
	"slices"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/model"
)

// Significance (docs/live.md, "Detector"): the batch engine's null model
// reassigns the accounts of a layer's posts among the posts of the same
// time block and estimates each candidate pair's mean null weight (distinct
// objects co-acted on) from Permutations sweeps, as (sum + 0.5) /
// permutations. The detector computes that mean in closed form instead of
// sampling it, from quantities it can count in one linear pass:
//
// For an object o and a block B, let c be the number of post pairs of o's
// run that the sweep examines (within the window and the max-partners
// bound, whatever their accounts), with both posts in B. Under the
// permutation a given such pair carries accounts {a, b} with probability
// x = 2·n_a·n_b / (N·(N-1)) (n_a: a's posts in B, N: the block's posts), so
// o counts for the pair with probability about 1 - exp(-c·x). Summing over
// objects and blocks (pairs that straddle two blocks use
// (n_a·n_b' + n_b·n_a') / (N·N')) gives the expected null weight λ. Objects
// are grouped by c per block (exact below 256, log bins above), so a
// candidate costs O(blocks it shares × classes). P is the Poisson tail at
// the observed weight with mean λ + 0.5/permutations (the batch estimator's
// prior, so λ never falls below the batch's floor), Q its
// Benjamini–Hochberg q-value over every pair with a co-action, as in the
// batch engine.

const (
	exactClasses = 256
	numClasses   = exactClasses + 40
)

func classOf(c int) int {
	if c < exactClasses {
		return c
	}
	return exactClasses + bits.Len(uint(c)) - 9
}

// blockClasses holds, for one block, the number of objects per class of c
// and the mean c of each non-empty class.
type blockClasses struct {
	c, n []float64
}

// g returns the expected number of objects of the block on which a pair
// with per-pair probability x co-acts.
func (k *blockClasses) g(x float64) float64 {
	if x <= 0 {
		return 0
	}
	s := 0.0
	for i, c := range k.c {
		cx := c * x
		if cx < 1e-6 {
			s += k.n[i] * cx
		} else {
			s += k.n[i] * -math.Expm1(-cx)
		}
	}
	return s
}

// classAcc accumulates one block's classes.
type classAcc struct {
	n   [numClasses]float64
	sum [numClasses]float64
}

func (a *classAcc) add(c int) {
	if c <= 0 {
		return
	}
	k := classOf(c)
	a.n[k]++
	a.sum[k] += float64(c)
}

func (a *classAcc) compact() blockClasses {
	var out blockClasses
	for k := range a.n {
		if a.n[k] > 0 {
			out.c = append(out.c, a.sum[k]/a.n[k])
			out.n = append(out.n, a.n[k])
		}
	}
	return out
}

// nullModel is one layer's closed-form null at one evaluation.
type nullModel struct {
	minT, blockMs int64
	nb            int
	posts         []float64      // N per block
	same, cross   []blockClasses // cross[B]: pairs from B to B+1
	memo          map[uint64]float64
}

// buildClasses sweeps every run once with two pointers (window end, block
// end) and counts, per object and block, the post pairs the engine
// examines.
func (s *layerState) buildClasses(nm *nullModel) {
	if cap(s.classBuf) < 2*nm.nb {
		s.classBuf = make([]classAcc, 2*nm.nb)
	}
	buf := s.classBuf[:2*nm.nb]
	clear(buf)
	same, cross := buf[:nm.nb], buf[nm.nb:]
	w, mp := s.window, s.maxPartners
	for _, r := range s.runs {
		if len(r) < 2 {
			continue
		}
		j, k := 0, 0
		curB, cs, cc := -1, 0, 0
		for i := range r {
			b := int((r[i].t - nm.minT) / nm.blockMs)
			if b != curB {
				if curB >= 0 {
					same[curB].add(cs)
					cross[curB].add(cc)
				}
				curB, cs, cc = b, 0, 0
			}
			j = max(j, i+1)
			for j < len(r) && r[j].t-r[i].t <= w {
				j++
			}
			blockEnd := nm.minT + int64(b+1)*nm.blockMs
			k = max(k, i+1)
			for k < len(r) && r[k].t < blockEnd {
				k++
			}
			lim := min(j, i+1+mp)
			cs += max(0, min(k, lim)-(i+1))
			cc += max(0, lim-max(k, i+1))
		}
		same[curB].add(cs)
		cross[curB].add(cc)
	}
	nm.same = make([]blockClasses, nm.nb)
	nm.cross = make([]blockClasses, nm.nb)
	for b := range same {
		nm.same[b] = same[b].compact()
		nm.cross[b] = cross[b].compact()
	}
}

// profile is an account's posts per block, sorted by block.
type profile []blockCount

type blockCount struct {
	b int32
	n uint32
}

// lambda returns the expected null weight of the pair with profiles pa, pb.
func (nm *nullModel) lambda(pa, pb profile) float64 {
	lam := 0.0
	i, j := 0, 0
	for i < len(pa) && j < len(pb) {
		switch {
		case pa[i].b < pb[j].b:
			i++
		case pa[i].b > pb[j].b:
			j++
		default:
			lam += nm.sameBlock(int(pa[i].b), pa[i].n, pb[j].n)
			i++
			j++
		}
	}
	// Pairs straddling blocks B and B+1: a in B with b in B+1, and b in B
	// with a in B+1.
	lam += nm.straddle(pa, pb) + nm.straddle(pb, pa)
	return lam
}

func (nm *nullModel) sameBlock(b int, na, nbc uint32) float64 {
	if na > nbc {
		na, nbc = nbc, na
	}
	key := uint64(b)<<42 | uint64(min(na, 1<<21-1))<<21 | uint64(min(nbc, 1<<21-1))
	if v, ok := nm.memo[key]; ok {
		return v
	}
	n := nm.posts[b]
	v := 0.0
	if n >= 2 {
		v = nm.same[b].g(2 * float64(na) * float64(nbc) / (n * (n - 1)))
	}
	nm.memo[key] = v
	return v
}

// straddle sums, over blocks B, the cross term of pa's posts in B with
// pb's in B+1.
func (nm *nullModel) straddle(pa, pb profile) float64 {
	lam := 0.0
	j := 0
	for _, x := range pa {
		for j < len(pb) && pb[j].b < x.b+1 {
			j++
		}
		if j == len(pb) {
			break
		}
		if pb[j].b == x.b+1 && int(x.b)+1 < nm.nb {
			n1, n2 := nm.posts[x.b], nm.posts[x.b+1]
			lam += nm.cross[x.b].g(float64(x.n) * float64(pb[j].n) / (n1 * n2))
		}
	}
	return lam
}

// layerEval is one layer's evaluation.
type layerEval struct {
	layer model.Layer
	stat  LayerStat
	pairs int64
	edges []model.Edge // candidates, A < B detector account ids; P and Q set
}

// candidates lists the pairs with weight >= MinWeight whose accounts both
// meet MinParticipation (coord's candidate rule).
func (s *layerState) candidates(p *coord.Params) []model.Edge {
	var out []model.Edge
	for pid, key := range s.pairKey {
		if s.pairCo[pid] == 0 {
			continue
		}
		w := s.pairObjs[pid]
		a, b := uint32(key>>32), uint32(key)
		if int(w) >= p.MinWeight && int(s.part[a]) >= p.MinParticipation && int(s.part[b]) >= p.MinParticipation {
			out = append(out, model.Edge{A: a, B: b, Layer: s.layer, Objects: w, Weight: float64(w), CoActions: s.pairCo[pid]})
		}
	}
	slices.SortFunc(out, func(x, y model.Edge) int {
		if x.A != y.A {
			return int(x.A) - int(y.A)
		}
		return int(x.B) - int(y.B)
	})
	return out
}
