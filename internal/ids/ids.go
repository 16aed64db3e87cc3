// Package ids interns strings (handles, hashtags, URLs, object keys) into
// dense uint32 IDs once at ingest, so that analysis works on integer
// columns and sorted arrays instead of maps of strings.
package ids

import "fmt"

// None marks an absent ID in a column.
const None = ^uint32(0)

// Dict is a string ↔ dense uint32 dictionary. IDs are assigned 0, 1, 2, …
// in first-seen order, so for a fixed input order they are reproducible.
// A Dict is not safe for concurrent use.
type Dict struct {
	index map[string]uint32
	keys  []string
}

// NewDict returns an empty dictionary with room for n keys.
func NewDict(n int) *Dict {
	return &Dict{index: make(map[string]uint32, n), keys: make([]string, 0, n)}
}

// Intern returns the ID of s, assigning the next one when s is new.
func (d *Dict) Intern(s string) uint32 {
	d.thaw()
	if id, ok := d.index[s]; ok {
		return id
	}
	if len(d.keys) >= int(None) {
		panic("BUG: ids.Dict overflow: more than 2^32-1 distinct keys")
	}
	id := uint32(len(d.keys))
	d.index[s] = id
	d.keys = append(d.keys, s)
	return id
}

// InternBytes is Intern for a byte slice; it allocates only for new keys.
func (d *Dict) InternBytes(b []byte) uint32 {
	d.thaw()
	if id, ok := d.index[string(b)]; ok { // no allocation: compiler optimisation
		return id
	}
	return d.Intern(string(b))
}

// Lookup returns the ID of s and whether it is known.
func (d *Dict) Lookup(s string) (uint32, bool) {
	d.thaw()
	id, ok := d.index[s]
	return id, ok
}

// Key returns the string of id. It panics on an unknown id (a bug).
func (d *Dict) Key(id uint32) string {
	if int(id) >= len(d.keys) {
		panic(fmt.Sprintf("BUG: ids.Dict.Key(%d) with %d keys", id, len(d.keys)))
	}
	return d.keys[id]
}

// Len returns the number of keys.
func (d *Dict) Len() int { return len(d.keys) }

// Keys returns all keys indexed by ID. The caller must not modify it.
func (d *Dict) Keys() []string { return d.keys }

// Freeze drops the string→ID index to save memory once interning is done;
// Key and Keys keep working, Intern and Lookup rebuild the index lazily.
func (d *Dict) Freeze() { d.index = nil }

// thaw rebuilds the index after Freeze.
func (d *Dict) thaw() {
	if d.index != nil {
		return
	}
	d.index = make(map[string]uint32, len(d.keys))
	for i, k := range d.keys {
		d.index[k] = uint32(i)
	}
}
