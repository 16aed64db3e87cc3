package coord

import (
	"math"
	"slices"

	"github.com/chorus-osint/chorus/internal/model"
)

// aggregate folds records sorted by (Key, Obj) into edges. It returns the
// candidate edges (weight >= MinWeight, both accounts meeting
// MinParticipation), the number of distinct pairs, and the 99th percentile
// of pair weights.
//
// When obsHist is non-nil it counts every pair by activity stratum (cnt[a]
// is account a's action count) and weight, for the null model's empirical
// false discovery rate.
func aggregate(recs []pairRec, participation []uint32, p *Params, idf []float64, layer model.Layer, cnt []uint32, obsHist []int64) ([]model.Edge, int64, float64) {
	var edges []model.Edge
	var pairs int64
	// Weight histogram over all pairs for the percentile cut (weights of
	// distinct objects are small integers; cap at 1<<12).
	hist := make([]int64, 1<<12)
	var dts []uint32
	for i := 0; i < len(recs); {
		j := i
		for j < len(recs) && recs[j].Key == recs[i].Key {
			j++
		}
		pairs++
		objs := j - i
		hist[min(objs, len(hist)-1)]++
		a, b := uint32(recs[i].Key>>32), uint32(recs[i].Key)
		if obsHist != nil {
			obsHist[stratum(bucketOf(cnt[a]), bucketOf(cnt[b]))*histCap+min(objs, histCap-1)]++
		}
		if objs >= p.MinWeight && int(participation[a]) >= p.MinParticipation && int(participation[b]) >= p.MinParticipation {
			e := model.Edge{A: a, B: b, Layer: layer, Objects: uint32(objs)}
			dts = dts[:0]
			for k := i; k < j; k++ {
				r := &recs[k]
				e.CoActions += r.Count
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
				e.Weight = float64(objs)
			}
			e.MedianDtMs = medianU32(dts)
			edges = append(edges, e)
		}
		i = j
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
