package graph

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteSurvival applies the definition of SurvivalDegree directly: for each
// node, try every distinct intra-community weight from the largest down and
// flood-fill the community's subgraph at that threshold.
func bruteSurvival(g *CSR, m []uint32) []float64 {
	n := g.NumNodes()
	out := make([]float64, n)
	size := map[uint32]int{}
	for _, c := range m {
		size[c]++
	}
	for v := range n {
		c := m[v]
		var ws []float64
		for u := range n {
			if m[u] != c {
				continue
			}
			for e := g.Offsets[u]; e < g.Offsets[u+1]; e++ {
				if m[g.Targets[e]] == c {
					ws = append(ws, g.Weights[e])
				}
			}
		}
		slices.Sort(ws)
		slices.Reverse(ws)
		ws = slices.Compact(ws)
		for _, t := range ws {
			seen := map[uint32]bool{uint32(v): true}
			stack := []uint32{uint32(v)}
			for len(stack) > 0 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for e := g.Offsets[x]; e < g.Offsets[x+1]; e++ {
					j := g.Targets[e]
					if m[j] == c && g.Weights[e] >= t && !seen[j] {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
			if 2*len(seen) > size[c] {
				out[v] = t
				break
			}
		}
	}
	return out
}

func TestSurvivalDegreeHandExample(t *testing.T) {
	// Community 0: nodes 0-4. Core triangle 0-1-2 at weight 5, node 3 hangs
	// on node 2 by weight 2, node 4 on node 3 by weight 1. Majority is 3 of
	// 5, reached at t=5 by the triangle. Community 1: nodes 5,6 joined by
	// weight 3. Node 7 is a singleton community. The heavy edge 4-5 (9)
	// crosses communities and must be ignored.
	src := []uint32{0, 1, 2, 2, 3, 5, 4}
	dst := []uint32{1, 2, 0, 3, 4, 6, 5}
	w := []float64{5, 5, 5, 2, 1, 3, 9}
	g := FromEdges(8, src, dst, w)
	m := []uint32{0, 0, 0, 0, 0, 1, 1, 2}
	got := SurvivalDegree(g, m)
	want := []float64{5, 5, 5, 2, 1, 3, 3, 0}
	if !slices.Equal(got, want) {
		t.Errorf("SurvivalDegree = %v, want %v", got, want)
	}
	q := QuantizeSurvival(got, []float64{4, 1, 2.5})
	if wantQ := []float64{4, 4, 4, 1, 1, 2.5, 2.5, 0}; !slices.Equal(q, wantQ) {
		t.Errorf("QuantizeSurvival = %v, want %v", q, wantQ)
	}
}

func TestSurvivalDegreeNoMajority(t *testing.T) {
	// A community of 4 in two disconnected pairs (possible with Louvain):
	// no component ever holds more than half, so everyone gets 0.
	g := FromEdges(4, []uint32{0, 2}, []uint32{1, 3}, []float64{2, 3})
	got := SurvivalDegree(g, []uint32{0, 0, 0, 0})
	if !slices.Equal(got, []float64{0, 0, 0, 0}) {
		t.Errorf("SurvivalDegree = %v, want zeros", got)
	}
}

func TestSurvivalDegreeMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 17))
	for trial := range 40 {
		el := lfrLike(200+uint64(trial), 60+rng.IntN(60), 200+rng.IntN(300), 0.3, 4, 25)
		for i := range el.w {
			el.w[i] = float64(1 + rng.IntN(6)) // many ties
		}
		g := el.csr()
		var m []uint32
		switch trial % 3 {
		case 0:
			m = Leiden(g, Options{Seed: uint64(trial)}).Membership
		case 1:
			m = Louvain(g, Options{Seed: uint64(trial)}).Membership
		default:
			m = el.truth // planted communities need not be connected
		}
		got := SurvivalDegree(g, m)
		want := bruteSurvival(g, m)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: SurvivalDegree differs from the definition\n got %v\nwant %v", trial, got, want)
		}
		if trial%3 == 0 {
			// Leiden communities are connected, so every member of a
			// community of two or more survives at some threshold.
			size := make([]int, len(m))
			for _, c := range m {
				size[c]++
			}
			for v, s := range got {
				if size[m[v]] > 1 && s <= 0 {
					t.Fatalf("trial %d: node %d in a Leiden community of %d has survival 0", trial, v, size[m[v]])
				}
			}
		}
	}
}
