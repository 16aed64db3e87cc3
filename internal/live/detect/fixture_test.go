package detect

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/synth"
)

// event is a synthetic event (internal/synth) read back by the real
// ingest reader, in file (time) order, with its ground truth.
type event struct {
	posts []model.Post
	lab   synth.Labels
}

var (
	fixtures   sync.Map // posts count -> *fixture
	fixtureDir string
)

type fixture struct {
	once sync.Once
	ev   *event
	err  error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "detect-test-")
	if err != nil {
		panic(err)
	}
	fixtureDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// synthEvent generates (once per size) a seeded synthetic event of n posts.
func synthEvent(tb testing.TB, n int) *event {
	tb.Helper()
	v, _ := fixtures.LoadOrStore(n, &fixture{})
	f := v.(*fixture)
	f.once.Do(func() { f.ev, f.err = genEvent(n) })
	if f.err != nil {
		tb.Fatal(f.err)
	}
	return f.ev
}

func genEvent(n int) (*event, error) {
	p := synth.Defaults()
	p.Posts = n
	p.Seed = 7
	p.T0 = time.Date(2015, 11, 13, 20, 20, 0, 0, time.UTC)
	pp := filepath.Join(fixtureDir, "posts.jsonl")
	lp := filepath.Join(fixtureDir, "labels.json")
	ctx := context.Background()
	if _, err := synth.Generate(ctx, p, pp, lp, nil); err != nil {
		return nil, err
	}
	ev := &event{posts: make([]model.Post, 0, n)}
	b, err := os.ReadFile(lp)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &ev.lab); err != nil {
		return nil, err
	}
	_, err = ingest.ReadFile(ctx, pp, ingest.Options{}, func(p *model.Post) error {
		q := *p
		q.Hashtags = slices.Clone(p.Hashtags)
		q.URLs = slices.Clone(p.URLs)
		q.Mentions = slices.Clone(p.Mentions)
		q.Media = slices.Clone(p.Media)
		ev.posts = append(ev.posts, q)
		return nil
	})
	return ev, err
}

// testConfig is the default config with the given live layers.
func testConfig(layers ...string) config.Config {
	cfg := config.Default()
	cfg.Coord.Layers = layers
	cfg.Live.Horizon = 24 * time.Hour
	return cfg
}

// feed adds posts in batches of size bs.
func feed(d *Detector, posts []model.Post, bs int) {
	for i := 0; i < len(posts); i += bs {
		d.Add(posts[i:min(len(posts), i+bs)])
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// fed is the number of posts the detector received (accepted, dropped or
// duplicate), for tests that feed a prefix at a time.
func (d *Detector) fed() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.received
}

// checkpoints are feed positions in the busy part of the event: 12 h and
// 36 h after T0 (when a 24 h horizon has dropped the pre-event posts), and
// the end.
func (ev *event) checkpoints() []int {
	at := func(t time.Time) int {
		i, _ := slices.BinarySearchFunc(ev.posts, t, func(p model.Post, t time.Time) int { return p.Time.Compare(t) })
		return i
	}
	return []int{at(ev.lab.T0.Add(12 * time.Hour)), at(ev.lab.T0.Add(36 * time.Hour)), len(ev.posts)}
}
