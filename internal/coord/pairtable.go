package coord

import "math/bits"

// pairTable is an open-addressing hash table from a pair key (A<<32 | B,
// A < B, so never 0) to a payload S, with linear probing. Keys and payloads
// are parallel arrays, so probing touches 8 bytes per slot. It replaces a
// sort of all raw post pairs: the engine's memory then follows the number
// of distinct account pairs, not the number of co-actions.
type pairTable[S any] struct {
	keys  []uint64
	vals  []S
	n     int
	shift uint
}

const pairTableLoad = 0.6 // grow above this load factor

func newPairTable[S any](hint int) *pairTable[S] {
	t := &pairTable[S]{}
	t.alloc(max(64, int(float64(hint)/pairTableLoad)+1))
	return t
}

func (t *pairTable[S]) alloc(n int) {
	size := 1 << bits.Len(uint(n-1))
	t.keys = make([]uint64, size)
	t.vals = make([]S, size)
	t.shift = uint(64 - bits.TrailingZeros(uint(size)))
	t.n = 0
}

func (t *pairTable[S]) slot(key uint64) int {
	return int((key * 0x9E3779B97F4A7C15) >> t.shift)
}

// get returns the payload of key, inserting a zero payload when absent;
// fresh reports an insertion. The pointer is valid until the next get.
func (t *pairTable[S]) get(key uint64) (v *S, fresh bool) {
	mask := len(t.keys) - 1
	for i := t.slot(key); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case key:
			return &t.vals[i], false
		case 0:
			if float64(t.n+1) > pairTableLoad*float64(len(t.keys)) {
				t.grow()
				return t.get(key)
			}
			t.keys[i] = key
			t.n++
			return &t.vals[i], true
		}
	}
}

// lookup returns the payload of key, or nil.
func (t *pairTable[S]) lookup(key uint64) *S {
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

func (t *pairTable[S]) grow() {
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

// reset empties the table, keeping its size.
func (t *pairTable[S]) reset() {
	clear(t.keys)
	clear(t.vals)
	t.n = 0
}

// len returns the number of keys.
func (t *pairTable[S]) len() int { return t.n }

// each calls fn for every key in slot order (callers sort what they need
// ordered).
func (t *pairTable[S]) each(fn func(key uint64, v *S)) {
	for i, k := range t.keys {
		if k != 0 {
			fn(k, &t.vals[i])
		}
	}
}
