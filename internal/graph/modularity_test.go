package graph

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAggregatePreservesModularity checks the self-loop convention: for a
// partition A and any coarser partition B of A's communities, the
// aggregated graph (with self loops) scored under B has the modularity of
// the input graph under B∘A, at every resolution. Clustering the
// aggregated graph directly must also work.
func TestAggregatePreservesModularity(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	el := lfrLike(13, 400, 2000, 0.3, 5, 40)
	g := el.csr()
	n := g.NumNodes()
	a := make([]uint32, n)
	for v := range a {
		a[v] = uint32(rng.IntN(60))
	}
	dense, k := denseLabels(a, nil)
	s := newMover(n, 1, 0)
	agg := s.aggregate(g, dense, k)
	if err := agg.Validate(); err != nil {
		t.Fatal(err)
	}
	if agg.NumNodes() != k {
		t.Fatalf("aggregate has %d nodes, want %d", agg.NumNodes(), k)
	}
	for _, gamma := range []float64{0.5, 1, 3} {
		for trial := range 5 {
			b := make([]uint32, k)
			for c := range b {
				b[c] = uint32(rng.IntN(1 + trial*5))
			}
			ba := make([]uint32, n)
			for v := range ba {
				ba[v] = b[dense[v]]
			}
			q1, q2 := Modularity(agg, b, gamma), Modularity(g, ba, gamma)
			if math.Abs(q1-q2) > 1e-12 {
				t.Errorf("γ=%v trial %d: aggregate Q %.15f, input Q %.15f", gamma, trial, q1, q2)
			}
		}
	}
	// Total weight is preserved, self loops included.
	_, m2a := agg.degrees(nil)
	_, m2g := g.degrees(nil)
	if math.Abs(m2a-m2g) > 1e-9 {
		t.Errorf("2m = %v on the aggregate, %v on the input", m2a, m2g)
	}
	for _, alg := range algorithms {
		r := alg.run(agg, Options{Seed: 1})
		checkResult(t, agg, r, 1)
		if r.Modularity < Modularity(agg, make([]uint32, k), 1) {
			t.Errorf("%s on the aggregate: Q %v below the one-community partition", alg.name, r.Modularity)
		}
	}
}

func TestModularityEdgeCases(t *testing.T) {
	if q := Modularity(FromEdges(0, nil, nil, nil), nil, 1); q != 0 {
		t.Errorf("empty graph Q = %v", q)
	}
	if q := Modularity(FromEdges(3, nil, nil, nil), []uint32{0, 1, 2}, 1); q != 0 {
		t.Errorf("edgeless graph Q = %v", q)
	}
	// One edge, both ends together: Q = 1 - 1 = 0; apart: 0 - 2·(1/2)² = -1/2.
	g := FromEdges(2, []uint32{0}, []uint32{1}, nil)
	if q := Modularity(g, []uint32{3, 3}, 1); q != 0 {
		t.Errorf("together Q = %v", q)
	}
	if q := Modularity(g, []uint32{0, 1}, 1); q != -0.5 {
		t.Errorf("apart Q = %v, want -0.5", q)
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic on a membership of the wrong length")
		}
	}()
	Modularity(g, []uint32{0}, 1)
}
