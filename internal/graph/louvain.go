package graph

// Louvain partitions g by the multilevel modularity heuristic of Blondel et
// al. (2008): on each level every node, visited in a seeded random order
// (reshuffled every sweep), moves to the neighbouring community with the
// largest modularity gain until a sweep gains less than opts.Tolerance; the
// communities then become the nodes of an aggregated graph, and this
// repeats until a level moves nothing.
//
// Louvain communities can be internally disconnected; use Leiden when that
// matters. The result is deterministic for a given opts.Seed.
func Louvain(g *CSR, opts Options) Result {
	opts = opts.withDefaults()
	n := g.NumNodes()
	if n == 0 {
		return Result{Membership: []uint32{}}
	}
	sweeps := opts.MaxIter
	if sweeps <= 0 {
		sweeps = defaultLouvainSweeps
	}
	s := newMover(n, opts.Resolution, opts.Seed)
	nodeMap := identity(nil, n) // input node → node of the current level
	comm := make([]uint32, n)
	cur := g
	levels := 0
	for level := 0; level < opts.MaxLevels; level++ {
		cn := cur.NumNodes()
		comm = identity(comm, cn)
		s.setup(cur, comm)
		if s.m2 == 0 {
			break
		}
		moved := false
		for range sweeps {
			order := s.shuffle(cn) // a new random order every sweep, as gonum does
			var gain float64
			moves := 0
			for _, i := range order {
				if ok, d := s.moveNode(cur, comm, i); ok {
					moves++
					gain += d
				}
			}
			if moves == 0 {
				break
			}
			moved = true
			if 2*gain/s.m2 < opts.Tolerance {
				break
			}
		}
		if !moved {
			break
		}
		levels++
		dense, k := denseLabels(comm, comm)
		for v, x := range nodeMap {
			nodeMap[v] = dense[x]
		}
		if k == cn || level+1 == opts.MaxLevels {
			break
		}
		cur = s.aggregate(cur, dense, k)
	}
	return finish(g, nodeMap, opts.Resolution, levels)
}
