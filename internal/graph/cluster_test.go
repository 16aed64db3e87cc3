package graph

import (
	"math"
	"slices"
	"testing"
)

var algorithms = []struct {
	name string
	run  func(*CSR, Options) Result
}{
	{"louvain", Louvain},
	{"leiden", Leiden},
}

// checkResult asserts the invariants every Result must satisfy.
func checkResult(t *testing.T, g *CSR, r Result, gamma float64) {
	t.Helper()
	if len(r.Membership) != g.NumNodes() {
		t.Fatalf("membership has %d entries for %d nodes", len(r.Membership), g.NumNodes())
	}
	checkStableLabels(t, r.Membership)
	if g.NumNodes() > 0 && int(slices.Max(r.Membership))+1 != r.Communities {
		t.Fatalf("Communities = %d but max label %d", r.Communities, slices.Max(r.Membership))
	}
	if q := Modularity(g, r.Membership, gamma); math.Abs(q-r.Modularity) > 1e-12 {
		t.Fatalf("Result.Modularity %v, Modularity() %v", r.Modularity, q)
	}
}

// checkStableLabels: labels are 0..k-1, sizes never increase with the
// label, and equal sizes are ordered by smallest member.
func checkStableLabels(t *testing.T, m []uint32) {
	t.Helper()
	if len(m) == 0 {
		return
	}
	k := int(slices.Max(m)) + 1
	size := make([]int, k)
	first := make([]int, k)
	for i := range first {
		first[i] = -1
	}
	for v, c := range m {
		size[c]++
		if first[c] < 0 {
			first[c] = v
		}
	}
	for c := range k {
		if size[c] == 0 {
			t.Fatalf("label %d unused (labels not dense)", c)
		}
		if c > 0 && (size[c] > size[c-1] || (size[c] == size[c-1] && first[c] < first[c-1])) {
			t.Fatalf("labels %d and %d out of order: sizes %d,%d first %d,%d", c-1, c, size[c-1], size[c], first[c-1], first[c])
		}
	}
}

// disconnectedCommunities counts the communities whose induced subgraph is
// not connected.
func disconnectedCommunities(g *CSR, m []uint32) int {
	n := g.NumNodes()
	seen := make([]bool, n)
	done := map[uint32]bool{}
	bad := 0
	for s := range n {
		c := m[s]
		if done[c] {
			if !seen[s] {
				bad++
				// Mark this piece so the community is counted once.
				done[c] = true
				markPiece(g, m, seen, uint32(s))
			}
			continue
		}
		done[c] = true
		markPiece(g, m, seen, uint32(s))
	}
	return bad
}

