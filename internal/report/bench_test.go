package report

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/synth"
)

// benchDir returns a result directory of a synthetic event with
// $CHORUS_BENCH_POSTS posts (default 1,000,000), analysed once and cached
// under the temp dir (generation takes about a minute), or
// $CHORUS_BENCH_RESULT when set.
var benchDir = sync.OnceValues(func() (string, error) {
	if d := os.Getenv("CHORUS_BENCH_RESULT"); d != "" {
		return d, nil
	}
	posts := 1_000_000
	if s := os.Getenv("CHORUS_BENCH_POSTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return "", err
		}
		posts = n
	}
	dir := filepath.Join(os.TempDir(), "chorus-report-bench-"+strconv.Itoa(posts))
	if _, err := os.Stat(filepath.Join(dir, "posts.jsonl.gz")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	p := synth.Defaults()
	p.Posts, p.Seed = posts, 7
	p.T0 = time.Date(2015, 11, 13, 20, 20, 0, 0, time.UTC)
	p.TClaim = p.T0.Add(14 * time.Hour)
	in := filepath.Join(dir, "posts.jsonl.gz")
	if _, err := synth.Generate(context.Background(), p, in, filepath.Join(dir, "labels.json"), nil); err != nil {
		return "", err
	}
	return dir, nil
})

// BenchmarkRender renders the report of a 1M-post analysis: the report
// samples evidence.csv and edges.csv in one streaming pass each, so its
// time is dominated by reading those files.
func BenchmarkRender(b *testing.B) {
	dir, err := benchDir()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "results.json")); err != nil {
		c := analyzeTo(b, dir, map[string]string{"event": "bench", "t0": "2015-11-13T20:20:00Z", "t-claim": "2015-11-14T10:20:00Z"}, filepath.Join(dir, "posts.jsonl.gz"))
		if err := WriteCoverage(dir, ComputeCoverage(c)); err != nil {
			b.Fatal(err)
		}
	}
	var size int64
	for _, f := range []string{"results.json", "evidence.csv", "edges.csv"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err == nil {
			size += st.Size()
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Render(dir, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComputeCoverage measures the coverage pass over the corpus of
// the bundled sample.
func BenchmarkComputeCoverage(b *testing.B) {
	dir := b.TempDir()
	c := analyzeTo(b, dir, sampleSettings, samplePath)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ComputeCoverage(c)
	}
	b.ReportMetric(float64(c.Len()), "posts/op")
}
