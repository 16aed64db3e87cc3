package detect

import (
	"cmp"
	"slices"
	"time"

	"github.com/chorus-osint/chorus/internal/graph"
	"github.com/chorus-osint/chorus/internal/model"
)

// found is one cluster of an evaluation before it gets its identity.
type found struct {
	accounts []uint32 // detector account ids, core first
	layers   []model.Layer
	edges    int
	first    int64 // post time of the first internal co-action, ms (-1: none)
	last     int64
	seen     int64 // arrival (unix ns) of the first post of the first co-action
	top      []string
}

// netEdge is an edge of the significant multiplex network.
type netEdge struct {
	a, b   uint32
	weight float64
	layers []model.Layer
	p      []float64 // P per layer (for the lone-pair rule)
}

// network sums the significant edges of every layer, and those the group
// and membership tests corroborate (corr, per layer: edge index -> label),
// into one account network and clusters it exactly as
// pipeline.BuildNetwork does: Leiden (or Louvain) at
// cfg.Cluster.Resolution seeded by cfg.Coord.Seed, communities below
// cfg.Cluster.MinSize dropped, and a community of two kept only when its
// edge survives Bonferroni correction in one layer (P <= alpha / pairs
// tested in that layer).
func (d *Detector) network(evals []layerEval, corr []map[int]string) []found {
	alpha := d.params.Alpha
	idx := map[uint64]int{}
	var edges []netEdge
	pairsIn := map[model.Layer]int64{}
	for li, ev := range evals {
		pairsIn[ev.layer] = ev.pairs
		for ei, e := range ev.edges {
			if _, ok := corr[li][ei]; e.Q > alpha && !ok {
				continue
			}
			k := uint64(e.A)<<32 | uint64(e.B)
			j, ok := idx[k]
			if !ok {
				j = len(edges)
				idx[k] = j
				edges = append(edges, netEdge{a: e.A, b: e.B})
			}
			ne := &edges[j]
			ne.weight += e.Weight
			ne.layers = append(ne.layers, ev.layer)
			ne.p = append(ne.p, e.P)
		}
	}
	if len(edges) == 0 {
		return nil
	}
	slices.SortFunc(edges, func(x, y netEdge) int {
		if x.a != y.a {
			return cmp.Compare(x.a, y.a)
		}
		return cmp.Compare(x.b, y.b)
	})
	node := map[uint32]uint32{}
	var accOf []uint32
	for _, e := range edges {
		for _, a := range [2]uint32{e.a, e.b} {
			if _, ok := node[a]; !ok {
				node[a] = 0
				accOf = append(accOf, a)
			}
		}
	}
	// Nodes in account order, as BuildNetwork numbers them.
	slices.Sort(accOf)
	for i, a := range accOf {
		node[a] = uint32(i)
	}
	src := make([]uint32, len(edges))
	dst := make([]uint32, len(edges))
	w := make([]float64, len(edges))
	for i, e := range edges {
		src[i], dst[i], w[i] = node[e.a], node[e.b], e.weight
	}
	g := graph.FromEdges(len(accOf), src, dst, w)
	opts := graph.Options{Resolution: d.cfg.Cluster.Resolution, Seed: d.cfg.Coord.Seed}
	var part graph.Result
	if d.cfg.Cluster.Algorithm == "louvain" {
		part = graph.Louvain(g, opts)
	} else {
		part = graph.Leiden(g, opts)
	}
	deg := graph.SurvivalDegree(g, part.Membership)
	members := make([][]uint32, part.Communities)
	for n, c := range part.Membership {
		members[c] = append(members[c], uint32(n))
	}
	comm := make([]int32, len(accOf))
	var out []found
	for _, ms := range members {
		for _, n := range ms {
			comm[n] = -1
		}
		if len(ms) < max(2, d.cfg.Cluster.MinSize) {
			continue
		}
		if len(ms) == 2 && !lonePair(edges, accOf[ms[0]], accOf[ms[1]], alpha, pairsIn) {
			continue
		}
		f := found{first: -1}
		for _, n := range ms {
			comm[n] = int32(len(out))
			f.accounts = append(f.accounts, accOf[n])
		}
		slices.SortStableFunc(f.accounts, func(x, y uint32) int {
			if dx, dy := deg[node[x]], deg[node[y]]; dx != dy {
				return cmp.Compare(dy, dx)
			}
			return cmp.Compare(x, y)
		})
		out = append(out, f)
	}
	layerSeen := make([]map[model.Layer]bool, len(out))
	for _, e := range edges {
		ca, cb := comm[node[e.a]], comm[node[e.b]]
		if ca < 0 || ca != cb {
			continue
		}
		f := &out[ca]
		f.edges++
		if layerSeen[ca] == nil {
			layerSeen[ca] = map[model.Layer]bool{}
		}
		for _, l := range e.layers {
			if !layerSeen[ca][l] {
				layerSeen[ca][l] = true
				f.layers = append(f.layers, l)
			}
		}
	}
	for i := range out {
		slices.Sort(out[i].layers)
	}
	return out
}

