package report

import (
	"fmt"
	"math"
)

// Network picture geometry.
const (
	netWidth   = 920.0
	netMargin  = 24.0
	netSpacing = 9.0 // distance scale of the sunflower spiral
	golden     = 2.399963229728653
)

// smallGroup: groups up to this size are drawn as a ring.
const smallGroup = 12

func smallRadius(k int) float64 { return 10 + 3*float64(k) }

// netGroup is one cluster's place in the picture.
type netGroup struct {
	Cluster int
	First   int // index of the group's first node in netSample.nodes
	N       int
	CX, CY  float64
	R       float64
}

// layoutNetwork places every node deterministically: nodes are grouped
// by cluster (netSample keeps them ordered largest cluster first, then by
// degree); each group is a ring (up to smallGroup accounts) or a sunflower spiral
// (Vogel's model) with its most connected accounts at the centre, and groups are packed left to right
// in rows (shelf packing). The same input always gives the same picture.
func layoutNetwork(ns *netSample) (xs, ys []float64, groups []netGroup, height float64) {
	n := len(ns.nodes)
	xs, ys = make([]float64, n), make([]float64, n)
	for i := 0; i < n; {
		j := i
		for j < n && ns.nodes[j].Cluster == ns.nodes[i].Cluster {
			j++
		}
		k := j - i
		r := netSpacing*math.Sqrt(float64(k)) + 8
		if k <= smallGroup {
			r = smallRadius(k)
		}
		groups = append(groups, netGroup{Cluster: ns.nodes[i].Cluster, First: i, N: k, R: r})
		i = j
	}
	x, y, rowH := netMargin, netMargin+14, 0.0
	for gi := range groups {
		g := &groups[gi]
		d := 2*g.R + 2*netMargin
		if x+d > netWidth && x > netMargin {
			x, y = netMargin, y+rowH
			rowH = 0
		}
		g.CX, g.CY = x+netMargin+g.R, y+g.R
		x += d
		rowH = math.Max(rowH, d+14)
		for k := 0; k < g.N; k++ {
			rad := netSpacing * math.Sqrt(float64(k)+0.5)
			a := float64(k) * golden
			if g.N <= smallGroup { // a small group reads better as a ring
				rad, a = g.R, 2*math.Pi*float64(k)/float64(g.N)-math.Pi/2
			}
			if g.N == 1 {
				rad = 0
			}
			xs[g.First+k] = g.CX + rad*math.Cos(a)
			ys[g.First+k] = g.CY + rad*math.Sin(a)
		}
	}
	height = y + rowH + netMargin
	return xs, ys, groups, height
}

// chartNetwork draws the sampled significant network, coloured by
// cluster.
func chartNetwork(ns *netSample, info NetworkInfo, pv *privacy) *svgChart {
	c := &svgChart{ID: "chart-network", Title: "Coordination network: accounts (dots) joined by significant co-action, coloured by cluster", W: netWidth}
	if len(ns.nodes) == 0 {
		return c.empty("No significant co-action edges: there is no network to draw.")
	}
	xs, ys, groups, h := layoutNetwork(ns)
	c.H = h
	colour := func(cluster int, rank int) string {
		if cluster < 0 {
			return otherColour
		}
		return paletteAt(rank)
	}
	rank := map[int]int{}
	for gi, g := range groups {
		rank[g.Cluster] = gi
	}
	for _, e := range ns.edges {
		a, b := ns.nodes[e.A], ns.nodes[e.B]
		stroke, op := "#999999", 0.35
		if a.Cluster == b.Cluster && a.Cluster >= 0 {
			stroke, op = colour(a.Cluster, rank[a.Cluster]), 0.45
		}
		c.Lines = append(c.Lines, svgLine{X1: xs[e.A], Y1: ys[e.A], X2: xs[e.B], Y2: ys[e.B], Stroke: stroke, Width: math.Min(0.6+0.4*float64(e.Layers), 2.5), Opacity: op})
	}
	maxDeg := 1.0
	for _, nd := range ns.nodes {
		maxDeg = math.Max(maxDeg, nd.Degree)
	}
	for i, nd := range ns.nodes {
		r := 2.5 + 3.5*math.Sqrt(nd.Degree/maxDeg)
		cl := "no cluster"
		if nd.Cluster >= 0 {
			cl = fmt.Sprintf("cluster C%d", nd.Cluster)
		}
		c.Circles = append(c.Circles, svgCircle{X: xs[i], Y: ys[i], R: r, Fill: colour(nd.Cluster, rank[nd.Cluster]),
			Title: fmt.Sprintf("%s (%s), %s, degree %s", svgLabel(pv.handle(nd.Handle), 40), svgLabel(pv.account(nd.ID), 40), cl, fmtNum(nd.Degree))})
	}
	for gi, g := range groups {
		lab := "no cluster"
		if g.Cluster >= 0 {
			lab = fmt.Sprintf("C%d (%d)", g.Cluster, g.N)
			if full := ns.size[g.Cluster]; full > g.N {
				lab = fmt.Sprintf("C%d (%d of %d)", g.Cluster, g.N, full)
			}
		}
		c.Texts = append(c.Texts, svgText{X: g.CX, Y: g.CY - g.R - 6, Text: lab, Anchor: "middle", Size: 12, Bold: true, Fill: "#222222"})
		if gi < len(palette) || g.Cluster < 0 {
			c.Legend = append(c.Legend, svgLegend{Colour: colour(g.Cluster, gi), Label: lab})
		}
	}
	if len(groups) > len(palette) {
		c.Legend = append(c.Legend, svgLegend{Colour: otherColour, Label: "further clusters (grey, labelled)"})
	}
	c.Desc = fmt.Sprintf("Network of %d accounts in %d groups with %d significant account pairs drawn (of %d accounts and %d pairs in the whole network). Omitted: %s.",
		info.NodesShown, len(groups), info.EdgesShown, info.NodesTotal, info.EdgesTotal, info.Omitted)
	c.Note = fmt.Sprintf("Showing %s of %s accounts and %s of %s significant pairs. Omitted: %s. Layout: %s.",
		fmtInt(info.NodesShown), fmtInt(info.NodesTotal), fmtInt(info.EdgesShown), fmtInt(info.EdgesTotal), info.Omitted, info.Layout)
	return c
}
