package graph

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestFromEdgesMergesSortsAndDrops(t *testing.T) {
	src := []uint32{0, 2, 1, 0, 3, 3, 1, 4}
	dst := []uint32{2, 0, 0, 1, 3, 1, 0, 0}
	w := []float64{1, 2, 3, 0.5, 9, 4, math.NaN(), -1}
	g := FromEdges(5, src, dst, w)
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	// Expected: {0,2}=3 (1+2), {0,1}=3.5 (3+0.5; NaN dropped), {1,3}=4;
	// self loop 3-3 and negative 4-0 dropped; node 4 isolated.
	want := map[[2]uint32]float64{{0, 1}: 3.5, {0, 2}: 3, {1, 3}: 4}
	got := map[[2]uint32]float64{}
	for i := range g.NumNodes() {
		row := g.Targets[g.Offsets[i]:g.Offsets[i+1]]
		if !slices.IsSorted(row) {
			t.Errorf("row %d not sorted: %v", i, row)
		}
		for e := g.Offsets[i]; e < g.Offsets[i+1]; e++ {
			j := g.Targets[e]
			if j == uint32(i) {
				t.Errorf("self loop kept at %d", i)
			}
			if uint32(i) < j {
				got[[2]uint32{uint32(i), j}] = g.Weights[e]
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("edges %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("edge %v weight %v, want %v", k, got[k], v)
		}
	}
	if g.NumEdges() != 3 || g.Degree(0) != 6.5 || g.Degree(4) != 0 {
		t.Errorf("NumEdges %d Degree(0) %v Degree(4) %v", g.NumEdges(), g.Degree(0), g.Degree(4))
	}
}

// TestFromEdgesMatchesNaive compares the counting-sort build with a map
// built the obvious way, on random multigraphs with duplicates both ways.
func TestFromEdgesMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for trial := range 50 {
		n := 1 + rng.IntN(40)
		m := rng.IntN(200)
		src, dst, w := make([]uint32, m), make([]uint32, m), make([]float64, m)
		naive := map[[2]uint32]float64{}
		for e := range m {
			src[e], dst[e] = uint32(rng.IntN(n)), uint32(rng.IntN(n))
			w[e] = float64(1 + rng.IntN(5))
			if src[e] != dst[e] {
				a, b := min(src[e], dst[e]), max(src[e], dst[e])
				naive[[2]uint32{a, b}] += w[e]
			}
		}
		g := FromEdges(n, src, dst, w)
		if err := g.Validate(); err != nil {
			t.Fatal(err)
		}
		if g.NumEdges() != len(naive) {
			t.Fatalf("trial %d: %d edges, want %d", trial, g.NumEdges(), len(naive))
		}
		for i := range n {
			for e := g.Offsets[i]; e < g.Offsets[i+1]; e++ {
				j := g.Targets[e]
				a, b := min(uint32(i), j), max(uint32(i), j)
				if g.Weights[e] != naive[[2]uint32{a, b}] {
					t.Fatalf("trial %d: edge (%d,%d) weight %v, want %v", trial, i, j, g.Weights[e], naive[[2]uint32{a, b}])
				}
			}
		}
	}
}

func TestFromEdgesNilWeightsAndEmpty(t *testing.T) {
	g := FromEdges(3, []uint32{0, 1, 1}, []uint32{1, 2, 0}, nil)
	if g.Degree(1) != 3 || g.Degree(0) != 2 {
		t.Errorf("degrees %v %v, want 3 and 2", g.Degree(1), g.Degree(0))
	}
	e := FromEdges(0, nil, nil, nil)
	if e.NumNodes() != 0 || e.NumEdges() != 0 || e.Validate() != nil {
		t.Errorf("empty graph: %d nodes %d edges", e.NumNodes(), e.NumEdges())
	}
	var nilG *CSR
	if nilG.NumNodes() != 0 {
		t.Error("nil graph has nodes")
	}
}

func TestFromEdgesPanicsOnCallerBugs(t *testing.T) {
	for name, f := range map[string]func(){
		"id out of range": func() { FromEdges(2, []uint32{0}, []uint32{2}, nil) },
		"length mismatch": func() { FromEdges(2, []uint32{0}, []uint32{1, 0}, nil) },
		"weights length":  func() { FromEdges(2, []uint32{0}, []uint32{1}, []float64{1, 2}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestValidateRejectsBrokenGraphs(t *testing.T) {
	for name, g := range map[string]*CSR{
		"offset start": {Offsets: []uint32{1, 1}, Targets: []uint32{}, Weights: []float64{}},
		"decreasing":   {Offsets: []uint32{0, 2, 1}, Targets: []uint32{1, 0}, Weights: []float64{1, 1}},
		"end":          {Offsets: []uint32{0, 1, 1}, Targets: []uint32{1, 0}, Weights: []float64{1, 1}},
		"target":       {Offsets: []uint32{0, 1, 2}, Targets: []uint32{5, 0}, Weights: []float64{1, 1}},
		"weight":       {Offsets: []uint32{0, 1, 2}, Targets: []uint32{1, 0}, Weights: []float64{0, 1}},
		"lengths":      {Offsets: []uint32{0, 1, 2}, Targets: []uint32{1, 0}, Weights: []float64{1}},
	} {
		if err := g.Validate(); !errors.Is(err, ErrInvalidGraph) {
			t.Errorf("%s: Validate() = %v, want ErrInvalidGraph", name, err)
		}
	}
}
