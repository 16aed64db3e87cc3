package graph

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAdjustedRandIndex(t *testing.T) {
	cases := []struct {
		a, b []uint32
		want float64
	}{
		// Values from scikit-learn's adjusted_rand_score documentation.
		{[]uint32{0, 0, 1, 1}, []uint32{0, 0, 1, 1}, 1},
		{[]uint32{0, 0, 1, 1}, []uint32{1, 1, 0, 0}, 1},
		{[]uint32{0, 0, 1, 2}, []uint32{0, 0, 1, 1}, 0.5714285714285714},
		{[]uint32{0, 0, 1, 1}, []uint32{0, 0, 1, 2}, 0.5714285714285714},
		{[]uint32{0, 0, 0, 0}, []uint32{0, 1, 2, 3}, 0},
		{[]uint32{0, 0, 1, 1}, []uint32{0, 1, 0, 1}, -0.5},
		// Trivial partitions on both sides.
		{[]uint32{5, 5, 5}, []uint32{2, 2, 2}, 1},
		{[]uint32{0, 1, 2}, []uint32{7, 8, 9}, 1},
		{[]uint32{}, []uint32{}, 1},
	}
	for _, c := range cases {
		if got := AdjustedRandIndex(c.a, c.b); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("ARI(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestAdjustedRandIndexRandomNearZero(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	a, b := make([]uint32, 20000), make([]uint32, 20000)
	for i := range a {
		a[i], b[i] = uint32(rng.IntN(10)), uint32(rng.IntN(10))
	}
	if got := AdjustedRandIndex(a, b); math.Abs(got) > 0.005 {
		t.Errorf("ARI of independent partitions = %v, want ≈ 0", got)
	}
	if AdjustedRandIndex(a, b) != AdjustedRandIndex(b, a) {
		t.Error("ARI not symmetric")
	}
}
