package graph

import "math"

// Leiden partitions g by the algorithm of Traag, Waltman and van Eck (2019),
// "From Louvain to Leiden: guaranteeing well-connected communities",
// optimising modularity at opts.Resolution. Each level has three phases:
//
//  1. fast local moving: nodes are taken from a queue (initially every node,
//     in seeded random order); a node moves to its best community, and its
//     neighbours outside that community are queued again;
//  2. refinement: inside each community, starting from singletons, a node
//     that is still a singleton and well connected to its community may join
//     a well-connected sub-community it has an edge to, chosen at random with
//     probability ∝ exp(gain/θ) among those with non-negative gain;
//  3. aggregation by the refined sub-communities, each aggregate node
//     starting in the community of phase 1.
//
// Because a node only ever joins a sub-community it has an edge to, every
// sub-community, and therefore every community, is connected. Levels repeat
// until local moving leaves every node alone; the whole algorithm runs
// opts.Passes times, each pass starting from the previous partition.
// The result is deterministic for a given opts.Seed.
func Leiden(g *CSR, opts Options) Result {
	opts = opts.withDefaults()
	n := g.NumNodes()
	if n == 0 {
		return Result{Membership: []uint32{}}
	}
	s := newMover(n, opts.Resolution, opts.Seed)
	// θ in edge-weight units: scaled by the mean edge weight (see Options).
	s.theta = opts.Randomness
	if len(g.Targets) > 0 {
		var sum float64
		for _, w := range g.Weights {
			sum += w
		}
		s.theta *= sum / float64(len(g.Targets))
	}
	membership := identity(nil, n)
	prev := make([]uint32, n)
	levels := 0
	for pass := range opts.Passes {
		copy(prev, membership)
		levels += s.leidenPass(g, membership, opts)
		if pass > 0 && equalPartitions(prev, membership) {
			break
		}
	}
	return finish(g, membership, opts.Resolution, levels)
}

// leidenPass runs the multilevel Leiden algorithm once, starting from the
// partition in membership (labels < n) and overwriting it with the result.
// It returns the number of levels on which local moving changed something.
func (s *mover) leidenPass(g *CSR, membership []uint32, opts Options) int {
	n := g.NumNodes()
	nodeMap := identity(nil, n)
	comm := make([]uint32, n)
	copy(comm, membership)
	cur := g
	levels := 0
	for level := 0; level < opts.MaxLevels; level++ {
		cn := cur.NumNodes()
		s.setup(cur, comm)
		if s.m2 == 0 {
			break
		}
		if s.moveFast(cur, comm, opts.MaxIter) {
			levels++
		}
		dense, k := denseLabels(comm, comm)
		if k == cn || level+1 == opts.MaxLevels {
			break
		}
		rdense, rk := s.refine(cur, dense, k)
		if rk == cn {
			// Refinement merged nothing: aggregating would rebuild the same
			// graph, so the partition cannot improve on further levels.
			break
		}
		next := s.aggregate(cur, rdense, rk)
		// Each aggregate node starts in its community from phase 1.
		nextComm := make([]uint32, rk)
		for v, r := range rdense {
			nextComm[r] = dense[v]
		}
		for v, x := range nodeMap {
			nodeMap[v] = rdense[x]
		}
		cur, comm = next, nextComm
	}
	for v, x := range nodeMap {
		membership[v] = comm[x]
	}
	return levels
}

// moveFast is the queue-based local moving phase. It reports whether any
// node moved.
func (s *mover) moveFast(g *CSR, comm []uint32, maxIter int) bool {
	n := g.NumNodes()
	order := s.shuffle(n)
	s.queue = grow(s.queue, n)
	s.inQueue = grow(s.inQueue, n)
	copy(s.queue, order)
	for i := range s.inQueue {
		s.inQueue[i] = true
	}
	head, count := 0, n
	limit := math.MaxInt
	if maxIter > 0 {
		limit = maxIter * n
	}
	moved := false
	for visits := 0; count > 0 && visits < limit; visits++ {
		i := s.queue[head]
		head++
		if head == n {
			head = 0
		}
		count--
		s.inQueue[i] = false
		ok, _ := s.moveNode(g, comm, i)
		if !ok {
			continue
		}
		moved = true
		c := comm[i]
		for _, j := range g.Targets[g.Offsets[i]:g.Offsets[i+1]] {
			if j != i && !s.inQueue[j] && comm[j] != c {
				tail := head + count
				if tail >= n {
					tail -= n
				}
				s.queue[tail] = j
				s.inQueue[j] = true
				count++
			}
		}
	}
	return moved
}

