package synth

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
)

func testParams(n int, seed uint64) Params {
	p := Defaults()
	p.Posts = n
	p.Seed = seed
	p.T0 = time.Date(2015, 11, 13, 20, 20, 0, 0, time.UTC)
	p.TClaim = time.Date(2015, 11, 14, 10, 0, 0, 0, time.UTC)
	return p
}

func gen(t *testing.T, p Params, name string) (posts, labels string) {
	t.Helper()
	dir := t.TempDir()
	posts = filepath.Join(dir, name+".jsonl.gz")
	labels = filepath.Join(dir, name+".labels.json")
	if _, err := Generate(context.Background(), p, posts, labels, nil); err != nil {
		t.Fatal(err)
	}
	return posts, labels
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeterministic(t *testing.T) {
	p := testParams(20000, 42)
	a1, l1 := gen(t, p, "a")
	p.Workers = 3 // parallelism must not change the bytes
	a2, l2 := gen(t, p, "b")
	if !bytes.Equal(mustRead(t, a1), mustRead(t, a2)) {
		t.Fatal("same seed, different posts file")
	}
	if !bytes.Equal(mustRead(t, l1), mustRead(t, l2)) {
		t.Fatal("same seed, different labels file")
	}
	p.Seed = 43
	a3, l3 := gen(t, p, "c")
	if bytes.Equal(mustRead(t, a1), mustRead(t, a3)) || bytes.Equal(mustRead(t, l1), mustRead(t, l3)) {
		t.Fatal("different seeds gave identical output")
	}
	// gzip header carries no name and no mtime
	b := mustRead(t, a1)
	if b[0] != 0x1f || b[1] != 0x8b || b[3]&0x08 != 0 || !bytes.Equal(b[4:8], []byte{0, 0, 0, 0}) {
		t.Fatalf("gzip header not fixed: % x", b[:10])
	}
}

// corpus is the generated file as read back by the real ingest reader.
type corpus struct {
	lab   Labels
	posts []model.Post
	byID  map[string]int
}

var (
	sharedOnce sync.Once
	shared     *corpus
	sharedErr  error
)

// sharedCorpus generates one 60k-post event for the read-back tests.
func sharedCorpus(t *testing.T) *corpus {
	t.Helper()
	sharedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "synth-test-")
		if err != nil {
			sharedErr = err
			return
		}
		defer os.RemoveAll(dir)
		pp, lp := filepath.Join(dir, "p.jsonl.gz"), filepath.Join(dir, "l.json")
		if _, err := Generate(context.Background(), testParams(60000, 9), pp, lp, nil); err != nil {
			sharedErr = err
			return
		}
		c := &corpus{byID: map[string]int{}}
		b, err := os.ReadFile(lp)
		if err != nil {
			sharedErr = err
			return
		}
		if sharedErr = json.Unmarshal(b, &c.lab); sharedErr != nil {
			return
		}
		st, err := ingest.ReadFile(context.Background(), pp, ingest.Options{}, func(p *model.Post) error {
			q := *p
			q.Hashtags = slices.Clone(p.Hashtags)
			q.URLs = slices.Clone(p.URLs)
			q.Mentions = slices.Clone(p.Mentions)
			q.Media = slices.Clone(p.Media)
			c.byID[q.ID] = len(c.posts)
			c.posts = append(c.posts, q)
			return nil
		})
		if err == nil && st.Skipped > 0 {
			err = &skipError{st.Skipped}
		}
		if err == nil && st.Format != "generic-jsonl" {
			t.Logf("sniffed format %q", st.Format)
		}
		sharedErr = err
		shared = c
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

type skipError struct{ n int64 }

func (e *skipError) Error() string {
	return "reader skipped " + strconv.FormatInt(e.n, 10) + " records"
}

func TestLabelsConsistent(t *testing.T) {
	c := sharedCorpus(t)
	l := &c.lab
	if len(c.posts) != l.Posts {
		t.Fatalf("file has %d posts, labels say %d", len(c.posts), l.Posts)
	}
	if d := math.Abs(float64(l.Posts-60000)) / 60000; d > 0.005 {
		t.Fatalf("%d posts for --posts 60000", l.Posts)
	}
	if len(l.Stance.Attribution) != l.Posts || len(l.Stance.Orientation) != l.Posts {
		t.Fatal("stance strings do not cover every post")
	}
	authors := map[string]int{}
	prev := time.Time{}
	for i, p := range c.posts {
		if want := strconv.FormatInt(l.PostIDs.First+int64(i), 10); p.ID != want {
			t.Fatalf("post %d has id %s, want %s", i, p.ID, want)
		}
		if p.Time.Before(l.Start) || !p.Time.Before(l.End) {
			t.Fatalf("post %s at %s outside [%s,%s)", p.ID, p.Time, l.Start, l.End)
		}
		if p.Time.Before(prev) {
			t.Fatalf("post %s not in time order", p.ID)
		}
		prev = p.Time
		authors[p.AccountID]++
		for _, ln := range []model.Link{p.RepostOf, p.QuoteOf, p.ReplyTo} {
			if ln.IsZero() {
				continue
			}
			j, ok := c.byID[ln.PostID]
			if !ok || j >= i || c.posts[j].AccountID != ln.AccountID {
				t.Fatalf("post %s links to %+v, which is not an earlier post by that account", p.ID, ln)
			}
		}
	}
	if len(l.PlantedAccounts) == 0 || len(l.Groups) != 6*l.Params.Groups {
		t.Fatalf("%d planted accounts in %d groups", len(l.PlantedAccounts), len(l.Groups))
	}
	n := 0
	for _, g := range l.Groups {
		if len(g.Members) < 5 || len(g.Members) > 200 {
			t.Errorf("group %d has %d members", g.ID, len(g.Members))
		}
		for _, m := range g.Members {
			n++
			if authors[m] == 0 {
				t.Errorf("planted account %s never posts", m)
			}
			if pa := l.PlantedAccounts[m]; pa.Group != g.ID || pa.Kind != g.Kind {
				t.Errorf("planted_accounts[%s] = %+v, group %d says %s", m, pa, g.ID, g.Kind)
			}
		}
		for _, id := range g.Objects.PostIDs {
			if _, ok := c.byID[id]; !ok {
				t.Errorf("group %d object post %s missing", g.ID, id)
			}
		}
	}
	if n != len(l.PlantedAccounts) {
		t.Fatalf("accounts in several groups: %d memberships, %d accounts", n, len(l.PlantedAccounts))
	}
	for _, a := range append(append(slices.Clone(l.Hyperactive), l.Hijackers...), l.Ignored...) {
		if _, ok := l.PlantedAccounts[a]; ok {
			t.Errorf("account %s is both planted and organic/outlet", a)
		}
	}
	for _, o := range l.Outlets {
		i := sort.Search(len(c.posts), func(i int) bool { return !c.posts[i].Time.Before(l.T0) })
		first := time.Time{}
		for ; i < len(c.posts); i++ {
			if c.posts[i].AccountID == o.Accounts[0] && c.posts[i].RepostOf.IsZero() {
				first = c.posts[i].Time
				break
			}
		}
		if !first.Equal(o.FirstRelease) || o.LatencySeconds != first.Sub(l.T0).Seconds() {
			t.Errorf("outlet %s first release %s latency %g, file says %s", o.Name, o.FirstRelease, o.LatencySeconds, first)
		}
	}
}

// TestDistributions checks heavy-tailed activity, a daily rhythm, the
// organic reaction and that planted co-actions fall inside their windows,
// by scanning the generated file.
func TestDistributions(t *testing.T) {
	c := sharedCorpus(t)
	l := &c.lab
	perAcct := map[string]int{}
	var hourPre [24]int
	for _, p := range c.posts {
		perAcct[p.AccountID]++
		if p.Time.Before(l.T0) {
			hourPre[p.Time.Hour()]++
		}
	}
	counts := make([]int, 0, len(perAcct))
	for _, n := range perAcct {
		counts = append(counts, n)
	}
	slices.Sort(counts)
	median := counts[len(counts)/2]
	for _, h := range l.Hyperactive {
		if perAcct[h] < 100 || perAcct[h] < 8*median {
			t.Errorf("hyperactive %s posted %d (median %d)", h, perAcct[h], median)
		}
	}
	lo, hi := slices.Min(hourPre[:]), slices.Max(hourPre[:])
	if float64(hi) < 2.5*float64(lo) {
		t.Errorf("no daily rhythm: hourly counts %v", hourPre)
	}
	for _, w := range l.Indicators.VolumeLift {
		if w.LiftPosts < 1.5 {
			t.Errorf("volume lift %s = %.2f, want an organic surge", w.Window, w.LiftPosts)
		}
	}

	members := map[string]int{}
	for _, g := range l.Groups {
		for _, m := range g.Members {
			members[m] = g.ID
		}
	}
	for _, g := range l.Groups {
		// each action: >= 2 member posts sharing the group's object, spread within the window
		for k, a := range g.Actions {
			if g.Kind != KindAutomation && a.End.Sub(a.Start) > time.Duration(g.WindowSeconds)*time.Second {
				t.Errorf("group %d action %d spans %s > window %ds", g.ID, k, a.End.Sub(a.Start), g.WindowSeconds)
			}
			i := sort.Search(len(c.posts), func(i int) bool { return !c.posts[i].Time.Before(a.Start) })
			shared := map[string]int{}
			for ; i < len(c.posts) && !c.posts[i].Time.After(a.End); i++ {
				p := &c.posts[i]
				if gid, ok := members[p.AccountID]; !ok || gid != g.ID {
					continue
				}
				if g.Kind == KindCopypasta {
					if jaccard(p.Text, g.Objects.Texts[k]) >= 0.7 {
						shared["quote"]++
					}
					continue
				}
				for _, key := range objectKeys(g.Kind, p) {
					shared[key]++
				}
			}
			best := 0
			for _, n := range shared {
				best = max(best, n)
			}
			if best < 2 || best > a.Posts {
				t.Errorf("group %d (%s) action %d: %d member posts share an object, labels say %d", g.ID, g.Kind, k, best, a.Posts)
			}
		}
		if g.Kind == KindAutomation {
			checkStaggered(t, c, g, members)
		}
	}
}

// objectKeys lists the keys under which a post co-acts for a kind.
func objectKeys(kind string, p *model.Post) []string {
	var ks []string
	switch kind {
	case KindCoRetweet:
		if !p.RepostOf.IsZero() {
			ks = append(ks, p.RepostOf.PostID)
		}
	case KindHashtagCampaign:
		ks = append(ks, p.Hashtags...)
	case KindCoURL:
		ks = append(ks, p.URLs...)
	case KindCoImage:
		for _, m := range p.Media {
			ks = append(ks, m.Hash)
		}
	case KindAutomation:
		ks = append(ks, p.Text)
	}
	return ks
}

// checkStaggered verifies an automation group: the same exact text from
// members spaced more than 60 s apart but within 30 min of the previous.
func checkStaggered(t *testing.T, c *corpus, g Group, members map[string]int) {
	t.Helper()
	byText := map[string][]time.Time{}
	for _, p := range c.posts {
		if gid, ok := members[p.AccountID]; ok && gid == g.ID && p.RepostOf.IsZero() {
			byText[p.Text] = append(byText[p.Text], p.Time)
		}
	}
	found := 0
	for _, txt := range g.Objects.Texts {
		ts := byText[txt]
		if len(ts) < 2 {
			t.Errorf("automation group %d: text %q posted %d times", g.ID, txt, len(ts))
			continue
		}
		found++
		for i := 1; i < len(ts); i++ {
			d := ts[i].Sub(ts[i-1])
			if d <= 60*time.Second || d > 30*time.Minute {
				t.Errorf("automation group %d: gap %s between consecutive posts of %q", g.ID, d, txt)
			}
		}
	}
	if found == 0 {
		t.Errorf("automation group %d: no staggered text found", g.ID)
	}
}

// TestVolumeLiftTruth recomputes the lift from the file with the documented
// definition.
func TestVolumeLiftTruth(t *testing.T) {
	c := sharedCorpus(t)
	l := &c.lab
	count := func(from, to time.Time) (int, int) {
		n, acc := 0, map[string]bool{}
		for _, p := range c.posts {
			if !p.Time.Before(from) && p.Time.Before(to) {
				n++
				acc[p.AccountID] = true
			}
		}
		return n, len(acc)
	}
	if len(l.Indicators.VolumeLift) != 4 {
		t.Fatalf("%d lift windows", len(l.Indicators.VolumeLift))
	}
	for _, w := range l.Indicators.VolumeLift {
		d := time.Duration(w.Seconds) * time.Second
		np, na := count(l.T0, l.T0.Add(d))
		var bp, ba float64
		days := 0
		for k := int((d + 24*time.Hour - 1) / (24 * time.Hour)); k <= 7; k++ {
			from := l.T0.Add(-time.Duration(k) * 24 * time.Hour)
			p, a := count(from, from.Add(d))
			bp += float64(p)
			ba += float64(a)
			days++
		}
		if np != w.Posts || na != w.Accounts || days != w.BaselineDays ||
			math.Abs(bp/float64(days)-w.BaselinePosts) > 1e-9 || math.Abs(ba/float64(days)-w.BaselineAccounts) > 1e-9 {
			t.Errorf("window %s: labels %+v, file gives posts %d accounts %d baseline %.2f/%.2f over %d days",
				w.Window, w, np, na, bp/float64(days), ba/float64(days), days)
		}
	}
}

// TestStanceExpressedInText checks that stance is carried by varied text,
// not by a literal tag, and that unanimity rises after the claim.
func TestStanceExpressedInText(t *testing.T) {
	c := sharedCorpus(t)
	l := &c.lab
	texts := map[string]map[string]bool{}
	for i, p := range c.posts {
		if !p.RepostOf.IsZero() {
			continue
		}
		cell := p.Lang + string(l.Stance.Attribution[i]) + string(l.Stance.Orientation[i])
		if texts[cell] == nil {
			texts[cell] = map[string]bool{}
		}
		texts[cell][p.Text] = true
	}
	for _, lang := range []string{"en", "ar", "fr"} {
		for _, a := range "nasd" {
			for _, o := range "0+-" {
				if n := len(texts[lang+string(a)+string(o)]); n < 3 {
					t.Errorf("stance cell %s/%c/%c has %d distinct texts", lang, a, o, n)
				}
			}
		}
	}
	for _, p := range c.posts {
		for _, w := range []string{"asserts", "speculates", "denies", "supportive", "opposing"} {
			if bytes.Contains([]byte(p.Text), []byte(w)) {
				t.Fatalf("post %s spells its stance label %q: %s", p.ID, w, p.Text)
			}
		}
	}
	ind := l.Indicators
	if ind.UnanimityBeforeClaim == nil || ind.UnanimityAfterClaim == nil || *ind.UnanimityAfterClaim <= *ind.UnanimityBeforeClaim {
		t.Errorf("unanimity before %v after %v", ind.UnanimityBeforeClaim, ind.UnanimityAfterClaim)
	}
	if ind.OnsetLatencySeconds <= 0 || ind.OnsetLatencySeconds > 1800 {
		t.Errorf("onset latency %g s", ind.OnsetLatencySeconds)
	}
	for _, h := range l.Hijacks {
		if h.Overtake == nil || !h.Overtake.After(h.OpposingStart) && !h.Overtake.Equal(h.OpposingStart) || h.Opposing <= h.Supportive {
			t.Errorf("hijack %+v", h)
		}
	}
	for _, r := range l.Recirculated {
		if r.PostsBeforeT0 < 1 || r.ResharesAfterT0 < 5 || !r.FirstSeen.Before(l.T0.Add(-4*24*time.Hour)) {
			t.Errorf("recirculated %+v", r)
		}
	}
}

func TestParseCount(t *testing.T) {
	for in, want := range map[string]int{"100k": 100000, "1m": 1000000, "1.5M": 1500000, "2000": 2000, "10_000": 10000} {
		if got, err := ParseCount(in); err != nil || got != want {
			t.Errorf("ParseCount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "k", "-5", "1e13", "NaN", "abc"} {
		if _, err := ParseCount(in); err == nil {
			t.Errorf("ParseCount(%q) accepted", in)
		}
	}
}

func TestValidate(t *testing.T) {
	p := testParams(1000, 1)
	if err := p.Validate(); err == nil {
		t.Error("1000 posts accepted")
	}
	p = testParams(10000, 1)
	p.TClaim = p.T0.Add(-time.Hour)
	if err := p.Validate(); err == nil {
		t.Error("claim before t0 accepted")
	}
	p = testParams(10000, 1)
	p.Density = 1.5
	if err := p.Validate(); err == nil {
		t.Error("density 1.5 accepted")
	}
}

func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"100k", "1m", "2000", "1.5g", "", "-1", "9999999999999m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseCount(s)
		if err == nil && (n < 0 || n > 1e12) {
			t.Fatalf("ParseCount(%q) = %d", s, n)
		}
	})
}

func BenchmarkGenerate100k(b *testing.B) {
	dir := b.TempDir()
	p := testParams(100000, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(context.Background(), p, filepath.Join(dir, "p.jsonl.gz"), filepath.Join(dir, "l.json"), nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.Posts*b.N)/b.Elapsed().Seconds(), "posts/s")
}

// jaccard is the Jaccard similarity of two texts' word sets.
func jaccard(a, b string) float64 {
	wa, wb := map[string]bool{}, map[string]bool{}
	for _, w := range strings.Fields(a) {
		wa[w] = true
	}
	for _, w := range strings.Fields(b) {
		wb[w] = true
	}
	inter := 0
	for w := range wa {
		if wb[w] {
			inter++
		}
	}
	union := len(wa) + len(wb) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}
