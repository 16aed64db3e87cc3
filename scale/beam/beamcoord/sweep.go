package beamcoord

import (
	"fmt"
	"math"
	"slices"
	"strings"

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

type pairAgg struct {
	co, dt uint32
	aFirst bool
	pa, pb uint32
}

func (fn *sweepFn) ProcessElement(key string, acts func(*Act) bool, sights func(*Sighting) bool, hot func(string) func(*HotKey) bool, numAccounts int,
	emitPair func(string, ObjPair), emitPart func(string, Tally), emitNull func(string, NullW), emitInc func(int, Inc)) {
	l := key[0]
	split := key[1] == 1
	var as []Act
	var a Act
	for acts(&a) {
		as = append(as, a)
	}
	if len(as) == 0 {
		return // an object's sightings without actions, or a hot object's unsplit key
	}
	slices.SortFunc(as, func(x, y Act) int { return strings.Compare(x.Key, y.Key) })
	owned := len(as)
	var h HotKey
	var ord string
	if split {
		obj := key[10:]
		if !hot(objectKey(l, obj))(&h) {
			panic("BUG: slice of an object that is not hot")
		}
		ord = h.Ord
		owned = 0
		for owned < len(as) && as[owned].Own {
			owned++
		}
		for _, x := range as[owned:] {
			if x.Own {
				panic("BUG: owned post after the overlap of a slice")
			}
		}
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

	w, maxP := fn.Params.WindowMs[l], fn.Params.MaxPartners
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
	emitInc(int(l), Inc{Kind: incScalar, Idx: statRawPairs, N: raw})
	emitInc(int(l), Inc{Kind: incScalar, Idx: statTruncated, N: trunc})
	if len(folds) > 0 {
		if split {
			emitInc(int(l), Inc{Kind: incHotObject, Hot: ord})
		} else {
			emitInc(int(l), Inc{Kind: incScalar, Idx: statObjects, N: 1})
		}
	}
	for k, v := range folds {
		x, y := uint32(k>>32), uint32(k)
		emitPair(pairKey(l, ords[x], ords[y]), ObjPair{Ord: ord, CoActions: v.co, Dt: v.dt, AFirst: v.aFirst,
			PostA: as[v.pa].Key, PostB: as[v.pb].Key, IDF: idf, BA: bucket[x], BB: bucket[y]})
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
			nw := NullW{W: 1, Stratum: uint16(coord.Stratum(bucket[x], bucket[y]))}
			if split {
				nw.W, nw.Hot = 0, []string{ord}
			}
			emitNull(permPairKey(l, uint32(k), ords[x], ords[y]), nw)
		}
	}
}
