package server

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/store"
)

// TestLoadLoopback is the bounded load test (loopback only): for a fixed
// duration (3 s by default; CHORUS_LOAD_SECONDS, at most 10) one client
// uploads the bundled sample again and again, each upload read by its
// ingest job, while readers hit the API. It reports ingest throughput and
// the API's p50/p99 latency, and checks that every upload was read whole
// (nothing lost) and no request failed. docs/benchmarks.md records a run.
func TestLoadLoopback(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	if raceEnabled {
		t.Skip("timing-bound: skipped under the race detector (the API tests cover the same paths with -race)")
	}
	secs := 3
	if v := os.Getenv("CHORUS_LOAD_SECONDS"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			secs = min(n, 10)
		}
	}
	const readers = 8
	const maxRequests = 200000
	ts := startServer(t)
	c := ts.tokenClient(store.RoleAnalyst)
	sample, err := os.ReadFile(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	// Data for the readers: one analysed run.
	up := uploadSample(t, c)
	c.do("POST", "/api/events", map[string]any{"name": "load", "t0": "2016-03-22T06:58:00Z"})
	code, body := c.do("POST", "/api/events/load/analyses", map[string]any{"uploads": []string{up.ID}, "params": map[string]any{"permutations": 5}})
	if code != 202 {
		t.Fatalf("analysis: %d %s", code, body)
	}
	var job JobView
	jsonUnmarshal(body, &job)
	j := c.waitJob(job.ID, 60*time.Second)
	if j.State != JobOK {
		t.Fatalf("analysis %+v", j)
	}
	run := fmt.Sprintf("/api/runs/%d", j.RunID)
	paths := []string{"/api/events", run + "/clusters", run + "/edges?cluster=0", run + "/accounts?limit=50", run + "/clusters/0/graph", "/api/jobs", run}

	deadline := time.Now().Add(time.Duration(secs) * time.Second)
	var requests, failures atomic.Int64
	var wg sync.WaitGroup
	lat := make([][]time.Duration, readers)
	for i := range readers {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rc := ts.tokenClient(store.RoleViewer)
			defer rc.hc.CloseIdleConnections()
			for k := 0; time.Now().Before(deadline); k++ {
				if requests.Add(1) > maxRequests {
					return
				}
				p := paths[(i+k)%len(paths)]
				start := time.Now()
				resp := rc.raw("GET", p, nil)
				_, _ = bytes.NewBuffer(nil).ReadFrom(resp.Body)
				resp.Body.Close()
				lat[i] = append(lat[i], time.Since(start))
				if resp.StatusCode != 200 {
					failures.Add(1)
				}
			}
		}(i)
	}
	var uploads, posts, lost int64
	var ingestTime time.Duration
	wg.Add(1)
	go func() {
		defer wg.Done()
		uc := ts.tokenClient(store.RoleAnalyst)
		defer uc.hc.CloseIdleConnections()
		for time.Now().Before(deadline) {
			start := time.Now()
			code, body := uc.do("POST", "/api/uploads?name=sample.csv.gz", bytes.NewReader(sample))
			if code != 201 {
				failures.Add(1)
				return
			}
			var res struct {
				Upload Upload  `json:"upload"`
				Job    JobView `json:"job"`
			}
			jsonUnmarshal(body, &res)
			v := uc.waitJob(res.Job.ID, 60*time.Second)
			ingestTime += time.Since(start)
			uploads++
			posts += v.Posts
			if v.State != JobOK || v.Posts != up.Posts {
				lost++
			}
		}
	}()
	wg.Wait()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
	if len(all) == 0 || uploads == 0 {
		t.Fatalf("no load generated: %d reads, %d uploads", len(all), uploads)
	}
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	elapsed := float64(secs)
	report := fmt.Sprintf("loopback load test, %d s, %d readers + 1 uploader (GOMAXPROCS %d)\n"+
		"ingest: %d uploads of the sample (%d posts, %.1f MB gz each): %.0f posts/s, %.1f MB/s of upload (upload+ingest wall time %.2f s)\n"+
		"API reads: %d requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms; failures %d; uploads not read whole %d\n",
		secs, readers, runtimeProcs(), uploads, up.Posts, float64(len(sample))/1e6, float64(posts)/ingestTime.Seconds(),
		float64(uploads)*float64(len(sample))/1e6/ingestTime.Seconds(), ingestTime.Seconds(),
		len(all), float64(len(all))/elapsed, ms(pct(0.5)), ms(pct(0.99)), ms(all[len(all)-1]), failures.Load(), lost)
	t.Log("\n" + report)
	if d := os.Getenv("CHORUS_ARTIFACTS"); d != "" {
		_ = os.MkdirAll(d, 0o755)
		_ = os.WriteFile(filepath.Join(d, "server-load.txt"), []byte(report), 0o644)
	}
	if failures.Load() > 0 || lost > 0 {
		t.Errorf("%d failed requests, %d uploads not read whole", failures.Load(), lost)
	}
	if pct(0.99) > 2*time.Second {
		t.Errorf("API p99 latency %v under load, want < 2 s", pct(0.99))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
