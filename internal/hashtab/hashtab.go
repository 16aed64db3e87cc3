// Package hashtab is the hash table of the engine's and the live
// detector's hot paths: an open-addressing table from a non-zero uint64
// key (a pair of dense 32-bit IDs, A<<32 | B) to a payload V, with linear
// probing and backward-shift deletion.
//
// Why not a Go map: keys and payloads sit in parallel arrays, so a probe
// touches 8 bytes per slot and a table of 30 M pairs costs its arrays and
// nothing else (no buckets, no per-entry overhead the GC must scan when V
// holds no pointers); Reset keeps the arrays for the next permutation of
// the null; deletion shifts later entries back instead of leaving
// tombstones, so a table with as many deletions as insertions (the live
// detector's sliding window) keeps short probe runs. BenchmarkFold beside
// it measures the engine's use (folding co-actions into pair counts)
// against a Go map.
package hashtab

import (
	"math/bits"
	"unsafe"
)

// Table maps non-zero uint64 keys to payloads V. The zero key marks an
// empty slot and must not be inserted.
type Table[V any] struct {
	keys  []uint64
	vals  []V
	n     int
	shift uint
}

// load is the load factor above which the table doubles.
const load = 0.6

// New returns a table sized for hint keys (at least 64 slots).
func New[V any](hint int) *Table[V] {
	t := &Table[V]{}
	t.alloc(max(64, int(float64(max(hint, 0))/load)+1))
	return t
}

func (t *Table[V]) alloc(n int) {
	size := 1 << bits.Len(uint(n-1))
	t.keys = make([]uint64, size)
	t.vals = make([]V, size)
	t.shift = uint(64 - bits.TrailingZeros(uint(size)))
	t.n = 0
}

// slot is key's home slot (Fibonacci hashing: the top bits of key times
// 2^64/φ, so the dense low bits of both IDs spread over the table).
func (t *Table[V]) slot(key uint64) int { return int((key * 0x9E3779B97F4A7C15) >> t.shift) }

// Get returns a pointer to key's payload, inserting a zero payload when
// key is absent (fresh reports the insertion). The pointer is valid until
// the next insertion or deletion. Key 0 panics: it marks empty slots.
func (t *Table[V]) Get(key uint64) (v *V, fresh bool) {
	if key == 0 {
		panic("hashtab: key 0")
	}
	mask := len(t.keys) - 1
	for i := t.slot(key); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case key:
			return &t.vals[i], false
		case 0:
			if float64(t.n+1) > load*float64(len(t.keys)) {
				t.grow()
				return t.Get(key)
			}
			t.keys[i] = key
			t.n++
			return &t.vals[i], true
		}
	}
}

// Lookup returns a pointer to key's payload, or nil when key is absent.
// The pointer is valid until the next insertion or deletion.
func (t *Table[V]) Lookup(key uint64) *V {
	if key == 0 {
		return nil
	}
	mask := len(t.keys) - 1
	for i := t.slot(key); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case key:
			return &t.vals[i]
		case 0:
			return nil
		}
	}
}

// Delete removes key (a no-op when absent), shifting the later entries of
// its probe run back so that lookups never need tombstones.
func (t *Table[V]) Delete(key uint64) {
	if key == 0 {
		return
	}
	mask := len(t.keys) - 1
	i := t.slot(key)
	for ; t.keys[i] != key; i = (i + 1) & mask {
		if t.keys[i] == 0 {
			return
		}
	}
	t.n--
	var zero V
	for {
		t.keys[i], t.vals[i] = 0, zero
		j := i
		for {
			j = (j + 1) & mask
			k := t.keys[j]
			if k == 0 {
				return
			}
			h := t.slot(k)
			// Move k back to i unless its home slot lies cyclically in (i, j].
			if (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
				t.keys[i], t.vals[i] = k, t.vals[j]
				i = j
				break
			}
		}
	}
}

func (t *Table[V]) grow() {
	keys, vals := t.keys, t.vals
	t.alloc(len(keys) * 2)
	mask := len(t.keys) - 1
	for j, k := range keys {
		if k == 0 {
			continue
		}
		i := t.slot(k)
		for t.keys[i] != 0 {
			i = (i + 1) & mask
		}
		t.keys[i], t.vals[i] = k, vals[j]
		t.n++
	}
}

// Reset empties the table, keeping its size.
func (t *Table[V]) Reset() {
	clear(t.keys)
	clear(t.vals)
	t.n = 0
}

// Len returns the number of keys.
func (t *Table[V]) Len() int { return t.n }

// Bytes returns the memory of the table's arrays.
func (t *Table[V]) Bytes() int {
	var zero V
	return len(t.keys) * (8 + int(unsafe.Sizeof(zero)))
}

// Each calls fn for every key in slot order, which is arbitrary: callers
// sort what they need ordered. fn must not insert or delete.
func (t *Table[V]) Each(fn func(key uint64, v *V)) {
	for i, k := range t.keys {
		if k != 0 {
			fn(k, &t.vals[i])
		}
	}
}
