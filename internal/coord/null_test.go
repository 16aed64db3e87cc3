package coord

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/model"
)

// urlPost is one post sharing a URL at a time.
type urlPost struct {
	acct, url string
	at        time.Time
}

func urlCorpus(posts []urlPost) *corpus.Corpus {
	slices.SortStableFunc(posts, func(a, b urlPost) int { return a.at.Compare(b.at) })
	b := corpus.NewBuilder(len(posts))
	var p model.Post
	for i, x := range posts {
		p.Reset()
		p.Platform, p.ID, p.AccountID, p.Time = model.PlatformTwitter, fmt.Sprint(i), x.acct, x.at
		p.URLs = append(p.URLs, x.url)
		p.Source.Line = int64(i + 1)
		b.Add(&p)
	}
	return b.Build()
}

// layerActions returns the URL layer's actions of c as the null sees them.
func layerActions(t *testing.T, c *corpus.Corpus, p *Params) *actions {
	t.Helper()
	acts := collectActions(c, model.LayerURL, p)
	if len(acts.A) == 0 {
		t.Fatal("no URL actions")
	}
	return &acts
}

// TestPostBlocksClasses checks the null's post index on a hand-made layer
// of three blocks; the three "ever" URLs are posted in all three (evergreen
// at 3), the others in one. Block 0 has 40 cold posts on 40 URLs and 40
// hot posts: its classes are shuffled apart. Block 1 has 40 hot posts but
// its 40 cold posts are one URL (a burst): it is shuffled whole. Block 2
// is too small to split.
func TestPostBlocksClasses(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var posts []urlPost
	for i := range 40 {
		posts = append(posts,
			urlPost{fmt.Sprint("c", i), fmt.Sprint("https://a.example/", i), t0.Add(time.Duration(2*i) * time.Second)},
			urlPost{fmt.Sprint("h", i), fmt.Sprint("https://ever.example/", i%3), t0.Add(time.Duration(2*i+1) * time.Second)},
			urlPost{fmt.Sprint("b", i), "https://burst.example/1", t0.Add(time.Hour + time.Duration(2*i)*time.Second)},
			urlPost{fmt.Sprint("h", i), fmt.Sprint("https://ever.example/", i%3), t0.Add(time.Hour + time.Duration(2*i+1)*time.Second)},
		)
	}
	for i := range 3 {
		posts = append(posts, urlPost{"h0", fmt.Sprint("https://ever.example/", i), t0.Add(2*time.Hour + time.Duration(i)*time.Second)})
	}
	posts = append(posts, urlPost{"z", "https://a.example/0", t0.Add(2*time.Hour + 5*time.Second)})
	c := urlCorpus(posts)
	p := defaultScenarioParams()
	p.Layers = []model.Layer{model.LayerURL}
	acts := layerActions(t, c, &p)

	pi := postBlocks(acts, time.Hour.Milliseconds(), 3)
	if got := len(pi.cold); got != 3 {
		t.Fatalf("blocks = %d, want 3", got)
	}
	if want := []uint32{40, 40, 1}; !slices.Equal(pi.cold, want) || pi.starts[3]-pi.starts[2] != 4 {
		t.Errorf("cold posts per block = %v, want %v", pi.cold, want)
	}
	if want := []bool{true, false, false}; !slices.Equal(pi.split, want) {
		t.Errorf("split = %v, want %v", pi.split, want)
	}
	// Inside a block the cold posts come first, each class in corpus order.
	for b := range 2 {
		lo := int(pi.starts[b])
		for i := range 40 {
			if name := c.AccountID(pi.accts[lo+i]); name[0] == 'h' {
				t.Fatalf("block %d slot %d holds hot account %s among the cold", b, i, name)
			}
			if name := c.AccountID(pi.accts[lo+40+i]); name != fmt.Sprint("h", i) {
				t.Fatalf("block %d hot slot %d = %s, want h%d", b, i, name, i)
			}
		}
	}
	// Every action maps to a slot holding its own account.
	for i, a := range acts.A {
		if pi.accts[pi.slotOf[i]] != a.Acct {
			t.Fatalf("action %d maps to a slot of another account", i)
		}
	}
	// Off: one class, nothing split.
	off := postBlocks(acts, time.Hour.Milliseconds(), 0)
	if slices.Contains(off.split, true) || off.cold[0] != 80 {
		t.Errorf("evergreen off: split %v cold %v", off.split, off.cold)
	}
}

