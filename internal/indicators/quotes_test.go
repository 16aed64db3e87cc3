package indicators

import (
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