func markPiece(g *CSR, m []uint32, seen []bool, s uint32) {
	stack := []uint32{s}
	seen[s] = true
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, j := range g.Targets[g.Offsets[v]:g.Offsets[v+1]] {
			if !seen[j] && m[j] == m[v] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
}

func TestEdgeCases(t *testing.T) {
	for _, alg := range algorithms {
		t.Run(alg.name, func(t *testing.T) {
			empty := alg.run(FromEdges(0, nil, nil, nil), Options{})
			if len(empty.Membership) != 0 || empty.Modularity != 0 || empty.Communities != 0 {
				t.Errorf("empty graph: %+v", empty)
			}
			var nilGraph *CSR
			if r := alg.run(nilGraph, Options{}); len(r.Membership) != 0 {
				t.Errorf("nil graph: %+v", r)
			}

			one := alg.run(FromEdges(1, nil, nil, nil), Options{})
			if !slices.Equal(one.Membership, []uint32{0}) || one.Modularity != 0 {
				t.Errorf("single node: %+v", one)
			}

			// No edges at all: every node alone.
			bare := alg.run(FromEdges(4, nil, nil, nil), Options{})
			if !slices.Equal(bare.Membership, []uint32{0, 1, 2, 3}) {
				t.Errorf("edgeless graph: %v", bare.Membership)
			}

			// Triangle 2-4-6 plus isolated nodes 0,1,3,5.
			g := FromEdges(7, []uint32{2, 4, 6}, []uint32{4, 6, 2}, nil)
			r := alg.run(g, Options{})
			checkResult(t, g, r, 1)
			if want := []uint32{1, 2, 0, 3, 0, 4, 0}; !slices.Equal(r.Membership, want) {
				t.Errorf("triangle + isolated: %v, want %v", r.Membership, want)
			}

			// Two disconnected cliques of different sizes: never merged.
			el := edgeList{n: 9}
			for _, c := range [][]uint32{{0, 2, 4, 6, 8}, {1, 3, 5, 7}} {
				for i := range c {
					for j := i + 1; j < len(c); j++ {
						el.src = append(el.src, c[i])
						el.dst = append(el.dst, c[j])
					}
				}
			}
			g = el.csr()
			r = alg.run(g, Options{})
			checkResult(t, g, r, 1)
			if want := []uint32{0, 1, 0, 1, 0, 1, 0, 1, 0}; !slices.Equal(r.Membership, want) {
				t.Errorf("two cliques: %v, want %v", r.Membership, want)
			}
			if !slices.Equal(Components(g), r.Membership) {
				t.Errorf("components %v differ from the clique communities", Components(g))
			}
		})
	}
}

// TestEqualWeightsScaleInvariant: modularity does not depend on the weight
// scale, so a graph with every weight 1 and the same graph with every
// weight 7.25 must give the same partition and modularity.
func TestEqualWeightsScaleInvariant(t *testing.T) {
	el := lfrLike(21, 1500, 9000, 0.3, 20, 80)
	g1 := FromEdges(el.n, el.src, el.dst, nil)
	w := make([]float64, len(el.src))
	for i := range w {
		w[i] = 7.25
	}
	g2 := FromEdges(el.n, el.src, el.dst, w)
	for _, alg := range algorithms {
		r1 := alg.run(g1, Options{Seed: 5})
		r2 := alg.run(g2, Options{Seed: 5})
		if math.Abs(r1.Modularity-r2.Modularity) > 1e-9 {
			t.Errorf("%s: Q %v at weight 1, %v at weight 7.25", alg.name, r1.Modularity, r2.Modularity)
		}
		if ari := AdjustedRandIndex(r1.Membership, r2.Membership); ari != 1 {
			t.Errorf("%s: partitions differ under weight scaling (ARI %v)", alg.name, ari)
		}
	}
}

func TestPlantedPartitionRecovered(t *testing.T) {
	graphs := map[string]edgeList{
		"sbm 8x40":  sbm(31, 8, 40, 0.5, 0.01),
		"sbm 12x25": sbm(32, 12, 25, 0.6, 0.005),
		"sbm 4x100": sbm(34, 4, 100, 0.3, 0.01),
	}
	for name, el := range graphs {
		g := el.csr()
		for _, alg := range algorithms {
			for seed := range uint64(3) {
				r := alg.run(g, Options{Seed: seed})
				checkResult(t, g, r, 1)
				if ari := AdjustedRandIndex(r.Membership, el.truth); ari != 1 {
					t.Errorf("%s %s seed %d: ARI %v with %d communities (Q %.4f, truth Q %.4f)",
						name, alg.name, seed, ari, r.Communities, r.Modularity, Modularity(g, el.truth, 1))
				}
			}
		}
	}
}

// TestLFRLikeNearTruth: on a heavy-tailed LFR-like graph with μ = 0.1 a few
// low-degree nodes have more edges outside their planted community than
// inside, so the planted partition is not exactly the modularity optimum;
// the result must still match it almost exactly and score at least as well.
func TestLFRLikeNearTruth(t *testing.T) {
	el := lfrLike(33, 3000, 30000, 0.1, 60, 150)
	g := el.csr()
	qTruth := Modularity(g, el.truth, 1)
	for _, alg := range algorithms {
		r := alg.run(g, Options{Seed: 1})
		checkResult(t, g, r, 1)
		if ari := AdjustedRandIndex(r.Membership, el.truth); ari < 0.99 || r.Modularity < qTruth-1e-9 {
			t.Errorf("%s: ARI %.4f (want ≥ 0.99), Q %.5f (truth %.5f)", alg.name, ari, r.Modularity, qTruth)
		}
	}
}

// TestResolution uses the ring of 30 five-cliques (Fortunato & Barthélemy
// 2007). Its modularity is 0.87576 with one community per clique and
// 0.88788 with adjacent pairs merged, so at γ = 1 modularity prefers
// merging (the resolution limit); singles win once γ > 1.3636.
func TestResolution(t *testing.T) {
	el := ringOfCliques(30, 5)
	g := el.csr()
	if q := Modularity(g, el.truth, 1); math.Abs(q-(30*(10.0/330-math.Pow(22.0/660, 2)))) > 1e-12 {
		t.Fatalf("ring of cliques Q(truth) = %v", q)
	}
	for _, alg := range algorithms {
		hi := alg.run(g, Options{Resolution: 2, Seed: 1})
		checkResult(t, g, hi, 2)
		if ari := AdjustedRandIndex(hi.Membership, el.truth); ari != 1 {
			t.Errorf("%s γ=2: ARI %v with %d communities, want the 30 cliques", alg.name, ari, hi.Communities)
		}
		mid := alg.run(g, Options{Resolution: 1, Seed: 1})
		checkResult(t, g, mid, 1)
		if mid.Communities >= 30 || mid.Modularity <= Modularity(g, el.truth, 1) {
			t.Errorf("%s γ=1: %d communities, Q %.5f; want cliques merged and Q above the clique partition's",
				alg.name, mid.Communities, mid.Modularity)
		}
		// Every community at γ=1 is a union of whole cliques.
		for v := range g.NumNodes() {
			base := v - v%5
			if mid.Membership[v] != mid.Membership[base] {
				t.Errorf("%s γ=1: clique %d split", alg.name, v/5)
				break
			}
		}
		lo := alg.run(g, Options{Resolution: 0.02, Seed: 1})
		checkResult(t, g, lo, 0.02)
		if lo.Communities > 3 {
			t.Errorf("%s γ=0.02: %d communities, want at most 3", alg.name, lo.Communities)
		}
		if !(lo.Communities < mid.Communities && mid.Communities < hi.Communities) {
			t.Errorf("%s: communities %d, %d, %d at γ = 0.02, 1, 2: not increasing", alg.name, lo.Communities, mid.Communities, hi.Communities)
		}
	}
}

func TestDeterministic(t *testing.T) {
	el := lfrLike(41, 4000, 30000, 0.4, 10, 200)
	g := el.csr()
	for _, alg := range algorithms {
		a := alg.run(g, Options{Seed: 7})
		b := alg.run(g, Options{Seed: 7})
		if !slices.Equal(a.Membership, b.Membership) || a.Modularity != b.Modularity || a.Levels != b.Levels {
			t.Errorf("%s: two runs with seed 7 differ (Q %v vs %v)", alg.name, a.Modularity, b.Modularity)
		}
		c := alg.run(g, Options{Seed: 8})
		checkResult(t, g, c, 1)
		t.Logf("%s: seed 7 Q %.5f k %d levels %d; seed 8 Q %.5f k %d; ARI(7,8) %.3f",
			alg.name, a.Modularity, a.Communities, a.Levels, c.Modularity, c.Communities, AdjustedRandIndex(a.Membership, c.Membership))
	}
}

// TestLeidenCommunitiesConnected checks the guarantee of the refinement
// phase on graphs noisy enough that Louvain does return disconnected
// communities (counted and logged to show the test can fail).
func TestLeidenCommunitiesConnected(t *testing.T) {
	louvainBad := 0
	for seed := range uint64(12) {
		el := lfrLike(100+seed, 600, 2400, 0.6, 5, 60)
		g := el.csr()
		for _, gamma := range []float64{0.5, 1, 2} {
			for s := range uint64(3) {
				r := Leiden(g, Options{Seed: s, Resolution: gamma})
				checkResult(t, g, r, gamma)
				if bad := disconnectedCommunities(g, r.Membership); bad > 0 {
					t.Errorf("graph %d γ=%v seed %d: %d Leiden communities disconnected", seed, gamma, s, bad)
				}
				louvainBad += disconnectedCommunities(g, Louvain(g, Options{Seed: s, Resolution: gamma}).Membership)
			}
		}
	}
	t.Logf("Louvain returned %d disconnected communities on the same runs", louvainBad)
}

func TestStableLabels(t *testing.T) {
	in := []uint32{9, 4, 9, 7, 4, 3, 7, 1 << 31, 1 << 31}
	got, k := StableLabels(in)
	// sizes: 9→2 (first 0), 4→2 (first 1), 7→2 (first 3), 3→1, 1<<31→2 (first 7)
	want := []uint32{0, 1, 0, 2, 1, 4, 2, 3, 3}
	if !slices.Equal(got, want) || k != 5 {
		t.Errorf("StableLabels = %v (k=%d), want %v (k=5)", got, k, want)
	}
	if in[0] != 9 {
		t.Error("StableLabels modified its input")
	}
	dense, k := denseLabels([]uint32{1 << 30, 5, 1 << 30, 2}, nil)
	if !slices.Equal(dense, []uint32{0, 1, 0, 2}) || k != 3 {
		t.Errorf("denseLabels sparse path = %v (k=%d)", dense, k)
	}
}

func TestComponents(t *testing.T) {
	// Path 5-3-1, edge 0-6, isolated 2 and 4.
	g := FromEdges(7, []uint32{5, 3, 0}, []uint32{3, 1, 6}, nil)
	want := []uint32{1, 0, 2, 0, 3, 0, 1}
	if got := Components(g); !slices.Equal(got, want) {
		t.Errorf("Components = %v, want %v", got, want)
	}
	if got := Components(FromEdges(0, nil, nil, nil)); len(got) != 0 {
		t.Errorf("empty: %v", got)
	}
}

func TestOptionsCaps(t *testing.T) {
	el := lfrLike(51, 3000, 20000, 0.3, 10, 200)
	g := el.csr()
	for _, alg := range algorithms {
		full := alg.run(g, Options{Seed: 2})
		one := alg.run(g, Options{Seed: 2, MaxLevels: 1, Passes: 1})
		checkResult(t, g, one, 1)
		if one.Levels > 1 || one.Communities <= full.Communities || one.Modularity > full.Modularity {
			t.Errorf("%s MaxLevels=1: %d levels, %d communities, Q %.4f (full: %d communities, Q %.4f)",
				alg.name, one.Levels, one.Communities, one.Modularity, full.Communities, full.Modularity)
		}
		capped := alg.run(g, Options{Seed: 2, MaxIter: 1})
		checkResult(t, g, capped, 1)
		// Resolution 0 means the default 1.
		def := alg.run(g, Options{Seed: 2, Resolution: 0})
		if !slices.Equal(def.Membership, full.Membership) {
			t.Errorf("%s: Resolution 0 differs from the default", alg.name)
		}
	}
}
