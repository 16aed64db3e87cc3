// Package graph holds the account graph in compressed sparse row (CSR) form
// and the community-detection algorithms chorus runs on it: Louvain, Leiden
// (with refinement, so every community is connected), modularity, connected
// components, the per-account survival degree and the adjusted Rand index.
//
// Everything here is deterministic: for a given graph and Options.Seed the
// output is identical from run to run. No map is iterated anywhere; node
// visiting orders come from math/rand/v2's PCG seeded with Options.Seed.
// The design and the measured speed are written down in docs/clusters.md.
package graph

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalidGraph is wrapped by (*CSR).Validate for a structurally broken graph.
var ErrInvalidGraph = errors.New("invalid graph")

// CSR is an undirected weighted graph in compressed sparse row form.
//
// The neighbours of node i are Targets[Offsets[i]:Offsets[i+1]] with weights
// Weights[Offsets[i]:Offsets[i+1]]. Every undirected edge {i,j} with i != j is
// stored twice, once in each row, with the same weight.
//
// A self loop (only aggregated graphs built inside this package have them) is
// stored once, in its own row, and its weight is the diagonal entry A_ii of
// the adjacency matrix: it counts once in the degree k_i and once in the
// internal weight of i's community. Aggregation puts the sum of both
// directions of every edge inside a community there, so modularity is the
// same on a graph and on its aggregate. gonum's community.Q uses the same
// convention.
//
// Weights are float64: an aggregated graph's weights are sums of up to
// millions of edge weights, and modularity gains are small differences of
// such sums; float32 would lose the gains in rounding on graphs of a few
// million edges. The cost is 8 bytes per stored direction (32 MB for the
// 2M-edge benchmark graph).
type CSR struct {
	Offsets []uint32 // len N+1; Offsets[0] == 0
	Targets []uint32 // len Offsets[N]
	Weights []float64
}

// NumNodes is the number of nodes N.
func (g *CSR) NumNodes() int {
	if g == nil || len(g.Offsets) == 0 {
		return 0
	}
	return len(g.Offsets) - 1
}

// NumEdges is the number of undirected edges, self loops included once.
func (g *CSR) NumEdges() int {
	if g == nil {
		return 0
	}
	loops := 0
	for i := range g.NumNodes() {
		for e := g.Offsets[i]; e < g.Offsets[i+1]; e++ {
			if g.Targets[e] == uint32(i) {
				loops++
			}
		}
	}
	return (len(g.Targets)-loops)/2 + loops
}

// Degree is the weighted degree k_i of node i (sum of its row, self loop once).
func (g *CSR) Degree(i int) float64 {
	var k float64
	for e := g.Offsets[i]; e < g.Offsets[i+1]; e++ {
		k += g.Weights[e]
	}
	return k
}

// degrees returns every node's weighted degree and their sum 2m.
func (g *CSR) degrees(dst []float64) ([]float64, float64) {
	n := g.NumNodes()
	dst = grow(dst, n)
	var m2 float64
	for i := range n {
		var k float64
		for e := g.Offsets[i]; e < g.Offsets[i+1]; e++ {
			k += g.Weights[e]
		}
		dst[i] = k
		m2 += k
	}
	return dst, m2
}

// Validate checks the structural invariants the algorithms rely on: offsets
// start at 0, never decrease and end at len(Targets); targets are node ids;
// weights are finite and positive. It does not check symmetry (O(E log E)).
func (g *CSR) Validate() error {
	if g == nil || len(g.Offsets) == 0 {
		return nil
	}
	n := len(g.Offsets) - 1
	if g.Offsets[0] != 0 {
		return fmt.Errorf("%w: Offsets[0] = %d, want 0", ErrInvalidGraph, g.Offsets[0])
	}
	if len(g.Targets) != len(g.Weights) {
		return fmt.Errorf("%w: %d targets but %d weights", ErrInvalidGraph, len(g.Targets), len(g.Weights))
	}
	for i := range n {
		if g.Offsets[i+1] < g.Offsets[i] {
			return fmt.Errorf("%w: Offsets decrease at node %d", ErrInvalidGraph, i)
		}
	}
	if int(g.Offsets[n]) != len(g.Targets) {
		return fmt.Errorf("%w: Offsets[N] = %d but %d targets", ErrInvalidGraph, g.Offsets[n], len(g.Targets))
	}
	for e, t := range g.Targets {
		if int(t) >= n {
			return fmt.Errorf("%w: target %d out of range at entry %d", ErrInvalidGraph, t, e)
		}
		if w := g.Weights[e]; !(w > 0) || math.IsInf(w, 0) {
			return fmt.Errorf("%w: weight %v at entry %d (weights must be finite and > 0)", ErrInvalidGraph, w, e)
		}
	}
	return nil
}

