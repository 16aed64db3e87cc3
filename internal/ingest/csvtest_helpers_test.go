package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chorus-osint/chorus/internal/model"
)

// csvSharedData is where the real datasets live; tests that need them skip
// when it is absent.
const csvSharedData = "/work/shared/data"

// csvPosts reads input (as a file named name) with opts and returns the
// posts (deep copies) and stats.
func csvPosts(t testing.TB, name string, input []byte, opts Options) ([]model.Post, FileStats, error) {
	t.Helper()
	var posts []model.Post
	st, err := ReadStream(context.Background(), "-", bytes.NewReader(input), opts, func(p *model.Post) error {
		c := *p
		c.Hashtags = slices.Clone(p.Hashtags)
		c.Mentions = slices.Clone(p.Mentions)
		c.URLs = slices.Clone(p.URLs)
		c.Media = slices.Clone(p.Media)
		posts = append(posts, c)
		return nil
	})
	return posts, st, err
}

// csvFileEach reads a file on disk, calling fn for each post (which it
// must not keep), skipping the test when the file is absent.
func csvFileEach(t testing.TB, path string, opts Options, fn func(p *model.Post)) FileStats {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("dataset not available: %v", err)
	}
	st, err := ReadFile(context.Background(), path, opts, func(p *model.Post) error {
		fn(p)
		return nil
	})
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return st
}

// csvTestdata returns testdata/name.
func csvTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func gunzipForBench(tb testing.TB, raw []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		tb.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
