package graph

// Components labels the connected components of g, numbered like
// communities (StableLabels): by decreasing size, then by smallest node id.
// An isolated node is a component of its own.
func Components(g *CSR) []uint32 {
	n := g.NumNodes()
	const unseen = ^uint32(0)
	label := make([]uint32, n)
	for i := range label {
		label[i] = unseen
	}
	stack := make([]uint32, 0, 64)
	next := uint32(0)
	for s := range n {
		if label[s] != unseen {
			continue
		}
		label[s] = next
		stack = append(stack[:0], uint32(s))
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, j := range g.Targets[g.Offsets[v]:g.Offsets[v+1]] {
				if label[j] == unseen {
					label[j] = next
					stack = append(stack, j)
				}
			}
		}
		next++
	}
	out, _ := StableLabels(label)
	return out
}

// unionFind is a disjoint-set forest with union by size and path halving.
type unionFind struct {
	parent []uint32
	size   []uint32
}

func newUnionFind(n int) unionFind {
	u := unionFind{parent: make([]uint32, n), size: make([]uint32, n)}
	for i := range u.parent {
		u.parent[i] = uint32(i)
		u.size[i] = 1
	}
	return u
}

func (u unionFind) find(x uint32) uint32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union merges the sets of a and b and returns the new root and the root
// that was absorbed (equal when a and b were already together).
func (u unionFind) union(a, b uint32) (root, absorbed uint32) {
	a, b = u.find(a), u.find(b)
	if a == b {
		return a, a
	}
	if u.size[a] < u.size[b] || (u.size[a] == u.size[b] && b < a) {
		a, b = b, a
	}
	u.parent[b] = a
	u.size[a] += u.size[b]
	return a, b
}
