package indicators

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/coord"
)

func TestQuotesExactAndWatchList(t *testing.T) {
	var b posts
	q := "Die in your rage, the caliphate will remain and expand, said the emir"
	// Copied by 5 accounts in two languages after T0, once before.
	b.add("early", t0.Add(-time.Hour), q, lang("en"))
	for k := range 5 {
		l := "en"
		if k >= 3 {
			l = "fr"
		}
		b.add("c"+strconv.Itoa(k), t0.Add(time.Duration(k*2+1)*time.Hour), q+" @friend"+strconv.Itoa(k), lang(l))
	}
	// A watch-list slogan embedded in longer posts by 2 accounts.
	slogan := "baqiyah wa tatamadad, remaining and expanding"
	b.add("w1", t0.Add(time.Hour), "They say: Baqiyah wa tatamadad! Remaining and expanding. Amen")
	b.add("w2", t0.Add(30*time.Hour), "BAQIYAH WA TATAMADAD — remaining and expanding!!")
	// Two copies only: below quote-min-accounts.
	pair := text20("a text copied only twice by two people")
	b.add("p1", t0.Add(time.Hour), pair)
	b.add("p2", t0.Add(2*time.Hour), pair)
	c := b.corpus()
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}, Watch: WatchList{Quotes: []string{slogan}}}, testParams())
	cl := r.Quotes.Clusters
	if len(cl) != 2 {
		t.Fatalf("clusters %+v", cl)
	}
	w := cl[0]
	if w.Source != "watch_list" || w.Text != slogan || w.Posts != 2 || w.Accounts != 2 {
		t.Errorf("watch-list quote %+v", w)
	}
	e := cl[1]
	if e.Source != "exact" || e.Text != q || e.Posts != 5 || e.PostsTotal != 6 || e.Accounts != 5 {
		t.Errorf("exact cluster %+v", e)
	}
	if len(e.Languages) != 2 || e.Languages[0] != (LangN{"en", 3}) || e.Languages[1] != (LangN{"fr", 2}) {
		t.Errorf("languages %+v", e.Languages)
	}
	// Spread: 1h: none (first copy at T0+1h is outside [T0, T0+1h)), 6h:
	// 3 accounts in 1 language, 24h: 5 in 2.
	want := []Spread{{"1h", 0, 0}, {"6h", 3, 1}, {"24h", 5, 2}, {"72h", 5, 2}}
	for k, s := range e.Spread {
		if s != want[k] {
			t.Errorf("spread %d = %+v, want %+v", k, s, want[k])
		}
	}
	if !hasNote(r.Quotes.Notes, "exact copies only") {
		t.Errorf("notes %q", r.Quotes.Notes)
	}
}

func TestQuotesUseNearDupClusters(t *testing.T) {
	var b posts
	for k := range 4 {
		b.add("v"+strconv.Itoa(k), t0.Add(time.Duration(k+1)*time.Minute), text20("variant "+strconv.Itoa(k)+" of the leader's message to the soldiers"))
	}
	c := b.corpus()
	// Hand-made near-dup result: all four in cluster 0.
	nd := &coord.NearDup{Cluster: make([]uint32, c.Len()), NumClusters: 1}
	r := mustCompute(t, Input{Corpus: c, NearDup: nd, Event: Event{T0: t0}}, testParams())
	if len(r.Quotes.Clusters) != 1 || r.Quotes.Clusters[0].Source != "near_dup" || r.Quotes.Clusters[0].Accounts != 4 {
		t.Fatalf("clusters %+v", r.Quotes.Clusters)
	}
}

