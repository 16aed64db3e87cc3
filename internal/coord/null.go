package coord

import (
	"cmp"
	"context"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"

	"github.com/chorus-osint/chorus/internal/hashtab"
	"github.com/chorus-osint/chorus/internal/model"
)

// Null model (docs/engine.md, "Significance").
//
// A permutation reassigns the accounts of the layer's posts among the posts
// that fall in the same time block (NullBlock, at least 10 windows) and the
// same class (nullcells.go: language and evergreen bit, pooled by
// PlanNullCells), so that an account keeps its languages and its taste for
// long-running popular objects; every block has its own random stream
// (SeedNullBlock). Every action of a post moves
// with it, so the correlation between the several hashtags or URLs of one
// post is kept:
// every object keeps its exact timeline (when it was used, how bursty —
// organic retweet cascades included), every account keeps its number of
// actions per block (its activity and rhythm), and the volume curve is
// unchanged. What the permutation destroys is which accounts meet on which
// objects: the consistency that coordination produces. Actions on objects
// used once are part of the pool, so a burst that is alone in its block is
// still compared with the block's other activity. Each permutation is swept
// exactly like the observed data.
//
// Each edge gets:
//   - P, its own p-value: a Poisson tail for the observed weight (distinct
//     objects) with the pair's own mean null weight, (sum + 0.5) /
//     permutations, so that a pair whose accounts co-act often by chance
//     (hyperactivity, shared interests) is judged against that;
//   - Q, the larger of the Benjamini–Hochberg q-value of P over all pairs
//     with a co-action, and the empirical false discovery rate of the
//     pair's activity stratum (log2 of each account's action count) at its
//     weight: the null's expected number of pairs with at least that weight
//     over the observed number. Counting null pairs over whole strata gives
//     the resolution that per-pair permutation counts cannot (q <= 0.05 over
//     10^5 pairs needs p ~ 10^-7), and pairs of hyperactive accounts are
//     compared with pairs like them.

const (
	numBuckets = 24 // activity strata: bits.Len of the action count, capped
	numStrata  = numBuckets * numBuckets
	histCap    = 64 // null weights >= histCap-1 share the last bin
)

func bucketOf(n uint32) int { return min(bits.Len32(n), numBuckets-1) }

func stratum(ba, bb int) int {
	if ba > bb {
		ba, bb = bb, ba
	}
	return ba*numBuckets + bb
}

