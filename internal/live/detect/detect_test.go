package detect

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
)

// detectLayers are the layers of the detection tests; planted groups of
// other layers (image, near_text copypasta) are neither positives nor
// negatives in scoring.
var detectLayers = []string{"repost", "hashtag", "url", "text", "staggered"}

// score is account-level precision/recall against the synth labels.
type score struct {
	tp, fp, fn, organic int
}

func (s score) f1() float64 {
	if s.tp == 0 {
		return 0
	}
	p := float64(s.tp) / float64(s.tp+s.fp)
	r := float64(s.tp) / float64(s.tp+s.fn)
	return 2 * p * r / (p + r)
}

func (s score) fpRate() float64 { return float64(s.fp) / float64(max(1, s.organic)) }

func (s score) String() string {
	return fmt.Sprintf("F1 %.3f (tp %d, fp %d, fn %d; organic flagged %.4f of %d)", s.f1(), s.tp, s.fp, s.fn, s.fpRate(), s.organic)
}

// scoreAccounts scores flagged account ids.
func scoreAccounts(ev *event, flagged map[string]bool) score {
	inLayer := map[string]bool{}
	for _, l := range detectLayers {
		inLayer[l] = true
	}
	pos, skip := map[string]bool{}, map[string]bool{}
	for _, g := range ev.lab.Groups {
		for _, m := range g.Members {
			if inLayer[g.Layer] {
				pos[m] = true
			} else {
				skip[m] = true
			}
		}
	}
	for _, a := range ev.lab.Ignored {
		skip[a] = true
	}
	var s score
	all := map[string]bool{}
	for i := range ev.posts {
		all[ev.posts[i].AccountID] = true
	}
	for a := range all {
		switch {
		case pos[a] && flagged[a]:
			s.tp++
		case pos[a]:
			s.fn++
		case skip[a] && !pos[a]:
		default:
			s.organic++
			if flagged[a] {
				s.fp++
			}
		}
	}
	return s
}

// handleToID maps the names the detector reports back to account ids.
func handleToID(posts []model.Post) map[string]string {
	m := map[string]string{}
	for i := range posts {
		p := &posts[i]
		name := p.Handle
		if name == "" {
			name = p.AccountID
		}
		m[name] = p.AccountID
	}
	return m
}

// batchRun runs the batch engine and its group and membership tests on
// posts, as analyze does.
func batchRun(t *testing.T, cfg config.Config, posts []model.Post) (*corpus.Corpus, *coord.Result) {
	t.Helper()
	b := corpus.NewBuilder(len(posts))
	for i := range posts {
		b.Add(&posts[i])
	}
	c := b.Build()
	params, err := pipeline.CoordParams(&cfg, cfg.Coord.Windows[0])
	if err != nil {
		t.Fatal(err)
	}
	res, err := coord.Run(context.Background(), c, params, nil)
	if err != nil {
		t.Fatal(err)
	}
	pipeline.TestGroups(context.Background(), res, &cfg)
	return c, res
}

// batchFlagged runs the batch engine, its group and membership tests and
// the network on posts, and returns the flagged account ids.
func batchFlagged(t *testing.T, cfg config.Config, posts []model.Post) map[string]bool {
	c, res := batchRun(t, cfg, posts)
	return networkFlagged(c, res, cfg)
}

// networkFlagged returns the account ids in the clusters of a batch
// result's network.
func networkFlagged(c *corpus.Corpus, res *coord.Result, cfg config.Config) map[string]bool {
	net := pipeline.BuildNetwork(c, res, &cfg)
	out := map[string]bool{}
	for _, cl := range net.Clusters {
		for _, a := range cl.Accounts {
			out[c.AccountID(a)] = true
		}
	}
	return out
}

