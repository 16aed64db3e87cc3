package media

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
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
		t.Errorf("resized copy not grouped: hashes %016x %016x (distance %d)", h.Hash[0], h.Hash[2], popcount(h.Hash[0]^h.Hash[2]))
	}
	if obj[0] == obj[4] {
		t.Errorf("different picture grouped with the first (distance %d)", popcount(h.Hash[0]^h.Hash[4]))
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
