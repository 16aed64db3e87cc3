package indicators

import (
	"context"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/model"
)

// benchInput is a synthetic 1M-post event: 7 days before T0 and 3 after
// (volume doubling after T0), 100k accounts, Zipf-like hashtags, URLs,
// images and copied texts, random stance labels and 200 coordinated
// clusters of 5 accounts with significant hashtag edges.
var benchInput = sync.OnceValue(func() Input {
	const n = 1_000_000
	rng := rand.New(rand.NewPCG(11, 12))
	start := t0.Add(-7 * 24 * time.Hour)
	span := float64(10 * 24 * time.Hour)
	cb := corpus.NewBuilder(n)
	var p model.Post
	zipf := rand.NewZipf(rand.New(rand.NewPCG(1, 1)), 1.2, 1, 20000)
	for i := range n {
		p.Reset()
		// Half the posts fall in the 3 days after T0.
		var off float64
		if i%2 == 0 {
			off = rng.Float64() * 0.7 * span
		} else {
			off = 0.7*span + rng.Float64()*0.3*span
		}
		p.Platform = model.PlatformTwitter
		p.ID = strconv.Itoa(i)
		p.AccountID = strconv.Itoa(rng.IntN(100_000))
		p.Time = start.Add(time.Duration(off))
		p.Source = model.SourcePos{File: "bench", Line: int64(i)}
		if rng.IntN(3) == 0 {
			p.Text = "a copied message that many accounts share, number " + strconv.Itoa(rng.IntN(50_000))
		} else {
			p.Text = "own words of account " + p.AccountID + " at " + strconv.Itoa(i)
		}
		for range rng.IntN(3) {
			p.Hashtags = append(p.Hashtags, "tag"+strconv.FormatUint(zipf.Uint64(), 10))
		}
		if rng.IntN(5) == 0 {
			p.URLs = append(p.URLs, "https://site"+strconv.Itoa(rng.IntN(500))+".example/a/"+strconv.Itoa(rng.IntN(50_000)))
		}
		if rng.IntN(10) == 0 {
			p.Media = append(p.Media, model.Media{Hash: "phash:" + strconv.Itoa(rng.IntN(20_000))})
		}
		if rng.IntN(8) == 0 {
			p.RepostOf = model.Link{PostID: strconv.Itoa(rng.IntN(i + 1)), AccountID: "x"}
		}
		if rng.IntN(4) == 0 {
			p.Lang = []string{"ar", "en", "fr"}[rng.IntN(3)]
		}
		cb.Add(&p)
	}
	c := cb.Build()
	labels := make([]StanceLabel, c.Len())
	for i := range labels {
		labels[i] = StanceLabel{uint8(1 + rng.IntN(4)), uint8(1 + rng.IntN(3))}
	}
	// Coordinated clusters with evidence on their own posts.
	byAcct := map[uint32][]uint32{}
	for i := 0; i < c.Len(); i += 97 {
		byAcct[c.Account[i]] = append(byAcct[c.Account[i]], uint32(i))
	}
	var clusters []Cluster
	lr := coord.LayerResult{Layer: model.LayerHashtag, WindowMs: 60_000}
	for k := range 200 {
		cl := Cluster{ID: k}
		for j := range 5 {
			cl.Accounts = append(cl.Accounts, uint32(k*5+j))
		}
		clusters = append(clusters, cl)
		for x := 0; x < 5; x++ {
			for y := x + 1; y < 5; y++ {
				a, b := cl.Accounts[x], cl.Accounts[y]
				e := model.Edge{A: a, B: b, Layer: model.LayerHashtag, Q: 0.001}
				if pa, pb := byAcct[a], byAcct[b]; len(pa) > 0 && len(pb) > 0 {
					e.Evidence = []model.Evidence{{PostA: pa[0], PostB: pb[0]}}
				}
				lr.Edges = append(lr.Edges, e)
			}
		}
	}
	return Input{Corpus: c, Coord: &coord.Result{Layers: []coord.LayerResult{lr}}, Clusters: clusters,
		Event: Event{T0: t0, TClaim: t0.Add(6 * time.Hour)}, Stance: labels,
		Watch: WatchList{Accounts: []string{"1", "2", "3"}}}
})

func BenchmarkCompute1M(b *testing.B) {
	in := benchInput()
	p := DefaultParams()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(context.Background(), in, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(in.Corpus.Len()), "posts")
}

// BenchmarkIndicators1M times each indicator alone on the 1M corpus.
func BenchmarkIndicators1M(b *testing.B) {
	in := benchInput()
	p := DefaultParams()
	steps := map[string]func(s *state){
		"volume":        func(s *state) { s.volumeLift() },
		"hashtags":      func(s *state) { s.hashtags() },
		"bursts":        func(s *state) { s.bursts(s.hashtags().Tags) },
		"hijacking":     func(s *state) { s.hijacking(nil) },
		"media":         func(s *state) { s.mediaReleases() },
		"recirculation": func(s *state) { s.recirculation() },
		"quotes":        func(s *state) { s.quotes() },
		"onset":         func(s *state) { s.onsetLatency() },
		"automation":    func(s *state) { s.automation() },
		"ecosystem":     func(s *state) { s.ecosystemShare() },
		"stance":        func(s *state) { s.stanceMetrics() },
	}
	for _, name := range []string{"volume", "hashtags", "bursts", "hijacking", "media", "recirculation", "quotes", "onset", "automation", "ecosystem", "stance"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				steps[name](newState(&in, &p))
			}
		})
	}
}
