package graph

import "fmt"

// Modularity returns the Reichardt–Bornholdt modularity of a partition:
//
//	Q = Σ_c [ in_c / 2m − γ (K_c / 2m)² ]
//
// where in_c is the sum of adjacency entries A_ij with i and j both in c
// (each edge inside c counted in both directions, a self-loop entry once),
// K_c the sum of the degrees of c's members, 2m the sum of all entries and
// γ the resolution. At γ = 1 it lies in [−1/2, 1]. A graph without edges
// has Q = 0. Membership labels may be any uint32 values; len(membership)
// must be the node count.
func Modularity(g *CSR, membership []uint32, resolution float64) float64 {
	n := g.NumNodes()
	if len(membership) != n {
		panic(fmt.Sprintf("BUG: graph.Modularity: %d labels for %d nodes", len(membership), n))
	}
	if n == 0 {
		return 0
	}
	dense, k := denseLabels(membership, nil)
	tot := make([]float64, k)
	var in, m2 float64
	for i := range n {
		ci := dense[i]
		var ki float64
		for e := g.Offsets[i]; e < g.Offsets[i+1]; e++ {
			w := g.Weights[e]
			ki += w
			if dense[g.Targets[e]] == ci {
				in += w
			}
		}
		tot[ci] += ki
		m2 += ki
	}
	if m2 == 0 {
		return 0
	}
	var sq float64
	for _, t := range tot {
		x := t / m2
		sq += x * x
	}
	return in/m2 - resolution*sq
}
