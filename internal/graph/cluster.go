package graph

import (
	"math/rand/v2"
	"slices"
)

// Options tunes Louvain and Leiden. The zero value gives the defaults.
type Options struct {
	// Resolution is γ in the modularity (docs/clusters.md); larger values
	// give more, smaller communities. Zero or negative means 1.
	Resolution float64
	// Seed seeds the PCG generator that shuffles node visiting orders (and
	// draws Leiden's refinement choices). Same seed, same graph → same result.
	Seed uint64
	// MaxLevels caps the number of aggregation levels; 0 means no cap.
	MaxLevels int
	// MaxIter caps the local-moving work on one level. Louvain: the number of
	// sweeps over all nodes (default 100). Leiden: the number of node visits
	// from its queue, as a multiple of the node count (default: no cap; the
	// queue empties by itself because every move must gain).
	MaxIter int
	// Tolerance (Louvain): a level ends when a full sweep gains less
	// modularity than this. Zero or negative means 1e-7.
	Tolerance float64
	// Passes (Leiden): how many times the whole multilevel algorithm runs,
	// each pass starting from the previous partition; it stops early when a
	// pass changes nothing. Zero means 2 (igraph's default n_iterations).
	Passes int
	// Randomness (Leiden): θ of the refinement phase; a node joins a
	// sub-community with probability ∝ exp(gain/(θ·w̄)), gain in edge-weight
	// units and w̄ the input graph's mean edge weight, so the choice does not
	// depend on the weight scale and matches igraph's on unit weights. Zero
	// or negative means 0.01 (the value of Traag et al. and igraph).
	Randomness float64
}

// Result is a partition found by Louvain or Leiden.
type Result struct {
	// Membership[i] is node i's community, numbered 0..Communities-1 by
	// decreasing size, ties broken by the smallest member node id.
	Membership  []uint32
	Communities int
	// Modularity of Membership on the input graph at the requested resolution.
	Modularity float64
	// Levels is the number of graphs (the input and its aggregates) on which
	// local moving changed the partition.
	Levels int
}

const (
	defaultLouvainSweeps = 100
	defaultTolerance     = 1e-7
	defaultPasses        = 2
	defaultRandomness    = 0.01
	noLevelCap           = 1 << 20
	// moveEpsilon: a node moves only if its gain beats staying by more than
	// moveEpsilon·k_i. Rounding in the running community totals is far below
	// this, so float noise cannot make a node oscillate between two equally
	// good communities.
	moveEpsilon = 1e-10
	// pcgStream is the second PCG word; fixed so that Seed alone decides.
	pcgStream = 0x63686f727573 // "chorus"
)

func (o Options) withDefaults() Options {
	if !(o.Resolution > 0) {
		o.Resolution = 1
	}
	if o.MaxLevels <= 0 {
		o.MaxLevels = noLevelCap
	}
	if !(o.Tolerance > 0) {
		o.Tolerance = defaultTolerance
	}
	if o.Passes <= 0 {
		o.Passes = defaultPasses
	}
	if !(o.Randomness > 0) {
		o.Randomness = defaultRandomness
	}
	return o
}

// mover holds the flat working arrays shared by every level of Louvain and
// Leiden; they are sized for the input graph once and reused on aggregates.
type mover struct {
	gamma float64
	theta float64 // Leiden refinement randomness
	rng   *rand.Rand

	k       []float64 // weighted degree of each node on the current level
	m2      float64   // sum of k: twice the total edge weight
	tot     []float64 // total degree of each community
	csize   []uint32  // node count of each community
	empty   []uint32  // stack of community ids with csize 0
	neighW  []float64 // accumulator: weight from the current node to each community
	touched []uint32  // communities with a non-zero accumulator entry
	order   []uint32  // node visiting order

	// Leiden only.
	queue   []uint32
	inQueue []bool
	rcomm   []uint32  // refined community of each node
	rtot    []float64 // total degree of each refined community
	rsize   []uint32
	extW    []float64 // weight from each refined community to the rest of its community
	wIn     []float64 // weight from each node to the rest of its community
	ctot    []float64 // total degree of each (dense) community
	cand    []uint32
	candW   []float64
}

func newMover(n int, gamma float64, seed uint64) *mover {
	return &mover{
		gamma:  gamma,
		rng:    rand.New(rand.NewPCG(seed, pcgStream)),
		k:      make([]float64, n),
		tot:    make([]float64, n),
		csize:  make([]uint32, n),
		neighW: make([]float64, n),
		order:  make([]uint32, n),
	}
}