// significance fills P and Q of lr.Edges.
func significance(ctx context.Context, acts *actions, lr *LayerResult, p *Params, cnt []uint32, obsHist []int64, pairsHint, parts, workers int, langKey func(post uint32) uint64) {
	numAccounts := len(cnt)
	// Candidates are tracked exactly in every permutation; a Bloom filter
	// rejects the other pairs before the table lookup.
	cand := hashtab.New[int32](len(lr.Edges))
	bl := newBloom(len(lr.Edges))
	for i, e := range lr.Edges {
		k := uint64(e.A)<<32 | uint64(e.B)
		v, _ := cand.Get(k)
		*v = int32(i)
		bl.add(k)
	}
	blocks := postBlocks(acts, NullBlockMs(p, lr.WindowMs), p.EvergreenBlocks, langKey)

	type acc struct {
		hist    []int64 // [stratum*histCap + w]
		pairSum []uint32
	}
	nw := min(workers, p.Permutations)
	accs := make([]acc, nw)
	var wg sync.WaitGroup
	for wi := 0; wi < nw; wi++ {
		accs[wi] = acc{hist: make([]int64, numBuckets*numBuckets*histCap)}
		wg.Add(1)
		go func(wi int) {
			defer wg.Done()
			a := &accs[wi]
			// Each permutation rewrites every action's account (shuffleAccounts),
			// so objects, times and posts are copied once.
			work := slices.Clone(acts.A)
			sw := newSweeper(lr.WindowMs, p.MaxPartners, numAccounts, false)
			sw.done = ctx.Done()
			ns := &nullSweep{tab: hashtab.New[nullPair](pairsHint), parts: parts, cand: cand, bloom: bl,
				lastObj: make([]uint32, len(lr.Edges)), objects: make([]uint32, len(lr.Edges))}
			var abuf []uint32
			var idx []int
			src := &rand.PCG{}
			rng := rand.New(src)
			for perm := wi; perm < p.Permutations; perm += nw {
				if ctx.Err() != nil {
					return
				}
				abuf, idx = shuffleAccounts(work, &blocks, src, rng, p.Seed, lr.Layer, perm, abuf, idx)
				permActs := actions{A: work, ObjStart: acts.ObjStart, NumObjects: acts.NumObjects}
				ns.tab.Reset()
				sw.sweepNull(&permActs, ns)
				// The sampled partition stands for all pairs: each of its
				// pairs counts parts times.
				ns.tab.Each(func(key uint64, v *nullPair) {
					x, y := uint32(key>>32), uint32(key)
					s := stratum(bucketOf(cnt[x]), bucketOf(cnt[y]))
					a.hist[s*histCap+min(int(v.objects), histCap-1)] += int64(parts)
				})
			}
			a.pairSum = ns.objects
		}(wi)
	}
	wg.Wait()
	hist := accs[0].hist
	pairSum := accs[0].pairSum
	for _, a := range accs[1:] {
		for i, v := range a.hist {
			hist[i] += v
		}
		for i, v := range a.pairSum {
			pairSum[i] += v
		}
	}
	if pairSum == nil { // cancelled before any permutation
		pairSum = make([]uint32, len(lr.Edges))
	}
	perms := float64(p.Permutations)
	fdr := strataFDR(obsHist, hist, perms)
	for i := range lr.Edges {
		e := &lr.Edges[i]
		lambda := (float64(pairSum[i]) + 0.5) / perms
		e.P = poissonTail(int(e.Objects), lambda)
		e.Q = e.P // BH turns it into a q-value
	}
	benjaminiHochberg(lr.Edges, float64(lr.Pairs))
	for i := range lr.Edges {
		e := &lr.Edges[i]
		s := stratum(bucketOf(cnt[e.A]), bucketOf(cnt[e.B]))
		e.Q = math.Max(e.Q, fdr[s*histCap+min(int(e.Objects), histCap-1)])
	}
}

// strataFDR returns, per activity stratum and weight w, the empirical false
// discovery rate of calling every pair with weight >= w significant: the
// null's expected number of such pairs (per permutation) over the observed
// number, made monotone (a q-value: the smallest FDR of any threshold that
// includes weight w).
func strataFDR(obs, null []int64, perms float64) []float64 {
	out := make([]float64, len(obs))
	for s := 0; s < numStrata; s++ {
		o, n := obs[s*histCap:(s+1)*histCap], null[s*histCap:(s+1)*histCap]
		var og, ng int64
		fd := make([]float64, histCap)
		for w := histCap - 1; w >= 1; w-- {
			og += o[w]
			ng += n[w]
			if og == 0 {
				fd[w] = 1
				continue
			}
			fd[w] = math.Min(1, float64(ng)/perms/float64(og))
		}
		best := 1.0
		for w := 1; w < histCap; w++ {
			best = math.Min(best, fd[w])
			out[s*histCap+w] = best
		}
	}
	return out
}

// postIndex lists the layer's distinct posts grouped by time block, with
// the account of each, and maps every action to its post's slot. Inside a
// block the slots are ordered by class key (NullClassKey: language and
// evergreen bit), then corpus order; classes and their shuffle groups
// (PlanNullCells) are listed per block.
type postIndex struct {
	accts    []uint32 // account per post slot, slots grouped by block
	starts   []uint32 // start of each block's slots
	slotOf   []uint32 // slot per action (index into accts)
	classOff []int    // per block: first entry in rel and group (len blocks+1)
	rel      []int    // per block: its classes' starts relative to the block, then its length
	group    []int    // per class: its shuffle group (indexed like rel without the end entries)
	groups   []int    // per block: number of shuffle groups
}

