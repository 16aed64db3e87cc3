package ids

import (
	"strconv"
	"testing"
)

func TestDictInternDense(t *testing.T) {
	d := NewDict(0)
	words := []string{"a", "b", "a", "c", "b", ""}
	want := []uint32{0, 1, 0, 2, 1, 3}
	for i, w := range words {
		if got := d.Intern(w); got != want[i] {
			t.Fatalf("Intern(%q) = %d, want %d", w, got, want[i])
		}
	}
	if d.Len() != 4 || d.Key(2) != "c" {
		t.Fatalf("Len %d Key(2) %q", d.Len(), d.Key(2))
	}
	if id := d.InternBytes([]byte("c")); id != 2 {
		t.Fatalf("InternBytes = %d", id)
	}
	d.Freeze()
	if d.Key(1) != "b" {
		t.Fatal("Key after Freeze")
	}
	if id, ok := d.Lookup("b"); !ok || id != 1 {
		t.Fatalf("Lookup after Freeze = %d %v", id, ok)
	}
	if id := d.Intern("z"); id != 4 {
		t.Fatalf("Intern after Freeze = %d", id)
	}
}

// TestDictOwnsItsKeys: InternBytes copies a new key (the caller reuses
// its buffer), keys survive thousands of later interns (chunk growth),
// and Keys yields them in ID order.
func TestDictOwnsItsKeys(t *testing.T) {
	d := NewDict(0)
	buf := []byte("first")
	if d.InternBytes(buf) != 0 {
		t.Fatal("first id")
	}
	copy(buf, "XXXXX")
	if d.Key(0) != "first" {
		t.Fatalf("key changed with the caller's buffer: %q", d.Key(0))
	}
	if id, ok := d.Lookup("first"); !ok || id != 0 {
		t.Fatal("index lost the key")
	}
	for i := range 200_000 {
		d.Intern("key number " + strconv.Itoa(i))
	}
	if d.Key(0) != "first" || d.Key(200_000) != "key number 199999" {
		t.Fatalf("keys after growth: %q %q", d.Key(0), d.Key(200_000))
	}
	n := 0
	for id, k := range d.Keys() {
		if d.Key(uint32(id)) != k || n != id {
			t.Fatalf("Keys yields %d %q", id, k)
		}
		n++
	}
	if n != d.Len() {
		t.Fatalf("Keys yielded %d of %d", n, d.Len())
	}
}

func BenchmarkDictIntern(b *testing.B) {
	keys := make([]string, 1<<16)
	for i := range keys {
		keys[i] = "account_" + strconv.Itoa(i%20000)
	}
	d := NewDict(20000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Intern(keys[i&(len(keys)-1)])
	}
}
