package coord

import (
	"cmp"
	"slices"
	"strconv"
)

// Membership test (docs/engine.md, "Corroborated members").
//
// A significant structure of a layer (a connected component of its
// significant ties: pair-significant edges and the ties of significant
// groups) can miss members whose every tie to it is weak: a copypasta
// member that joined only some waves has six ties of weight 2 (own p
// 3e-4) into its group and none significant. Counted together they are not
// weak: an account with d ties in all (own P <= memberP), t of them into a
// structure whose accounts hold D of the layer's 2m tie ends, has under
// chance ties drawn by propensity (the group test's null) about d*D/2m ties
// into it; a Poisson tail of t given that mean, Bonferroni-corrected over
// every (account with two ties or more, structure) pair of every layer,
// decides. Accounts with many ties everywhere (busy, hyperactive) are
// expected to touch structures and need many more ties; a big campaign
// needs more ties than a small group.
// One pass: an account admitted does not admit others. A structure of two
// accounts admits none: a lone significant pair is itself uncorroborated
// (the cluster stage reports it only past a Bonferroni test), and members
// tied to such pairs were chance accounts on `chorus synth` (1M and the
// dense variant: every member tied to a two-account structure was
// organic or of another kind).

// minStructure is the fewest accounts of a structure that admits members.
const minStructure = 3

// Member is an account corroborated as a member of a significant structure.
type Member struct {
	Account uint32
	// Core lists the structure's accounts (sorted); Ties the indices into
	// the layer's Edges of the account's ties into it.
	Core []uint32
	Ties []int
	// Expected is the mean number of ties into the structure by chance; P
	// the Poisson tail of len(Ties) given it, before the correction; Tests
	// the number of (account, structure) pairs tested over all layers.
	Expected, P float64
	Tests       int
}

// TestMembers runs the membership test on every layer of res (after
// TestGroups) with ties of own P <= memberP, storing LayerResult.Members.
// The Bonferroni correction is over the (account, structure) pairs of all
// layers.
func TestMembers(res *Result, memberP, alpha float64) {
	if memberP <= 0 {
		return
	}
	total := 0
	for li := range res.Layers {
		lr := &res.Layers[li]
		var tests int
		lr.Members, tests = testLayerMembers(lr, memberP, alpha)
		total += tests
	}
	for li := range res.Layers {
		lr := &res.Layers[li]
		lr.Members = slices.DeleteFunc(lr.Members, func(m Member) bool { return m.P*float64(total) > alpha })
		for i := range lr.Members {
			lr.Members[i].Tests = total
		}
	}
}

// testLayerMembers returns the layer's candidate members with P <= alpha
// (before the correction) and the number of (account, structure) pairs it
// tested.
func testLayerMembers(lr *LayerResult, memberP, alpha float64) ([]Member, int) {
	grouped := lr.GroupEdges()
	sig := func(i int) bool {
		_, ok := grouped[i]
		return lr.Edges[i].Q <= alpha || ok
	}
	// Compact accounts of the layer's ties and significant edges.
	var accs []uint32
	for i := range lr.Edges {
		e := &lr.Edges[i]
		if e.P <= memberP || sig(i) {
			accs = append(accs, e.A, e.B)
		}
	}
	slices.Sort(accs)
	accs = slices.Compact(accs)
	if len(accs) == 0 {
		return nil, 0
	}
	node := func(a uint32) int {
		j, _ := slices.BinarySearch(accs, a)
		return j
	}
	// Structures: components of the significant ties.
	uf := newUnionFind(len(accs))
	find := func(x int32) int32 { return int32(uf.find(uint32(x))) }
	inCore := make([]bool, len(accs))
	deg := make([]float64, len(accs))
	m := 0
	for i := range lr.Edges {
		e := &lr.Edges[i]
		s := sig(i)
		if e.P > memberP && !s {
			continue
		}
		a, b := node(e.A), node(e.B)
		deg[a]++
		deg[b]++
		m++
		if s {
			inCore[a], inCore[b] = true, true
			uf.union(uint32(a), uint32(b))
		}
	}
	if m == 0 {
		return nil, 0
	}
	coreDeg := map[int32]float64{}
	coreAccs := map[int32][]uint32{} // a structure's accounts, sorted
	for n := range accs {
		if inCore[n] {
			r := find(int32(n))
			coreDeg[r] += deg[n]
			coreAccs[r] = append(coreAccs[r], accs[n])
		}
	}
	// Ties of outside accounts into each structure.
	type key struct {
		acc  int
		root int32
	}
	ties := map[key][]int{}
	for i := range lr.Edges {
		e := &lr.Edges[i]
		if e.P > memberP || sig(i) {
			continue
		}
		a, b := node(e.A), node(e.B)
		switch {
		case inCore[a] && !inCore[b]:
			ties[key{b, find(int32(a))}] = append(ties[key{b, find(int32(a))}], i)
		case inCore[b] && !inCore[a]:
			ties[key{a, find(int32(b))}] = append(ties[key{a, find(int32(b))}], i)
		}
	}
	// Hypotheses: every (account outside the structures with at least two
	// ties, structure of at least minStructure accounts); given the
	// accounts' numbers of ties (the null conditions on them), an account
	// with fewer than two cannot reach two ties into a structure.
	structures := 0
	for _, c := range coreAccs {
		if len(c) >= minStructure {
			structures++
		}
	}
	outside := 0
	for n := range accs {
		if !inCore[n] && deg[n] >= 2 {
			outside++
		}
	}
	tests := outside * structures
	var out []Member
	for k, ts := range ties {
		if len(ts) < 2 || len(coreAccs[k.root]) < minStructure {
			continue
		}
		lambda := deg[k.acc] * coreDeg[k.root] / (2 * float64(m))
		p := poissonTail(len(ts), lambda)
		if p > alpha {
			continue
		}
		mem := Member{Account: accs[k.acc], Core: coreAccs[k.root], Ties: slices.Sorted(slices.Values(ts)), Expected: lambda, P: p}
		out = append(out, mem)
	}
	slices.SortFunc(out, func(x, y Member) int {
		if c := cmp.Compare(x.P, y.P); c != 0 {
			return c
		}
		return cmp.Compare(x.Account, y.Account)
	})
	return out, tests
}

// Corroborated labels the layer's edges that join the network through
// the group or membership test rather than the pair test: "group N" (N
// the group's position in Groups, from 1) or "member". Edges significant
// alone are never labelled (neither test takes them).
func (lr *LayerResult) Corroborated() map[int]string {
	out := map[int]string{}
	for e, g := range lr.GroupEdges() {
		out[e] = "group " + strconv.Itoa(g+1)
	}
	for _, m := range lr.Members {
		for _, e := range m.Ties {
			out[e] = "member"
		}
	}
	return out
}
