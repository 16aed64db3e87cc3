package detect

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
)

// weakGroupPosts is a hashtag event of `organic` accounts posting perAcct
// Zipf-popular tags at random over three days, and a group of `group`
// accounts (ids after the organic ones) that also post the same popular
// tag within 40 s in each of `bursts` bursts: weight-3 ties between
// accounts as active as everybody, which the pair test alone passes only
// in part.
func weakGroupPosts(seed uint64, organic, perAcct, tags, group, bursts int) []model.Post {
	rng := rand.New(rand.NewPCG(seed, 1))
	t0 := time.Date(2015, 11, 13, 0, 0, 0, 0, time.UTC)
	span := int64(3 * 24 * time.Hour)
	var ps []model.Post
	add := func(acct int, at time.Time, tag string) {
		ps = append(ps, model.Post{ID: fmt.Sprint("p", len(ps)), AccountID: fmt.Sprint("a", acct), Platform: model.PlatformTwitter,
			Time: at, Text: "#" + tag, Hashtags: []string{tag}})
	}
	z := rand.NewZipf(rng, 1.1, 1, uint64(tags-1))
	for a := range organic + group {
		for range perAcct {
			add(a, t0.Add(time.Duration(rng.Int64N(span))), fmt.Sprint("t", z.Uint64()))
		}
	}
	for b := range bursts {
		at := t0.Add(time.Duration(rng.Int64N(span)))
		for g := range group {
			add(organic+g, at.Add(time.Duration(rng.IntN(40))*time.Second), fmt.Sprint("t", b))
		}
	}
	slices.SortStableFunc(ps, func(a, b model.Post) int { return a.Time.Compare(b.Time) })
	return ps
}

// TestCorroboratedLikeBatch: on an event where the pair test passes only
// some ties of a planted group and the membership test admits a further
// account (checked on the batch engine first: the fixture must exercise
// the test), the live detector runs the same group and membership tests
// and flags the same accounts as a batch run (engine, group tests,
// network), the corroborated account included. The live null model is
// not the batch one (P differ: here the live pair test passes none of the
// ties and its group test then finds the whole group), so the live flags
// must include the batch flags, not equal them.
func TestCorroboratedLikeBatch(t *testing.T) {
	const organic = 3000
	posts := weakGroupPosts(2, organic, 30, 200, 8, 3)
	cfg := testConfig("hashtag")
	cfg.Live.Horizon = 4 * 24 * time.Hour // the whole event

	// Batch: engine, group and membership tests, network.
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
	lr := &res.Layers[0]
	corr := lr.Corroborated()
	if len(corr) == 0 || len(lr.Members) == 0 {
		t.Fatalf("fixture: the batch run corroborates %d ties and %d members; the test needs some", len(corr), len(lr.Members))
	}
	batchNet := pipeline.BuildNetwork(c, res, &cfg)
	batch := map[string]bool{}
	for _, cl := range batchNet.Clusters {
		for _, a := range cl.Accounts {
			batch[c.AccountID(a)] = true
		}
	}
	var corrAccounts []string
	for _, m := range lr.Members {
		corrAccounts = append(corrAccounts, c.AccountID(m.Account))
	}

	// Live: the same posts, one evaluation.
	d, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	feed(d, posts, 500)
	r, err := d.Evaluate(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	live := map[string]bool{}
	for _, cl := range r.Clusters {
		for _, a := range cl.Accounts {
			live[a] = true
		}
	}
	t.Logf("batch: %d significant, %d corroborated ties, members %v, %d flagged; live: %+v, %d flagged",
		lr.Significant, len(corr), corrAccounts, len(batch), r.Layers, len(live))
	if len(r.Layers) != 1 || r.Layers[0].Corroborated == 0 {
		t.Errorf("live corroborated no tie: %+v", r.Layers)
	}
	for _, a := range corrAccounts {
		if !live[a] {
			t.Errorf("member %s corroborated in batch is not flagged live", a)
		}
	}
	for a := range batch {
		if !live[a] {
			t.Errorf("%s flagged by the batch run, not live (batch %v, live %v)", a, slices.Sorted(maps.Keys(batch)), slices.Sorted(maps.Keys(live)))
		}
	}
	// Without the two tests the live detector finds less: they are what
	// flags the weak group.
	off := cfg
	off.Coord.GroupResamples, off.Coord.MemberP = 0, 0
	d0, err := New(off, nil)
	if err != nil {
		t.Fatal(err)
	}
	feed(d0, posts, 500)
	r0, err := d0.Evaluate(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	without := 0
	for _, cl := range r0.Clusters {
		without += len(cl.Accounts)
	}
	t.Logf("live without the group and membership tests: %d flagged", without)
	if without >= len(live) {
		t.Errorf("the tests add nothing live: %d flagged without, %d with", without, len(live))
	}
	// Planted accounts only.
	for a := range live {
		var k int
		fmt.Sscanf(a, "a%d", &k)
		if k < organic {
			t.Errorf("organic account %s flagged", a)
		}
	}
}
