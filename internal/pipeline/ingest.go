package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
)

// Input records one input file: its identity (for reproducibility) and
// what was read from it.
type Input struct {
	Path   string           `json:"path"`
	SHA256 string           `json:"sha256"`
	Size   int64            `json:"size"`
	Stats  ingest.FileStats `json:"stats"`
}

// batchSize is how many posts a reader hands to the builder at once.
const batchSize = 2048

type batch struct {
	posts []model.Post
	n     int
}

// Ingest reads files concurrently (one goroutine per file, up to workers)
// and interns their posts into a corpus on one builder goroutine, so that
// decoding and normalization use two cores even for a single file. Inputs
// are returned in argument order with their hashes and stats. A file that
// cannot be read at all is an error; malformed records are counted.
func Ingest(ctx context.Context, files []string, opts ingest.Options, workers int, log *slog.Logger, prog *Progress) (*corpus.Corpus, []Input, error) {
	if workers < 1 {
		workers = 1
	}
	inputs := make([]Input, len(files))
	for i, f := range files {
		inputs[i].Path = f
		if f == "-" {
			continue
		}
		sum, size, err := hashFile(f)
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", f, err)
		}
		inputs[i].SHA256, inputs[i].Size = sum, size
	}

	pool := sync.Pool{New: func() any { return &batch{posts: make([]model.Post, batchSize)} }}
	ch := make(chan *batch, 8)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	b := corpus.NewBuilder(1 << 16)
	buildDone := make(chan struct{})
	go func() {
		defer close(buildDone)
		for bt := range ch {
			for i := 0; i < bt.n; i++ {
				b.Add(&bt.posts[i])
			}
			prog.AddPosts(int64(bt.n))
			bt.n = 0
			pool.Put(bt)
		}
	}()

	errs := make([]error, len(files))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, f string) {
			defer wg.Done()
			defer func() { <-sem }()
			cur := pool.Get().(*batch)
			st, err := ingest.ReadFile(ctx, f, opts, func(p *model.Post) error {
				cur.posts[cur.n].CopyFrom(p)
				cur.n++
				if cur.n == batchSize {
					select {
					case ch <- cur:
					case <-ctx.Done():
						return ctx.Err()
					}
					cur = pool.Get().(*batch)
				}
				return nil
			})
			if cur.n > 0 && err == nil {
				ch <- cur
			}
			inputs[i].Stats = st
			if err != nil {
				errs[i] = err
				cancel()
				return
			}
			if log != nil {
				log.Info("read input", "file", f, "format", st.Format, "posts", st.Posts, "skipped", st.Skipped)
			}
		}(i, f)
	}
	wg.Wait()
	close(ch)
	<-buildDone
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, inputs, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, inputs, err
	}
	return b.Build(), inputs, nil
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
