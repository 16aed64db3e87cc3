package coord

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chorus-osint/chorus/internal/model"
)

func TestTrussGroups(t *testing.T) {
	// K4 on 0-3 with a pendant 3-4; triangle 5-6-7 joined to the K4 by
	// 2-5 (in no triangle); path 8-9-10.
	edges := [][2]int32{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}, {3, 4}, {5, 6}, {6, 7}, {5, 7}, {2, 5}, {8, 9}, {9, 10}}
	g3 := trussGroups(11, edges, 3)
	if len(g3) != 2 || !slices.Equal(g3[0].nodes, []int32{0, 1, 2, 3}) || len(g3[0].edges) != 6 || !slices.Equal(g3[1].nodes, []int32{5, 6, 7}) {
		t.Fatalf("3-truss: %+v", g3)
	}
	g4 := trussGroups(11, edges, 4)
	if len(g4) != 1 || !slices.Equal(g4[0].nodes, []int32{0, 1, 2, 3}) {
		t.Fatalf("4-truss: %+v", g4)
	}
	// Peeling cascades: a chain of triangles sharing edges survives k=3,
	// but a "bowtie" hub with one extra spoke loses only the spoke.
	if g := trussGroups(5, [][2]int32{{0, 1}, {1, 2}, {0, 2}, {2, 3}, {3, 4}, {2, 4}}, 3); len(g) != 1 || len(g[0].nodes) != 5 {
		t.Fatalf("bowtie: %+v", g)
	}
	if g := trussGroups(5, [][2]int32{{0, 1}, {1, 2}, {0, 2}, {2, 3}, {3, 4}, {2, 4}}, 4); len(g) != 0 {
		t.Fatalf("bowtie 4-truss should be empty: %+v", g)
	}
}

func TestRewireKeepsDegrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	edges := randomGraph(rng, 300, 900, 5)
	deg := func(es [][2]int32) []int {
		d := make([]int, 300)
		for _, e := range es {
			d[e[0]]++
			d[e[1]]++
		}
		return d
	}
	before := deg(edges)
	w := slices.Clone(edges)
	rewire(w, 5*len(w), rng)
	if !slices.Equal(deg(w), before) {
		t.Fatal("rewiring changed a degree")
	}
	seen := map[[2]int32]bool{}
	moved := 0
	orig := map[[2]int32]bool{}
	for _, e := range edges {
		orig[norm(e)] = true
	}
	for _, e := range w {
		if e[0] == e[1] {
			t.Fatalf("self-loop %v", e)
		}
		if seen[norm(e)] {
			t.Fatalf("duplicate tie %v", e)
		}
		seen[norm(e)] = true
		if !orig[norm(e)] {
			moved++
		}
	}
	if moved < len(w)/2 {
		t.Fatalf("only %d of %d ties moved: not mixed", moved, len(w))
	}
}

func norm(e [2]int32) [2]int32 {
	if e[0] > e[1] {
		e[0], e[1] = e[1], e[0]
	}
	return e
}

// randomGraph draws m distinct ties on n nodes, node i weighted so that a
// few hubs (the first hubs nodes) hold many ties, as busy accounts do.
func randomGraph(rng *rand.Rand, n, m, hubs int) [][2]int32 {
	pick := func() int32 {
		if rng.IntN(4) == 0 {
			return int32(rng.IntN(hubs))
		}
		return int32(rng.IntN(n))
	}
	seen := map[[2]int32]bool{}
	var out [][2]int32
	for len(out) < m {
		e := norm([2]int32{pick(), pick()})
		if e[0] == e[1] || seen[e] {
			continue
		}
		seen[e] = true
		out = append(out, e)
	}
	return out
}