// setup prepares the community totals for graph g partitioned by comm
// (labels < g.NumNodes()).
func (s *mover) setup(g *CSR, comm []uint32) {
	n := g.NumNodes()
	s.k, s.m2 = g.degrees(s.k)
	s.tot = grow(s.tot, n)
	s.csize = grow(s.csize, n)
	clear(s.tot)
	clear(s.csize)
	for i, c := range comm {
		s.tot[c] += s.k[i]
		s.csize[c]++
	}
	s.empty = s.empty[:0]
	for c := n - 1; c >= 0; c-- {
		if s.csize[c] == 0 {
			s.empty = append(s.empty, uint32(c))
		}
	}
}

// shuffle fills s.order with a seeded random permutation of 0..n-1.
func (s *mover) shuffle(n int) []uint32 {
	s.order = grow(s.order, n)
	for i := range s.order {
		s.order[i] = uint32(i)
	}
	s.rng.Shuffle(n, func(i, j int) { s.order[i], s.order[j] = s.order[j], s.order[i] })
	return s.order
}

// moveNode moves node i to the community that maximises the modularity gain
// (or to an empty community if being alone is best), updating comm and the
// totals. It reports whether i moved and the gain over staying, in edge
// weight units (ΔQ = 2·gain/2m).
func (s *mover) moveNode(g *CSR, comm []uint32, i uint32) (bool, float64) {
	c0 := comm[i]
	ki := s.k[i]
	neighW := s.neighW
	touched := s.touched[:0]
	lo, hi := g.Offsets[i], g.Offsets[i+1]
	ws := g.Weights[lo:hi]
	for e, j := range g.Targets[lo:hi] {
		if j == i {
			continue
		}
		c := comm[j]
		if neighW[c] == 0 {
			touched = append(touched, c)
		}
		neighW[c] += ws[e]
	}
	s.tot[c0] -= ki
	f := s.gamma * ki / s.m2
	stay := neighW[c0] - f*s.tot[c0]
	best, bestGain := c0, stay
	for _, c := range touched {
		if gain := neighW[c] - f*s.tot[c]; gain > bestGain {
			best, bestGain = c, gain
		}
	}
	fromEmpty := false
	if bestGain < 0 && s.csize[c0] > 1 && len(s.empty) > 0 {
		best, bestGain, fromEmpty = s.empty[len(s.empty)-1], 0, true
	}
	for _, c := range touched {
		neighW[c] = 0
	}
	s.touched = touched
	if best == c0 || bestGain <= stay+moveEpsilon*ki {
		s.tot[c0] += ki
		return false, 0
	}
	if fromEmpty {
		s.empty = s.empty[:len(s.empty)-1]
	}
	s.tot[best] += ki
	s.csize[best]++
	s.csize[c0]--
	if s.csize[c0] == 0 {
		s.empty = append(s.empty, c0)
	}
	comm[i] = best
	return true, bestGain - stay
}

// aggregate builds the graph whose nodes are the communities of g under the
// dense labels (0..k-1): the weight between two communities is the sum of
// the entries between their members, and a community's self loop is the sum
// of the entries inside it (both directions), so modularity is preserved.
// Members are grouped by a counting sort; rows are filled with the
// accumulator and touched list, in the order neighbours are first met.
func (s *mover) aggregate(g *CSR, labels []uint32, k int) *CSR {
	n := g.NumNodes()
	start := make([]uint32, k+1)
	for _, c := range labels {
		start[c+1]++
	}
	for c := range k {
		start[c+1] += start[c]
	}
	members := make([]uint32, n)
	next := slices.Clone(start[:k])
	for v, c := range labels {
		members[next[c]] = uint32(v)
		next[c]++
	}
	off := make([]uint32, k+1)
	targets := make([]uint32, 0, len(g.Targets)/4+k)
	weights := make([]float64, 0, len(g.Targets)/4+k)
	neighW := s.neighW
	for c := range k {
		touched := s.touched[:0]
		for _, v := range members[start[c]:start[c+1]] {
			lo, hi := g.Offsets[v], g.Offsets[v+1]
			ws := g.Weights[lo:hi]
			for e, j := range g.Targets[lo:hi] {
				d := labels[j]
				if neighW[d] == 0 {
					touched = append(touched, d)
				}
				neighW[d] += ws[e]
			}
		}
		for _, d := range touched {
			targets = append(targets, d)
			weights = append(weights, neighW[d])
			neighW[d] = 0
		}
		s.touched = touched
		off[c+1] = uint32(len(targets))
	}
	return &CSR{Offsets: off, Targets: targets, Weights: weights}
}

// finish turns the node→community map of the input graph into a Result.
func finish(g *CSR, membership []uint32, gamma float64, levels int) Result {
	labels, k := StableLabels(membership)
	return Result{
		Membership:  labels,
		Communities: k,
		Modularity:  Modularity(g, labels, gamma),
		Levels:      levels,
	}
}

func identity(dst []uint32, n int) []uint32 {
	dst = grow(dst, n)
	for i := range dst {
		dst[i] = uint32(i)
	}
	return dst
}
