package beamcoord

import (
	"slices"
	"strings"

	"github.com/chorus-osint/chorus/internal/coord"
)

// Per-layer counters: scalars and the three histograms of the engine
// (weights for the 99th percentile, observed and null pairs per activity
// stratum and weight), combined per layer.

// Inc adds N[i] to counter Idx[i] of a layer's counters (indices into
// LayerAcc.Vals: scalars, then the three histograms), and names the hot
// objects with a co-action (counted once however many slices saw them).
// Each DoFn call emits one Inc per layer, folding its own counts first.
type Inc struct {
	Idx []uint32
	N   []int64
	Hot []string
}

func (x *Inc) add(idx int, n int64) {
	if n == 0 {
		return
	}
	x.Idx = append(x.Idx, uint32(idx))
	x.N = append(x.N, n)
}

func (x *Inc) empty() bool { return len(x.Idx) == 0 && len(x.Hot) == 0 }

const (
	statActions = iota
	statAccounts
	statObjects
	statRawPairs
	statTruncated
	statPairs
	numScalars = 8
)

const (
	offPct  = numScalars
	offObs  = offPct + coord.PercentileBins
	offNull = offObs + coord.NumStrata*coord.HistCap
	accLen  = offNull + coord.NumStrata*coord.HistCap
)

// LayerAcc accumulates a layer's counters.
type LayerAcc struct {
	Vals []int64
	Hot  []string // hot objects with a co-action, sorted, distinct
}

type layerAccFn struct{}

func (layerAccFn) CreateAccumulator() LayerAcc { return LayerAcc{} }

func (layerAccFn) AddInput(a LayerAcc, x Inc) LayerAcc {
	if len(x.Hot) > 0 {
		a.Hot = mergeSorted(a.Hot, x.Hot)
	}
	if len(x.Idx) == 0 {
		return a
	}
	if a.Vals == nil {
		a.Vals = make([]int64, accLen)
	}
	for i, idx := range x.Idx {
		a.Vals[idx] += x.N[i]
	}
	return a
}

func (layerAccFn) MergeAccumulators(a, b LayerAcc) LayerAcc {
	switch {
	case a.Vals == nil:
		a.Vals = b.Vals
	case b.Vals != nil:
		for i, v := range b.Vals {
			a.Vals[i] += v
		}
	}
	a.Hot = mergeSorted(a.Hot, b.Hot)
	return a
}

