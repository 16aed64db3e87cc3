package coord

import (
	"math"
	"slices"

	"github.com/chorus-osint/chorus/internal/hashtab"
	"github.com/chorus-osint/chorus/internal/model"
)

// candidates turns the observed table into edges: pairs with weight >=
// MinWeight whose accounts both meet MinParticipation, sorted by (A, B).
// It marks each candidate's table entry with its edge index, counts every
// pair by weight into hist (for the percentile cut) and by activity stratum
// and weight into obsHist (when non-nil; cnt[a] is account a's action
// count).
func candidates(tab *hashtab.Table[obsPair], participation []uint32, p *Params, layer model.Layer, cnt []uint32, obsHist, hist []int64) []model.Edge {
	var keys []uint64
	tab.Each(func(key uint64, v *obsPair) {
		w := int(v.objects)
		hist[min(w, len(hist)-1)]++
		a, b := uint32(key>>32), uint32(key)
		if obsHist != nil {
			obsHist[stratum(bucketOf(cnt[a]), bucketOf(cnt[b]))*histCap+min(w, histCap-1)]++
		}
		if w >= p.MinWeight && int(participation[a]) >= p.MinParticipation && int(participation[b]) >= p.MinParticipation {
			keys = append(keys, key)
		}
	})
	slices.Sort(keys)
	edges := make([]model.Edge, len(keys))
	for i, key := range keys {
		v := tab.Lookup(key)
		v.edge = int32(i + 1)
		edges[i] = model.Edge{A: uint32(key >> 32), B: uint32(key), Layer: layer, Objects: v.objects, Weight: float64(v.objects), CoActions: v.coactions, AFirst: v.aFirst, BFirst: v.bFirst}
	}
	return edges
}

// evidence sweeps the objects again for the candidate edges only (pass
// 2): per edge and object it keeps the smallest gap and the posts at it,
// for the median gap, the evidence list and the IDF weight.
func (s *sweeper) evidence(acts *actions, tab *hashtab.Table[obsPair], edges []model.Edge, p *Params, idf []float64, part, parts int) {
	n := len(edges)
	// Gaps of every (edge, object) go into one arena, sized from the
	// objects each edge already counted.
	off := make([]uint32, n+1)
	for i := range edges {
		off[i+1] = off[i] + edges[i].Objects
	}
	arena := make([]uint32, off[n])
	fill := slices.Clone(off[:n])
	type cur struct {
		obj          uint32 // +1
		dt           uint32
		postA, postB uint32
	}
	st := make([]cur, n)
	flush := func(e int) {
		c := &st[e]
		if c.obj == 0 {
			return
		}
		arena[fill[e]] = c.dt
		fill[e]++
		if idf != nil {
			edges[e].Weight += idf[c.obj-1]
		}
		if len(edges[e].Evidence) < p.MaxEvidence {
			edges[e].Evidence = append(edges[e].Evidence, model.Evidence{Object: c.obj - 1, PostA: c.postA, PostB: c.postB, DtMs: int64(c.dt)})
		}
	}
	s.forObjects(acts, func(obj uint32, run []action) {
		s.forPairs(run, func(ai, aj *action, dt int64) {
			c := makeCoaction(ai, aj, dt)
			if partOf(c.key, parts) != part {
				return
			}
			v := tab.Lookup(c.key)
			if v == nil || v.edge == 0 {
				return
			}
			e := int(v.edge - 1)
			if st[e].obj != obj+1 {
				flush(e)
				st[e] = cur{obj: obj + 1, dt: c.dt, postA: c.postA, postB: c.postB}
			} else if c.dt < st[e].dt {
				st[e].dt, st[e].postA, st[e].postB = c.dt, c.postA, c.postB
			}
		})
	})
	for e := range edges {
		flush(e)
		if idf != nil {
			edges[e].Weight -= float64(edges[e].Objects) // drop the count set by candidates
		}
		edges[e].MedianDtMs = medianU32(arena[off[e]:fill[e]])
	}
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
