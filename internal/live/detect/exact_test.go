package detect

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
)

// liveLayers are every layer with a live form.
var liveLayers = []string{"repost", "hashtag", "hashtag_seq", "url", "domain", "text", "reply", "mention", "staggered"}

type pairW struct{ objects, coactions uint32 }

type pairName struct {
	layer string
	a, b  string // account keys, a < b
}

func orderedKeys(a, b string) (string, string) {
	if a > b {
		return b, a
	}
	return a, b
}

// heldPairs reads the detector's pair table by account key.
func heldPairs(d *Detector) map[pairName]pairW {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[pairName]pairW{}
	for _, s := range d.layers {
		for pid, key := range s.pairKey {
			if s.pairCo[pid] == 0 {
				continue
			}
			a, b := orderedKeys(d.acctKey[key>>32], d.acctKey[uint32(key)])
			out[pairName{s.layer.String(), a, b}] = pairW{s.pairObjs[pid], s.pairCo[pid]}
		}
	}
	return out
}

// batchPairs runs the batch engine's observed pass (every pair, no
// filters, no null) on a corpus of exactly posts, in arrival order.
func batchPairs(t *testing.T, cfg config.Config, posts []model.Post) map[pairName]pairW {
	t.Helper()
	b := corpus.NewBuilder(len(posts))
	for i := range posts {
		p := posts[i]
		p.Source = model.SourcePos{File: "stream", Line: int64(i + 1), Offset: -1} // ties in arrival order
		b.Add(&p)
	}
	c := b.Build()
	cfg.Coord.MinWeight, cfg.Coord.MinParticipation, cfg.Coord.Permutations = 1, 1, 0
	params, err := pipeline.CoordParams(&cfg, cfg.Coord.Windows[0])
	if err != nil {
		t.Fatal(err)
	}
	res, err := coord.Run(context.Background(), c, params, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[pairName]pairW{}
	for _, lr := range res.Layers {
		for _, e := range lr.Edges {
			a, b := orderedKeys(c.Accounts.Key(e.A), c.Accounts.Key(e.B))
			out[pairName{lr.Layer.String(), a, b}] = pairW{e.Objects, e.CoActions}
		}
	}
	return out
}

// held returns the posts a detector with this horizon and bound must hold
// after arrived (in arrival order): newer than the newest post time minus
// the horizon (also at arrival), at most maxPosts, the newest by (time,
// arrival) kept.
func held(arrived []model.Post, horizonMs int64, maxPosts int) []model.Post {
	type ix struct {
		t int64
		i int
	}
	var keep []ix
	maxT := int64(-1 << 62)
	for i := range arrived {
		t := arrived[i].Time.UnixMilli()
		if t < maxT-horizonMs {
			continue // dropped on arrival
		}
		maxT = max(maxT, t)
		keep = append(keep, ix{t, i})
	}
	var out []ix
	for _, k := range keep {
		if k.t >= maxT-horizonMs {
			out = append(out, k)
		}
	}
	if len(out) > maxPosts {
		slices.SortFunc(out, func(x, y ix) int {
			if x.t != y.t {
				return cmp.Compare(x.t, y.t)
			}
			return cmp.Compare(x.i, y.i)
		})
		out = out[len(out)-maxPosts:]
		slices.SortFunc(out, func(x, y ix) int { return cmp.Compare(x.i, y.i) })
	}
	posts := make([]model.Post, len(out))
	for j, k := range out {
		posts[j] = arrived[k.i]
	}
	return posts
}

func comparePairs(t *testing.T, stage string, live, batch map[pairName]pairW) {
	t.Helper()
	if len(batch) == 0 {
		t.Fatalf("%s: batch engine found no pairs: the comparison would prove nothing", stage)
	}
	bad := 0
	for k, w := range batch {
		if lw, ok := live[k]; !ok || lw != w {
			if bad++; bad <= 5 {
				t.Errorf("%s: %s %s–%s: batch %+v, live %+v (held %v)", stage, k.layer, k.a, k.b, w, lw, ok)
			}
		}
	}
	for k, w := range live {
		if _, ok := batch[k]; !ok {
			if bad++; bad <= 10 {
				t.Errorf("%s: %s %s–%s: live %+v, not in batch", stage, k.layer, k.a, k.b, w)
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%s: %d pairs differ (live %d, batch %d)", stage, bad, len(live), len(batch))
	}
	perLayer := map[string]int{}
	for k := range batch {
		perLayer[k.layer]++
	}
	t.Logf("%s: %d pairs equal %v", stage, len(batch), perLayer)
}

// TestExactAgainstBatch feeds a synthetic event in arrival order and
// checks, at several points (before and after expiry has dropped posts),
// that the held pair weights and co-action counts of every layer equal the
// batch engine's observed pass on exactly the held posts.
func TestExactAgainstBatch(t *testing.T) {
	ev := synthEvent(t, 30000)
	cfg := testConfig(liveLayers...)
	d, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	hz := cfg.Live.Horizon.Milliseconds()
	for _, upTo := range ev.checkpoints() {
		feed(d, ev.posts[d.fed():upTo], 256)
		want := held(ev.posts[:upTo], hz, cfg.Live.MaxPosts)
		if st := d.Stats(); st.Posts != len(want) {
			t.Fatalf("held %d posts, want %d", st.Posts, len(want))
		}
		if len(want) == upTo {
			t.Fatalf("nothing expired at %d posts: the horizon is not exercised", upTo)
		}
		comparePairs(t, "after "+itoa(upTo), heldPairs(d), batchPairs(t, cfg, want))
	}
}

// TestExactLateAndBounded exercises the hard paths: posts arriving out of
// time order (inserted inside runs), a tiny max-partners bound (late posts
// then push earlier pairs out of the bounded sweep), and the MaxPosts
// bound evicting posts before the horizon does.
func TestExactLateAndBounded(t *testing.T) {
	ev := synthEvent(t, 30000)
	cfg := testConfig(liveLayers...)
	cfg.Coord.MaxPartners = 3
	cfg.Live.MaxPosts = 4000
	cfg.Live.Horizon = 48 * 3600e9
	arrived := slices.Clone(ev.posts)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i+40 <= len(arrived); i += 40 { // local disorder: shuffle runs of 40 posts
		blk := arrived[i : i+40]
		rng.Shuffle(len(blk), func(x, y int) { blk[x], blk[y] = blk[y], blk[x] })
	}
	d, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, upTo := range ev.checkpoints() {
		feed(d, arrived[d.fed():upTo], 97)
		want := held(arrived[:upTo], cfg.Live.Horizon.Milliseconds(), cfg.Live.MaxPosts)
		if st := d.Stats(); st.Posts != len(want) || st.Posts != cfg.Live.MaxPosts {
			t.Fatalf("held %d posts, want %d (the bound %d)", st.Posts, len(want), cfg.Live.MaxPosts)
		}
		comparePairs(t, "late+bounded after "+itoa(upTo), heldPairs(d), batchPairs(t, cfg, want))
	}
	var truncated bool
	for _, s := range d.layers {
		for _, r := range s.runs {
			if len(r) > cfg.Coord.MaxPartners+1 && r[cfg.Coord.MaxPartners+1].t-r[0].t <= s.window {
				truncated = true
			}
		}
	}
	if !truncated {
		t.Fatal("no run exceeds max-partners inside a window: the bound is not exercised")
	}
}

// TestDuplicatesIgnored feeds every post twice (in the same batch and
// again later): weights must not change, and the copies are counted.
func TestDuplicatesIgnored(t *testing.T) {
	ev := synthEvent(t, 30000)
	cp := ev.checkpoints()
	posts := ev.posts[cp[0]-8000 : cp[0]]
	cfg := testConfig("repost", "hashtag", "url", "text")
	once, _ := New(cfg, nil)
	feed(once, posts, 500)
	twice, _ := New(cfg, nil)
	for i := 0; i < len(posts); i += 500 {
		b := posts[i:min(len(posts), i+500)]
		twice.Add(append(slices.Clone(b), b[:50]...)) // copies inside one batch
		if i >= 1000 {
			twice.Add(posts[i-1000 : i-900]) // redelivery of held posts
		}
	}
	a, b := heldPairs(once), heldPairs(twice)
	if len(a) == 0 {
		t.Fatal("no pairs")
	}
	comparePairs(t, "duplicates", b, a)
	if st := twice.Stats(); st.Duplicates == 0 || st.Posts != once.Stats().Posts {
		t.Fatalf("stats %+v: duplicates not counted or posts differ from %d", st, once.Stats().Posts)
	}
}
