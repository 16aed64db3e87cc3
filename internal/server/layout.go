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

// layout places the nodes with a Fruchterman–Reingold force layout whose
// repulsion only considers nodes in neighbouring grid cells (O(n) per
// iteration instead of O(n²)), from a deterministic sunflower start, then
// scales the positions into [0,1]².
func layout(g *Graph, seed uint64) {
	n := len(g.Nodes)
	if n == 0 {
		return
	}
	x := make([]float64, n)
	y := make([]float64, n)
	golden := math.Pi * (3 - math.Sqrt(5))
	for i := range n {
		r := math.Sqrt(float64(i) + 0.5)
		th := float64(i)*golden + float64(seed)
		x[i], y[i] = r*math.Cos(th), r*math.Sin(th)
	}
	if n > 1 {
		area := float64(n)
		k := math.Sqrt(area / float64(n)) // ideal distance: 1
		dx := make([]float64, n)
		dy := make([]float64, n)
		iters := 150
		if n > 2000 {
			iters = 60
		}
		temp := math.Sqrt(area) / 10
		cell := 2 * k
		grid := map[[2]int][]int{}
		for it := 0; it < iters; it++ {
			clear(dx)
			clear(dy)
			clear(grid)
			for i := range n {
				c := [2]int{int(math.Floor(x[i] / cell)), int(math.Floor(y[i] / cell))}
				grid[c] = append(grid[c], i)
			}
			for c, ids := range grid {
				for ox := -1; ox <= 1; ox++ {
					for oy := -1; oy <= 1; oy++ {
						other := grid[[2]int{c[0] + ox, c[1] + oy}]
						for _, i := range ids {
							for _, j := range other {
								if i == j {
									continue
								}
								ddx, ddy := x[i]-x[j], y[i]-y[j]
								d2 := ddx*ddx + ddy*ddy
								if d2 < 1e-9 {
									ddx, ddy, d2 = 0.01*float64(i-j), 0.01, 1e-4
								}
								f := k * k / d2
								dx[i] += ddx * f
								dy[i] += ddy * f
							}
						}
					}
				}
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
			for i := range n {
				// Gentle gravity keeps disconnected parts in view.
				dx[i] -= 0.05 * x[i]
				dy[i] -= 0.05 * y[i]
				d := math.Sqrt(dx[i]*dx[i]+dy[i]*dy[i]) + 1e-9
				step := math.Min(d, temp)
				x[i] += dx[i] / d * step
				y[i] += dy[i] / d * step
			}
			temp *= 0.96
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

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }
