package beamcoord

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/model"
)

// sweepFn runs one (layer, object) key — or one time slice of a hot
// object — through the local engine's pair sweep (coord.SweepRun): the
// observed accounts, then each permutation's. Accounts get local IDs in
// global-ordinal order, so pair orientation (A < B), "who went first" and
// the zero-gap tie-break are the local engine's.
type sweepFn struct {
	Params Params
}

// Counters of the split of hot keys (Beam metrics: the runner sums them
// over workers; chorus-beam --stats and the tests read them).
var (
	hotSlices     = beam.NewCounter("chorus", "hot_key_slices")
	overlapAction = beam.NewCounter("chorus", "hot_key_overlap_actions")
)

type pairAgg struct {
	co, dt uint32
	aFirst bool
	pa, pb uint32
}

func (fn *sweepFn) ProcessElement(ctx context.Context, key string, acts func(*Act) bool, sights func(*Sighting) bool, hot func(string) func(*HotKey) bool, info func(int) func(*LayerInfo) bool,
	emitPair func(uint64, ObjPairs), emitPart func(string, Tally), emitNull func(uint64, NullWs), emitInc func(int, Inc)) {
	l := key[0]
	split := key[1] == 1
	as, owned := sortedRun(acts, split)
	if len(as) == 0 {
		return // an object's sightings without actions, or a hot object's unsplit key
	}
	var li LayerInfo
	if !info(int(l))(&li) {
		panic("BUG: layer with actions but no partner bound")
	}
	numAccounts := li.NumAccounts
	var h HotKey
	var ord string
	if split {
		obj := key[10:]
		if !hot(objectKey(l, obj))(&h) {
			panic("BUG: slice of an object that is not hot")
		}
		ord = h.Ord
	} else if corpusOrdered(model.Layer(l)) {
		ord = as[0].Key
	} else {
		best := ^uint64(0)
		var s Sighting
		for sights(&s) {
			best = min(best, s.Ord)
		}
		if best == ^uint64(0) {
			panic(fmt.Sprintf("BUG: object %q of layer %d has no dictionary sighting", key[2:], l))
		}
		ord = ordKey(best)
	}
	if owned == 0 {
		return
	}
	if split {
		hotSlices.Inc(ctx, 1)
		overlapAction.Inc(ctx, int64(len(as)-owned))
	}

	// Local account IDs in ordinal order.
	perms := fn.Params.Permutations
	ords := make([]uint64, 0, len(as)*(1+perms))
	for i := range as {
		ords = append(ords, as[i].Acct.Ord)
		for _, n := range as[i].Null {
			ords = append(ords, n.Ord)
		}
	}
	slices.Sort(ords)
	ords = slices.Compact(ords)
	local := make(map[uint64]uint32, len(ords))
	for i, o := range ords {
		local[o] = uint32(i)
	}
	bucket := make([]uint8, len(ords))
	run := make([]coord.Action, len(as))
	for i := range as {
		id := local[as[i].Acct.Ord]
		bucket[id] = as[i].Acct.Bucket
		run[i] = coord.Action{Acct: id, T: as[i].T, Post: uint32(i)}
		for _, n := range as[i].Null {
			bucket[local[n.Ord]] = n.Bucket
		}
	}

	var idf float64
	if fn.Params.IDF {
		n := h.Accts
		if !split {
			seen := make(map[uint32]bool)
			for i := range run {
				seen[run[i].Acct] = true
			}
			n = int64(len(seen))
		}
		if n > 0 {
			idf = math.Log(float64(numAccounts) / float64(n))
		}
	}

	w, maxP := fn.Params.WindowMs[l], li.MaxPartners
	folds := make(map[uint64]*pairAgg)
	part := make(map[uint32]bool)
	raw, trunc := coord.SweepRunOwned(run, owned, w, maxP, func(ai, aj *coord.Action, dt int64) {
		k, gap, pa, pb, aFirst := coord.Coaction(ai, aj, dt)
		v := folds[k]
		if v == nil {
			v = &pairAgg{dt: gap, aFirst: aFirst, pa: pa, pb: pb}
			folds[k] = v
		} else if gap < v.dt {
			v.dt, v.aFirst, v.pa, v.pb = gap, aFirst, pa, pb
		}
		v.co++
		part[ai.Acct], part[aj.Acct] = true, true
	})
	var inc Inc
	inc.add(statRawPairs, raw)
	inc.add(statTruncated, trunc)
	if len(folds) > 0 {
		if split {
			inc.Hot = []string{ord}
		} else {
			inc.add(statObjects, 1)
		}
	}
	emitInc(int(l), inc)
	nb := fn.Params.buckets()
	// One element per pair bucket touched: runners pay per element.
	byBucket := make(map[uint64][]ObjPair)
	for k, v := range folds {
		x, y := uint32(k>>32), uint32(k)
		bk := pairBucket(l, ords[x], ords[y], nb)
		byBucket[bk] = append(byBucket[bk], ObjPair{A: ords[x], B: ords[y], Ord: ord, CoActions: v.co, Dt: v.dt, AFirst: v.aFirst,
			PostA: as[v.pa].Key, PostB: as[v.pb].Key, IDF: idf, BA: bucket[x], BB: bucket[y]})
	}
	for bk, recs := range byBucket {
		emitPair(bk, ObjPairs{Recs: recs})
	}
	for id := range part {
		t := Tally{N: 1}
		if split {
			t = Tally{Hot: []string{ord}}
		}
		emitPart(layerOrdKey(l, ords[id]), t)
	}

	if perms == 0 {
		return
	}
	set := make(map[uint64]struct{})
	nulls := make(map[uint64][]NullW)
	for k := 0; k < perms; k++ {
		for i := range run {
			run[i].Acct = local[as[i].Null[k].Ord]
		}
		clear(set)
		coord.SweepRunOwned(run, owned, w, maxP, func(ai, aj *coord.Action, dt int64) {
			key, _, _, _, _ := coord.Coaction(ai, aj, dt)
			set[key] = struct{}{}
		})
		for pk := range set {
			x, y := uint32(pk>>32), uint32(pk)
			nw := NullW{Perm: uint32(k), A: ords[x], B: ords[y], W: 1, Stratum: uint16(coord.Stratum(bucket[x], bucket[y]))}
			if split {
				nw.W, nw.Hot = 0, []string{ord}
			}
			bk := pairBucket(l, nw.A, nw.B, nb)
			nulls[bk] = append(nulls[bk], nw)
		}
	}
	for bk, recs := range nulls {
		emitNull(bk, NullWs{Recs: recs})
	}
}

