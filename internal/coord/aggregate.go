package coord

import (
	"math"
	"slices"

	"github.com/chorus-osint/chorus/internal/model"
)

// aggregate folds the records, visited in order (sorted by pair, object
// order kept within a pair), into edges. Records of one (pair, object) are
// merged first: the object counts once, its co-actions are summed, and its
// smallest gap and the posts at that gap are kept. It returns the candidate
// edges (weight >= MinWeight, both accounts meeting MinParticipation), the
// number of distinct pairs, and the 99th percentile of pair weights.
//
// When obsHist is non-nil it counts every pair by activity stratum (cnt[a]
// is account a's action count) and weight, for the null model's empirical
// false discovery rate.
func aggregate(recs []pairRec, order []kv, participation []uint32, p *Params, idf []float64, layer model.Layer, cnt []uint32, obsHist []int64) ([]model.Edge, int64, float64) {
	var edges []model.Edge
	var pairs int64
	// Weight histogram over all pairs for the percentile cut (weights of
	// distinct objects are small integers; capped).
	hist := make([]int64, 1<<12)
	var dts []uint32
	var objs []pairRec // one merged record per object of the current pair
	for i := 0; i < len(order); {
		key := order[i].K
		objs = objs[:0]
		var coactions uint32
		j := i
		for ; j < len(order) && order[j].K == key; j++ {
			r := recs[order[j].V]
			coactions++
			if n := len(objs); n > 0 && objs[n-1].Obj == r.Obj {
				if r.DtMs < objs[n-1].DtMs {
					objs[n-1] = r
				}
				continue
			}
			objs = append(objs, r)
		}
		i = j
		pairs++
		w := len(objs)
		hist[min(w, len(hist)-1)]++
		a, b := uint32(key>>32), uint32(key)
		if obsHist != nil {
			obsHist[stratum(bucketOf(cnt[a]), bucketOf(cnt[b]))*histCap+min(w, histCap-1)]++
		}
		if w < p.MinWeight || int(participation[a]) < p.MinParticipation || int(participation[b]) < p.MinParticipation {
			continue
		}
		e := model.Edge{A: a, B: b, Layer: layer, Objects: uint32(w), CoActions: coactions}
		dts = dts[:0]
		for k := range objs {
			r := &objs[k]
			if r.AFirst {
				e.AFirst++
			} else {
				e.BFirst++
			}
			dts = append(dts, r.DtMs)
			if idf != nil {
				e.Weight += idf[r.Obj]
			}
			if len(e.Evidence) < p.MaxEvidence {
				e.Evidence = append(e.Evidence, model.Evidence{Object: r.Obj, PostA: r.PostA, PostB: r.PostB, DtMs: int64(r.DtMs)})
			}
		}
		if idf == nil {
			e.Weight = float64(w)
		}
		e.MedianDtMs = medianU32(dts)
		edges = append(edges, e)
	}
	return edges, pairs, histPercentile(hist, pairs, 0.99)
}

func medianU32(v []uint32) int64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	m := len(v) / 2
	if len(v)%2 == 1 {
		return int64(v[m])
	}
	return (int64(v[m-1]) + int64(v[m])) / 2
}

// histPercentile returns the smallest weight w such that at least q of the
// pairs have weight <= w.
func histPercentile(hist []int64, total int64, q float64) float64 {
	if total == 0 {
		return 0
	}
	need := int64(math.Ceil(q * float64(total)))
	var cum int64
	for w, n := range hist {
		cum += n
		if cum >= need {
			return float64(w)
		}
	}
	return float64(len(hist) - 1)
}

// objectIDF returns log(numAccounts / distinct accounts on the object) per
// object, so that everybody's hashtag weighs little.
func objectIDF(acts *actions, numAccounts int) []float64 {
	idf := make([]float64, acts.NumObjects)
	stamp := make([]uint32, numAccounts)
	for o := 0; o+1 < len(acts.ObjStart); o++ {
		lo, hi := acts.ObjStart[o], acts.ObjStart[o+1]
		n := 0
		for _, a := range acts.A[lo:hi] {
			if stamp[a.Acct] != uint32(o)+1 {
				stamp[a.Acct] = uint32(o) + 1
				n++
			}
		}
		if n > 0 {
			idf[o] = math.Log(float64(numAccounts) / float64(n))
		}
	}
	return idf
}
