package pipeline

import (
	"context"
	"sync"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/stance"
)

// Stance holds the attribution stance of every post, by post index.
type Stance struct {
	Classifier  string
	Attribution []uint8 // index into stance.AttributionClasses
	Orientation []uint8 // index into stance.OrientationClasses
	Confidence  []float32
}

// classifyStance runs the classifier over every post on workers
// goroutines (classifiers are safe for concurrent use). Posts with the same
// matching text (retweets, copies) share the first copy's result: the
// classifier is deterministic on text, and the language hint only breaks
// ties the rules do not use.
func classifyStance(ctx context.Context, c *corpus.Corpus, cl stance.Classifier, name string, workers int) (*Stance, error) {
	n := c.Len()
	st := &Stance{Classifier: name, Attribution: make([]uint8, n), Orientation: make([]uint8, n), Confidence: make([]float32, n)}
	// rep[i] is the post whose result post i takes (itself when first).
	rep := make([]uint32, n)
	first := make(map[uint64]uint32, n/2)
	for i := 0; i < n; i++ {
		rep[i] = uint32(i)
		if h := c.TextHash[i]; h != 0 {
			if j, ok := first[h]; ok {
				rep[i] = j
			} else {
				first[h] = uint32(i)
			}
		}
	}
	first = nil
	const chunk = 4096
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < max(1, workers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for start := range next {
				for i := start; i < min(n, start+chunk); i++ {
					if rep[i] != uint32(i) {
						continue
					}
					lang := ""
					if l := c.Lang[i]; l != ^uint32(0) {
						lang = c.Langs.Key(l)
					}
					r := cl.Classify(c.Text.At(i), lang)
					st.Attribution[i] = uint8(max(0, stance.AttributionIndex(r.Attribution)))
					st.Orientation[i] = uint8(max(0, stance.OrientationIndex(r.Orientation)))
					st.Confidence[i] = float32(r.Confidence)
				}
			}
		}()
	}
	for start := 0; start < n; start += chunk {
		if ctx.Err() != nil {
			break
		}
		next <- start
	}
	close(next)
	wg.Wait()
	for i, r := range rep {
		if r != uint32(i) {
			st.Attribution[i], st.Orientation[i], st.Confidence[i] = st.Attribution[r], st.Orientation[r], st.Confidence[r]
		}
	}
	return st, ctx.Err()
}
