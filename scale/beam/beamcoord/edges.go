package beamcoord

import (
	"slices"
	"strings"

	"github.com/chorus-osint/chorus/internal/coord"
)

// Per-layer counters: scalars and the three histograms of the engine
// (weights for the 99th percentile, observed and null pairs per activity
// stratum and weight), combined per layer.

// Inc adds N to one counter of a layer, or names a hot object with a
// co-action (counted once however many slices saw it).
type Inc struct {
	Kind uint8
	Idx  uint32
	N    int64
	Hot  string
}

const (
	incScalar uint8 = iota
	incPct
	incObs
	incNull
	incHotObject
)

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
	if x.Kind == incHotObject {
		a.Hot = mergeSorted(a.Hot, []string{x.Hot})
		return a
	}
	if a.Vals == nil {
		a.Vals = make([]int64, accLen)
	}
	off := 0
	switch x.Kind {
	case incPct:
		off = offPct
	case incObs:
		off = offObs
	case incNull:
		off = offNull
	}
	a.Vals[off+int(x.Idx)] += x.N
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

type nullWFn struct{}

func (nullWFn) MergeAccumulators(a, b NullW) NullW {
	return NullW{W: a.W + b.W, Stratum: a.Stratum, Hot: mergeSorted(a.Hot, b.Hot)}
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

// pairFn folds one account pair's per-object records into the pair's
// statistics (pass 1 and 2 of the local engine): distinct objects,
// co-actions, who went first, median gap, IDF weight, evidence in object
// order; it feeds the layer's histograms and keeps candidates (weight >=
// MinWeight) for the participation filter.
type pairFn struct {
	Params Params
}

func (fn *pairFn) ProcessElement(key string, recs func(*ObjPair) bool, emitEdge func(string, Edge), emitInc func(int, Inc)) {
	l := key[0]
	var ps []ObjPair
	var r ObjPair
	for recs(&r) {
		ps = append(ps, r)
	}
	// Object order; the slices of one hot object are merged with the
	// engine's rule: the smallest gap, the first in sweep order on ties
	// (sweep order is (earlier post, later post)).
	slices.SortFunc(ps, func(x, y ObjPair) int {
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
	objs := ps[:0]
	for i := range ps {
		if len(objs) > 0 && objs[len(objs)-1].Ord == ps[i].Ord {
			objs[len(objs)-1].CoActions += ps[i].CoActions
			continue
		}
		objs = append(objs, ps[i])
	}
	e := Edge{Layer: l, BA: objs[0].BA, BB: objs[0].BB, Objects: uint32(len(objs))}
	e.OrdA, e.OrdB = parsePair(key)
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
	emitInc(int(l), Inc{Kind: incScalar, Idx: statPairs, N: 1})
	emitInc(int(l), Inc{Kind: incPct, Idx: uint32(min(w, coord.PercentileBins-1)), N: 1})
	if fn.Params.Permutations > 0 {
		emitInc(int(l), Inc{Kind: incObs, Idx: uint32(coord.Stratum(e.BA, e.BB)*coord.HistCap + min(w, coord.HistCap-1)), N: 1})
	}
	if w >= fn.Params.MinWeight {
		emitEdge(layerOrdKey(l, e.OrdA), e)
	}
}

func parsePair(k string) (uint64, uint64) {
	return beU64(k[1:9]), beU64(k[9:17])
}

func beU64(s string) uint64 {
	var v uint64
	for i := 0; i < 8; i++ {
		v = v<<8 | uint64(s[i])
	}
	return v
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

func (fn *joinAcctFn) ProcessElement(key string, edges func(*Edge) bool, attrs func(*AcctAttr) bool, emit func(string, Edge)) {
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
			emit(pairKey(e.Layer, e.OrdA, e.OrdB), e)
		} else {
			e.IDA, e.HandleA = a.ID, a.Handle
			emit(layerOrdKey(e.Layer, e.OrdB), e)
		}
	}
}

// foldNullFn passes one pair's weight in one permutation on: to the
// layer's null histogram and to the pair's sum over permutations.
func foldNullFn(key string, w NullW, emitSum func(string, uint64), emitInc func(int, Inc)) {
	total := int(w.W) + len(w.Hot)
	l := key[0]
	emitInc(int(l), Inc{Kind: incNull, Idx: uint32(int(w.Stratum)*coord.HistCap + min(total, coord.HistCap-1)), N: 1})
	emitSum(string([]byte{l})+key[5:], uint64(total))
}

// attachNullFn gives each surviving candidate its null weight sum.
func attachNullFn(key string, edges func(*Edge) bool, sums func(*uint64) bool, emit func(int, Edge)) {
	var e Edge
	if !edges(&e) {
		return
	}
	var s uint64
	if sums(&s) {
		e.NullSum = s
	}
	emit(int(e.Layer), e)
}
