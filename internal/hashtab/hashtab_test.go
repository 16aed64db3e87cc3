package hashtab

import (
	"math/rand/v2"
	"testing"
)

// check compares t with the reference map m: same length, every key of m
// found with its value, and Each visits exactly m's keys once.
func check(t *testing.T, tab *Table[uint32], m map[uint64]uint32) {
	t.Helper()
	if tab.Len() != len(m) {
		t.Fatalf("Len %d, want %d", tab.Len(), len(m))
	}
	for k, want := range m {
		v := tab.Lookup(k)
		if v == nil || *v != want {
			t.Fatalf("Lookup(%#x) = %v, want %d", k, v, want)
		}
	}
	seen := 0
	tab.Each(func(k uint64, v *uint32) {
		seen++
		if want, ok := m[k]; !ok || *v != want {
			t.Fatalf("Each visits %#x = %d; reference has %d, %v", k, *v, want, ok)
		}
	})
	if seen != len(m) {
		t.Fatalf("Each visited %d keys, want %d", seen, len(m))
	}
}

// apply runs one operation on both the table and the reference map.
func apply(tab *Table[uint32], m map[uint64]uint32, op byte, key uint64) {
	if key == 0 {
		key = 1
	}
	switch op % 4 {
	case 0, 1: // insert or increment
		v, fresh := tab.Get(key)
		_, had := m[key]
		if fresh == had {
			panic("fresh disagrees with the reference")
		}
		*v++
		m[key]++
	case 2:
		tab.Delete(key)
		delete(m, key)
	case 3:
		if (tab.Lookup(key) != nil) != (m[key] != 0) {
			panic("Lookup disagrees with the reference")
		}
	}
}

// TestAgainstMap drives the table and a Go map with the same random
// inserts, increments and deletions — keys from a small range, so probe
// runs collide, wrap around the end of the array and are deleted from the
// middle — through several growths and a reset.
func TestAgainstMap(t *testing.T) {
	for _, keyRange := range []uint64{50, 1000, 1 << 40} {
		rng := rand.New(rand.NewPCG(1, keyRange))
		tab := New[uint32](0)
		m := map[uint64]uint32{}
		for i := range 200_000 {
			apply(tab, m, byte(rng.IntN(4)), 1+rng.Uint64N(keyRange))
			if i%20_000 == 0 {
				check(t, tab, m)
			}
		}
		check(t, tab, m)
		size := len(tab.keys)
		tab.Reset()
		clear(m)
		check(t, tab, m)
		if len(tab.keys) != size {
			t.Errorf("Reset changed the size %d -> %d", size, len(tab.keys))
		}
	}
}

// TestDeleteKeepsProbeRuns deletes every other key of a full cluster of
// colliding keys: the rest stay reachable (a deletion that left a hole
// would cut the run).
func TestDeleteKeepsProbeRuns(t *testing.T) {
	tab := New[uint32](0)
	// Keys with the same home slot: found by search.
	home := tab.slot(1)
	var same []uint64
	for k := uint64(1); len(same) < 20; k++ {
		if tab.slot(k) == home {
			same = append(same, k)
		}
	}
	for i, k := range same {
		v, _ := tab.Get(k)
		*v = uint32(i + 1)
	}
	if len(tab.keys) != 64 {
		t.Fatalf("the table grew (%d slots); the test needs one probe run", len(tab.keys))
	}
	for i := 0; i < len(same); i += 2 {
		tab.Delete(same[i])
	}
	for i, k := range same {
		v := tab.Lookup(k)
		switch {
		case i%2 == 0 && v != nil:
			t.Errorf("deleted key %d still found", i)
		case i%2 == 1 && (v == nil || *v != uint32(i+1)):
			t.Errorf("key %d lost after deleting its neighbours: %v", i, v)
		}
	}
	if tab.Len() != 10 {
		t.Errorf("Len %d, want 10", tab.Len())
	}
}

func TestZeroKey(t *testing.T) {
	tab := New[uint32](0)
	tab.Delete(0) // a no-op
	if tab.Lookup(0) != nil {
		t.Error("Lookup(0) found something in an empty table")
	}
	defer func() {
		if recover() == nil {
			t.Error("Get(0) did not panic; key 0 marks empty slots")
		}
	}()
	tab.Get(0)
}

// FuzzAgainstMap reads pairs of bytes as (operation, key) and checks the
// table against a Go map after every operation batch.
func FuzzAgainstMap(f *testing.F) {
	f.Add([]byte{0, 1, 0, 2, 2, 1, 3, 2, 0, 65, 2, 2})
	f.Fuzz(func(t *testing.T, ops []byte) {
		tab := New[uint32](0)
		m := map[uint64]uint32{}
		for i := 0; i+1 < len(ops); i += 2 {
			apply(tab, m, ops[i], uint64(ops[i+1]))
		}
		check(t, tab, m)
	})
}

// foldKeys is 4M co-actions over 25k accounts (pair keys A<<32|B).
func foldKeys() []uint64 {
	rng := rand.New(rand.NewPCG(3, 3))
	keys := make([]uint64, 4_000_000)
	for i := range keys {
		x, y := uint64(rng.IntN(25000)), uint64(rng.IntN(25000)+25000)
		keys[i] = x<<32 | y
	}
	return keys
}

type foldPair struct{ objects, lastObj uint32 }

// BenchmarkFold folds 4M co-actions into distinct-object counts per pair
// (the coordination engine's inner loop), in the table and in a Go map.
func BenchmarkFold(b *testing.B) {
	keys := foldKeys()
	b.Run("hashtab", func(b *testing.B) {
		tab := New[foldPair](1 << 20)
		b.ReportAllocs()
		for b.Loop() {
			tab.Reset()
			for j, k := range keys {
				v, _ := tab.Get(k)
				if v.lastObj != uint32(j>>4)+1 {
					v.objects++
					v.lastObj = uint32(j>>4) + 1
				}
			}
		}
		b.ReportMetric(float64(len(keys))*float64(b.N)/b.Elapsed().Seconds(), "coactions/s")
	})
	b.Run("map", func(b *testing.B) {
		m := make(map[uint64]foldPair, 1<<20)
		b.ReportAllocs()
		for b.Loop() {
			clear(m)
			for j, k := range keys {
				v := m[k]
				if v.lastObj != uint32(j>>4)+1 {
					v.objects++
					v.lastObj = uint32(j>>4) + 1
				}
				m[k] = v
			}
		}
		b.ReportMetric(float64(len(keys))*float64(b.N)/b.Elapsed().Seconds(), "coactions/s")
	})
}