// mergeSorted returns the sorted union of two sorted distinct lists.
func mergeSorted(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

func (a *LayerAcc) scalar(i int) int64 {
	if a.Vals == nil {
		return 0
	}
	return a.Vals[i]
}

func encLayerAcc(a LayerAcc) []byte {
	b := wbuf(nil).u(uint64(len(a.Vals)))
	for _, v := range a.Vals {
		b = b.i(v)
	}
	b = b.u(uint64(len(a.Hot)))
	for _, h := range a.Hot {
		b = b.s(h)
	}
	return counted(kindOther, b)
}

func decLayerAcc(in []byte) (LayerAcc, error) {
	r := &rbuf{b: in}
	var a LayerAcc
	n := r.u()
	if n > uint64(len(r.b)) {
		return a, errShort
	}
	if n > 0 {
		a.Vals = make([]int64, n)
		for i := range a.Vals {
			a.Vals[i] = r.i()
		}
	}
	m := r.u()
	if m > uint64(len(r.b)) {
		return a, errShort
	}
	for k := uint64(0); k < m; k++ {
		a.Hot = append(a.Hot, r.s())
	}
	return a, r.err
}

// Tally counts distinct objects: N unsplit objects (each seen once) plus
// the hot objects in Hot (seen by several slices, counted once).
type Tally struct {
	N   uint64
	Hot []string
}

func (t *Tally) count() uint64 { return t.N + uint64(len(t.Hot)) }

type tallyFn struct{}

func (tallyFn) MergeAccumulators(a, b Tally) Tally {
	return Tally{N: a.N + b.N, Hot: mergeSorted(a.Hot, b.Hot)}
}

// KeyStat counts an object's actions and its first post (the corpus-order
// ordinal of hashtag_seq, text and staggered objects).
type KeyStat struct {
	N   int64
	Min string
}

type keyStatFn struct{}

func (keyStatFn) MergeAccumulators(a, b KeyStat) KeyStat {
	if a.N == 0 {
		return b
	}
	if b.N > 0 && b.Min < a.Min {
		a.Min = b.Min
	}
	a.N += b.N
	return a
}

type sightingMinFn struct{}

func (sightingMinFn) MergeAccumulators(a, b Sighting) Sighting {
	if b.Ord < a.Ord {
		return b
	}
	return a
}

// pairFn folds the per-object records of the account pairs of one pair
// bucket into each pair's statistics (pass 1 and 2 of the local engine):
// distinct objects, co-actions, who went first, median gap, IDF weight,
// evidence in object order; it feeds the layer's histograms and keeps
// candidates (weight >= MinWeight) for the participation filter. Pairs are
// grouped by bucket, not one key per pair: runners pay per key.
type pairFn struct {
	Params Params
}

func (fn *pairFn) ProcessElement(bucket uint64, recs func(*ObjPairs) bool, emitEdge func(string, Edge), emitInc func(int, Inc)) {
	l := uint8(bucket >> 32)
	var ps []ObjPair
	var r ObjPairs
	for recs(&r) {
		ps = append(ps, r.Recs...)
	}
	// Pair, then object order; the slices of one hot object are merged
	// with the engine's rule: the smallest gap, the first in sweep order
	// on ties (sweep order is (earlier post, later post)).
	slices.SortFunc(ps, func(x, y ObjPair) int {
		if x.A != y.A {
			return cmpU64(x.A, y.A)
		}
		if x.B != y.B {
			return cmpU64(x.B, y.B)
		}
		if c := strings.Compare(x.Ord, y.Ord); c != 0 {
			return c
		}
		if x.Dt != y.Dt {
			return int(x.Dt) - int(y.Dt)
		}
		if c := strings.Compare(min(x.PostA, x.PostB), min(y.PostA, y.PostB)); c != 0 {
			return c
		}
		return strings.Compare(max(x.PostA, x.PostB), max(y.PostA, y.PostB))
	})
	var inc Inc
	for lo := 0; lo < len(ps); {
		hi := lo + 1
		for hi < len(ps) && ps[hi].A == ps[lo].A && ps[hi].B == ps[lo].B {
			hi++
		}
		fn.pair(l, ps[lo:hi], emitEdge, &inc)
		lo = hi
	}
	emitInc(int(l), inc)
}

func (fn *pairFn) pair(l uint8, ps []ObjPair, emitEdge func(string, Edge), inc *Inc) {
	objs := ps[:0]
	for i := range ps {
		if len(objs) > 0 && objs[len(objs)-1].Ord == ps[i].Ord {
			objs[len(objs)-1].CoActions += ps[i].CoActions
			continue
		}
		objs = append(objs, ps[i])
	}
	e := Edge{Layer: l, OrdA: objs[0].A, OrdB: objs[0].B, BA: objs[0].BA, BB: objs[0].BB, Objects: uint32(len(objs))}
	gaps := make([]uint32, len(objs))
	e.Weight = float64(e.Objects)
	for i := range objs {
		o := &objs[i]
		e.CoActions += o.CoActions
		if o.AFirst {
			e.AFirst++
		} else {
			e.BFirst++
		}
		gaps[i] = o.Dt
		if fn.Params.IDF {
			e.Weight += o.IDF
		}
		if len(e.Evidence) < fn.Params.MaxEvidence {
			e.Evidence = append(e.Evidence, EvRef{Ord: o.Ord, PostA: o.PostA, PostB: o.PostB, Dt: o.Dt})
		}
	}
	if fn.Params.IDF {
		e.Weight -= float64(e.Objects)
	}
	e.MedianDtMs = coord.MedianGap(gaps)
	w := int(e.Objects)
	inc.add(statPairs, 1)
	inc.add(offPct+min(w, coord.PercentileBins-1), 1)
	if fn.Params.Permutations > 0 {
		inc.add(offObs+coord.Stratum(e.BA, e.BB)*coord.HistCap+min(w, coord.HistCap-1), 1)
	}
	if w >= fn.Params.MinWeight {
		emitEdge(layerOrdKey(l, e.OrdA), e)
	}
}

// attrFn joins an account's participation with its identity.
func attrFn(key string, part func(*Tally) bool, attrs func(*AcctAttr) bool, emit func(string, AcctAttr)) {
	var a AcctAttr
	if !attrs(&a) {
		return
	}
	var t Tally
	if part(&t) {
		a.Participation = t.count()
	}
	emit(key, a)
}

// joinAcctFn applies the participation filter to one end of each
// candidate edge and names the account; side A first, then side B.
type joinAcctFn struct {
	Params Params
	SideB  bool
}

func (fn *joinAcctFn) ProcessElement(key string, edges func(*Edge) bool, attrs func(*AcctAttr) bool, emitA func(string, Edge), emitB func(uint64, Edge)) {
	var a AcctAttr
	have := attrs(&a)
	var e Edge
	for edges(&e) {
		if !have {
			panic("BUG: candidate edge account without attributes")
		}
		if int(a.Participation) < fn.Params.MinParticipation {
			continue
		}
		if fn.SideB {
			e.IDB, e.HandleB = a.ID, a.Handle
			emitB(pairBucket(e.Layer, e.OrdA, e.OrdB, fn.Params.buckets()), e)
		} else {
			e.IDA, e.HandleA = a.ID, a.Handle
			emitA(layerOrdKey(e.Layer, e.OrdB), e)
		}
	}
}

// nullFn folds the null records of one pair bucket: per (permutation,
// pair) the distinct objects (unsplit objects counted as they come, hot
// objects as a set), into the layer's null histogram, and, for the
// bucket's candidate edges, the sum over permutations.
type nullFn struct {
	Params Params
}

type nullAgg struct {
	w   uint32
	s   uint16
	hot []string
}

func (fn *nullFn) ProcessElement(bucket uint64, batches func(*NullWs) bool, edges func(*Edge) bool, emit func(int, Edge), emitInc func(int, Inc)) {
	l := uint8(bucket >> 32)
	type key struct {
		perm uint32
		a, b uint64
	}
	agg := make(map[key]*nullAgg)
	var batch NullWs
	for batches(&batch) {
		for _, r := range batch.Recs {
			k := key{r.Perm, r.A, r.B}
			v := agg[k]
			if v == nil {
				v = &nullAgg{s: r.Stratum}
				agg[k] = v
			}
			v.w += r.W
			v.hot = append(v.hot, r.Hot...)
		}
	}
	type pk struct{ a, b uint64 }
	sums := make(map[pk]uint32)
	var inc Inc
	hist := make(map[int]int64)
	for k, v := range agg {
		w := int(v.w)
		if len(v.hot) > 0 {
			slices.Sort(v.hot)
			w += len(slices.Compact(v.hot))
		}
		hist[offNull+int(v.s)*coord.HistCap+min(w, coord.HistCap-1)]++
		sums[pk{k.a, k.b}] += uint32(w)
	}
	for idx, n := range hist {
		inc.add(idx, n)
	}
	emitInc(int(l), inc)
	var e Edge
	for edges(&e) {
		e.NullSum = uint64(sums[pk{e.OrdA, e.OrdB}])
		emit(int(l), e)
	}
}
