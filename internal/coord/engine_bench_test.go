package coord

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/model"
)

// benchCorpus builds n posts by n/40 accounts over 7 days: Zipf-popular
// accounts, hashtags, URLs and retweet targets (35% retweets), like the
// peers' benchmark generator.
func benchCorpus(n int) *corpus.Corpus { return syntheticCorpus(n, 0) }

// syntheticCorpus is benchCorpus plus, when groups > 0, planted groups of
// 12 accounts that co-retweet, co-tag and co-link 8 objects each within
// seconds.
func syntheticCorpus(n, groups int) *corpus.Corpus {
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	accounts := max(n/40, 10)
	zAcc := rand.NewZipf(rng, 1.2, 1, uint64(accounts-1))
	zTag := rand.NewZipf(rng, 1.1, 1, 299)
	zURL := rand.NewZipf(rng, 1.1, 1, 399)
	zRT := rand.NewZipf(rng, 1.3, 1, uint64(max(n/10, 10)))
	t0 := time.Date(2023, 11, 14, 0, 0, 0, 0, time.UTC)
	b := corpus.NewBuilder(n)
	var p model.Post
	for i := 0; i < n; i++ {
		p.Reset()
		a := zAcc.Uint64()
		p.Platform, p.ID, p.AccountID = model.PlatformTwitter, fmt.Sprint(i), fmt.Sprint("a", a)
		p.Time = t0.Add(time.Duration(rng.Int64N(int64(7 * 24 * time.Hour))))
		if rng.Float64() < 0.35 {
			p.RepostOf = model.Link{PostID: fmt.Sprint("o", zRT.Uint64())}
		} else {
			for k := rng.IntN(4); k > 0; k-- {
				p.Hashtags = append(p.Hashtags, fmt.Sprint("tag", zTag.Uint64()))
			}
			if rng.Float64() < 0.3 {
				p.URLs = append(p.URLs, fmt.Sprintf("https://site%d.example/p/%d", zURL.Uint64()%60, zURL.Uint64()))
			}
		}
		p.Source.Line = int64(i + 1)
		b.Add(&p)
	}
	line := int64(n)
	for g := 0; g < groups; g++ {
		for k := 0; k < 8; k++ {
			at := t0.Add(time.Duration(rng.Int64N(int64(7 * 24 * time.Hour))))
			for m := 0; m < 12; m++ {
				p.Reset()
				line++
				p.Platform, p.ID, p.AccountID = model.PlatformTwitter, fmt.Sprint("g", line), fmt.Sprintf("g%d_%d", g, m)
				p.Time = at.Add(time.Duration(rng.IntN(20)) * time.Second)
				switch k % 3 {
				case 0:
					p.RepostOf = model.Link{PostID: fmt.Sprintf("camp%d_%d", g, k)}
				case 1:
					p.Hashtags = append(p.Hashtags, fmt.Sprintf("campaign%d_%d", g, k))
				default:
					p.URLs = append(p.URLs, fmt.Sprintf("https://drop%d.example/%d", g, k))
				}
				p.Source.Line = line
				b.Add(&p)
			}
		}
	}
	return b.Build()
}

func benchParams(perms int) Params {
	p := defaultScenarioParams()
	p.Layers = []model.Layer{model.LayerRepost, model.LayerHashtag, model.LayerURL}
	p.MinWeight, p.MinParticipation = 2, 2
	p.Permutations = perms
	p.Workers = 0
	return p
}

func benchRun(b *testing.B, n, perms int) {
	c := benchCorpus(n)
	p := benchParams(perms)
	b.ReportAllocs()
	b.ResetTimer()
	var edges, raw, pairs int64
	for i := 0; i < b.N; i++ {
		res, err := Run(b.Context(), c, p, nil)
		if err != nil {
			b.Fatal(err)
		}
		edges, raw, pairs = 0, 0, 0
		for _, l := range res.Layers {
			edges += int64(len(l.Edges))
			raw += l.RawPairs
			pairs += l.Pairs
		}
	}
	b.ReportMetric(float64(raw), "post-pairs")
	b.ReportMetric(float64(pairs), "account-pairs")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "posts/s")
	b.ReportMetric(float64(edges), "edges")
}

// BenchmarkObservedPass: co-repost + co-hashtag + co-URL at w = 60 s, no
// significance (the "observed pass" figure; target <= 3 s at 1M).
func BenchmarkObservedPass100k(b *testing.B) { benchRun(b, 100_000, 0) }
func BenchmarkObservedPass1M(b *testing.B)   { benchRun(b, 1_000_000, 0) }

// BenchmarkWithNull adds the default 20 permutations.
func BenchmarkWithNull100k(b *testing.B) { benchRun(b, 100_000, 20) }
func BenchmarkWithNull1M(b *testing.B)   { benchRun(b, 1_000_000, 20) }
