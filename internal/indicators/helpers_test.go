package indicators

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/model"
)

// t0 is the event time of the hand-built corpora.
var t0 = time.Date(2024, 3, 22, 7, 0, 0, 0, time.UTC)

type postOpt func(*model.Post)

func tags(ts ...string) postOpt {
	return func(p *model.Post) { p.Hashtags = append(p.Hashtags, ts...) }
}
func urls(us ...string) postOpt { return func(p *model.Post) { p.URLs = append(p.URLs, us...) } }
func lang(l string) postOpt     { return func(p *model.Post) { p.Lang = l } }
func client(c string) postOpt   { return func(p *model.Post) { p.Client = c } }
func image(hash string) postOpt {
	return func(p *model.Post) { p.Media = append(p.Media, model.Media{Type: model.MediaPhoto, Hash: hash}) }
}
func repostOf(id string) postOpt {
	return func(p *model.Post) { p.RepostOf = model.Link{PostID: id, AccountID: "orig"} }
}

// posts accumulates hand-built posts with sequential ids.
type posts struct {
	ps []model.Post
}

func (b *posts) add(acct string, t time.Time, text string, opts ...postOpt) {
	p := model.Post{Platform: model.PlatformTwitter, ID: strconv.Itoa(len(b.ps) + 1), AccountID: acct, Handle: "h_" + acct,
		Time: t, Text: text, Source: model.SourcePos{File: "test.jsonl", Line: int64(len(b.ps) + 1)}}
	for _, o := range opts {
		o(&p)
	}
	b.ps = append(b.ps, p)
}

func (b *posts) corpus() *corpus.Corpus {
	cb := corpus.NewBuilder(len(b.ps))
	for i := range b.ps {
		cb.Add(&b.ps[i])
	}
	return cb.Build()
}

// testParams are the defaults with a small bootstrap (fast tests).
func testParams() Params {
	p := DefaultParams()
	p.Bootstrap = 200
	return p
}

func mustCompute(t testing.TB, in Input, p Params) *Result {
	t.Helper()
	r, err := Compute(context.Background(), in, p)
	if err != nil {
		t.Fatal(err)
	}
	// Every result must marshal (no NaN or Inf anywhere).
	if _, err := json.Marshal(r.Map()); err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return r
}

func near(got, want, tol float64) bool { return got >= want-tol && got <= want+tol }

// text20 pads s to a matchable length (corpus.MinMatchRunes).
func text20(s string) string { return s + " — a message long enough to be matched" }

// accountIndex returns the corpus account ID of the test account id.
func accountIndex(t testing.TB, c *corpus.Corpus, id string) uint32 {
	t.Helper()
	a, ok := c.Accounts.Lookup("twitter:" + id)
	if !ok {
		t.Fatalf("account %s not in corpus", id)
	}
	return a
}

// postIndex returns the corpus index of the post with the given id.
func postIndex(t testing.TB, c *corpus.Corpus, id string) int {
	t.Helper()
	for i, p := range c.PostID.All() {
		if p == id {
			return i
		}
	}
	t.Fatalf("post %s not in corpus", id)
	return -1
}