// liveOnce feeds posts to a new detector and evaluates once; it returns
// the result and the flagged account names.
func liveOnce(t *testing.T, cfg config.Config, posts []model.Post) (Result, map[string]bool) {
	t.Helper()
	d, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	feed(d, posts, 500)
	r, err := d.Evaluate(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[string]bool{}
	for _, cl := range r.Clusters {
		for _, a := range cl.Accounts {
			flagged[a] = true
		}
	}
	return r, flagged
}

func flaggedOf(r Result, ids map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, c := range r.Clusters {
		for _, a := range c.Accounts {
			out[ids[a]] = true
		}
	}
	return out
}

// TestPlantedClustersFound streams a synthetic event into the detector,
// evaluating as a tick would, and checks that the planted groups are
// found with account F1 comparable to the batch engine on the same posts,
// that organic accounts are not flagged, that cluster IDs are stable and
// that each cluster is reported in Result.New once.
func TestPlantedClustersFound(t *testing.T) {
	ev := synthEvent(t, 30000)
	cfg := testConfig(detectLayers...)
	cfg.Live.Horizon = 11 * 24 * time.Hour // hold the whole event: same posts as the batch run
	d, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := handleToID(ev.posts)
	reported := map[int]int{} // cluster ID -> evaluations that reported it new
	var last Result
	ctx := context.Background()
	step := len(ev.posts) / 12
	for i := 0; i < len(ev.posts); i += step {
		feed(d, ev.posts[i:min(len(ev.posts), i+step)], 200)
		r, err := d.Evaluate(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.New {
			reported[c.ID]++
		}
		last = r
	}
	for id, n := range reported {
		if n != 1 {
			t.Errorf("cluster %d reported new %d times", id, n)
		}
	}
	for _, c := range last.Clusters {
		if reported[c.ID] == 0 {
			t.Errorf("cluster %d (%d accounts) never reported in New", c.ID, len(c.Accounts))
		}
		if c.FirstCoAction.IsZero() || c.LastCoAction.Before(c.FirstCoAction) || c.FirstPostSeen.IsZero() || len(c.TopObjects) == 0 {
			t.Errorf("cluster %d badly described: %+v", c.ID, c)
		}
	}
	// Re-evaluating unchanged state keeps every ID and reports nothing.
	again, err := d.Evaluate(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(again.New) != 0 || !sameIDs(last, again) {
		t.Fatalf("re-evaluation changed clusters: new %d, ids %v vs %v", len(again.New), clusterIDs(last), clusterIDs(again))
	}
	if s := d.Snapshot(); !sameIDs(s, again) {
		t.Fatal("snapshot differs from the last evaluation")
	}

	live := scoreAccounts(ev, flaggedOf(last, ids))
	batch := scoreAccounts(ev, batchFlagged(t, cfg, ev.posts))
	t.Logf("live:  %v; %d clusters, %d layers, eval %d ms", live, len(last.Clusters), len(last.Layers), last.EvalMillis)
	t.Logf("batch: %v", batch)
	for _, l := range last.Layers {
		t.Logf("  layer %+v", l)
	}
	if live.f1() < 0.85 {
		t.Errorf("live account F1 %.3f < 0.85", live.f1())
	}
	if live.f1() < batch.f1()-0.05 {
		t.Errorf("live account F1 %.3f is more than 0.05 below the batch engine's %.3f", live.f1(), batch.f1())
	}
	if live.fpRate() > 0.01 {
		t.Errorf("%.4f of organic accounts flagged (> 1%%)", live.fpRate())
	}
}

func clusterIDs(r Result) []int {
	var out []int
	for _, c := range r.Clusters {
		out = append(out, c.ID)
	}
	slices.Sort(out)
	return out
}

func sameIDs(a, b Result) bool { return slices.Equal(clusterIDs(a), clusterIDs(b)) }

// TestT0GatesAlerts: with T0 after every post, clusters are found but
// none is reported as new.
func TestT0GatesAlerts(t *testing.T) {
	ev := synthEvent(t, 30000)
	cfg := testConfig(detectLayers...)
	cfg.Live.Horizon = 11 * 24 * time.Hour
	cfg.Event.T0 = ev.lab.End.Add(time.Hour).Format(time.RFC3339)
	d, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	feed(d, ev.posts, 1000)
	r, err := d.Evaluate(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Clusters) == 0 || len(r.New) != 0 {
		t.Fatalf("%d clusters, %d new; want clusters and none new before T0", len(r.Clusters), len(r.New))
	}
}

// TestBoundedMemory feeds far more posts than MaxPosts: the held posts,
// accounts, objects and pairs stay bounded, and so does the memory
// estimate once the bound is reached.
func TestBoundedMemory(t *testing.T) {
	ev := synthEvent(t, 30000)
	cfg := testConfig(detectLayers...)
	cfg.Live.Horizon = 11 * 24 * time.Hour
	cfg.Live.MaxPosts = 3000
	d, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	var peak Stats
	var samples []int
	for i := 0; i < len(ev.posts); i += 1000 {
		feed(d, ev.posts[i:min(len(ev.posts), i+1000)], 100)
		st := d.Stats()
		if st.Posts > cfg.Live.MaxPosts {
			t.Fatalf("holding %d posts > bound %d", st.Posts, cfg.Live.MaxPosts)
		}
		if st.Accounts > st.Posts || st.Actions > 4*st.Posts*len(detectLayers) {
			t.Fatalf("state not bounded by held posts: %+v", st)
		}
		peak.Bytes = max(peak.Bytes, st.Bytes)
		samples = append(samples, st.Bytes)
	}
	st := d.Stats()
	if st.Dropped != int64(len(ev.posts)-cfg.Live.MaxPosts) {
		t.Fatalf("dropped %d, want %d", st.Dropped, len(ev.posts)-cfg.Live.MaxPosts)
	}
	// 10x the bound was fed; the state must not grow with it.
	full := samples[cfg.Live.MaxPosts/1000]
	if peak.Bytes > 8*full {
		t.Fatalf("memory grows with the stream: %d bytes at the bound, peak %d (%v)", full, peak.Bytes, samples)
	}
	t.Logf("final %+v; bytes per sample %v", st, samples)
}

// TestConcurrentUse runs Add, Evaluate and Snapshot from several
// goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	ev := synthEvent(t, 30000)
	cfg := testConfig(detectLayers...)
	d, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	posts := ev.posts[:12000]
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w * 100; i < len(posts); i += 300 {
				d.Add(posts[i:min(len(posts), i+100)])
			}
		}(w)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := d.Evaluate(context.Background(), time.Now()); err != nil {
				t.Error(err)
				return
			}
			_ = d.Snapshot()
		}
	}()
	wg.Wait()
	close(stop)
	<-done
	if st := d.Stats(); st.Posts == 0 {
		t.Fatal("nothing held")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cfg := testConfig("near_text", "image")
	if _, err := New(cfg, nil); err == nil {
		t.Fatal("no live layer accepted")
	}
	cfg = testConfig("repost")
	cfg.Live.Horizon = 0
	if _, err := New(cfg, nil); err == nil {
		t.Fatal("zero horizon accepted")
	}
}
