package graph

import (
	"cmp"
	"slices"
)

// StableLabels renumbers a partition to 0..k-1 in the stable order used for
// every result of this package: by decreasing community size, then by the
// smallest node id in the community. The same clustering therefore always
// gets the same labels, whatever ids the algorithm happened to use. It
// returns a new slice and the number of communities k.
func StableLabels(membership []uint32) ([]uint32, int) {
	dense, k := denseLabels(membership, nil)
	size := make([]uint32, k)
	first := make([]uint32, k)
	for i := range first {
		first[i] = ^uint32(0)
	}
	for v, c := range dense {
		size[c]++
		if first[c] == ^uint32(0) {
			first[c] = uint32(v)
		}
	}
	order := make([]uint32, k)
	for c := range order {
		order[c] = uint32(c)
	}
	slices.SortFunc(order, func(a, b uint32) int {
		if c := cmp.Compare(size[b], size[a]); c != 0 {
			return c
		}
		return cmp.Compare(first[a], first[b])
	})
	rank := make([]uint32, k)
	for r, c := range order {
		rank[c] = uint32(r)
	}
	for v, c := range dense {
		dense[v] = rank[c]
	}
	return dense, k
}

// denseLabels maps arbitrary labels to 0..k-1 in order of first appearance
// (by node id), writing into dst (reused when large enough). Labels far
// larger than len(membership) are handled by sorting instead of a lookup
// table, so a hostile label such as 1<<31 cannot force a huge allocation.
func denseLabels(membership, dst []uint32) ([]uint32, int) {
	n := len(membership)
	dst = grow(dst, n)
	var maxLabel uint32
	for _, c := range membership {
		maxLabel = max(maxLabel, c)
	}
	if n == 0 {
		return dst, 0
	}
	if int(maxLabel) < 4*n+64 {
		table := make([]uint32, int(maxLabel)+1)
		for i := range table {
			table[i] = ^uint32(0)
		}
		k := uint32(0)
		for v, c := range membership {
			if table[c] == ^uint32(0) {
				table[c] = k
				k++
			}
			dst[v] = table[c]
		}
		return dst, int(k)
	}
	// Sparse labels: sort (label, first node) pairs.
	type lf struct{ label, first uint32 }
	pairs := make([]lf, 0, n)
	for v, c := range membership {
		pairs = append(pairs, lf{c, uint32(v)})
	}
	slices.SortStableFunc(pairs, func(a, b lf) int { return cmp.Compare(a.label, b.label) })
	// Collapse to one entry per label (the first, i.e. smallest node id).
	u := pairs[:0]
	for i, p := range pairs {
		if i == 0 || p.label != u[len(u)-1].label {
			u = append(u, p)
		}
	}
	slices.SortFunc(u, func(a, b lf) int { return cmp.Compare(a.first, b.first) })
	// u is now ordered by first appearance; build label→rank by a sorted copy.
	byLabel := make([]lf, len(u))
	for r, p := range u {
		byLabel[r] = lf{p.label, uint32(r)}
	}
	slices.SortFunc(byLabel, func(a, b lf) int { return cmp.Compare(a.label, b.label) })
	for v, c := range membership {
		i, _ := slices.BinarySearchFunc(byLabel, c, func(p lf, c uint32) int { return cmp.Compare(p.label, c) })
		dst[v] = byLabel[i].first
	}
	return dst, len(u)
}