// refine splits each community of comm (dense, k communities) into
// well-connected sub-communities (phase 2) and returns their dense labels
// and count.
func (s *mover) refine(g *CSR, comm []uint32, k int) ([]uint32, int) {
	n := g.NumNodes()
	s.rcomm = identity(s.rcomm, n)
	s.rtot = grow(s.rtot, n)
	s.rsize = grow(s.rsize, n)
	s.extW = grow(s.extW, n)
	s.wIn = grow(s.wIn, n)
	s.ctot = grow(s.ctot, k)
	clear(s.ctot)
	for i := range n {
		c := comm[i]
		s.ctot[c] += s.k[i]
		var w float64
		for e := g.Offsets[i]; e < g.Offsets[i+1]; e++ {
			if j := g.Targets[e]; j != uint32(i) && comm[j] == c {
				w += g.Weights[e]
			}
		}
		s.wIn[i] = w
		s.extW[i] = w
		s.rtot[i] = s.k[i]
		s.rsize[i] = 1
	}
	gm := s.gamma / s.m2
	neighW := s.neighW
	for _, v := range s.shuffle(n) {
		if s.rsize[s.rcomm[v]] != 1 {
			continue // v has been joined, or has joined another: not a singleton
		}
		c := comm[v]
		kv := s.k[v]
		kc := s.ctot[c]
		if s.wIn[v] < gm*kv*(kc-kv) {
			continue // v is not well connected to its community
		}
		touched := s.touched[:0]
		for e := g.Offsets[v]; e < g.Offsets[v+1]; e++ {
			j := g.Targets[e]
			if j == v || comm[j] != c {
				continue
			}
			r := s.rcomm[j]
			if neighW[r] == 0 {
				touched = append(touched, r)
			}
			neighW[r] += g.Weights[e]
		}
		// Candidates: staying alone (gain 0) and every well-connected
		// sub-community with a non-negative gain.
		own := s.rcomm[v]
		s.cand = append(s.cand[:0], own)
		s.candW = append(s.candW[:0], 0)
		maxGain := 0.0
		for _, r := range touched {
			rt := s.rtot[r]
			if s.extW[r] < gm*rt*(kc-rt) {
				continue
			}
			gain := neighW[r] - gm*kv*rt
			if gain < 0 {
				continue
			}
			s.cand = append(s.cand, r)
			s.candW = append(s.candW, gain)
			maxGain = max(maxGain, gain)
		}
		chosen := own
		if len(s.cand) > 1 {
			chosen = s.pick(maxGain)
		}
		if chosen != own {
			wvr := neighW[chosen]
			s.rtot[chosen] += kv
			s.rsize[chosen]++
			s.rsize[own] = 0
			s.rtot[own] = 0
			s.extW[chosen] += s.wIn[v] - 2*wvr
			s.rcomm[v] = chosen
		}
		for _, r := range touched {
			neighW[r] = 0
		}
		s.touched = touched
	}
	return denseLabels(s.rcomm, s.rcomm)
}

// pick draws one of s.cand with probability ∝ exp((gain − maxGain)/θ); the
// shift by maxGain keeps exp from overflowing without changing the odds.
func (s *mover) pick(maxGain float64) uint32 {
	var sum float64
	for i, gain := range s.candW {
		p := math.Exp((gain - maxGain) / s.theta)
		s.candW[i] = p
		sum += p
	}
	x := s.rng.Float64() * sum
	for i, p := range s.candW {
		x -= p
		if x < 0 {
			return s.cand[i]
		}
	}
	// Rounding left x ≥ 0 after the last subtraction: take the best.
	best := 0
	for i, p := range s.candW {
		if p > s.candW[best] {
			best = i
		}
	}
	return s.cand[best]
}

// equalPartitions reports whether a and b group the nodes identically
// (labels may differ).
func equalPartitions(a, b []uint32) bool {
	da, ka := denseLabels(a, nil)
	db, kb := denseLabels(b, nil)
	if ka != kb {
		return false
	}
	for i := range da {
		if da[i] != db[i] {
			return false
		}
	}
	return true
}