// blockClasses returns block b's class starts (relative, with the block's
// length last) and their groups.
func (pi *postIndex) blockClasses(b int) (rel, group []int, groups int) {
	lo, hi := pi.classOff[b], pi.classOff[b+1]
	return pi.rel[lo+b : hi+b+1], pi.group[lo:hi], pi.groups[b]
}

// evergreen marks the objects of acts seen in at least hotBlocks distinct
// null blocks (none when hotBlocks <= 0). Runs are time-sorted, so the
// distinct blocks of an object are its block changes plus one.
func evergreen(acts *actions, minT, blockMs int64, hotBlocks int) []bool {
	if hotBlocks <= 0 {
		return nil
	}
	ev := make([]bool, acts.NumObjects)
	for o := 0; o+1 < len(acts.ObjStart); o++ {
		run := acts.A[acts.ObjStart[o]:acts.ObjStart[o+1]]
		if len(run) < hotBlocks {
			continue
		}
		n, last := 0, int64(-1)
		for i := range run {
			if b := (run[i].T - minT) / blockMs; b != last {
				n, last = n+1, b
			}
		}
		ev[o] = n >= hotBlocks
	}
	return ev
}

// postBlocks builds the post index. langKey gives a post's language key
// (LanguageKey; nil: no language classes). Actions of one post are
// adjacent in time order but not in acts.A (which is ordered by object),
// so posts are found by their corpus index.
func postBlocks(acts *actions, blockMs int64, hotBlocks int, langKey func(post uint32) uint64) postIndex {
	var pi postIndex
	if len(acts.A) == 0 {
		return pi
	}
	// Distinct posts in corpus (time) order.
	posts := make([]uint32, 0, len(acts.A))
	for _, a := range acts.A {
		posts = append(posts, a.Post)
	}
	slices.Sort(posts)
	posts = slices.Compact(posts)
	tpost := make([]int64, len(posts))
	acctOf := make([]uint32, len(posts))
	pos := func(post uint32) int {
		i, _ := slices.BinarySearch(posts, post)
		return i
	}
	slotOf := make([]uint32, len(acts.A))
	for i, a := range acts.A {
		j := pos(a.Post)
		tpost[j], acctOf[j] = a.T, a.Acct
		slotOf[i] = uint32(j)
	}
	minT := tpost[0]
	hot := make([]bool, len(posts))
	ev := evergreen(acts, minT, blockMs, hotBlocks)
	for o := 0; o+1 < len(acts.ObjStart) && ev != nil; o++ {
		if ev[o] {
			for i := acts.ObjStart[o]; i < acts.ObjStart[o+1]; i++ {
				hot[slotOf[i]] = true
			}
		}
	}
	key := make([]uint64, len(posts))
	for j, post := range posts {
		var lk uint64
		if langKey != nil {
			lk = langKey(post)
		}
		key[j] = NullClassKey(lk, hot[j])
	}
	// Posts are time-ordered, so blocks are contiguous ranges of them;
	// inside each block the slots follow (class key, corpus order).
	pi.starts = append(pi.starts, 0)
	cur := int64(0)
	for i, t := range tpost {
		b := (t - minT) / blockMs
		for cur < b {
			pi.starts = append(pi.starts, uint32(i))
			cur++
		}
	}
	pi.starts = append(pi.starts, uint32(len(posts)))
	nb := len(pi.starts) - 1
	newSlot := make([]uint32, len(posts))
	pi.accts = make([]uint32, len(posts))
	classOf := make([]int32, len(posts)) // per slot
	var classKey []uint64
	pi.classOff = make([]int, nb+1)
	order := make([]int, 0, 64)
	for b := range nb {
		lo, hi := int(pi.starts[b]), int(pi.starts[b+1])
		order = order[:0]
		for j := lo; j < hi; j++ {
			order = append(order, j)
		}
		slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(key[x], key[y]) })
		pi.classOff[b] = len(classKey)
		for k, j := range order {
			s := lo + k
			newSlot[j] = uint32(s)
			pi.accts[s] = acctOf[j]
			if k == 0 || key[j] != key[order[k-1]] {
				classKey = append(classKey, key[j])
				pi.rel = append(pi.rel, k)
			}
			classOf[s] = int32(len(classKey) - 1)
		}
		pi.rel = append(pi.rel, hi-lo)
	}
	pi.classOff[nb] = len(classKey)
	for i, s := range slotOf {
		slotOf[i] = newSlot[s]
	}
	pi.slotOf = slotOf
	// Each class's busiest object: count an object's actions per class
	// along its run.
	tops := NewClassTops(len(classKey))
	for o := 0; o+1 < len(acts.ObjStart); o++ {
		for i := acts.ObjStart[o]; i < acts.ObjStart[o+1]; i++ {
			tops.Add(classOf[slotOf[i]])
		}
		tops.EndRun()
	}
	top := tops.Top
	pi.group = make([]int, len(classKey))
	pi.groups = make([]int, nb)
	var cells []NullCell
	for b := range nb {
		lo, hi := pi.classOff[b], pi.classOff[b+1]
		rel := pi.rel[lo+b : hi+b+1]
		cells = cells[:0]
		for c := lo; c < hi; c++ {
			cells = append(cells, NullCell{Key: classKey[c], Size: rel[c-lo+1] - rel[c-lo], Top: top[c]})
		}
		pi.groups[b] = PlanNullCells(cells, pi.group[lo:hi])
	}
	return pi
}

