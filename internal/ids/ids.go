// Package ids interns strings (handles, hashtags, URLs, object keys) into
// dense uint32 IDs once at ingest, so that analysis works on integer
// columns and sorted arrays instead of maps of strings.
package ids

import (
	"fmt"
	"iter"
)

// None marks an absent ID in a column.
const None = ^uint32(0)

// Dict is a string ↔ dense uint32 dictionary. IDs are assigned 0, 1, 2, …
// in first-seen order, so for a fixed input order they are reproducible.
// The keys are kept in a Strings column (pointer-free chunks) and the
// index's keys share that memory, so a key costs one copy of its bytes and
// the GC marks no object per key. A Dict is not safe for concurrent use.
type Dict struct {
	index map[string]uint32
	keys  Strings
}

// NewDict returns an empty dictionary with room for n keys.
func NewDict(n int) *Dict {
	return &Dict{index: make(map[string]uint32, n), keys: NewStrings(n)}
}

// Intern returns the ID of s, assigning the next one when s is new.
func (d *Dict) Intern(s string) uint32 {
	d.thaw()
	if id, ok := d.index[s]; ok {
		return id
	}
	d.keys.Append(s)
	return d.added()
}

// InternBytes is Intern for a byte slice; it copies b only for new keys.
func (d *Dict) InternBytes(b []byte) uint32 {
	d.thaw()
	if id, ok := d.index[string(b)]; ok { // no allocation: compiler optimisation
		return id
	}
	d.keys.AppendBytes(b)
	return d.added()
}

// added indexes the key just appended and returns its ID.
func (d *Dict) added() uint32 {
	n := d.keys.Len()
	if n > int(None) {
		panic("BUG: ids.Dict overflow: more than 2^32-1 distinct keys")
	}
	id := uint32(n - 1)
	d.index[d.keys.At(n-1)] = id
	return id
}

// Lookup returns the ID of s and whether it is known.
func (d *Dict) Lookup(s string) (uint32, bool) {
	d.thaw()
	id, ok := d.index[s]
	return id, ok
}

// Key returns the string of id. It panics on an unknown id (a bug).
func (d *Dict) Key(id uint32) string {
	if int(id) >= d.keys.Len() {
		panic(fmt.Sprintf("BUG: ids.Dict.Key(%d) with %d keys", id, d.keys.Len()))
	}
	return d.keys.At(int(id))
}

// Len returns the number of keys.
func (d *Dict) Len() int { return d.keys.Len() }

// Keys yields every key with its ID, in ID order.
func (d *Dict) Keys() iter.Seq2[int, string] { return d.keys.All() }

// Freeze drops the string→ID index to save memory once interning is done;
// Key and Keys keep working, Intern and Lookup rebuild the index lazily.
func (d *Dict) Freeze() { d.index = nil }

// thaw rebuilds the index after Freeze.
func (d *Dict) thaw() {
	if d.index != nil {
		return
	}
	d.index = make(map[string]uint32, d.keys.Len())
	for i, k := range d.keys.All() {
		d.index[k] = uint32(i)
	}
}
