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

// urlPost is one post sharing a URL at a time (lang: its language, if
// any).
type urlPost struct {
	acct, url string
	at        time.Time
	lang      string
}

func urlCorpus(posts []urlPost) *corpus.Corpus {
	slices.SortStableFunc(posts, func(a, b urlPost) int { return a.at.Compare(b.at) })
	b := corpus.NewBuilder(len(posts))
	var p model.Post
	for i, x := range posts {
		p.Reset()
		p.Platform, p.ID, p.AccountID, p.Time = model.PlatformTwitter, fmt.Sprint(i), x.acct, x.at
		p.URLs = append(p.URLs, x.url)
		p.Lang = x.lang
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
// its 40 cold posts are one URL (a burst): the burst cannot be a class of
// its own nor join the hot class (it would hold more than half), so the
// block is shuffled whole. Block 2 is too small to split.
func TestPostBlocksClasses(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	var posts []urlPost
	for i := range 40 {
		posts = append(posts,
			urlPost{acct: fmt.Sprint("c", i), url: fmt.Sprint("https://a.example/", i), at: t0.Add(time.Duration(2*i) * time.Second)},
			urlPost{acct: fmt.Sprint("h", i), url: fmt.Sprint("https://ever.example/", i%3), at: t0.Add(time.Duration(2*i+1) * time.Second)},
			urlPost{acct: fmt.Sprint("b", i), url: "https://burst.example/1", at: t0.Add(time.Hour + time.Duration(2*i)*time.Second)},
			urlPost{acct: fmt.Sprint("h", i), url: fmt.Sprint("https://ever.example/", i%3), at: t0.Add(time.Hour + time.Duration(2*i+1)*time.Second)},
		)
	}
	for i := range 3 {
		posts = append(posts, urlPost{acct: "h0", url: fmt.Sprint("https://ever.example/", i), at: t0.Add(2*time.Hour + time.Duration(i)*time.Second)})
	}
	posts = append(posts, urlPost{acct: "z", url: "https://a.example/0", at: t0.Add(2*time.Hour + 5*time.Second)})
	c := urlCorpus(posts)
	p := defaultScenarioParams()
	p.Layers = []model.Layer{model.LayerURL}
	acts := layerActions(t, c, &p)

	pi := postBlocks(acts, time.Hour.Milliseconds(), 3, nil)
	if got := len(pi.groups); got != 3 {
		t.Fatalf("blocks = %d, want 3", got)
	}
	if want := []int{2, 1, 1}; !slices.Equal(pi.groups, want) {
		t.Errorf("shuffle groups per block = %v, want %v", pi.groups, want)
	}
	rel, group, _ := pi.blockClasses(0)
	if !slices.Equal(rel, []int{0, 40, 80}) || !slices.Equal(group, []int{0, 1}) {
		t.Errorf("block 0: class starts %v groups %v, want [0 40 80] [0 1]", rel, group)
	}
	if rel, _, _ := pi.blockClasses(2); !slices.Equal(rel, []int{0, 1, 4}) {
		t.Errorf("block 2: class starts %v, want [0 1 4] (one cold post, three hot)", rel)
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
	// Off: one class per block, one group.
	off := postBlocks(acts, time.Hour.Milliseconds(), 0, nil)
	if !slices.Equal(off.groups, []int{1, 1, 1}) || len(off.group) != 3 {
		t.Errorf("evergreen off: groups %v, classes %d", off.groups, len(off.group))
	}
}

// TestPlanNullCells checks the pooling rules on hand-made classes.
func TestPlanNullCells(t *testing.T) {
	cases := []struct {
		name   string
		cells  []NullCell
		groups int
		want   []int
	}{
		{"all pass", []NullCell{{1, 40, 5}, {2, 50, 5}}, 2, []int{0, 1}},
		{"small ones pooled, pool passes", []NullCell{{1, 40, 5}, {2, 10, 2}, {3, 25, 3}}, 2, []int{0, 1, 1}},
		{"pool too small, merged into the largest", []NullCell{{1, 40, 5}, {2, 100, 10}, {3, 5, 1}}, 2, []int{0, 1, 1}},
		{"a dominated burst cannot be merged: whole block", []NullCell{{1, 40, 5}, {2, 60, 60}}, 1, []int{0, 0}},
		{"nothing passes: whole block", []NullCell{{1, 10, 1}, {2, 12, 2}}, 1, []int{0, 0}},
		{"one class", []NullCell{{7, 3, 1}}, 1, []int{0}},
	}
	for _, tc := range cases {
		got := make([]int, len(tc.cells))
		n := PlanNullCells(tc.cells, got)
		if n != tc.groups || !slices.Equal(got, tc.want) {
			t.Errorf("%s: groups %d %v, want %d %v", tc.name, n, got, tc.groups, tc.want)
		}
	}
}

// TestShuffleNullCellsKeepsGroups checks that each group is permuted
// within its own positions (a pooled group across non-adjacent classes
// too), that one group is a plain whole-block shuffle, and that a block's
// shuffle depends only on (seed, layer, permutation, block).
func TestShuffleNullCellsKeepsGroups(t *testing.T) {
	src := &rand.PCG{}
	rng := rand.New(src)
	starts := []int{0, 30, 60, 100}
	run := func(block int64, group []int, groups int) []int {
		x := make([]int, 100)
		for i := range x {
			x[i] = i
		}
		SeedNullBlock(src, 7, model.LayerURL, 3, block)
		ShuffleNullCells(rng, starts, group, groups, func(i, j int) { x[i], x[j] = x[j], x[i] }, nil)
		return x
	}
	classOf := func(p int) int { return min(p/30, 2) }
	a := run(5, []int{0, 1, 0}, 2)
	for i, v := range a {
		if (classOf(i) == 1) != (classOf(v) == 1) {
			t.Fatalf("value from class %d moved to class %d across groups", classOf(v), classOf(i))
		}
	}
	crossed := false
	for i, v := range a {
		crossed = crossed || classOf(i) != classOf(v) && classOf(i) != 1
	}
	if !crossed {
		t.Error("the pooled group (classes 0 and 2) never mixed its classes")
	}
	if !slices.Equal(a, run(5, []int{0, 1, 0}, 2)) {
		t.Error("the same block's stream gave another shuffle")
	}
	if slices.Equal(a, run(6, []int{0, 1, 0}, 2)) {
		t.Error("two blocks share a stream")
	}
	whole := run(5, []int{0, 0, 0}, 1)
	x := make([]int, 100)
	for i := range x {
		x[i] = i
	}
	SeedNullBlock(src, 7, model.LayerURL, 3, 5)
	rng.Shuffle(100, func(i, j int) { x[i], x[j] = x[j], x[i] })
	if !slices.Equal(whole, x) {
		t.Error("one group is not the plain whole-block shuffle")
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
			posts = append(posts, urlPost{acct: fmt.Sprint("o", a), url: u, at: t0.Add(time.Duration(rng.Int64N(span)))})
		}
	}
	for a := range 30 {
		for range 300 {
			posts = append(posts, urlPost{acct: fmt.Sprint("agg", a), url: popular(), at: t0.Add(time.Duration(rng.Int64N(span)))})
		}
	}
	for k := range 8 {
		at := t0.Add(time.Duration(rng.Int64N(span)))
		for m := range 10 {
			posts = append(posts, urlPost{acct: fmt.Sprint("camp", m), url: fmt.Sprint("https://drop.example/", k), at: at.Add(time.Duration(rng.IntN(20)) * time.Second)})
		}
	}
	return urlCorpus(posts)
}

// nullScenarioParams are the significance scenarios' parameters: the URL
// layer, weight and participation 2, 20 permutations.
func nullScenarioParams() Params {
	p := defaultScenarioParams()
	p.Layers = []model.Layer{model.LayerURL}
	p.MinWeight, p.MinParticipation = 2, 2
	p.Permutations = 20
	p.Workers = 2
	return p
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
	p := nullScenarioParams()

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
	if on["cam"] != 10 || off["cam"] != 10 {
		t.Errorf("campaign accounts flagged = %d with, %d without evergreen classes, want 10", on["cam"], off["cam"])
	}
	if on["o"] > 20 { // 1 % of the organic accounts
		t.Errorf("%d organic accounts flagged", on["o"])
	}
}

// languageCorpus is a day of two language communities: 2,700 organic
// accounts writing in "en" and 300 in "ar" share URLs of their own
// language's sites, 10 times each — in "ar" a third of the time one of 200
// popular ones (Zipf), in "en" one time in 30, otherwise a one-off; 10
// busy "ar" accounts do the same with the same mix, 2,000 times each,
// independently of each other. One
// campaign of 10 "ar" accounts posts 8 fresh URLs within seconds of each
// other.
func languageCorpus() *corpus.Corpus {
	rng := rand.New(rand.NewPCG(21, 22))
	zipf := rand.NewZipf(rng, 1.05, 1, 199)
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	span := int64(24 * time.Hour)
	share := func(acct string, lang string) urlPost {
		u := fmt.Sprint("https://", lang, ".example/", rng.Uint64())
		if lang == "ar" && rng.IntN(2) == 0 || lang == "en" && rng.IntN(100) == 0 {
			u = fmt.Sprint("https://", lang, ".example/top", zipf.Uint64())
		}
		return urlPost{acct: acct, url: u, at: t0.Add(time.Duration(rng.Int64N(span))), lang: lang}
	}
	var posts []urlPost
	for a := range 3000 {
		lang := "en"
		if a%10 == 0 {
			lang = "ar"
		}
		for range 10 {
			posts = append(posts, share(fmt.Sprint("o", a), lang))
		}
	}
	for a := range 10 {
		for range 2000 {
			posts = append(posts, share(fmt.Sprint("busy", a), "ar"))
		}
	}
	for k := range 8 {
		at := t0.Add(time.Duration(rng.Int64N(span)))
		for m := range 10 {
			posts = append(posts, urlPost{acct: fmt.Sprint("camp", m), url: fmt.Sprint("https://ar.example/drop", k),
				at: at.Add(time.Duration(rng.IntN(20)) * time.Second), lang: "ar"})
		}
	}
	return urlCorpus(posts)
}

// TestLanguageNullKeepsLanguages: accounts of one language meet on that
// language's objects by chance far more often than a null that hands them
// posts of every language expects; with language classes the busy
// accounts are not called coordinated, and the campaign is found either
// way. Without them the busy accounts are flagged: the test can fail.
func TestLanguageNullKeepsLanguages(t *testing.T) {
	c := languageCorpus()
	p := nullScenarioParams()

	p.NullByLanguage = false
	off := flaggedByPrefix(t, c, p)
	p.NullByLanguage = true
	on := flaggedByPrefix(t, c, p)
	t.Logf("flagged without language classes %v, with %v", off, on)

	if off["bus"] < 3 {
		t.Errorf("without language classes only %d of 10 busy accounts are flagged: the scenario no longer shows the bias", off["bus"])
	}
	if on["bus"] > 0 {
		t.Errorf("with language classes %d of 10 busy accounts are flagged, want 0", on["bus"])
	}
	if on["cam"] != 10 || off["cam"] != 10 {
		t.Errorf("campaign accounts flagged = %d with, %d without language classes, want 10", on["cam"], off["cam"])
	}
	if on["o"] > 30 { // 1 % of the organic accounts
		t.Errorf("%d organic accounts flagged", on["o"])
	}
}
