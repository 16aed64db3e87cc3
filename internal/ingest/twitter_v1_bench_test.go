package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"testing"

	"github.com/chorus-osint/chorus/internal/model"
)

// v1SamplePath is the full v1.1 sample; benchmarks fall back to testdata.
const v1SamplePath = "/work/shared/data/radicalization-tt-isis-hashtags-v11/tt_train_pro.jsonl.gz"

// loadV1Bench returns the decompressed v1.1 sample, or the testdata slice.
func loadV1Bench(b *testing.B) []byte {
	b.Helper()
	path := v1SamplePath
	if _, err := os.Stat(path); err != nil {
		path = "testdata/twitter_v1_sample.jsonl.gz"
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkTwitterV1JSONL(b *testing.B) {
	data := loadV1Bench(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var posts int64
	b.ResetTimer()
	for b.Loop() {
		st, err := ReadStream(context.Background(), "-", bytes.NewReader(data), Options{Format: "twitter-v1"}, func(*model.Post) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		posts += st.Posts
	}
	b.ReportMetric(float64(posts)/b.Elapsed().Seconds(), "posts/s")
}
