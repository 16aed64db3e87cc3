package server

import (
	"fmt"
	"math"
	"testing"
)

// plantedGraph is two dense groups of n accounts joined by one edge.
func plantedGraph(n int) *Graph {
	g := &Graph{}
	for i := range 2 * n {
		g.Nodes = append(g.Nodes, GraphNode{ID: fmt.Sprint(i), Degree: 1})
	}
	for grp := range 2 {
		for i := range n {
			for k := 1; k <= 3; k++ {
				g.Edges = append(g.Edges, GraphEdge{S: grp*n + i, T: grp*n + (i+k)%n, W: 1})
			}
		}
	}
	g.Edges = append(g.Edges, GraphEdge{S: 0, T: n, W: 1})
	return g
}

// TestLayoutSeparatesGroups: the force layout puts two planted groups
// apart (mean within-group distance well below the between-group one),
// inside [0,1]², deterministically.
func TestLayoutSeparatesGroups(t *testing.T) {
	const n = 60
	g := plantedGraph(n)
	layout(g, 1)
	var within, between float64
	var nw, nb int
	for i := range g.Nodes {
		a := g.Nodes[i]
		if a.X < 0 || a.X > 1 || a.Y < 0 || a.Y > 1 {
			t.Fatalf("node %d at (%v,%v)", i, a.X, a.Y)
		}
		for j := i + 1; j < len(g.Nodes); j++ {
			b := g.Nodes[j]
			d := math.Hypot(a.X-b.X, a.Y-b.Y)
			if (i < n) == (j < n) {
				within += d
				nw++
			} else {
				between += d
				nb++
			}
		}
	}
	within /= float64(nw)
	between /= float64(nb)
	if within*1.5 > between {
		t.Errorf("mean distance within groups %.3f, between %.3f: groups not separated", within, between)
	}
	g2 := plantedGraph(n)
	layout(g2, 1)
	for i := range g.Nodes {
		if g.Nodes[i] != g2.Nodes[i] {
			t.Fatal("layout is not deterministic")
		}
	}
}

// BenchmarkLayout5000 lays out a 5,000-account cluster (the most drawn).
func BenchmarkLayout5000(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		layout(plantedGraph(2500), 1)
	}
}