// TestQuoteBurstRanking: an ordinary reaction message posted by many
// accounts over hours stays the biggest cluster, while a leader's quote
// posted by a few accounts within one co-action window — and nothing
// else around it — is the event list's first entry. A burst before T0,
// or a busy text whose peak its own rate explains, is not listed.
func TestQuoteBurstRanking(t *testing.T) {
	var b posts
	rng := newRand(7, 1)
	// Organic: 240 accounts over 12 h, Poisson arrivals (mean gap 3 min),
	// in two languages.
	organic := "Thoughts with everyone in the city tonight, stay safe and stay home"
	at := t0
	for k := range 240 {
		at = at.Add(time.Duration(rng.ExpFloat64() * float64(3*time.Minute)))
		l := "en"
		if k%3 == 0 {
			l = "fr"
		}
		b.add("o"+strconv.Itoa(k), at, organic, lang(l))
	}
	// A busy text: 600 accounts in the first hour (10 a minute): its peak
	// minute is large but expected from its own rate.
	busy := "Breaking: explosions reported in the city centre, police on the scene"
	for k := range 600 {
		b.add("b"+strconv.Itoa(k), t0.Add(time.Duration(rng.Float64()*float64(time.Hour))), busy)
	}
	// The leader's quote: 9 accounts within 40 s, 5 h after T0.
	leader := "O soldiers of the Caliphate, strike them in their homes, the promise is true"
	for k := range 9 {
		b.add("q"+strconv.Itoa(k), t0.Add(5*time.Hour+time.Duration(k*5)*time.Second), leader, lang("en"))
	}
	// An old slogan: a burst of 9 accounts a day before T0, then three
	// scattered copies after T0.
	old := "Remaining and expanding, by the will of the Lord of the worlds, forever"
	for k := range 9 {
		b.add("s"+strconv.Itoa(k), t0.Add(-24*time.Hour+time.Duration(k)*time.Second), old)
	}
	for k := range 3 {
		b.add("s"+strconv.Itoa(k), t0.Add(time.Duration(2+10*k)*time.Hour), old)
	}
	c := b.corpus()
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}}, testParams())
	q := r.Quotes
	sorted := slices.SortedFunc(slices.Values(q.Clusters), func(a, b QuoteCluster) int { return b.Accounts - a.Accounts })
	if len(q.Clusters) != 4 || q.Clusters[0].Text != busy || q.Clusters[1].Text != organic || !slices.EqualFunc(sorted, q.Clusters, func(a, b QuoteCluster) bool { return a.Text == b.Text }) {
		t.Fatalf("clusters not by accounts: %+v", q.Clusters)
	}
	// One-minute windows from T0 to the last post (the slogan at T0+22h).
	if q.Tested != 4 || q.BurstWindows != 22*60+1 {
		t.Errorf("tested %d texts over %d windows", q.Tested, q.BurstWindows)
	}
	if len(q.EventClusters) != 1 {
		var ts []string
		for _, e := range q.EventClusters {
			ts = append(ts, fmt.Sprintf("%.30q burst %+v", e.Text, *e.Burst))
		}
		t.Fatalf("event clusters: %d, want the leader's quote only: %s", len(q.EventClusters), ts)
	}
	e := q.EventClusters[0]
	bu := e.Burst
	if e.Text != leader || bu == nil || !bu.Significant || bu.Accounts != 9 || bu.Posts != 9 || bu.Languages != 1 || bu.ContextPosts != 0 {
		t.Fatalf("leader's quote %+v burst %+v", e, bu)
	}
	if !bu.Start.Equal(t0.Add(5*time.Hour)) || !bu.End.Equal(t0.Add(5*time.Hour+40*time.Second)) || bu.OffsetS != 5*3600 {
		t.Errorf("burst span %v – %v offset %v", bu.Start, bu.End, bu.OffsetS)
	}
	// expected = (0+1) posts per 2 h, over 60 s.
	if !near(bu.Expected, 60.0/7200, 1e-12) || !near(bu.Log10P, log10PoissonTail(9, 60.0/7200), 1e-12) || bu.PAdjusted > 1e-10 {
		t.Errorf("expected %g log10 p %g adjusted %g", bu.Expected, bu.Log10P, bu.PAdjusted)
	}
	for _, cl := range q.Clusters {
		if cl.Burst == nil {
			t.Fatalf("cluster without burst: %+v", cl)
		}
		if cl.Text != leader && cl.Burst.Significant {
			t.Errorf("%.30q: burst %+v should not be significant", cl.Text, *cl.Burst)
		}
		if cl.Text == busy && cl.Burst.Accounts < 15 {
			t.Errorf("busy text's peak %d accounts: the test needs a large organic peak", cl.Burst.Accounts)
		}
	}
	// With quote-min-accounts above its burst it is not listed.
	p := testParams()
	p.QuoteMinAccounts = 10
	r = mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}}, p)
	if len(r.Quotes.EventClusters) != 0 {
		t.Errorf("quote-min-accounts 10: event clusters %d", len(r.Quotes.EventClusters))
	}
}

func TestLog10PoissonTail(t *testing.T) {
	direct := func(k int, mu float64) float64 {
		s, term := 0.0, math.Exp(-mu)
		for i := 0; i < 400; i++ {
			if i >= k {
				s += term
			}
			term *= mu / float64(i+1)
		}
		return math.Log10(s)
	}
	for _, c := range []struct {
		k  int
		mu float64
	}{{1, 0.5}, {3, 0.2}, {5, 5}, {2, 5}, {10, 2.5}, {30, 12}, {9, 0.0083}} {
		if got, want := log10PoissonTail(c.k, c.mu), direct(c.k, c.mu); !near(got, want, 1e-9*math.Max(1, math.Abs(want))) {
			t.Errorf("k %d mu %g: %g, want %g", c.k, c.mu, got, want)
		}
	}
	// Far in the tail the probability underflows; the log does not.
	if got := log10PoissonTail(300, 0.01); !(got < -900) || math.IsInf(got, 0) {
		t.Errorf("k 300 mu 0.01: %g", got)
	}
	if log10PoissonTail(0, 1) != 0 {
		t.Error("P(X >= 0) != 1")
	}
}
