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
	cpu0 := processCPU()
	for b.Loop() {
		st, err := ReadStream(context.Background(), "-", bytes.NewReader(data), Options{Format: "twitter-v1"}, func(*model.Post) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		posts += st.Posts
	}
	reportRates(b, posts, cpu0, int64(len(data)))
}

// BenchmarkTwitterV1Array reads the same sample as one pretty-printed
// top-level array (the streamed element scanner path).
func BenchmarkTwitterV1Array(b *testing.B) {
	data := loadV1Bench(b)
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	arr := append([]byte("[\n"), bytes.Join(lines, []byte(",\n"))...)
	arr = append(arr, "\n]\n"...)
	b.SetBytes(int64(len(arr)))
	b.ReportAllocs()
	var posts int64
	cpu0 := processCPU()
	for b.Loop() {
		st, err := ReadStream(context.Background(), "-", bytes.NewReader(arr), Options{Format: "twitter-v1"}, func(*model.Post) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		posts += st.Posts
	}
	reportRates(b, posts, cpu0, int64(len(arr)))
}

// BenchmarkTwitterV2Pages reads twarc2 response pages.
func BenchmarkTwitterV2Pages(b *testing.B) {
	path := "/work/shared/data/twarc2-v2-jsonl-samples/2sets.jsonl"
	if _, err := os.Stat(path); err != nil {
		path = "testdata/twitter_v2_stream_error.jsonl"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var posts int64
	cpu0 := processCPU()
	for b.Loop() {
		st, err := ReadStream(context.Background(), "-", bytes.NewReader(data), Options{Format: "twitter-v2"}, func(*model.Post) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		posts += st.Posts
	}
	reportRates(b, posts, cpu0, int64(len(data)))
}

// reportRates reports posts per wall second and, where measurable, MB and
// posts per CPU second of the whole process (decoding plus GC).
func reportRates(b *testing.B, posts int64, cpu0 float64, size int64) {
	b.ReportMetric(float64(posts)/b.Elapsed().Seconds(), "posts/s")
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)*float64(size)/cpu/1e6, "MB/cpu-s")
		b.ReportMetric(float64(posts)/cpu, "posts/cpu-s")
	}
}
