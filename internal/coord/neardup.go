package coord

import (
	"hash/fnv"
	"slices"
	"sync"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/normalize"
)

// NearDup assigns posts to near-duplicate text clusters (the near_text
// layer's objects): Cluster[i] is post i's cluster or ids.None.
type NearDup struct {
	Cluster     []uint32
	NumClusters int
	// Texts is the number of distinct texts considered, Candidates the
	// LSH candidate comparisons made.
	Texts      int
	Candidates int64
}

// NearDupParams configure NearDuplicates.
type NearDupParams struct {
	// Threshold is the estimated Jaccard similarity of character
	// 5-shingle sets at or above which two texts are near-duplicates.
	Threshold float64
	// MinRunes is the shortest normalized text considered.
	MinRunes int
	Seed     uint64
	Workers  int
}

// LSH layout: sigLen MinHash values per text, split into bands of rows.
// With 8 bands of 4 rows the candidate probability is 1-(1-J^4)^8: 0.86 at
// J = 0.7, 0.98 at 0.8, 0.05 at 0.35.
const (
	sigLen    = 32
	lshBands  = 8
	lshRows   = sigLen / lshBands
	shingleK  = 5
	sigBucket = 1 << 12 // posts per signature work unit
)

// NearDuplicates clusters the corpus's texts. Exact duplicates (same
// TextHash) are collapsed first; each distinct text gets a 32-value MinHash
// signature (16-bit values: 64 bytes per text); texts sharing an LSH band
// are compared with the first text of that band bucket only (a star, so a
// bucket of k texts costs k comparisons, never k²), and matches at or above
// the threshold are merged with a union-find.
func NearDuplicates(c *corpus.Corpus, p NearDupParams) *NearDup {
	n := c.Len()
	nd := &NearDup{Cluster: make([]uint32, n)}
	for i := range nd.Cluster {
		nd.Cluster[i] = ids.None
	}
	// Distinct texts: first post index per TextHash (reposts excluded).
	textOf := make([]int32, n)
	firstByHash := map[uint64]int32{}
	var reps []uint32 // representative post per distinct text
	for i := 0; i < n; i++ {
		textOf[i] = -1
		h := c.TextHash[i]
		if h == 0 || c.Repost[i] != ids.None {
			continue
		}
		t, ok := firstByHash[h]
		if !ok {
			t = int32(len(reps))
			firstByHash[h] = t
			reps = append(reps, uint32(i))
		}
		textOf[i] = t
	}
	firstByHash = nil
	m := len(reps)
	nd.Texts = m
	sigs := make([]uint16, m*sigLen)
	ok := make([]bool, m)
	workers := max(1, p.Workers)
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mh := normalize.NewMinHasher(sigLen, p.Seed)
			var buf []byte
			var sh, sig []uint64
			for start := range next {
				for t := start; t < min(m, start+sigBucket); t++ {
					buf = normalize.AppendMatchText(buf[:0], c.Text.At(int(reps[t])))
					if runeLen(buf) < p.MinRunes {
						continue
					}
					sh = normalize.ShinglesBytes(buf, shingleK, sh[:0])
					if len(sh) == 0 {
						continue
					}
					sig = mh.Signature(sh, sig[:0])
					for k := 0; k < sigLen; k++ {
						sigs[t*sigLen+k] = uint16(sig[k])
					}
					ok[t] = true
				}
			}
		}()
	}
	for start := 0; start < m; start += sigBucket {
		next <- start
	}
	close(next)
	wg.Wait()

	uf := newUnionFind(m)
	type bandKey struct {
		h uint64
		t uint32
	}
	keys := make([]bandKey, 0, m)
	for b := 0; b < lshBands; b++ {
		keys = keys[:0]
		for t := 0; t < m; t++ {
			if !ok[t] {
				continue
			}
			h := fnv.New64a()
			row := sigs[t*sigLen+b*lshRows : t*sigLen+(b+1)*lshRows]
			var bs [2 * lshRows]byte
			for k, v := range row {
				bs[2*k], bs[2*k+1] = byte(v), byte(v>>8)
			}
			h.Write(bs[:])
			keys = append(keys, bandKey{h.Sum64(), uint32(t)})
		}
		slices.SortFunc(keys, func(x, y bandKey) int {
			switch {
			case x.h < y.h:
				return -1
			case x.h > y.h:
				return 1
			}
			return int(x.t) - int(y.t)
		})
		for i := 0; i < len(keys); {
			j := i + 1
			for j < len(keys) && keys[j].h == keys[i].h {
				j++
			}
			head := keys[i].t
			for k := i + 1; k < j; k++ {
				t := keys[k].t
				nd.Candidates++
				if uf.find(head) == uf.find(t) {
					continue
				}
				if estJaccard(sigs[int(head)*sigLen:int(head+1)*sigLen], sigs[int(t)*sigLen:int(t+1)*sigLen]) >= p.Threshold {
					uf.union(head, t)
				}
			}
			i = j
		}
	}
	// Number clusters with two or more posts, in order of first post.
	size := make([]int32, m)
	for i := 0; i < n; i++ {
		if t := textOf[i]; t >= 0 {
			size[uf.find(uint32(t))]++
		}
	}
	label := make([]uint32, m)
	for i := range label {
		label[i] = ids.None
	}
	for i := 0; i < n; i++ {
		t := textOf[i]
		if t < 0 {
			continue
		}
		r := uf.find(uint32(t))
		if size[r] < 2 {
			continue
		}
		if label[r] == ids.None {
			label[r] = uint32(nd.NumClusters)
			nd.NumClusters++
		}
		nd.Cluster[i] = label[r]
	}
	return nd
}

func estJaccard(a, b []uint16) float64 {
	eq := 0
	for k := range a {
		if a[k] == b[k] {
			eq++
		}
	}
	return float64(eq) / float64(len(a))
}

func runeLen(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// unionFind with path halving and union by size.
type unionFind struct {
	parent []uint32
	size   []uint32
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]uint32, n), size: make([]uint32, n)}
	for i := range u.parent {
		u.parent[i] = uint32(i)
		u.size[i] = 1
	}
	return u
}

func (u *unionFind) find(x uint32) uint32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

func (u *unionFind) union(a, b uint32) {
	a, b = u.find(a), u.find(b)
	if a == b {
		return
	}
	if u.size[a] < u.size[b] || (u.size[a] == u.size[b] && a > b) {
		a, b = b, a
	}
	u.parent[b] = a
	u.size[a] += u.size[b]
}
