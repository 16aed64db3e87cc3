package ids

import (
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestStrings appends strings of every size class (empty, short, a chunk
// boundary crossed, longer than a chunk), reads them back, permutes them
// and reads again.
func TestStrings(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var want []string
	s := NewStrings(0)
	for i := range 5000 {
		var v string
		switch {
		case i%97 == 0:
			v = ""
		case i == 2500:
			v = strings.Repeat("x", stringChunk+7) // its own chunk
		default:
			v = strings.Repeat(string(rune('a'+i%26)), rng.IntN(3000)) + "é"
		}
		want = append(want, v)
		s.Append(v)
	}
	if len(s.chunks) < 3 {
		t.Fatalf("%d chunks: the test must cross chunk boundaries", len(s.chunks))
	}
	check := func(want []string) {
		t.Helper()
		if s.Len() != len(want) {
			t.Fatalf("Len %d, want %d", s.Len(), len(want))
		}
		for i, w := range want {
			if got := s.At(i); got != w {
				t.Fatalf("At(%d) = %.20q (len %d), want %.20q (len %d)", i, got, len(got), w, len(w))
			}
		}
	}
	check(want)
	perm := make([]uint32, len(want))
	for i := range perm {
		perm[i] = uint32(i)
	}
	rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	s.Permute(perm)
	shuffled := make([]string, len(want))
	for j, i := range perm {
		shuffled[j] = want[i]
	}
	check(shuffled)
	n := 0
	for i, v := range s.All() {
		if v != shuffled[i] {
			t.Fatalf("All yields %d: %.20q", i, v)
		}
		n++
	}
	if n != len(shuffled) {
		t.Fatalf("All yielded %d strings", n)
	}
	// Strings handed out earlier stay valid while more are appended.
	first := s.At(1)
	for range 10000 {
		s.Append("more text to fill chunks")
	}
	if first != shuffled[1] {
		t.Fatal("an earlier string changed after appends")
	}
	var ab Strings
	ab.AppendBytes([]byte("xyz"))
	if ab.At(0) != "xyz" {
		t.Fatal("AppendBytes")
	}
	// A small column stays small: chunks start at minChunk and double.
	var small Strings
	for _, v := range []string{"en", "fr", "ar"} {
		small.Append(v)
	}
	if len(small.chunks) != 1 || cap(small.chunks[0]) != minChunk {
		t.Errorf("three short strings hold %d chunks, the first of %d bytes", len(small.chunks), cap(small.chunks[0]))
	}
	var grow Strings
	for range 100_000 {
		grow.Append("twenty-byte string..")
	}
	for i := 1; i < len(grow.chunks); i++ {
		if c, p := cap(grow.chunks[i]), cap(grow.chunks[i-1]); c != min(stringChunk, 2*p) {
			t.Fatalf("chunk %d: %d bytes after %d", i, c, p)
		}
	}
}

// BenchmarkGC times a full garbage collection with 2M post-sized strings
// live (ids and texts of 1M posts), held as []string and as Strings: what
// every GC cycle of an analysis paid for the corpus columns.
func BenchmarkGC(b *testing.B) {
	const n = 2_000_000
	text := strings.Repeat("a post of about a hundred bytes, ", 3)
	b.Run("slice", func(b *testing.B) {
		ss := make([]string, n)
		for i := range ss {
			ss[i] = text + strconv.Itoa(i) // one allocation per string
		}
		for b.Loop() {
			runtime.GC()
		}
		runtime.KeepAlive(ss)
	})
	b.Run("Strings", func(b *testing.B) {
		s := NewStrings(n)
		for i := range n {
			s.Append(text + strconv.Itoa(i))
		}
		runtime.GC()
		for b.Loop() {
			runtime.GC()
		}
		runtime.KeepAlive(&s)
	})
}
