package indicators

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// poissonPosts adds posts at rate perHour in [from, to) from a pool of
// accounts.
func poissonPosts(b *posts, rng *rand.Rand, from, to time.Time, perHour float64, pool int, prefix string) {
	t := from
	for {
		t = t.Add(time.Duration(rng.ExpFloat64() / perHour * float64(time.Hour)))
		if !t.Before(to) {
			return
		}
		b.add(prefix+strconv.Itoa(rng.IntN(pool)), t, "chatter "+strconv.Itoa(rng.IntN(1e9)))
	}
}

func findWindow(t *testing.T, v VolumeLift, name string) LiftWindow {
	t.Helper()
	for _, w := range v.Windows {
		if w.Window == name {
			return w
		}
	}
	t.Fatalf("window %s missing", name)
	return LiftWindow{}
}

func TestVolumeLiftTripled(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var b posts
	poissonPosts(&b, rng, t0.Add(-10*24*time.Hour), t0, 60, 100000, "a")
	poissonPosts(&b, rng, t0, t0.Add(72*time.Hour), 180, 100000, "a")
	c := b.corpus()
	past := []PastEvent{{Vector: map[string]float64{"lift_posts_24h": 1}}, {Vector: map[string]float64{"lift_posts_24h": 2}},
		{Vector: map[string]float64{"lift_posts_24h": 4}}, {Vector: map[string]float64{"lift_posts_24h": 5}}}
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}, Past: past}, testParams())
	v := r.VolumeLift
	for _, name := range []string{"1h", "6h", "24h", "72h"} {
		w := findWindow(t, v, name)
		if w.LiftPosts == nil {
			t.Fatalf("%s: no lift", name)
		}
		tol := map[string]float64{"1h": 0.9, "6h": 0.45, "24h": 0.25, "72h": 0.2}[name]
		if !near(*w.LiftPosts, 3, tol) {
			t.Errorf("%s: lift_posts %.3f, want 3±%.2f", name, *w.LiftPosts, tol)
		}
		if w.LiftPostsCI == nil || w.LiftPostsCI[0] > *w.LiftPosts || w.LiftPostsCI[1] < *w.LiftPosts {
			t.Errorf("%s: CI %v does not bracket %v", name, w.LiftPostsCI, *w.LiftPosts)
		}
		wantDays := map[string]int{"1h": 7, "6h": 7, "24h": 7, "72h": 5}[name]
		if w.BaselineDays != wantDays {
			t.Errorf("%s: %d baseline days, want %d", name, w.BaselineDays, wantDays)
		}
		if !w.Complete {
			t.Errorf("%s: window should be complete", name)
		}
	}
	w1 := findWindow(t, v, "1h")
	if !near(*w1.LiftAccounts, 3, 1) {
		t.Errorf("1h lift_accounts %.2f, want ≈3", *w1.LiftAccounts)
	}
	w24 := findWindow(t, v, "24h")
	if w24.Past == nil || w24.Past.N != 4 || *w24.Past.Median != 3 || *w24.Past.Percentile != 50 {
		t.Errorf("past comparison %+v, want n=4 median 3 percentile 50", w24.Past)
	}
	if w24.BaselinePostsSD == nil || *w24.BaselinePostsSD <= 0 {
		t.Errorf("baseline sd %v, want > 0", w24.BaselinePostsSD)
	}
	// Series: 168 bins before, 72 after; totals match the corpus.
	if len(v.Series) != 240 {
		t.Fatalf("series has %d bins, want 240", len(v.Series))
	}
	total := 0
	for _, b := range v.Series {
		total += b.Posts
	}
	inSeries := 0
	for _, tm := range c.Time {
		if tm >= t0.Add(-168*time.Hour).UnixMilli() && tm < t0.Add(72*time.Hour).UnixMilli() {
			inSeries++
		}
	}
	if total != inSeries {
		t.Errorf("series posts %d, want %d", total, inSeries)
	}
	if vec := r.Vector(); !near(vec["lift_posts_24h"], *w24.LiftPosts, 1e-12) {
		t.Errorf("vector lift_posts_24h %v", vec["lift_posts_24h"])
	}
}

func TestVolumeLiftShortPrePeriod(t *testing.T) {
	var b posts
	// Three days before T0, 10 posts an hour; 20 an hour after.
	for h := -72; h < 24; h++ {
		n := 10
		if h >= 0 {
			n = 20
		}
		for k := range n {
			b.add("u"+strconv.Itoa(k), t0.Add(time.Duration(h)*time.Hour+time.Duration(k)*time.Minute*3), "x")
		}
	}
	r := mustCompute(t, Input{Corpus: b.corpus(), Event: Event{T0: t0}}, testParams())
	w := findWindow(t, r.VolumeLift, "1h")
	if w.BaselineDays != 3 {
		t.Errorf("baseline days %d, want 3", w.BaselineDays)
	}
	if w.LiftPosts == nil || *w.LiftPosts != 2 {
		t.Errorf("lift %v, want 2", w.LiftPosts)
	}
	if w.BaselinePostsSD == nil || *w.BaselinePostsSD != 0 {
		t.Errorf("sd %v, want 0", w.BaselinePostsSD)
	}
	if !hasNote(r.VolumeLift.Notes, "baseline from 3 of 7") {
		t.Errorf("notes %q lack the short baseline", r.VolumeLift.Notes)
	}
	w72 := findWindow(t, r.VolumeLift, "72h")
	if w72.Complete {
		t.Error("72h window past the data end reported complete")
	}
	if !hasNote(r.VolumeLift.Notes, "window 72h runs past the end") {
		t.Errorf("notes %q lack the partial window", r.VolumeLift.Notes)
	}
	if !hasNote(r.VolumeLift.Notes, "event library empty") {
		t.Errorf("notes %q lack the empty library", r.VolumeLift.Notes)
	}
}

func TestVolumeLiftT0OutsideData(t *testing.T) {
	var b posts
	for k := range 50 {
		b.add("u"+strconv.Itoa(k%7), t0.Add(time.Duration(k)*time.Minute), "x")
	}
	c := b.corpus()
	// T0 before the data: no baseline.
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0.Add(-time.Hour)}}, testParams())
	w := findWindow(t, r.VolumeLift, "6h")
	if w.BaselineDays != 0 || w.LiftPosts != nil || w.Posts != 50 {
		t.Errorf("T0 before data: %+v", w)
	}
	if !hasNote(r.VolumeLift.Notes, "before the data") {
		t.Errorf("notes %q", r.VolumeLift.Notes)
	}
	// T0 after the data: nothing after T0.
	r = mustCompute(t, Input{Corpus: c, Event: Event{T0: t0.Add(48 * time.Hour)}}, testParams())
	w = findWindow(t, r.VolumeLift, "1h")
	if w.Posts != 0 || w.Accounts != 0 {
		t.Errorf("T0 after data: %+v", w)
	}
	if !hasNote(r.VolumeLift.Notes, "no posts at or after T0") {
		t.Errorf("notes %q", r.VolumeLift.Notes)
	}
}

func hasNote(notes []string, sub string) bool {
	for _, n := range notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}
