package graph

import (
	"cmp"
	"fmt"
	"slices"
)

// SurvivalDegree returns, for each node, its coordination degree within its
// community: the highest edge-weight threshold t at which the node still
// belongs to the community's majority core. Precisely, for node v in
// community C with |C| ≥ 2:
//
//	S(v) = max { t : in the subgraph induced by C keeping only the edges of
//	                 weight ≥ t, v lies in a connected component holding
//	                 more than half of C's members }
//
// S(v) = 0 when no threshold qualifies: for a singleton community, and for
// the minority side of a community that has no majority component at any
// threshold (Louvain communities may be disconnected; Leiden's are not, so
// there every member of a community of two or more gets S(v) > 0).
//
// Raising the threshold peels the periphery off first: the accounts with
// the largest S(v) are the community's core, the ones with small S(v) hang
// on by weak edges. For a two-member community both get the weight of the
// edge between them.
//
// It runs in O(E log E): the edges inside communities are sorted by weight,
// heaviest first, and merged with a union-find; when a component first holds
// a majority, its members get the current weight, and every node joining it
// later gets the weight of the edge that brought it in. No pass per threshold.
func SurvivalDegree(g *CSR, membership []uint32) []float64 {
	n := g.NumNodes()
	if len(membership) != n {
		panic(fmt.Sprintf("BUG: graph.SurvivalDegree: %d labels for %d nodes", len(membership), n))
	}
	out := make([]float64, n)
	if n == 0 {
		return out
	}
	comm, k := denseLabels(membership, nil)
	csize := make([]uint32, k)
	for _, c := range comm {
		csize[c]++
	}
	type edge struct {
		w    float64
		a, b uint32
	}
	var edges []edge
	for v := range n {
		for e := g.Offsets[v]; e < g.Offsets[v+1]; e++ {
			j := g.Targets[e]
			if uint32(v) < j && comm[v] == comm[j] {
				edges = append(edges, edge{g.Weights[e], uint32(v), j})
			}
		}
	}
	slices.SortFunc(edges, func(x, y edge) int {
		if c := cmp.Compare(y.w, x.w); c != 0 {
			return c
		}
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})

	uf := newUnionFind(n)
	// Member lists per root, as linked lists, so that a component's members
	// can be visited once when it becomes (or joins) the core.
	const none = ^uint32(0)
	nextMember := make([]uint32, n)
	tail := make([]uint32, n)
	for i := range n {
		nextMember[i] = none
		tail[i] = uint32(i)
	}
	core := make([]bool, n) // indexed by root
	assign := func(head uint32, t float64) {
		for x := head; x != none; x = nextMember[x] {
			out[x] = t
		}
	}
	for _, e := range edges {
		ra, rb := uf.find(e.a), uf.find(e.b)
		if ra == rb {
			continue
		}
		wasCore := core[ra] || core[rb]
		root, absorbed := uf.union(ra, rb)
		// The absorbed component can never be the core: the core holds a
		// majority, so it is the larger side and union by size keeps it root.
		if wasCore {
			assign(absorbed, e.w)
		}
		nextMember[tail[root]] = absorbed
		tail[root] = tail[absorbed]
		if !wasCore && 2*uf.size[root] > csize[comm[e.a]] {
			core[root] = true
			assign(root, e.w)
		}
	}
	return out
}

// QuantizeSurvival maps each survival degree to the largest of the given
// thresholds that does not exceed it (0 when none does), for reports that
// show core membership at a few fixed thresholds.
func QuantizeSurvival(degree, thresholds []float64) []float64 {
	ts := slices.Clone(thresholds)
	slices.Sort(ts)
	out := make([]float64, len(degree))
	for i, d := range degree {
		j, found := slices.BinarySearch(ts, d)
		if found {
			out[i] = ts[j]
		} else if j > 0 {
			out[i] = ts[j-1]
		}
	}
	return out
}
