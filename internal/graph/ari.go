package graph

import (
	"fmt"
	"slices"
)

// AdjustedRandIndex compares two partitions of the same nodes (Hubert and
// Arabie 1985): 1 for identical groupings (labels may differ), about 0 for
// independent random ones, possibly negative. Following scikit-learn, two
// partitions that are both a single cluster, or both all singletons, score 1.
// The contingency table is built by sorting label pairs, not with a map.
func AdjustedRandIndex(a, b []uint32) float64 {
	if len(a) != len(b) {
		panic(fmt.Sprintf("BUG: graph.AdjustedRandIndex: partitions of %d and %d nodes", len(a), len(b)))
	}
	n := len(a)
	if n <= 1 {
		return 1
	}
	da, ka := denseLabels(a, nil)
	db, kb := denseLabels(b, nil)
	rowSum := make([]float64, ka)
	colSum := make([]float64, kb)
	pairs := make([]uint64, n)
	for i := range n {
		rowSum[da[i]]++
		colSum[db[i]]++
		pairs[i] = uint64(da[i])<<32 | uint64(db[i])
	}
	slices.Sort(pairs)
	choose2 := func(x float64) float64 { return x * (x - 1) / 2 }
	var index float64
	for i := 0; i < n; {
		j := i + 1
		for j < n && pairs[j] == pairs[i] {
			j++
		}
		index += choose2(float64(j - i))
		i = j
	}
	var sa, sb float64
	for _, x := range rowSum {
		sa += choose2(x)
	}
	for _, x := range colSum {
		sb += choose2(x)
	}
	expected := sa * sb / choose2(float64(n))
	maxIndex := (sa + sb) / 2
	if maxIndex == expected {
		return 1
	}
	return (index - expected) / (maxIndex - expected)
}
