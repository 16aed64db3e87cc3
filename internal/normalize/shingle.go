package normalize

import (
	"math/bits"
	"slices"
	"unicode/utf8"
	"unsafe"
)

// Hashing here is fixed, not seeded per process (hash/maphash seeds are
// random per process): keys and fingerprints must be identical across runs
// and machines so stored results and golden tests stay comparable. Changing
// any constant or step below changes every stored fingerprint; the
// known-answer tests in shingle_test.go guard against that.

const (
	prime1 = 0x9E3779B185EBCA87
	prime2 = 0xC2B2AE3D27D4EB4F
	prime3 = 0x165667B19E3779F9
	prime4 = 0x85EBCA77C2B2AE63
	prime5 = 0x27D4EB2F165667C5

	fnvOffset = 0xcbf29ce484222325
	fnvPrime  = 0x100000001b3
)

// fmix64 is MurmurHash3's 64-bit finaliser: a bijection with full
// avalanche.
func fmix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// Hash64 is a deterministic 64-bit hash of s for exact-text keys (use it on
// MatchText). It is xxHash64's short-input path applied to every length, so
// it equals XXH64(s, seed 0) for inputs shorter than 32 bytes; it processes
// 8 bytes per round and never allocates.
func Hash64(s string) uint64 {
	h := uint64(prime5) + uint64(len(s))
	for len(s) >= 8 {
		k := le64(s)
		k *= prime2
		k = bits.RotateLeft64(k, 31)
		k *= prime1
		h ^= k
		h = bits.RotateLeft64(h, 27)*prime1 + prime4
		s = s[8:]
	}
	if len(s) >= 4 {
		h ^= uint64(le32(s)) * prime1
		h = bits.RotateLeft64(h, 23)*prime2 + prime3
		s = s[4:]
	}
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i]) * prime5
		h = bits.RotateLeft64(h, 11) * prime1
	}
	h ^= h >> 33
	h *= prime2
	h ^= h >> 29
	h *= prime3
	h ^= h >> 32
	return h
}

func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// DefaultShingleK is the shingle length (in runes) used when Shingles is
// given k <= 0. Five characters suits tweet-length text in Latin and Arabic
// script alike.
const DefaultShingleK = 5

// MaxShingleK is the longest shingle Shingles supports; larger k is clamped.
const MaxShingleK = 64

// Shingles appends to dst the hashes of the character k-shingles of
// matchText (a MatchText result; characters are runes, so Arabic works
// like Latin), in text order and with repeats. Text shorter than k runes
// gives one shingle of the whole text; empty text gives none. Use
// SortUnique before Jaccard. Invalid UTF-8 bytes count as U+FFFD.
//
// The hash of a shingle r1…rk is fmix64 of FNV-1a over the rune values
// (each rune one 32-bit unit): fixed, so shingles are reproducible
// everywhere.
func Shingles(matchText string, k int, dst []uint64) []uint64 {
	if k <= 0 {
		k = DefaultShingleK
	}
	if k > MaxShingleK {
		k = MaxShingleK
	}
	// Each rune is written twice, at pos and pos+k, so the last k runes are
	// always the contiguous window ring[pos+1 : pos+1+k] (no modulo).
	var ring [2 * MaxShingleK]uint32
	n, pos := 0, -1
	for i := 0; i < len(matchText); {
		r := rune(matchText[i])
		if r < utf8.RuneSelf {
			i++
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(matchText[i:])
			i += size
		}
		pos++
		if pos == k {
			pos = 0
		}
		ring[pos], ring[pos+k] = uint32(r), uint32(r)
		n++
		if n >= k {
			dst = append(dst, hashRunes(ring[pos+1:pos+1+k]))
		}
	}
	if n > 0 && n < k {
		dst = append(dst, hashRunes(ring[:n]))
	}
	return dst
}

// ShinglesBytes is Shingles over a byte slice (an AppendMatchText buffer)
// without converting it to a string.
func ShinglesBytes(matchText []byte, k int, dst []uint64) []uint64 {
	if len(matchText) == 0 {
		return Shingles("", k, dst)
	}
	// Shingles neither keeps nor writes the string.
	return Shingles(unsafe.String(unsafe.SliceData(matchText), len(matchText)), k, dst)
}

// hashRunes is fmix64 of FNV-1a over the rune values.
func hashRunes(w []uint32) uint64 {
	h := uint64(fnvOffset)
	for _, r := range w {
		h ^= uint64(r)
		h *= fnvPrime
	}
	return fmix64(h)
}

// SortUnique sorts s and removes repeats in place, turning Shingles output
// into the set Jaccard expects.
func SortUnique(s []uint64) []uint64 {
	slices.Sort(s)
	return slices.Compact(s)
}

// SimHash returns Charikar's 64-bit SimHash of the shingle hashes: bit j is
// set when more than half of the shingles have bit j set. Repeated
// shingles count once per repeat. Near-duplicate texts have SimHashes at a
// small Hamming distance (bits.OnesCount64(a ^ b)). No shingles give 0.
//
// The per-bit counts are kept bit-sliced (plane p holds bit p of all 64
// counters), so adding a shingle costs a short carry chain of word
// operations instead of 64 increments.
func SimHash(shingles []uint64) uint64 {
	if len(shingles) == 0 {
		return 0
	}
	var planes [64]uint64
	depth := 0
	for _, x := range shingles {
		carry := x
		p := 0
		for ; carry != 0; p++ {
			planes[p], carry = planes[p]^carry, planes[p]&carry
		}
		if p > depth {
			depth = p
		}
	}
	// Bit j is set when count_j > n/2, i.e. count_j > floor(n/2) =: T.
	// Compare all 64 bit-sliced counters with T at once, from the top plane
	// down: gt collects counters already known greater, eq those equal so
	// far.
	t := uint64(len(shingles)) / 2
	if l := bits.Len64(t); l > depth {
		depth = l
	}
	var gt uint64
	eq := ^uint64(0)
	for p := depth - 1; p >= 0; p-- {
		if t>>p&1 == 0 {
			gt |= eq & planes[p]
			eq &^= planes[p]
		} else {
			eq &= planes[p]
		}
	}
	return gt
}
