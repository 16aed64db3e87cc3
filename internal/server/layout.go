package server

import (
	"math"
	"sort"
)

// Graph is a cluster's network with precomputed positions in [0,1]², so
// that the dashboard only draws (smooth at thousands of nodes).
type Graph struct {
	Cluster   int         `json:"cluster"`
	Nodes     []GraphNode `json:"nodes"`
	Edges     []GraphEdge `json:"edges"`
	Truncated int         `json:"nodes_left_out"`
}

// GraphNode is an account of the graph.
type GraphNode struct {
	ID     string  `json:"id"`
	Handle string  `json:"handle"`
	Degree float64 `json:"degree"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
}

// GraphEdge joins nodes S and T (indexes into Nodes), over one or more
// layers; W is the summed weight.
type GraphEdge struct {
	S      int      `json:"s"`
	T      int      `json:"t"`
	W      float64  `json:"w"`
	Layers []string `json:"layers"`
}

// maxGraphNodes bounds a drawn network; the highest-degree accounts are
// kept.
const maxGraphNodes = 5000

// clusterGraph builds (once per run and cluster) the graph of cluster id.
func (d *runData) clusterGraph(id int) (*Graph, error) {
	if g, ok := d.layouts.Load(id); ok {
		return g.(*Graph), nil
	}
	cl, err := d.clusterByID(id)
	if err != nil {
		return nil, err
	}
	degree := map[string]float64{}
	for _, a := range d.res.Accounts {
		degree[a.ID] = a.Degree
	}
	members := append([]string(nil), cl.Accounts...)
	g := &Graph{Cluster: id}
	if len(members) > maxGraphNodes {
		sort.SliceStable(members, func(i, j int) bool { return degree[members[i]] > degree[members[j]] })
		g.Truncated = len(members) - maxGraphNodes
		members = members[:maxGraphNodes]
	}
	index := make(map[string]int, len(members))
	handles := make(map[string]string, len(cl.Accounts))
	for i, a := range cl.Accounts {
		if i < len(cl.Handles) {
			handles[a] = cl.Handles[i]
		}
	}
	for i, a := range members {
		index[a] = i
		g.Nodes = append(g.Nodes, GraphNode{ID: a, Handle: handles[a], Degree: degree[a]})
	}
	pairs := map[[2]int]int{}
	for _, a := range members {
		for _, ei := range d.byAcct[a] {
			e := &d.edges[ei]
			s, ok1 := index[e.Source]
			t, ok2 := index[e.Target]
			if !ok1 || !ok2 || s == t || e.Source != a {
				continue
			}
			if s > t {
				s, t = t, s
			}
			k := [2]int{s, t}
			if j, ok := pairs[k]; ok {
				g.Edges[j].W += e.Weight
				g.Edges[j].Layers = append(g.Edges[j].Layers, e.Layer)
				continue
			}
			pairs[k] = len(g.Edges)
			g.Edges = append(g.Edges, GraphEdge{S: s, T: t, W: e.Weight, Layers: []string{e.Layer}})
		}
	}
	layout(g, 1)
	actual, _ := d.layouts.LoadOrStore(id, g)
	return actual.(*Graph), nil
}

// layout places the nodes with a Fruchterman–Reingold force layout:
// springs along edges, and repulsion between all nodes approximated with
// a Barnes–Hut quadtree (O(n log n) per step), from deterministic
// pseudo-random starting positions; then it scales the positions into
// [0,1]².
func layout(g *Graph, seed uint64) {
	n := len(g.Nodes)
	if n == 0 {
		return
	}
	x := make([]float64, n)
	y := make([]float64, n)
	side := math.Sqrt(float64(n)) * 2
	st := seed*0x9e3779b97f4a7c15 + 1
	rnd := func() float64 {
		st += 0x9e3779b97f4a7c15
		z := st
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return float64((z^(z>>31))>>11) / (1 << 53)
	}
	for i := range n {
		x[i], y[i] = rnd()*side, rnd()*side
	}
	if n > 1 {
		const k = 1.0 // ideal edge length
		dx := make([]float64, n)
		dy := make([]float64, n)
		iters := 300
		switch {
		case n > 2000:
			iters = 80
		case n > 500:
			iters = 150
		}
		temp := side / 4
		cool := math.Pow(0.01/temp, 1/float64(iters))
		var qt quadtree
		for it := 0; it < iters; it++ {
			clear(dx)
			clear(dy)
			qt.build(x, y)
			for i := range n {
				fx, fy := qt.repulse(i, x[i], y[i], k*k)
				dx[i] += fx
				dy[i] += fy
			}
			for _, e := range g.Edges {
				ddx, ddy := x[e.S]-x[e.T], y[e.S]-y[e.T]
				d := math.Sqrt(ddx*ddx+ddy*ddy) + 1e-9
				f := d / k
				dx[e.S] -= ddx * f
				dy[e.S] -= ddy * f
				dx[e.T] += ddx * f
				dy[e.T] += ddy * f
			}
			cx, cy := side/2, side/2
			for i := range n {
				// Gentle gravity keeps disconnected parts in view.
				dx[i] -= 0.02 * (x[i] - cx)
				dy[i] -= 0.02 * (y[i] - cy)
				d := math.Sqrt(dx[i]*dx[i]+dy[i]*dy[i]) + 1e-9
				step := math.Min(d, temp)
				x[i] += dx[i] / d * step
				y[i] += dy[i] / d * step
			}
			temp *= cool
		}
	}
	minX, maxX, minY, maxY := x[0], x[0], y[0], y[0]
	for i := range n {
		minX, maxX = math.Min(minX, x[i]), math.Max(maxX, x[i])
		minY, maxY = math.Min(minY, y[i]), math.Max(maxY, y[i])
	}
	span := math.Max(maxX-minX, maxY-minY)
	if span == 0 {
		span = 1
	}
	for i := range n {
		g.Nodes[i].X = round4(0.05 + 0.9*(x[i]-minX)/span)
		g.Nodes[i].Y = round4(0.05 + 0.9*(y[i]-minY)/span)
	}
}

// quadtree is a Barnes–Hut tree over the current positions, rebuilt every
// step into the same arena.
type quadtree struct {
	nodes []quad
}

type quad struct {
	x0, y0, size float64
	m, sx, sy    float64 // mass and mass-weighted position sums
	body         int32   // the single body of a leaf; -1 when none or internal
	kids         [4]int32
	leaf         bool
}

// theta is the Barnes–Hut opening criterion (size/distance).
const theta = 0.9

func (q *quadtree) build(x, y []float64) {
	minX, maxX, minY, maxY := x[0], x[0], y[0], y[0]
	for i := range x {
		minX, maxX = math.Min(minX, x[i]), math.Max(maxX, x[i])
		minY, maxY = math.Min(minY, y[i]), math.Max(maxY, y[i])
	}
	size := math.Max(maxX-minX, maxY-minY) + 1e-6
	q.nodes = append(q.nodes[:0], quad{x0: minX, y0: minY, size: size, body: -1, leaf: true, kids: [4]int32{-1, -1, -1, -1}})
	for i := range x {
		q.insert(0, int32(i), x, y, 0)
	}
}

func (q *quadtree) child(ni int32, px, py float64) int32 {
	nd := &q.nodes[ni]
	h := nd.size / 2
	c := 0
	x0, y0 := nd.x0, nd.y0
	if px >= nd.x0+h {
		c |= 1
		x0 += h
	}
	if py >= nd.y0+h {
		c |= 2
		y0 += h
	}
	if nd.kids[c] < 0 {
		q.nodes = append(q.nodes, quad{x0: x0, y0: y0, size: h, body: -1, leaf: true, kids: [4]int32{-1, -1, -1, -1}})
		q.nodes[ni].kids[c] = int32(len(q.nodes) - 1)
	}
	return q.nodes[ni].kids[c]
}

func (q *quadtree) insert(ni, b int32, x, y []float64, depth int) {
	for {
		nd := &q.nodes[ni]
		nd.m++
		nd.sx += x[b]
		nd.sy += y[b]
		if nd.leaf {
			if nd.m == 1 {
				nd.body = b
				return
			}
			if depth > 40 {
				return // coincident points: keep them as one mass
			}
			// Split: push the resident body down.
			old := nd.body
			nd.leaf, nd.body = false, -1
			if old >= 0 {
				c := q.child(ni, x[old], y[old])
				q.insertLeaf(c, old, x, y)
			}
		}
		ni = q.child(ni, x[b], y[b])
		depth++
	}
}

// insertLeaf puts body b into the empty node c.
func (q *quadtree) insertLeaf(c, b int32, x, y []float64) {
	nd := &q.nodes[c]
	nd.m, nd.sx, nd.sy, nd.body = 1, x[b], y[b], b
}

// repulse returns the repulsive force on body i at (px, py): k2/d per unit
// of mass, along the direction away from each (approximated) mass.
func (q *quadtree) repulse(i int, px, py, k2 float64) (fx, fy float64) {
	var stack [128]int32
	sp := 0
	stack[sp] = 0
	sp++
	for sp > 0 {
		sp--
		nd := &q.nodes[stack[sp]]
		if nd.m == 0 || (nd.leaf && nd.body == int32(i) && nd.m == 1) {
			continue
		}
		cx, cy := nd.sx/nd.m, nd.sy/nd.m
		ddx, ddy := px-cx, py-cy
		d2 := ddx*ddx + ddy*ddy
		if nd.leaf || nd.size*nd.size < theta*theta*d2 || sp > len(stack)-5 {
			m := nd.m
			if nd.leaf && nd.body == int32(i) {
				m-- // coincident bodies sharing i's leaf
			}
			if d2 < 1e-9 {
				ddx, ddy, d2 = 0.01*float64(i%7-3)+0.001, 0.01*float64(i%5-2)+0.001, 1e-4
			}
			f := k2 * m / d2
			fx += ddx * f
			fy += ddy * f
			continue
		}
		for _, c := range nd.kids {
			if c >= 0 {
				stack[sp] = c
				sp++
			}
		}
	}
	return fx, fy
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }
