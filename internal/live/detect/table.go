package detect

import "math/bits"

// table is an open-addressing hash table from a non-zero uint64 key to a
// uint32 value, with linear probing and backward-shift deletion (no
// tombstones, so a table that sees as many deletions as insertions keeps
// its probe lengths). It is the detector's only hash structure on the hot
// path: pair keys, (pair, object) and (account, object) multiplicities.
type table struct {
	keys  []uint64
	vals  []uint32
	n     int
	shift uint
}

const tableLoad = 0.6

func newTable(hint int) *table {
	t := &table{}
	t.alloc(max(16, int(float64(hint)/tableLoad)+1))
	return t
}

func (t *table) alloc(n int) {
	size := 1 << bits.Len(uint(n-1))
	t.keys = make([]uint64, size)
	t.vals = make([]uint32, size)
	t.shift = uint(64 - bits.TrailingZeros(uint(size)))
	t.n = 0
}

func (t *table) slot(key uint64) int { return int((key * 0x9E3779B97F4A7C15) >> t.shift) }

// ptr returns a pointer to key's value, inserting 0 when absent (fresh
// reports the insertion). The pointer is valid until the next insertion or
// deletion.
func (t *table) ptr(key uint64) (v *uint32, fresh bool) {
	if key == 0 {
		panic("BUG: detect table key 0")
	}
	mask := len(t.keys) - 1
	for i := t.slot(key); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case key:
			return &t.vals[i], false
		case 0:
			if float64(t.n+1) > tableLoad*float64(len(t.keys)) {
				t.grow()
				return t.ptr(key)
			}
			t.keys[i] = key
			t.n++
			return &t.vals[i], true
		}
	}
}

// get returns key's value and whether it is present.
func (t *table) get(key uint64) (uint32, bool) {
	mask := len(t.keys) - 1
	for i := t.slot(key); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case key:
			return t.vals[i], true
		case 0:
			return 0, false
		}
	}
}

// del removes key (a no-op when absent), shifting later entries of its
// probe run back so that lookups never need tombstones.
func (t *table) del(key uint64) {
	mask := len(t.keys) - 1
	i := t.slot(key)
	for ; ; i = (i + 1) & mask {
		if t.keys[i] == key {
			break
		}
		if t.keys[i] == 0 {
			return
		}
	}
	t.n--
	for {
		t.keys[i], t.vals[i] = 0, 0
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

func (t *table) grow() {
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

// len returns the number of keys.
func (t *table) len() int { return t.n }

// bytes returns the table's memory.
func (t *table) bytes() int { return len(t.keys) * 12 }