// shuffleAccounts permutes the accounts of the posts within each block's
// shuffle groups (ShuffleNullCells with the block's own stream) and gives
// every action its post's new account. Times and objects stay in place,
// so each object's run remains time-sorted.
func shuffleAccounts(work []action, pi *postIndex, src *rand.PCG, rng *rand.Rand, seed uint64, layer model.Layer, perm int, abuf []uint32, idx []int) ([]uint32, []int) {
	abuf = append(abuf[:0], pi.accts...)
	for b := 0; b+1 < len(pi.starts); b++ {
		blk := abuf[pi.starts[b]:pi.starts[b+1]]
		if len(blk) < 2 {
			continue
		}
		rel, group, groups := pi.blockClasses(b)
		SeedNullBlock(src, seed, layer, perm, int64(b))
		idx = ShuffleNullCells(rng, rel, group, groups, func(x, y int) { blk[x], blk[y] = blk[y], blk[x] }, idx)
	}
	for i := range work {
		work[i].Acct = abuf[pi.slotOf[i]]
	}
	return abuf, idx
}

// poissonTail returns P(X >= k) for X ~ Poisson(lambda).
func poissonTail(k int, lambda float64) float64 {
	if k <= 0 {
		return 1
	}
	if lambda <= 0 {
		return 0
	}
	if float64(k) < lambda {
		// Sum the lower part instead (numerically safe here).
		var lower float64
		term := math.Exp(-lambda)
		for i := 0; i < k; i++ {
			lower += term
			term *= lambda / float64(i+1)
		}
		return math.Max(0, 1-lower)
	}
	// log of the k-th term, then sum the decreasing upper terms.
	lg, _ := math.Lgamma(float64(k + 1))
	logTerm := -lambda + float64(k)*math.Log(lambda) - lg
	term := math.Exp(logTerm)
	sum := 0.0
	for i := k; i < k+1000; i++ {
		sum += term
		term *= lambda / float64(i+1)
		if term < sum*1e-16 {
			break
		}
	}
	return math.Min(1, sum)
}

// benjaminiHochberg replaces each edge's Q (holding a p-value on entry)
// with its Benjamini–Hochberg q-value over m hypotheses (m >= len(edges);
// the pairs not listed are assumed to have larger p-values).
func benjaminiHochberg(edges []model.Edge, m float64) {
	if len(edges) == 0 {
		return
	}
	m = math.Max(m, float64(len(edges)))
	order := make([]int, len(edges))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return edges[order[x]].Q < edges[order[y]].Q })
	prev := 1.0
	for r := len(order) - 1; r >= 0; r-- {
		e := &edges[order[r]]
		q := math.Min(prev, e.Q*m/float64(r+1))
		e.Q = q
		prev = q
	}
}
