package coord

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chorus-osint/chorus/internal/model"
)

// memberLayer builds a layer: a significant structure (accounts 0-4, all
// pairs significant), chance weak ties among 3000 accounts (50 hubs), and
// the ties listed in weak (own P 3e-4, not significant).
func memberLayer(rng *rand.Rand, weak [][2]uint32) *LayerResult {
	lr := &LayerResult{Layer: model.LayerNearText}
	add := func(a, b uint32, p, q float64) {
		if a > b {
			a, b = b, a
		}
		lr.Edges = append(lr.Edges, model.Edge{A: a, B: b, Layer: model.LayerNearText, P: p, Q: q})
	}
	for a := uint32(0); a < 5; a++ {
		for b := a + 1; b < 5; b++ {
			add(a, b, 1e-9, 1e-4)
		}
	}
	for _, e := range randomGraph(rng, 3000, 4000, 50) {
		add(uint32(e[0])+100, uint32(e[1])+100, 3e-4, 0.6)
	}
	for _, e := range weak {
		add(e[0], e[1], 3e-4, 0.6)
	}
	slices.SortFunc(lr.Edges, func(x, y model.Edge) int {
		if x.A != y.A {
			return int(x.A) - int(y.A)
		}
		return int(x.B) - int(y.B)
	})
	// chance ties may repeat a listed tie: keep one
	lr.Edges = slices.CompactFunc(lr.Edges, func(x, y model.Edge) bool { return x.A == y.A && x.B == y.B })
	return lr
}

func TestMembersAdmitsWeaklyTiedMember(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	// Account 50 has four weak ties into the structure and nothing else;
	// hub 100 (a busy account among the chance ties) gets two ties into
	// it on top of its many others; account 60 one tie.
	weak := [][2]uint32{{0, 50}, {1, 50}, {2, 50}, {3, 50}, {0, 100}, {4, 100}, {2, 60}}
	res := &Result{Layers: []LayerResult{*memberLayer(rng, weak)}}
	TestMembers(res, 1e-3, 0.05)
	ms := res.Layers[0].Members
	if len(ms) != 1 || ms[0].Account != 50 {
		t.Fatalf("members %+v, want account 50 only", ms)
	}
	m := ms[0]
	if !slices.Equal(m.Core, []uint32{0, 1, 2, 3, 4}) || len(m.Ties) != 4 || m.P*float64(m.Tests) > 0.05 {
		t.Fatalf("member %+v", m)
	}
	for _, i := range m.Ties {
		if e := res.Layers[0].Edges[i]; e.B != 50 {
			t.Fatalf("tie %d-%d is not the member's", e.A, e.B)
		}
	}
	if got := res.Layers[0].Corroborated(); len(got) != 4 || got[m.Ties[0]] != "member" {
		t.Fatalf("corroborated edges %v, want the member's four ties", got)
	}
}

func TestMembersNeedAStructureOfThree(t *testing.T) {
	lr := &LayerResult{Edges: []model.Edge{
		{A: 0, B: 1, P: 1e-9, Q: 1e-4},                               // a lone significant pair
		{A: 0, B: 7, P: 3e-4, Q: 0.6}, {A: 1, B: 7, P: 3e-4, Q: 0.6}, // two weak ties into it
	}}
	res := &Result{Layers: []LayerResult{*lr}}
	TestMembers(res, 1e-3, 0.05)
	if len(res.Layers[0].Members) != 0 {
		t.Fatalf("a two-account structure admitted %+v", res.Layers[0].Members)
	}
}

// The correction counts the hypotheses of every layer (accounts with two
// ties or more times structures): the same member that passes alone fails
// when another layer adds many.
func TestMembersBonferroniAcrossLayers(t *testing.T) {
	weak := [][2]uint32{{0, 50}, {1, 50}}
	one := &Result{Layers: []LayerResult{*memberLayer(rand.New(rand.NewPCG(1, 1)), weak)}}
	TestMembers(one, 1e-3, 0.05)
	if len(one.Layers[0].Members) != 1 {
		t.Fatalf("alone: members %+v, want account 50", one.Layers[0].Members)
	}
	p := one.Layers[0].Members[0].P
	// A second layer with a structure and n chance accounts of two ties
	// each (a cycle): n more hypotheses.
	n := int(0.05/p) + 10
	other := LayerResult{Layer: model.LayerHashtag}
	for a := uint32(0); a < 3; a++ {
		for b := a + 1; b < 3; b++ {
			other.Edges = append(other.Edges, model.Edge{A: a, B: b, P: 1e-9, Q: 1e-4})
		}
	}
	for i := range n {
		a, b := uint32(10+i), uint32(10+(i+1)%n)
		other.Edges = append(other.Edges, model.Edge{A: min(a, b), B: max(a, b), P: 3e-4, Q: 0.6})
	}
	two := &Result{Layers: []LayerResult{*memberLayer(rand.New(rand.NewPCG(1, 1)), weak), other}}
	TestMembers(two, 1e-3, 0.05)
	if len(two.Layers[0].Members) != 0 {
		t.Fatalf("with %d more tests the member still passed: %+v", n, two.Layers[0].Members)
	}
}
