package live

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/live/detect"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/server"
	"github.com/chorus-osint/chorus/internal/store"
	"github.com/chorus-osint/chorus/internal/synth"
)

// testLayers are the live layers whose planted groups the tests expect
// (image and near-text groups have no live form).
var testLayers = []string{"repost", "hashtag", "url", "text", "staggered"}

// event is a seeded synthetic event (internal/synth) read back with the
// real reader, with its ground truth.
type event struct {
	path  string // generic JSONL file
	posts []model.Post
	lab   synth.Labels
}

var (
	evOnce sync.Once
	ev     *event
	evErr  error
	evDir  string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "live-test-")
	if err != nil {
		panic(err)
	}
	evDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testPosts is the size of the synthetic event (CHORUS_LIVE_POSTS
// overrides it for a longer run).
func testPosts() int {
	if v := os.Getenv("CHORUS_LIVE_POSTS"); v != "" {
		if n, err := synth.ParseCount(v); err == nil {
			return n
		}
	}
	if raceEnabled {
		return 3000
	}
	return 8000
}

func synthEvent(tb testing.TB) *event {
	tb.Helper()
	evOnce.Do(func() {
		p := synth.Defaults()
		p.Posts = testPosts()
		p.Seed = 11
		e := &event{path: filepath.Join(evDir, "posts.jsonl")}
		lp := filepath.Join(evDir, "labels.json")
		ctx := context.Background()
		if _, evErr = synth.Generate(ctx, p, e.path, lp, nil); evErr != nil {
			return
		}
		b, err := os.ReadFile(lp)
		if err != nil {
			evErr = err
			return
		}
		if evErr = json.Unmarshal(b, &e.lab); evErr != nil {
			return
		}
		e.posts, _, _, evErr = LoadReplay(ctx, []string{e.path}, ingest.Options{})
		ev = e
	})
	if evErr != nil {
		tb.Fatal(evErr)
	}
	return ev
}

// testConfig is the live configuration of the tests: the whole event in
// the horizon, a fast tick.
func testConfig() config.Config {
	cfg := config.Default()
	cfg.Coord.Layers = testLayers
	cfg.Live.Horizon = 11 * 24 * time.Hour
	cfg.Live.Tick = 100 * time.Millisecond
	return cfg
}

func openStore(tb testing.TB, path string) *store.Store {
	tb.Helper()
	if path == "" {
		path = filepath.Join(tb.TempDir(), "chorus.db")
	}
	db, err := store.Open(context.Background(), path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func newPipeline(tb testing.TB, db *store.Store, cfg config.Config, det Detector) *Pipeline {
	tb.Helper()
	p, err := New(context.Background(), Options{Config: cfg, Store: db, Detector: det})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// sink records what ingesters report.
type sink struct {
	mu     sync.Mutex
	posts  int
	alerts []server.Alert
	at     []time.Time // wall time each alert arrived
}

func (s *sink) Posts(n int) { s.mu.Lock(); s.posts += n; s.mu.Unlock() }
func (s *sink) Alert(a server.Alert) {
	s.mu.Lock()
	s.alerts = append(s.alerts, a)
	s.at = append(s.at, time.Now())
	s.mu.Unlock()
}

func (s *sink) snapshot() ([]server.Alert, []time.Time, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]server.Alert(nil), s.alerts...), append([]time.Time(nil), s.at...), s.posts
}

// runIngester runs in on its own goroutine; the returned stop cancels it
// and waits for Run to return (failing the test on an error).
func runIngester(tb testing.TB, in server.Ingester, sk server.Sink) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx, sk) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					tb.Errorf("%s: %v", in.Name(), err)
				}
			case <-time.After(20 * time.Second):
				tb.Errorf("%s did not stop within 20 s of cancellation", in.Name())
			}
		})
	}
	tb.Cleanup(stop)
	return stop
}

// waitFor polls cond every 20 ms until it holds or the timeout passes.
func waitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// distinctKeys counts the distinct de-duplication keys of posts.
func distinctKeys(posts []model.Post) int {
	seen := map[string]bool{}
	var b []byte
	for i := range posts {
		b = appendKey(b[:0], &posts[i])
		seen[string(b)] = true
	}
	return len(seen)
}

func storeKeys(tb testing.TB, db *store.Store) int64 {
	c, err := db.LiveCounts(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return c.Keys
}

// countingDetector counts the posts it is given (exactly-once tests that
// do not need detection).
type countingDetector struct {
	mu    sync.Mutex
	n     int
	ids   map[string]int
	evals int
}

func (d *countingDetector) Add(posts []model.Post) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ids == nil {
		d.ids = map[string]int{}
	}
	d.n += len(posts)
	for i := range posts {
		d.ids[string(appendKey(nil, &posts[i]))]++
	}
}

func (d *countingDetector) Evaluate(ctx context.Context, now time.Time) (detectResult, error) {
	d.mu.Lock()
	d.evals++
	d.mu.Unlock()
	return detectResult{At: now}, nil
}

func (d *countingDetector) Snapshot() detectResult { return detectResult{} }

// counts returns posts given and the largest number of times one key was
// given.
func (d *countingDetector) counts() (n, maxPerKey int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.ids {
		maxPerKey = max(maxPerKey, c)
	}
	return d.n, maxPerKey
}

type detectResult = detect.Result