// groupLayer builds a layer whose suggestive ties are edges (P 1e-5, not
// significant), plus a significant edge and a non-suggestive one that the
// test must ignore.
func groupLayer(edges [][2]int32) *LayerResult {
	lr := &LayerResult{Layer: model.LayerNearText}
	for _, e := range edges {
		e = norm(e)
		lr.Edges = append(lr.Edges, model.Edge{A: uint32(e[0]), B: uint32(e[1]), Layer: model.LayerNearText, P: 1e-5, Q: 0.3})
	}
	lr.Edges = append(lr.Edges, model.Edge{A: 5000, B: 5001, P: 1e-9, Q: 0.001}, model.Edge{A: 5002, B: 5003, P: 0.2, Q: 1})
	slices.SortFunc(lr.Edges, func(x, y model.Edge) int {
		if x.A != y.A {
			return int(x.A) - int(y.A)
		}
		return int(x.B) - int(y.B)
	})
	return lr
}

func testGroupParams() GroupParams {
	return GroupParams{P: 1e-4, Truss: 3, MinAccounts: 4, Resamples: 99, Alpha: 0.05, Seed: 1, Workers: 2}
}

// A planted group (12 accounts, 60 % of their pairs suggestive) among
// chance ties with hubs is found whole; the chance ties are not.
func TestGroupTestFindsPlantedGroup(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	edges := randomGraph(rng, 2000, 1500, 20)
	seen := map[[2]int32]bool{}
	for _, e := range edges {
		seen[e] = true
	}
	var planted []uint32
	for i := range 12 {
		planted = append(planted, uint32(3000+i))
	}
	for i := range planted {
		for j := i + 1; j < len(planted); j++ {
			if rng.Float64() < 0.6 {
				edges = append(edges, [2]int32{int32(planted[i]), int32(planted[j])})
			}
		}
	}
	lr := groupLayer(edges)
	res := &Result{Layers: []LayerResult{*lr}}
	TestGroups(context.Background(), res, testGroupParams())
	gt := res.Layers[0].Groups
	if gt == nil || gt.Suggestive != len(edges) {
		t.Fatalf("group test: %+v, want %d suggestive ties", gt, len(edges))
	}
	var found []uint32
	for _, g := range gt.Groups {
		if g.Significant {
			found = append(found, g.Accounts...)
		}
	}
	if !slices.Equal(found, planted) {
		t.Fatalf("significant group accounts %v, want the planted %v (null best %v)", found, planted, gt.NullBest)
	}
	ge := res.Layers[0].GroupEdges()
	for ei := range ge {
		e := res.Layers[0].Edges[ei]
		if e.A < 3000 || e.B < 3000 {
			t.Fatalf("group edge %d-%d outside the planted group", e.A, e.B)
		}
	}
	if len(ge) == 0 {
		t.Fatal("no group edges")
	}
}

// Calibration: on graphs of chance ties alone (hubs included) a group is
// significant in about alpha of the layers, not more — whether the chance
// ties arise per pair from each account's propensity (randomGraph) or are
// uniform among graphs with the same numbers of ties (the same graphs
// thoroughly rewired).
func TestGroupTestCalibrated(t *testing.T) {
	for _, uniform := range []bool{false, true} {
		hits := chanceLayerHits(t, 60, uniform)
		// alpha 0.05 over 60 layers: 3 expected; 9 or more has
		// probability below 0.5 % under a calibrated test.
		if hits > 8 {
			t.Errorf("uniform=%v: %d of 60 chance-only layers had a significant group", uniform, hits)
		}
	}
}

func chanceLayerHits(t *testing.T, layers int, uniform bool) int {
	hits := 0
	for s := range layers {
		rng := rand.New(rand.NewPCG(uint64(s), 99))
		g := randomGraph(rng, 1500, 1800, 15)
		if uniform {
			rewire(g, 50*len(g), rng)
		}
		lr := groupLayer(g)
		res := &Result{Layers: []LayerResult{*lr}}
		gp := testGroupParams()
		gp.Seed = uint64(s)
		TestGroups(context.Background(), res, gp)
		for _, g := range res.Layers[0].Groups.Groups {
			if g.Significant {
				hits++
				break
			}
		}
	}
	return hits
}

func TestGroupTestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	edges := randomGraph(rng, 800, 1200, 10)
	run := func(workers int) *GroupTest {
		res := &Result{Layers: []LayerResult{*groupLayer(edges)}}
		gp := testGroupParams()
		gp.Workers = workers
		TestGroups(context.Background(), res, gp)
		return res.Layers[0].Groups
	}
	a, b := run(1), run(3)
	if a.NullBest[0] == 0 {
		t.Fatal("no resample had a group: the comparison below would compare nothing")
	}
	if !slices.Equal(a.NullBest, b.NullBest) || len(a.Groups) != len(b.Groups) {
		t.Fatalf("worker count changed the null: %v vs %v", a.NullBest, b.NullBest)
	}
	for i := range a.Groups {
		if a.Groups[i].P != b.Groups[i].P || !slices.Equal(a.Groups[i].Accounts, b.Groups[i].Accounts) {
			t.Fatalf("group %d differs", i)
		}
	}
}

func TestGroupTestBoundsEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	lr := groupLayer(randomGraph(rng, 500, 400, 5))
	for i := range lr.Edges {
		if lr.Edges[i].Q > 0.05 && lr.Edges[i].P < 0.1 {
			lr.Edges[i].P = float64(i+1) * 1e-7
		}
	}
	res := &Result{Layers: []LayerResult{*lr}}
	gp := testGroupParams()
	gp.MaxEdges = 100
	TestGroups(context.Background(), res, gp)
	gt := res.Layers[0].Groups
	if gt.Suggestive != 100 || gt.Dropped != 300 {
		t.Fatalf("suggestive %d dropped %d, want 100 and 300", gt.Suggestive, gt.Dropped)
	}
}

func BenchmarkGroupTest(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	lr := groupLayer(randomGraph(rng, 20000, 20000, 50))
	gp := testGroupParams()
	for b.Loop() {
		res := &Result{Layers: []LayerResult{*lr}}
		TestGroups(context.Background(), res, gp)
	}
}

// rewire (a test helper: it makes chance graphs uniform given their
// numbers of ties) applies up to swaps double-edge swaps to the simple graph edges in
// place: (a,b),(c,d) become (a,d),(c,b), or (a,c),(b,d), when that creates
// no self-loop and no duplicate tie. Every node keeps its degree.
func rewire(edges [][2]int32, swaps int, rng *rand.Rand) {
	m := len(edges)
	if m < 2 {
		return
	}
	key := func(u, v int32) uint64 {
		if u > v {
			u, v = v, u
		}
		return uint64(u)<<32 | uint64(uint32(v))
	}
	set := make(map[uint64]struct{}, m)
	for _, e := range edges {
		set[key(e[0], e[1])] = struct{}{}
	}
	for range swaps {
		i, j := rng.IntN(m), rng.IntN(m)
		if i == j {
			continue
		}
		a, b := edges[i][0], edges[i][1]
		c, d := edges[j][0], edges[j][1]
		if rng.IntN(2) == 0 {
			c, d = d, c
		}
		// (a,b),(c,d) -> (a,d),(c,b)
		if a == d || c == b {
			continue
		}
		k1, k2 := key(a, d), key(c, b)
		if k1 == k2 {
			continue
		}
		if _, ok := set[k1]; ok {
			continue
		}
		if _, ok := set[k2]; ok {
			continue
		}
		delete(set, key(a, b))
		delete(set, key(c, d))
		set[k1], set[k2] = struct{}{}, struct{}{}
		edges[i] = [2]int32{a, d}
		edges[j] = [2]int32{c, b}
	}
}

// A lone triangle is a candidate group only when MinAccounts allows three.
func TestGroupTestMinAccounts(t *testing.T) {
	edges := [][2]int32{{1, 2}, {2, 3}, {1, 3}, {10, 11}, {11, 12}}
	for _, minAcc := range []int{3, 4} {
		res := &Result{Layers: []LayerResult{*groupLayer(edges)}}
		gp := testGroupParams()
		gp.MinAccounts = minAcc
		TestGroups(context.Background(), res, gp)
		n := len(res.Layers[0].Groups.Groups)
		if want := map[int]int{3: 1, 4: 0}[minAcc]; n != want {
			t.Errorf("MinAccounts %d: %d candidate groups, want %d", minAcc, n, want)
		}
	}
}
