package media

import (
	"image"
	"image/color"
	"image/png"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// pattern draws a deterministic picture; shift changes it slightly.
func pattern(w, h int, shift uint8, other bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8((x*255/w + y*128/h) % 256)
			if other {
				v = uint8(((x / 8) + (y / 8)) % 2 * 255)
			}
			img.Set(x, y, color.RGBA{v + shift/4, v, 255 - v, 255})
		}
	}
	return img
}

func TestNearIdenticalImagesShareAnObject(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.png")
	b := filepath.Join(dir, "b.png") // same picture, resized and shifted in colour
	c := filepath.Join(dir, "c.png") // a different picture
	writePNG(t, a, pattern(256, 256, 0, false))
	writePNG(t, b, pattern(200, 200, 6, false))
	writePNG(t, c, pattern(256, 256, 0, true))
	keys := []string{a, "phash:ffff0000ffff0000", b, "https://example.com/x.jpg", c, "phash:ffff0000ffff0001"}
	h := Compute(keys, 2, nil)
	if h.Files != 3 || h.Failed != 0 {
		t.Fatalf("hashed %d files, %d failed; want 3, 0", h.Files, h.Failed)
	}
	if h.Has[3] {
		t.Fatal("a URL got a hash")
	}
	obj, n := Groups(h, 7)
	if obj[0] != obj[2] {
		t.Errorf("resized copy not grouped: hashes %016x %016x (distance %d)", h.Hash[0], h.Hash[2], bits.OnesCount64(h.Hash[0]^h.Hash[2]))
	}
	if obj[0] == obj[4] {
		t.Errorf("different picture grouped with the first (distance %d)", bits.OnesCount64(h.Hash[0]^h.Hash[4]))
	}
	if obj[1] != obj[5] {
		t.Error("given hashes 1 bit apart not grouped")
	}
	if obj[3] == obj[0] || obj[3] == obj[1] {
		t.Error("media without a hash joined a group")
	}
	if n != 4 {
		t.Errorf("%d objects, want 4", n)
	}
}

func TestHostileImageFilesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.png")
	os.WriteFile(bad, []byte("\x89PNG\r\n\x1a\nnot really"), 0o644)
	h := Compute([]string{bad, filepath.Join(dir, "missing.jpg"), dir + "/"}, 1, nil)
	if h.Files != 0 || h.Failed != 2 || h.Has[0] || h.Has[1] {
		t.Fatalf("files %d failed %d has %v", h.Files, h.Failed, h.Has)
	}
}

// groupsMap is Groups as it was before the counting-sort buckets (a map
// per block), kept as the reference the new one must equal.
func groupsMap(h *Hashes, radius int) (obj []uint32, n int) {
	m := len(h.Hash)
	parent := make([]uint32, m)
	for i := range parent {
		parent[i] = uint32(i)
	}
	find := func(x uint32) uint32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	radius = min(max(radius, 0), 11)
	sub := radius / 4
	var probes []uint16
	for blk := 0; blk < 4; blk++ {
		buckets := map[uint16][]uint32{}
		for i := 0; i < m; i++ {
			if h.Has[i] {
				v := uint16(h.Hash[i] >> (16 * blk))
				buckets[v] = append(buckets[v], uint32(i))
			}
		}
		for i := 0; i < m; i++ {
			if !h.Has[i] {
				continue
			}
			probes = neighbours(uint16(h.Hash[i]>>(16*blk)), sub, probes[:0])
			for _, v := range probes {
				b := buckets[v]
				for k := 0; k < len(b) && k < 64; k++ {
					j := b[k]
					if j >= uint32(i) || bits.OnesCount64(h.Hash[i]^h.Hash[j]) > radius {
						continue
					}
					ri, rj := find(uint32(i)), find(j)
					if ri < rj {
						parent[rj] = ri
					} else if rj < ri {
						parent[ri] = rj
					}
				}
			}
		}
	}
	obj = make([]uint32, m)
	label := make([]uint32, m)
	for i := range label {
		label[i] = ^uint32(0)
	}
	for i := 0; i < m; i++ {
		r := find(uint32(i))
		if label[r] == ^uint32(0) {
			label[r] = uint32(n)
			n++
		}
		obj[i] = label[r]
	}
	return obj, n
}

// Groups equals the map-bucket reference on hashes with planted near
// copies, crowded buckets (more than the 64 probed) and missing hashes.
func TestGroupsEqualsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	h := &Hashes{Hash: make([]uint64, 30000), Has: make([]bool, 30000)}
	for i := range h.Hash {
		switch {
		case i%10 == 3: // a near copy of an earlier hash
			h.Hash[i] = h.Hash[rng.IntN(i)] ^ 1<<rng.IntN(64) ^ 1<<rng.IntN(64)
		case i%10 == 5: // a crowded low block
			h.Hash[i] = rng.Uint64()&^0xffff | 0x1234
		default:
			h.Hash[i] = rng.Uint64()
		}
		h.Has[i] = i%17 != 0
	}
	for _, radius := range []int{0, 3, 7, 11} {
		got, n := Groups(h, radius)
		want, wn := groupsMap(h, radius)
		if n != wn || !slices.Equal(got, want) {
			t.Fatalf("radius %d: %d groups, reference %d (or labels differ)", radius, n, wn)
		}
		if radius == 7 && n > len(h.Hash)-2000 {
			t.Fatalf("radius 7 merged only %d hashes: the planted copies were not found", len(h.Hash)-n)
		}
	}
}

func BenchmarkGroups(b *testing.B) {
	h := &Hashes{Hash: make([]uint64, 200000), Has: make([]bool, 200000)}
	x := uint64(88172645463325252)
	for i := range h.Hash {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		h.Hash[i], h.Has[i] = x, true
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Groups(h, 7)
	}
}