// FromEdges builds an undirected CSR graph on nodes 0..n-1 from the edge
// list (src[e], dst[e], w[e]). A nil w gives every edge weight 1.
//
// Duplicate edges (in either direction) are merged by summing their weights;
// self loops, and edges whose weight is not a finite number > 0, are dropped.
// Each row is sorted by target. The build is two counting sorts, O(n + E),
// with no comparison sort.
//
// A node id ≥ n or slices of different lengths are caller bugs and panic.
func FromEdges(n int, src, dst []uint32, w []float64) *CSR {
	if len(src) != len(dst) || (w != nil && len(w) != len(src)) {
		panic(fmt.Sprintf("BUG: graph.FromEdges: %d sources, %d targets, %d weights", len(src), len(dst), len(w)))
	}
	if n < 0 || uint64(n) > math.MaxUint32 {
		panic(fmt.Sprintf("BUG: graph.FromEdges: node count %d out of range", n))
	}
	if 2*uint64(len(src)) > math.MaxUint32 {
		panic(fmt.Sprintf("BUG: graph.FromEdges: %d edges overflow uint32 offsets", len(src)))
	}
	keep := func(e int) bool {
		if src[e] == dst[e] {
			return false
		}
		if w == nil {
			return true
		}
		x := w[e]
		return x > 0 && !math.IsInf(x, 0)
	}
	weight := func(e int) float64 {
		if w == nil {
			return 1
		}
		return w[e]
	}

	// Pass 1: count the entries of each row (each kept edge gives two).
	off := make([]uint32, n+1)
	for e := range src {
		if int(src[e]) >= n || int(dst[e]) >= n {
			panic(fmt.Sprintf("BUG: graph.FromEdges: edge %d (%d, %d) has a node id ≥ n = %d", e, src[e], dst[e], n))
		}
		if !keep(e) {
			continue
		}
		off[src[e]+1]++
		off[dst[e]+1]++
	}
	for i := range n {
		off[i+1] += off[i]
	}
	total := off[n]

	// Pass 2: counting sort of the directed entries by target. Because every
	// entry (a→b) has its mirror (b→a), the rows have the same sizes when
	// bucketed by target as when bucketed by source, so off serves for both.
	bySrc := make([]uint32, total) // source of each entry, in target order
	byW := make([]float64, total)
	next := make([]uint32, n)
	copy(next, off[:n])
	for e := range src {
		if !keep(e) {
			continue
		}
		a, b, x := src[e], dst[e], weight(e)
		p := next[b]
		bySrc[p], byW[p] = a, x
		next[b]++
		p = next[a]
		bySrc[p], byW[p] = b, x
		next[a]++
	}

	// Pass 3: a stable distribution by source, walking targets in increasing
	// order, leaves each row sorted by target.
	targets := make([]uint32, total)
	weights := make([]float64, total)
	copy(next, off[:n])
	for t := range n {
		for p := off[t]; p < off[t+1]; p++ {
			s := bySrc[p]
			q := next[s]
			targets[q], weights[q] = uint32(t), byW[p]
			next[s]++
		}
	}

	// Pass 4: merge duplicate targets in each row, compacting in place.
	var wp uint32
	start := uint32(0)
	for i := range n {
		end := off[i+1]
		off[i] = wp
		for p := start; p < end; {
			t, x := targets[p], weights[p]
			p++
			for p < end && targets[p] == t {
				x += weights[p]
				p++
			}
			targets[wp], weights[wp] = t, x
			wp++
		}
		start = end
	}
	off[n] = wp
	if int(wp) < len(targets)*3/4 {
		targets = append([]uint32(nil), targets[:wp]...)
		weights = append([]float64(nil), weights[:wp]...)
	}
	return &CSR{Offsets: off, Targets: targets[:wp:wp], Weights: weights[:wp:wp]}
}

// grow returns s resliced (or reallocated) to length n.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
