package detect

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// benchDetector holds a whole synthetic event of n posts.
func benchDetector(b *testing.B, n int) (*Detector, *event) {
	ev := synthEvent(b, n)
	cfg := testConfig(detectLayers...)
	cfg.Live.Horizon = 11 * 24 * time.Hour
	d, err := New(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	return d, ev
}

// BenchmarkAdd measures Add throughput (posts/s) over a 100k-post event
// fed in batches of 500, from an empty detector.
func BenchmarkAdd(b *testing.B) {
	_, ev := benchDetector(b, 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		d, _ := benchDetector(b, 100_000)
		b.StartTimer()
		c0 := cpuTime()
		feed(d, ev.posts, 500)
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(len(ev.posts))*float64(b.N)/b.Elapsed().Seconds(), "posts/s")
	b.ReportMetric(float64(len(ev.posts))*float64(b.N)/cpu.Seconds(), "posts/cpu-s")
}

func benchEvaluate(b *testing.B, n int) {
	d, ev := benchDetector(b, n)
	feed(d, ev.posts, 1000)
	st := d.Stats()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	var r Result
	cpu0 := cpuTime()
	for b.Loop() {
		var err error
		if r, err = d.Evaluate(ctx, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(st.Posts), "held-posts")
	b.ReportMetric(float64(st.Pairs), "held-pairs")
	b.ReportMetric(float64(st.Bytes)/float64(st.Posts), "state-bytes/post")
	b.ReportMetric(float64(len(r.Clusters)), "clusters")
}

// BenchmarkEvaluate100k and BenchmarkEvaluate1M measure one tick over 100k
// and 1M held posts (5 layers).
func BenchmarkEvaluate100k(b *testing.B) { benchEvaluate(b, 100_000) }
func BenchmarkEvaluate1M(b *testing.B)   { benchEvaluate(b, 1_000_000) }

// cpuTime is the process's user+system CPU time: on a shared machine it
// is steadier than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
