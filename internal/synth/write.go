package synth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"

	"github.com/chorus-osint/chorus/internal/safefile"
)

// chunkPosts is how many posts one render job holds. With gzip each chunk
// is one gzip member (a multi-member file, which every gzip reader
// accepts), so chunks compress in parallel and the bytes do not depend on
// the number of workers.
const chunkPosts = 16384

// gzipLevel trades size for speed; fixed so output is reproducible.
const gzipLevel = 4

// writePosts renders all posts in file order into path, atomically.
func (g *generator) writePosts(ctx context.Context, path string, gz bool) error {
	return safefile.Write(path, func(w io.Writer) error {
		return g.renderTo(ctx, w, gz)
	})
}

// renderTo renders chunks on p.Workers goroutines and writes them in order.
func (g *generator) renderTo(ctx context.Context, w io.Writer, gz bool) error {
	n := len(g.recs)
	nch := (n + chunkPosts - 1) / chunkPosts
	workers := max(1, g.p.Workers)
	type job struct {
		idx int
		out chan []byte
	}
	jobs := make(chan job, workers*2)
	order := make(chan chan []byte, workers*2)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var rs render
			var raw []byte
			var zw *gzip.Writer
			for j := range jobs {
				lo := j.idx * chunkPosts
				hi := min(n, lo+chunkPosts)
				raw = raw[:0]
				for i := lo; i < hi; i++ {
					raw = g.appendPost(raw, int32(i), &rs)
				}
				if !gz {
					j.out <- bytes.Clone(raw)
					continue
				}
				var buf bytes.Buffer
				buf.Grow(len(raw) / 3)
				if zw == nil {
					zw, _ = gzip.NewWriterLevel(&buf, gzipLevel)
				} else {
					zw.Reset(&buf)
				}
				zw.Write(raw) // writes to a bytes.Buffer cannot fail
				zw.Close()
				j.out <- buf.Bytes()
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(order)
		// A chunk is queued for a worker before its result slot is handed to
		// the writer, so every slot the writer waits on gets filled.
		for i := range nch {
			c := make(chan []byte, 1)
			select {
			case jobs <- job{idx: i, out: c}:
			case <-ctx.Done():
				return
			}
			select {
			case order <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	var err error
	for c := range order {
		b := <-c
		if err == nil {
			if err = ctx.Err(); err == nil {
				_, err = w.Write(b)
			}
			if err != nil {
				cancel()
			}
		}
	}
	wg.Wait()
	if err == nil && n == 0 {
		err = errEmpty
	}
	return err
}

// writeLabels writes l as indented JSON, atomically.
func writeLabels(path string, l *Labels) error {
	b, err := json.MarshalIndent(l, "", " ")
	if err != nil {
		return fmt.Errorf("encode labels: %w", err)
	}
	return safefile.WriteBytes(path, append(b, '\n'))
}