// sortedRun reads one object's (or slice's) actions in sweep order and
// returns how many of them the key owns: all, or for a slice of a hot
// object the slice's own posts, which come before its overlap.
func sortedRun(acts func(*Act) bool, split bool) ([]Act, int) {
	var as []Act
	var a Act
	for acts(&a) {
		as = append(as, a)
	}
	slices.SortFunc(as, func(x, y Act) int { return strings.Compare(x.Key, y.Key) })
	if !split {
		return as, len(as)
	}
	owned := 0
	for owned < len(as) && as[owned].Own {
		owned++
	}
	for _, x := range as[owned:] {
		if x.Own {
			panic("BUG: owned post after the overlap of a slice")
		}
	}
	return as, owned
}

// LayerInfo is what the sweep needs of its layer: the partner bound (the
// configured one, lowered when the layer's post pairs would exceed
// MaxLayerPairs, as the local engine's partnerCap does) and the number of
// accounts (for IDF).
type LayerInfo struct {
	MaxPartners int
	NumAccounts int
}

// partnerHistFn counts each owned post's later posts inside the window,
// capped at MaxPartners (coord.PartnerCounts), per object or slice: summed
// per layer, the histogram the partner bound is chosen from. Every partner
// of an owned post lies in its slice or the overlap, so slices count as
// the whole object does.
type partnerHistFn struct {
	Params Params
}

func (fn *partnerHistFn) ProcessElement(key string, times func(*int64) bool, emit func(int, Inc)) {
	l := key[0]
	var ts []int64
	var v int64
	for times(&v) {
		ts = append(ts, v)
	}
	// Time order (the overlap's posts are all later than the slice's own);
	// the order of equal times does not change the counts.
	slices.Sort(ts)
	run := make([]coord.Action, len(ts))
	owned := 0
	for i, v := range ts {
		run[i] = coord.Action{T: v >> 1, Post: uint32(i)}
		if v&1 == 1 {
			if owned != i {
				panic("BUG: owned post after the overlap of a slice")
			}
			owned++
		}
	}
	if owned == 0 {
		return
	}
	hist := make([]int64, fn.Params.MaxPartners+1)
	coord.PartnerCounts(run, owned, fn.Params.WindowMs[l], hist)
	var inc Inc
	for c, n := range hist {
		inc.add(c, n)
	}
	emit(int(l), inc)
}

// PartnerHist is a layer's histogram of posts by later partners.
type PartnerHist struct {
	N []int64
}

type partnerHistCombineFn struct{}

func (partnerHistCombineFn) CreateAccumulator() PartnerHist { return PartnerHist{} }

func (partnerHistCombineFn) AddInput(a PartnerHist, x Inc) PartnerHist {
	for i, idx := range x.Idx {
		for int(idx) >= len(a.N) {
			a.N = append(a.N, 0)
		}
		a.N[idx] += x.N[i]
	}
	return a
}

func (partnerHistCombineFn) MergeAccumulators(a, b PartnerHist) PartnerHist {
	if len(a.N) < len(b.N) {
		a, b = b, a
	}
	for i, v := range b.N {
		a.N[i] += v
	}
	return a
}

// layerInfoFn fixes a layer's partner bound (coord.PartnerCapHist).
type layerInfoFn struct {
	Params Params
}

func (fn *layerInfoFn) ProcessElement(layer int, h PartnerHist, numAccounts int, emit func(int, LayerInfo)) {
	k, _ := coord.PartnerCapHist(h.N, fn.Params.MaxPartners, fn.Params.MaxLayerPairs)
	emit(layer, LayerInfo{MaxPartners: k, NumAccounts: numAccounts})
}