func lonePair(edges []netEdge, a, b uint32, alpha float64, pairsIn map[model.Layer]int64) bool {
	if a > b {
		a, b = b, a
	}
	k, ok := slices.BinarySearchFunc(edges, [2]uint32{a, b}, func(e netEdge, t [2]uint32) int {
		if e.a != t[0] {
			return cmp.Compare(e.a, t[0])
		}
		return cmp.Compare(e.b, t[1])
	})
	if !ok {
		return false
	}
	e := &edges[k]
	for i, l := range e.layers {
		if e.p[i] <= alpha/float64(max(1, pairsIn[l])) {
			return true
		}
	}
	return false
}

// maxObjectPosts bounds the member posts examined per shared object when
// describing a cluster.
const maxObjectPosts = 4096

// describe fills each cluster's co-action times, first arrival and top
// objects from the held posts of its members: on every object two or more
// members acted on, member posts within the window from different
// accounts are co-actions.
func (d *Detector) describe(fs []found) {
	if len(fs) == 0 {
		return
	}
	clusterOf := make([]int32, len(d.acctKey))
	for i := range clusterOf {
		clusterOf[i] = -1
	}
	for ci, f := range fs {
		for _, a := range f.accounts {
			clusterOf[a] = int32(ci)
		}
	}
	type hit struct {
		t, arrival int64
		acct       uint32
	}
	type objKey struct {
		layer uint8
		obj   uint32
	}
	per := make([]map[objKey][]hit, len(fs))
	for i := range d.posts {
		ps := &d.posts[i]
		if ps.seq == 0 || clusterOf[ps.acct] < 0 {
			continue
		}
		ci := clusterOf[ps.acct]
		if per[ci] == nil {
			per[ci] = map[objKey][]hit{}
		}
		for _, h := range ps.objs {
			k := objKey{h.layer, h.obj}
			if l := per[ci][k]; len(l) < maxObjectPosts {
				per[ci][k] = append(l, hit{t: ps.t, arrival: ps.arrival, acct: ps.acct})
			}
		}
	}
	type scored struct {
		label string
		accts int
		first int64
	}
	for ci := range fs {
		f := &fs[ci]
		var tops []scored
		for k, hs := range per[ci] {
			if len(hs) < 2 {
				continue
			}
			s := d.layers[k.layer]
			slices.SortFunc(hs, func(x, y hit) int { return cmp.Compare(x.t, y.t) })
			var accts []uint32
			firstHere := int64(-1)
			for i := range hs {
				for j := i + 1; j < len(hs) && hs[j].t-hs[i].t <= s.window; j++ {
					if hs[i].acct == hs[j].acct {
						continue
					}
					if f.first < 0 || hs[i].t < f.first {
						f.first, f.seen = hs[i].t, hs[i].arrival
					}
					f.last = max(f.last, hs[j].t)
					if firstHere < 0 {
						firstHere = hs[i].t
					}
					accts = append(accts, hs[i].acct, hs[j].acct)
				}
			}
			if len(accts) == 0 {
				continue
			}
			slices.Sort(accts)
			n := len(slices.Compact(accts))
			label := s.objDisp[k.obj]
			if s.layer == model.LayerText || s.layer == model.LayerStaggered {
				label = snippet(label, 80)
			}
			tops = append(tops, scored{label: s.layer.String() + ": " + label, accts: n, first: firstHere})
		}
		slices.SortFunc(tops, func(x, y scored) int {
			if x.accts != y.accts {
				return cmp.Compare(y.accts, x.accts)
			}
			if x.first != y.first {
				return cmp.Compare(x.first, y.first)
			}
			return cmp.Compare(x.label, y.label)
		})
		for _, t := range tops[:min(5, len(tops))] {
			f.top = append(f.top, t.label)
		}
	}
}

// msTime converts unix ms to a UTC time (zero for -1).
func msTime(ms int64) time.Time {
	if ms < 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
