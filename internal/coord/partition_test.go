package coord

import (
	"reflect"
	"testing"
)

// TestPartitionedPassIsExact: with a pair budget far below the number of
// pairs, the observed pass runs in many hash partitions and must give the
// same edges — pairs, weights, co-actions, directions, gaps, evidence and
// own p-values — as the single pass. The null's weight histogram is then
// estimated from one partition, so q-values may move slightly; the
// significant sets must still agree closely.
func TestPartitionedPassIsExact(t *testing.T) {
	c := syntheticCorpus(60_000, 4)
	one := benchParams(8)
	many := one
	many.MaxPairs = 1024
	r1, err := Run(t.Context(), c, one, nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Run(t.Context(), c, many, nil)
	if err != nil {
		t.Fatal(err)
	}
	partitioned := 0
	for i := range r1.Layers {
		l1, l2 := &r1.Layers[i], &r2.Layers[i]
		if l1.Partitions != 1 || (l1.RawPairs > int64(many.MaxPairs) && l2.Partitions < 2) {
			t.Fatalf("%s: partitions %d and %d for %d post pairs", l1.Layer, l1.Partitions, l2.Partitions, l1.RawPairs)
		}
		if l2.Partitions >= 4 {
			partitioned++
		}
		if l1.Pairs != l2.Pairs || len(l1.Edges) != len(l2.Edges) || l1.PercentileWeight != l2.PercentileWeight {
			t.Fatalf("%s: pairs %d/%d edges %d/%d p99 %v/%v", l1.Layer, l1.Pairs, l2.Pairs, len(l1.Edges), len(l2.Edges), l1.PercentileWeight, l2.PercentileWeight)
		}
		sig1, sig2, both := 0, 0, 0
		for k := range l1.Edges {
			a, b := l1.Edges[k], l2.Edges[k]
			qa, qb := a.Q, b.Q
			a.Q, b.Q = 0, 0
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s: edge %d differs:\n%+v\n%+v", l1.Layer, k, a, b)
			}
			s1, s2 := qa <= one.Alpha, qb <= one.Alpha
			if s1 {
				sig1++
			}
			if s2 {
				sig2++
			}
			if s1 && s2 {
				both++
			}
		}
		if sig1 == 0 {
			t.Fatalf("%s: nothing significant; the test cannot compare", l1.Layer)
		}
		if float64(both) < 0.9*float64(max(sig1, sig2)) {
			t.Errorf("%s: significant edges %d (one pass) vs %d (partitioned), %d in both", l1.Layer, sig1, sig2, both)
		}
	}
	if partitioned == 0 {
		t.Fatal("no layer ran in 4 or more partitions; the test exercised nothing")
	}
}