// TestShuffleNullBlockKeepsClasses checks that a split block permutes each
// class within itself and that a block's shuffle depends only on (seed,
// layer, permutation, block).
func TestShuffleNullBlockKeepsClasses(t *testing.T) {
	src := &rand.PCG{}
	rng := rand.New(src)
	run := func(block int64, split bool) []int {
		x := make([]int, 100)
		for i := range x {
			x[i] = i
		}
		SeedNullBlock(src, 7, model.LayerURL, 3, block)
		ShuffleNullBlock(rng, 60, 40, split, func(i, j int) { x[i], x[j] = x[j], x[i] })
		return x
	}
	a := run(5, true)
	for i, v := range a {
		if (i < 60) != (v < 60) {
			t.Fatalf("split shuffle moved %d across classes (to %d)", v, i)
		}
	}
	if !slices.Equal(a, run(5, true)) {
		t.Error("the same block's stream gave another shuffle")
	}
	if slices.Equal(a, run(6, true)) {
		t.Error("two blocks share a stream")
	}
	whole := run(5, false)
	crossed := false
	for i, v := range whole {
		crossed = crossed || (i < 60) != (v < 60)
	}
	if !crossed {
		t.Error("a whole-block shuffle kept the classes apart")
	}
}

// tasteCorpus is a layer where 3,000 organic accounts share mostly
// one-off URLs and sometimes one of 100 long-running popular URLs (Zipf),
// 30 aggregator accounts share only popular ones, many times a day and
// independently of each other, and one campaign of 10 accounts posts 8
// fresh URLs within seconds of each other.
func tasteCorpus() *corpus.Corpus {
	rng := rand.New(rand.NewPCG(11, 12))
	zipf := rand.NewZipf(rng, 1.1, 1, 99)
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	span := int64(3 * 24 * time.Hour)
	popular := func() string { return fmt.Sprint("https://news.example/top", zipf.Uint64()) }
	var posts []urlPost
	for a := range 3000 {
		for range 10 {
			u := fmt.Sprint("https://blog.example/", a, "/", rng.Uint64())
			if rng.IntN(10) == 0 {
				u = popular()
			}
			posts = append(posts, urlPost{fmt.Sprint("o", a), u, t0.Add(time.Duration(rng.Int64N(span)))})
		}
	}
	for a := range 30 {
		for range 300 {
			posts = append(posts, urlPost{fmt.Sprint("agg", a), popular(), t0.Add(time.Duration(rng.Int64N(span)))})
		}
	}
	for k := range 8 {
		at := t0.Add(time.Duration(rng.Int64N(span)))
		for m := range 10 {
			posts = append(posts, urlPost{fmt.Sprint("camp", m), fmt.Sprint("https://drop.example/", k), at.Add(time.Duration(rng.IntN(20)) * time.Second)})
		}
	}
	return urlCorpus(posts)
}

// flaggedByPrefix counts the accounts with a significant edge by the first
// letters of their names.
func flaggedByPrefix(t *testing.T, c *corpus.Corpus, p Params) map[string]int {
	t.Helper()
	res, err := Run(t.Context(), c, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[uint32]bool{}
	out := map[string]int{}
	for _, e := range res.Layers[0].Edges {
		if e.Q > p.Alpha {
			continue
		}
		for _, a := range []uint32{e.A, e.B} {
			if !seen[a] {
				seen[a] = true
				name := c.AccountID(a)
				out[name[:min(len(name), 3)]]++
			}
		}
	}
	return out
}

// TestEvergreenNullKeepsTaste: accounts that favour long-running popular
// objects meet each other on them by chance; the null must keep that taste
// (evergreen classes) and not call them coordinated, while the planted
// campaign on fresh objects is still found. With the classes off the same
// data flags the aggregators: the test can fail.
func TestEvergreenNullKeepsTaste(t *testing.T) {
	c := tasteCorpus()
	p := defaultScenarioParams()
	p.Layers = []model.Layer{model.LayerURL}
	p.MinWeight, p.MinParticipation = 2, 2
	p.Permutations = 20
	p.Workers = 2

	p.EvergreenBlocks = 0
	off := flaggedByPrefix(t, c, p)
	p.EvergreenBlocks = 24
	on := flaggedByPrefix(t, c, p)
	t.Logf("flagged without classes %v, with %v", off, on)

	if off["agg"] < 10 {
		t.Errorf("without evergreen classes only %d of 30 aggregators are flagged: the scenario no longer shows the bias", off["agg"])
	}
	if on["agg"] > 0 {
		t.Errorf("with evergreen classes %d of 30 aggregators are flagged, want 0", on["agg"])
	}
	if on["cam"] != 10 {
		t.Errorf("campaign accounts flagged = %d, want 10", on["cam"])
	}
	if on["o"] > 20 { // 1 % of the organic accounts
		t.Errorf("%d organic accounts flagged", on["o"])
	}
}
