package graph

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// edgeList is a synthetic or loaded undirected graph with, where known, the
// planted communities.
type edgeList struct {
	n        int
	src, dst []uint32
	w        []float64
	truth    []uint32
}

func (e edgeList) csr() *CSR { return FromEdges(e.n, e.src, e.dst, e.w) }

// lfrLike builds a deterministic degree-corrected planted-partition graph
// shaped like the LFR benchmark: community sizes from a power law (exponent
// 2) in [minSize, maxSize], node propensities from a power law (exponent
// 2.5) so degrees are heavy-tailed, and a fraction mu of each node's edges
// leaving its community. Node ids are shuffled so communities are not
// contiguous id ranges (as with ids interned in order of appearance).
// Weights are small integers 1..4, like co-action counts.
func lfrLike(seed uint64, n, edges int, mu float64, minSize, maxSize int) edgeList {
	rng := rand.New(rand.NewPCG(seed, 7))
	// Community sizes.
	var sizes []int
	for total := 0; total < n; {
		u := rng.Float64()
		// Inverse CDF of p(s) ∝ s^-2 on [minSize, maxSize].
		a, b := 1/float64(minSize), 1/float64(maxSize)
		s := int(1 / (a - u*(a-b)))
		s = min(max(s, minSize), n-total)
		sizes = append(sizes, s)
		total += s
	}
	perm := rng.Perm(n)
	truth := make([]uint32, n)
	members := make([][]uint32, len(sizes))
	p := 0
	for c, s := range sizes {
		for range s {
			v := uint32(perm[p])
			p++
			truth[v] = uint32(c)
			members[c] = append(members[c], v)
		}
	}
	// Node propensities and cumulative sums, globally and per community.
	prop := make([]float64, n)
	for v := range prop {
		prop[v] = math.Pow(1-rng.Float64(), -1/1.5) // Pareto, tail exponent 2.5
		prop[v] = min(prop[v], 50)
	}
	cumAll := make([]float64, n)
	var acc float64
	for v := range n {
		acc += prop[v]
		cumAll[v] = acc
	}
	cumComm := make([][]float64, len(sizes))
	for c, ms := range members {
		cumComm[c] = make([]float64, len(ms))
		var a float64
		for i, v := range ms {
			a += prop[v]
			cumComm[c][i] = a
		}
	}
	draw := func(cum []float64) int {
		x := rng.Float64() * cum[len(cum)-1]
		i, _ := slices.BinarySearch(cum, x)
		return min(i, len(cum)-1)
	}
	el := edgeList{n: n, truth: truth,
		src: make([]uint32, 0, edges), dst: make([]uint32, 0, edges), w: make([]float64, 0, edges)}
	for len(el.src) < edges {
		u := uint32(draw(cumAll))
		var v uint32
		c := truth[u]
		if rng.Float64() >= mu && len(members[c]) > 1 {
			v = members[c][draw(cumComm[c])]
		} else {
			v = uint32(draw(cumAll))
		}
		if u == v {
			continue
		}
		el.src = append(el.src, u)
		el.dst = append(el.dst, v)
		el.w = append(el.w, float64(1+rng.IntN(4)))
	}
	return el
}

// sbm is a small stochastic block model with k blocks of the given size:
// each pair inside a block is linked with probability pIn, across blocks
// with pOut. Unit weights.
func sbm(seed uint64, k, size int, pIn, pOut float64) edgeList {
	rng := rand.New(rand.NewPCG(seed, 11))
	n := k * size
	el := edgeList{n: n, truth: make([]uint32, n)}
	for v := range n {
		el.truth[v] = uint32(v / size)
	}
	for a := range n {
		for b := a + 1; b < n; b++ {
			p := pOut
			if el.truth[a] == el.truth[b] {
				p = pIn
			}
			if rng.Float64() < p {
				el.src = append(el.src, uint32(a))
				el.dst = append(el.dst, uint32(b))
			}
		}
	}
	return el
}

// ringOfCliques is r cliques of m nodes, clique i joined to clique i+1 (mod
// r) by one edge.
func ringOfCliques(r, m int) edgeList {
	el := edgeList{n: r * m, truth: make([]uint32, r*m)}
	for c := range r {
		base := c * m
		for i := range m {
			el.truth[base+i] = uint32(c)
			for j := i + 1; j < m; j++ {
				el.src = append(el.src, uint32(base+i))
				el.dst = append(el.dst, uint32(base+j))
			}
		}
		el.src = append(el.src, uint32(base))
		el.dst = append(el.dst, uint32(((c+1)%r)*m+1))
	}
	return el
}

// loadKarate reads testdata/karate.txt (Zachary's karate club).
func loadKarate(t testing.TB) edgeList {
	t.Helper()
	f, err := os.Open("testdata/karate.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	el := edgeList{n: 34}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 3 || fs[0] != "e" {
			continue
		}
		a, err1 := strconv.Atoi(fs[1])
		b, err2 := strconv.Atoi(fs[2])
		if err1 != nil || err2 != nil {
			t.Fatalf("bad karate line %q", sc.Text())
		}
		el.src = append(el.src, uint32(a))
		el.dst = append(el.dst, uint32(b))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(el.src) != 78 {
		t.Fatalf("karate: %d edges, want 78", len(el.src))
	}
	return el
}
