package indicators

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"
)

// addStaggered posts text by accts one after another every gap ± jitter.
func addStaggered(b *posts, rng *rand.Rand, start time.Time, accts []string, text string, gap, jitter time.Duration, opts ...postOpt) {
	for k, a := range accts {
		j := time.Duration((rng.Float64()*2 - 1) * float64(jitter))
		b.add(a, start.Add(time.Duration(k)*gap+j), text, opts...)
	}
}

func TestAutomationRegularVersusPoisson(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var b posts
	bots := []string{"bot1", "bot2", "bot3", "bot4", "bot5", "bot6", "bot7", "bot8"}
	// Two actions of the same bot group with different texts, each
	// posting every 5 min ± 20 s; participation varies.
	addStaggered(&b, rng, t0.Add(30*time.Minute), bots, text20("Bulletin 101: new release from the brothers"), 5*time.Minute, 20*time.Second, client("BotPoster"))
	addStaggered(&b, rng, t0.Add(5*time.Hour), bots[:6], text20("Bulletin 102: follow our backup account"), 5*time.Minute, 20*time.Second, client("BotPoster"))
	// Organic: the same text by 10 accounts at Poisson times (mean gap
	// 5 min), three separate texts.
	for k := range 3 {
		tm := t0.Add(time.Duration(k*10) * time.Hour)
		txt := text20("organic shared saying number " + strconv.Itoa(k))
		for j := range 10 {
			tm = tm.Add(time.Duration(rng.ExpFloat64() * float64(5*time.Minute)))
			b.add("org"+strconv.Itoa(k*10+j), tm, txt, client("Twitter for Android"))
		}
	}
	// Synchronous burst: 6 accounts within 10 s (not staggered).
	for j := range 6 {
		b.add("sync"+strconv.Itoa(j), t0.Add(2*time.Hour+time.Duration(j)*2*time.Second), text20("synchronous campaign text"))
	}
	c := b.corpus()
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}}, testParams())
	a := r.Automation
	if len(a.Groups) != 1 {
		t.Fatalf("groups %+v", a.Groups)
	}
	g := a.Groups[0]
	if !slices.Equal(g.Accounts, bots) {
		t.Errorf("accounts %v, want %v", g.Accounts, bots)
	}
	if g.Runs != 2 || g.Posts != 14 || a.Runs != 2 {
		t.Errorf("runs %d posts %d (found %d runs)", g.Runs, g.Posts, a.Runs)
	}
	if g.CV >= 0.2 {
		t.Errorf("cv %.3f, want < 0.2", g.CV)
	}
	if !near(g.MedianGapS, 300, 25) {
		t.Errorf("median gap %.1f s, want ≈300", g.MedianGapS)
	}
	if len(g.Clients) != 1 || g.Clients[0] != (ClientN{"BotPoster", 14}) {
		t.Errorf("clients %+v", g.Clients)
	}
	if g.PPoisson > 0.01 || !g.AfterT0 {
		t.Errorf("p_poisson %v after_t0 %v", g.PPoisson, g.AfterT0)
	}
	if g.Text != text20("Bulletin 101: new release from the brothers") || len(g.Texts) != 2 {
		t.Errorf("text %q texts %q", g.Text, g.Texts)
	}
}

func TestAutomationPoissonNotFlagged(t *testing.T) {
	// Many organic texts, each copied by 8 accounts at Poisson times: the
	// false-positive rate at the default threshold must stay small.
	rng := rand.New(rand.NewPCG(9, 10))
	var b posts
	const texts = 200
	for k := range texts {
		tm := t0.Add(time.Duration(k) * time.Minute)
		txt := text20("organic text number " + strconv.Itoa(k))
		for range 8 {
			tm = tm.Add(time.Duration(rng.ExpFloat64() * float64(4*time.Minute)))
			b.add("o"+strconv.Itoa(rng.IntN(100000)), tm, txt)
		}
	}
	r := mustCompute(t, Input{Corpus: b.corpus(), Event: Event{T0: t0}}, testParams())
	if n := r.Automation.Runs; n > texts/100 {
		t.Errorf("%d of %d Poisson texts flagged", n, texts)
	}
}
