package indicators

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

func TestViterbiFlatHasNoBurst(t *testing.T) {
	p := testParams()
	x := make([]int, 200)
	for i := range x {
		x[i] = 10
	}
	for i, s := range poissonStates(x, &p) {
		if s != 0 {
			t.Fatalf("bin %d in state %d on a flat series", i, s)
		}
	}
}

func TestViterbiFindsSpike(t *testing.T) {
	p := testParams()
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]int, 300)
	for i := range x {
		x[i] = int(poissonDraw(rng, 5))
	}
	for i := 150; i < 160; i++ {
		x[i] = int(poissonDraw(rng, 40))
	}
	st := poissonStates(x, &p)
	for i := 150; i < 160; i++ {
		if st[i] == 0 {
			t.Errorf("spike bin %d in base state", i)
		}
	}
	outside := 0
	for i, s := range st {
		if (i < 148 || i > 161) && s > 0 {
			outside++
		}
	}
	if outside > 0 {
		t.Errorf("%d bins outside the spike flagged", outside)
	}
}

func TestBurstsOnPostsAndHashtag(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var b posts
	poissonPosts(&b, rng, t0.Add(-3*24*time.Hour), t0.Add(24*time.Hour), 30, 5000, "a")
	// A hashtag that bursts 2 h after T0 for one hour.
	start := t0.Add(2 * time.Hour)
	for k := range 120 {
		b.add("s"+strconv.Itoa(k), start.Add(time.Duration(k)*30*time.Second), "tagged", tags("Surge"))
	}
	// The same tag at a trickle before.
	for d := 1; d <= 3; d++ {
		b.add("old", t0.Add(-time.Duration(d)*24*time.Hour), "tagged", tags("Surge"))
	}
	r := mustCompute(t, Input{Corpus: b.corpus(), Event: Event{T0: t0}}, testParams())
	var tag *BurstSeries
	for i := range r.Bursts.Series {
		if r.Bursts.Series[i].Name == "#Surge" {
			tag = &r.Bursts.Series[i]
		}
	}
	if tag == nil {
		t.Fatalf("no #Surge series in %d series", len(r.Bursts.Series))
	}
	if len(tag.Bursts) != 1 {
		t.Fatalf("#Surge bursts %+v, want one", tag.Bursts)
	}
	br := tag.Bursts[0]
	if br.OnsetOffsetS < 7200-600 || br.OnsetOffsetS > 7200 || br.End.Before(start.Add(50*time.Minute)) {
		t.Errorf("burst onset %v (offset %vs) end %v, want onset at T0+2h", br.Onset, br.OnsetOffsetS, br.End)
	}
	if r.Bursts.Series[0].Name != "posts" || len(r.Bursts.Series[0].Bursts) == 0 {
		t.Errorf("posts series %+v: the added 120 posts in an hour should burst", r.Bursts.Series[0].Bursts)
	}
}
