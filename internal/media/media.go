// Package media computes perceptual hashes of the images behind a corpus's
// media keys and groups near-identical images, so the image layer matches a
// re-encoded, resized or lightly edited picture, not only byte-identical
// files.
//
// A media key yields a 64-bit perceptual hash when the input gave one
// ("phash:<16 hex digits>") or when it names an image file that exists
// (photos inside a Telegram export; JPEG, PNG or GIF), hashed with
// goimagehash's pHash (DCT of a 32×32 grey image). Other keys (URLs,
// platform media ids, sha256 hashes) keep exact matching.
package media

import (
	"fmt"
	"image"
	_ "image/gif"  // decoders for image.Decode
	_ "image/jpeg" //
	_ "image/png"  //
	"log/slog"
	"math/bits"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/corona10/goimagehash"

	"github.com/chorus-osint/chorus/internal/ids"
)

// MaxImageBytes bounds the size of an image file that is decoded (a
// decompression bomb guard: a small PNG can claim a huge canvas, so the
// header's dimensions are checked too, against MaxImagePixels).
const (
	MaxImageBytes  = 32 << 20
	MaxImagePixels = 50_000_000
)

// Hashes holds the perceptual hash per media ID; Has[i] says whether
// media i has one.
type Hashes struct {
	Hash []uint64
	Has  []bool
	// Files and Failed count image files hashed and files that could not
	// be decoded.
	Files, Failed int
}

// ParseHashKey parses "phash:<hex>" keys.
func ParseHashKey(k string) (uint64, bool) {
	hex, ok := strings.CutPrefix(k, "phash:")
	if !ok || len(hex) == 0 || len(hex) > 16 {
		return 0, false
	}
	v, err := strconv.ParseUint(hex, 16, 64)
	return v, err == nil
}

// Compute returns the perceptual hash of every media key that has or names
// one. Files are decoded on workers goroutines.
func Compute(keys []string, workers int, log *slog.Logger) *Hashes {
	h := &Hashes{Hash: make([]uint64, len(keys)), Has: make([]bool, len(keys))}
	var files []int
	for i, k := range keys {
		if v, ok := ParseHashKey(k); ok {
			h.Hash[i], h.Has[i] = v, true
			continue
		}
		if isImagePath(k) {
			files = append(files, i)
		}
	}
	if len(files) == 0 {
		return h
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < max(1, workers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				v, err := hashFile(keys[i])
				mu.Lock()
				if err != nil {
					h.Failed++
					if log != nil && h.Failed <= 5 {
						log.Warn("image not hashed", "file", keys[i], "err", err)
					}
				} else {
					h.Hash[i], h.Has[i] = v, true
					h.Files++
				}
				mu.Unlock()
			}
		}()
	}
	for _, i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return h
}

func isImagePath(k string) bool {
	if strings.Contains(k, "://") {
		return false
	}
	l := strings.ToLower(k)
	return strings.HasSuffix(l, ".jpg") || strings.HasSuffix(l, ".jpeg") || strings.HasSuffix(l, ".png") || strings.HasSuffix(l, ".gif")
}

func hashFile(path string) (uint64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	if !st.Mode().IsRegular() {
		return 0, fmt.Errorf("not a regular file")
	}
	if st.Size() > MaxImageBytes {
		return 0, fmt.Errorf("image larger than %d bytes", MaxImageBytes)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return 0, err
	}
	if cfg.Width*cfg.Height > MaxImagePixels {
		return 0, fmt.Errorf("image claims %d×%d pixels, more than %d", cfg.Width, cfg.Height, MaxImagePixels)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return 0, err
	}
	img, _, err := image.Decode(f)
	if err != nil {
		return 0, err
	}
	ph, err := goimagehash.PerceptionHash(img)
	if err != nil {
		return 0, err
	}
	return ph.GetHash(), nil
}

// Groups assigns each media ID an image object: media whose perceptual
// hashes are within radius bits of each other share one object (single
// linkage); media without a hash keep an object of their own. The result
// maps media ID → object ID (dense, in order of first media ID).
//
// The search is not all-pairs: it is multi-index hashing. The 64-bit hash
// is cut into four 16-bit blocks; two hashes within radius r differ in at
// least one block by at most r/4 bits (pigeonhole), so each hash probes, in
// each block, the buckets of the values within r/4 bits of its own, and
// compares the full hashes only there — and with at most maxProbe members
// of any one bucket, so a value shared by thousands of images (blank
// pictures) stays bounded. radius is capped at 11 (r/4 <= 2).
func Groups(h *Hashes, radius int) (obj []uint32, n int) {
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
	const maxProbe = 64
	var probes []uint16
	// Buckets of one 16-bit block as a counting sort (start offsets over
	// all 65,536 values, items in increasing index), not a map: the probes
	// are array reads (10M synth: a map here took most of the phase).
	start := make([]uint32, 1<<16+1)
	items := make([]uint32, 0, m)
	for blk := 0; blk < 4; blk++ {
		clear(start)
		for i := 0; i < m; i++ {
			if h.Has[i] {
				start[int(uint16(h.Hash[i]>>(16*blk)))+1]++
			}
		}
		for v := 1; v < len(start); v++ {
			start[v] += start[v-1]
		}
		items = items[:start[1<<16]]
		fill := slices.Clone(start[:1<<16])
		for i := 0; i < m; i++ {
			if h.Has[i] {
				v := uint16(h.Hash[i] >> (16 * blk))
				items[fill[v]] = uint32(i)
				fill[v]++
			}
		}
		for i := 0; i < m; i++ {
			if !h.Has[i] {
				continue
			}
			probes = neighbours(uint16(h.Hash[i]>>(16*blk)), sub, probes[:0])
			for _, v := range probes {
				b := items[start[v]:start[int(v)+1]]
				for k := 0; k < len(b) && k < maxProbe; k++ {
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
		label[i] = ids.None
	}
	for i := 0; i < m; i++ {
		r := find(uint32(i))
		if label[r] == ids.None {
			label[r] = uint32(n)
			n++
		}
		obj[i] = label[r]
	}
	return obj, n
}

// neighbours appends v and every 16-bit value within d <= 2 bits of it.
func neighbours(v uint16, d int, dst []uint16) []uint16 {
	dst = append(dst, v)
	if d >= 1 {
		for a := 0; a < 16; a++ {
			dst = append(dst, v^1<<a)
			if d >= 2 {
				for b := a + 1; b < 16; b++ {
					dst = append(dst, v^1<<a^1<<b)
				}
			}
		}
	}
	return dst
}
