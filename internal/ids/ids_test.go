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
