package ids

import (
	"iter"
	"unsafe"
)

// Strings is a column of immutable strings stored in large byte chunks:
// a string costs a 12-byte reference and its bytes. Why not []string: the
// corpus keeps two strings per post (id, text) and the dictionaries one
// per distinct key, and at 10M posts the garbage collector marked those
// ~24M separate objects in every cycle (profile of the 10M run, session
// 5: 42 CPU-s of marking); chunks hold no pointers, so the GC skips them.
// At returns a string that shares the chunk's memory (no copy); a chunk is
// never written again where a string was stored. Like strings.Builder, a
// Strings must not be copied and then appended to through both copies
// (they would share the free end of the last chunk); hold it in one place
// (a Corpus column, a Dict) and pass that by pointer.
type Strings struct {
	chunks [][]byte
	refs   []strRef
}

type strRef struct{ chunk, off, n uint32 }

// Chunks start at minChunk bytes and double up to stringChunk, so that a
// small column (a dictionary of languages, a corpus of a few posts) stays
// small; a string longer than a chunk gets a chunk of its own size.
const (
	minChunk    = 4 << 10
	stringChunk = 4 << 20
)

// NewStrings returns a column with room for n references.
func NewStrings(n int) Strings { return Strings{refs: make([]strRef, 0, n)} }

// Append adds v as the last string.
func (s *Strings) Append(v string) { appendTo(s, v) }

// AppendBytes adds a copy of b as the last string.
func (s *Strings) AppendBytes(b []byte) { appendTo(s, b) }

func appendTo[B string | []byte](s *Strings, v B) {
	if len(v) == 0 {
		s.refs = append(s.refs, strRef{})
		return
	}
	last := len(s.chunks) - 1
	if last < 0 || len(s.chunks[last])+len(v) > cap(s.chunks[last]) {
		size := minChunk
		if last >= 0 {
			size = min(stringChunk, 2*cap(s.chunks[last]))
		}
		s.chunks = append(s.chunks, make([]byte, 0, max(size, len(v))))
		last++
	}
	c := s.chunks[last]
	s.refs = append(s.refs, strRef{chunk: uint32(last), off: uint32(len(c)), n: uint32(len(v))})
	s.chunks[last] = append(c, v...)
}

// At returns string i.
func (s *Strings) At(i int) string {
	r := s.refs[i]
	if r.n == 0 {
		return ""
	}
	return unsafe.String(&s.chunks[r.chunk][r.off], r.n)
}

// All yields every string with its index.
func (s *Strings) All() iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for i := range s.refs {
			if !yield(i, s.At(i)) {
				return
			}
		}
	}
}

// Len returns the number of strings.
func (s *Strings) Len() int { return len(s.refs) }

// Permute reorders the strings by perm (string j becomes old string
// perm[j]); the bytes stay where they are.
func (s *Strings) Permute(perm []uint32) {
	refs := make([]strRef, len(perm))
	for j, i := range perm {
		refs[j] = s.refs[i]
	}
	s.refs = refs
}
