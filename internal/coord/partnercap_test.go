package coord

import (
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

// TestPartnerCapCountsWhatTheSweepExamines: partnerCap predicts, without
// visiting a pair, exactly the post pairs a sweep with each partner bound
// examines, and examined + truncated is the same total for every bound.
func TestPartnerCapCountsWhatTheSweepExamines(t *testing.T) {
	c := syntheticCorpus(40_000, 2)
	p := benchParams(0)
	for _, l := range p.Layers {
		acts := collectActions(c, l, &p)
		w := p.Window[l].Milliseconds()
		if k, _ := partnerCap(&acts, w, 256, 1); k != 1 {
			t.Fatalf("%s: a budget below one partner per post must floor the bound at 1, got %d", l, k)
		}
		var total int64 = -1
		for _, k := range []int{1, 2, 3, 7, 16, 64, 256} {
			gotK, predicted := partnerCap(&acts, w, k, 0)
			if gotK != k {
				t.Fatalf("%s: no budget must keep the bound %d, got %d", l, k, gotK)
			}
			sw := newSweeper(w, k, c.NumAccounts(), true)
			sw.count(&acts)
			if sw.stats.RawPairs != predicted {
				t.Fatalf("%s k=%d: partnerCap predicts %d post pairs, the sweep examined %d", l, k, predicted, sw.stats.RawPairs)
			}
			if sum := sw.stats.RawPairs + sw.stats.Truncated; total < 0 {
				total = sum
			} else if sum != total {
				t.Fatalf("%s k=%d: examined+truncated = %d, want %d", l, k, sum, total)
			}
		}
	}
}

// TestLayerPairBudget: a per-layer budget below the hashtag layer's post
// pairs lowers that layer's partner bound until it fits, reports the bound
// and the truncation, leaves layers under the budget untouched, and the
// planted groups are still found.
func TestLayerPairBudget(t *testing.T) {
	c := syntheticCorpus(60_000, 4)
	free := benchParams(10)
	r1, err := Run(t.Context(), c, free, nil)
	if err != nil {
		t.Fatal(err)
	}
	var tags *LayerResult
	for i := range r1.Layers {
		if r1.Layers[i].Layer == model.LayerHashtag {
			tags = &r1.Layers[i]
		}
	}
	if tags == nil || tags.RawPairs < 10_000 || tags.MaxPartners != free.MaxPartners {
		t.Fatalf("hashtag layer without budget: %+v", tags)
	}
	budget := tags.RawPairs * 4 / 5
	capped := free
	capped.MaxLayerPairs = budget
	r2, err := Run(t.Context(), c, capped, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range r2.Layers {
		l1, l2 := &r1.Layers[i], &r2.Layers[i]
		if l1.RawPairs <= budget {
			if l2.MaxPartners != free.MaxPartners || l2.RawPairs != l1.RawPairs || len(l2.Edges) != len(l1.Edges) {
				t.Errorf("%s: under the budget (%d ≤ %d) but changed: bound %d, pairs %d, edges %d/%d", l1.Layer, l1.RawPairs, budget, l2.MaxPartners, l2.RawPairs, len(l1.Edges), len(l2.Edges))
			}
			continue
		}
		if l2.MaxPartners >= free.MaxPartners || l2.RawPairs > budget {
			t.Errorf("%s: over the budget: bound %d, %d post pairs examined for a budget of %d", l1.Layer, l2.MaxPartners, l2.RawPairs, budget)
		}
		if l2.RawPairs+l2.Truncated != l1.RawPairs+l1.Truncated {
			t.Errorf("%s: examined+truncated %d, want %d", l1.Layer, l2.RawPairs+l2.Truncated, l1.RawPairs+l1.Truncated)
		}
	}
	// Every planted account (g<group>_<member>) keeps a significant edge in
	// some layer, and the organic accounts flagged do not grow.
	flagged := func(r *Result) (planted, organic map[string]bool) {
		planted, organic = map[string]bool{}, map[string]bool{}
		for _, l := range r.Layers {
			for _, e := range l.Edges {
				if e.Q > free.Alpha {
					continue
				}
				for _, a := range []uint32{e.A, e.B} {
					h := c.AccountHandle[a]
					if strings.HasPrefix(h, "g") && strings.Contains(h, "_") {
						planted[h] = true
					} else {
						organic[h] = true
					}
				}
			}
		}
		return planted, organic
	}
	p1, o1 := flagged(r1)
	p2, o2 := flagged(r2)
	if len(p1) != 4*12 {
		t.Fatalf("without budget %d of 48 planted accounts found; the test cannot compare", len(p1))
	}
	if len(p2) < len(p1) {
		t.Errorf("with the budget %d of %d planted accounts found", len(p2), len(p1))
	}
	if len(o2) > len(o1)+len(o1)/10+1 {
		t.Errorf("with the budget %d organic accounts flagged, without %d", len(o2), len(o1))
	}
}

// TestEmptyLayerKeepsPartnerBound: a layer without actions reports the
// configured bound (not 0, which read as "lowered" and raised a warning).
func TestEmptyLayerKeepsPartnerBound(t *testing.T) {
	c := urlCorpus([]urlPost{{acct: "a", url: "https://x.example/1", at: time.Unix(0, 0)}, {acct: "b", url: "https://x.example/1", at: time.Unix(5, 0)}})
	p := defaultScenarioParams()
	p.Layers = []model.Layer{model.LayerRepost, model.LayerURL}
	res, err := Run(t.Context(), c, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range res.Layers {
		if l.MaxPartners != p.MaxPartners {
			t.Errorf("%s: max partners %d, want the configured %d", l.Layer, l.MaxPartners, p.MaxPartners)
		}
	}
	if res.Layers[0].Actions != 0 {
		t.Fatalf("repost layer has %d actions, want an empty layer", res.Layers[0].Actions)
	}
}
