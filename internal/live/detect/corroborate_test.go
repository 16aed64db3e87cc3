package detect

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
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
	c, res := batchRun(t, cfg, posts)
	lr := &res.Layers[0]
	corr := lr.Corroborated()
	if len(corr) == 0 || len(lr.Members) == 0 {
		t.Fatalf("fixture: the batch run corroborates %d ties and %d members; the test needs some", len(corr), len(lr.Members))
	}
	batch := networkFlagged(c, res, cfg)
	var corrAccounts []string
	for _, m := range lr.Members {
		corrAccounts = append(corrAccounts, c.AccountID(m.Account))
	}

	// Live: the same posts, one evaluation.
	r, live := liveOnce(t, cfg, posts)
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
	r0, _ := liveOnce(t, off, posts)
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
