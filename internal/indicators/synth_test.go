package indicators

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/synth"
)

// TestSynthTruth computes the indicators on a small synthetic event and
// compares them with the generator's ground truth (the same comparison
// `chorus eval` makes on results.json).
func TestSynthTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("synthetic event")
	}
	c, lab, labels := synthEvent(t, 20000, 3)
	nd := coord.NearDuplicates(c, coord.NearDupParams{Threshold: 0.7, MinRunes: 30, Seed: 1, Workers: 2})
	cp := coord.Params{MinWeight: 2, MinParticipation: 2, MaxPartners: 256, MinHashtagSeq: 3, Permutations: 20, NullBlock: time.Hour,
		Seed: 1, Alpha: 0.05, MaxEvidence: 5, Workers: 2}
	for _, l := range []model.Layer{model.LayerRepost, model.LayerHashtag, model.LayerURL, model.LayerNearText, model.LayerImage, model.LayerText} {
		cp.Layers = append(cp.Layers, l)
		cp.Window[l] = 60 * time.Second
	}
	cp.SetNearDup(nd)
	res, err := coord.Run(context.Background(), c, cp, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := mustCompute(t, Input{Corpus: c, Coord: res, NearDup: nd, Event: Event{T0: lab.T0, TClaim: lab.TClaim}, Stance: labels}, testParams())

	// Volume lift: the generator uses the same definition.
	for _, lt := range lab.Indicators.VolumeLift {
		var w *LiftWindow
		for i := range r.VolumeLift.Windows {
			if r.VolumeLift.Windows[i].Window == lt.Window {
				w = &r.VolumeLift.Windows[i]
			}
		}
		if w == nil || w.LiftPosts == nil || w.LiftAccounts == nil {
			t.Errorf("window %s missing", lt.Window)
			continue
		}
		if w.Posts != lt.Posts || w.BaselineDays != lt.BaselineDays || math.Abs(*w.LiftPosts-lt.LiftPosts) > 1e-9 || math.Abs(*w.LiftAccounts-lt.LiftAccounts) > 1e-9 {
			t.Errorf("window %s: posts %d days %d lift %.4f/%.4f, truth %d %d %.4f/%.4f", lt.Window, w.Posts, w.BaselineDays, *w.LiftPosts, *w.LiftAccounts, lt.Posts, lt.BaselineDays, lt.LiftPosts, lt.LiftAccounts)
		}
	}
	// Media outlets: found by brand, exact first-release latency.
	for _, o := range lab.Outlets {
		found := false
		for _, m := range r.MediaReleases.Outlets {
			if strings.Contains(strings.ToLower(m.Outlet), strings.ToLower(o.Name)) && m.LatencySeconds != nil {
				found = true
				if *m.LatencySeconds != o.LatencySeconds {
					t.Errorf("outlet %s latency %v, truth %v", o.Name, *m.LatencySeconds, o.LatencySeconds)
				}
			}
		}
		if !found {
			t.Errorf("outlet %s not found in %+v", o.Name, r.MediaReleases.Outlets)
		}
	}
	// Recirculated items: each archival item listed.
	for _, it := range lab.Recirculated {
		found := false
		for _, m := range r.Recirculation.Items {
			if m.Kind == it.Kind && strings.EqualFold(m.Key, it.Key) {
				found = true
			}
		}
		if !found {
			t.Errorf("recirculated %s %q not listed", it.Kind, it.Key)
		}
	}
	// Unanimity: same definition on the true labels.
	st := r.Stance
	if u := lab.Indicators.UnanimityBeforeClaim; u != nil && (st.UnanimityBeforeClaim == nil || math.Abs(*st.UnanimityBeforeClaim-*u) > 1e-9) {
		t.Errorf("unanimity before claim %v, truth %v", st.UnanimityBeforeClaim, *u)
	}
	if u := lab.Indicators.UnanimityAfterClaim; u != nil && (st.UnanimityAfterClaim == nil || math.Abs(*st.UnanimityAfterClaim-*u) > 1e-9) {
		t.Errorf("unanimity after claim %v, truth %v", st.UnanimityAfterClaim, *u)
	}
	// Campaign hashtags are new; those with at least as many adopters as
	// the last listed new tag are in top_new (minor "wave" tags of a few
	// accounts may rank below organic new tags).
	top := r.Hashtags.TopNew
	found := 0
	for _, h := range lab.Indicators.CampaignHashtags {
		id, ok := c.Tags.Lookup(tagKey(h))
		if !ok {
			t.Errorf("campaign hashtag %s not in corpus", h)
			continue
		}
		listed := false
		for _, s := range top {
			if s.id == id {
				listed = true
			}
		}
		if listed {
			found++
			continue
		}
		adopters := map[uint32]bool{}
		for i := 0; i < c.Len(); i++ {
			if c.Time[i] >= lab.T0.UnixMilli() && c.Time[i] < lab.T0.Add(24*time.Hour).UnixMilli() && slices.Contains(c.PostTags(i), id) {
				adopters[c.Account[i]] = true
			}
		}
		if len(top) < testParams().TopHashtags || len(adopters) > top[len(top)-1].Adopters {
			t.Errorf("campaign hashtag %s (%d adopters) not among top new", h, len(adopters))
		}
	}
	t.Logf("campaign hashtags in top_new: %d of %d", found, len(lab.Indicators.CampaignHashtags))
	// Hijack overtakes: within an hour of the truth (the truth counts
	// only the planted posts; reposts carrying the tag also count here).
	for _, hj := range lab.Hijacks {
		if hj.Overtake == nil {
			continue
		}
		var got *HijackTag
		for i := range r.Hijacking.Hashtags {
			if strings.EqualFold(r.Hijacking.Hashtags[i].Hashtag, hj.Hashtag) {
				got = &r.Hijacking.Hashtags[i]
			}
		}
		if got == nil || got.Overtake == nil {
			t.Errorf("hijack of %s not measured", hj.Hashtag)
			continue
		}
		if d := got.Overtake.Sub(*hj.Overtake); d < -time.Hour || d > time.Hour {
			t.Errorf("overtake of %s at %v, truth %v", hj.Hashtag, got.Overtake, hj.Overtake)
		}
	}
	// Automation groups: each planted group matched (Jaccard >= 0.5).
	for _, g := range lab.Groups {
		if g.Kind != synth.KindAutomation {
			continue
		}
		best := 0.0
		for _, m := range r.Automation.Groups {
			best = math.Max(best, jaccardStrings(g.Members, m.Accounts))
		}
		if best < 0.5 {
			t.Errorf("automation group %d not found (best Jaccard %.2f)", g.ID, best)
		}
	}
	// Quote spread: the planted leader quotes (copypasta groups) are in
	// the event list (a synchronous burst after T0), found as `chorus eval`
	// finds them (word Jaccard >= 0.5), though ordinary reaction messages
	// have many more accounts.
	var quotes []string
	for _, g := range lab.Groups {
		if g.Kind == synth.KindCopypasta {
			quotes = append(quotes, g.Objects.Texts...)
		}
	}
	slices.Sort(quotes)
	quotes = slices.Compact(quotes)
	foundQ := 0
	for _, q := range quotes {
		if slices.ContainsFunc(r.Quotes.EventClusters, func(c QuoteCluster) bool { return wordJaccard(q, c.Text) >= 0.5 }) {
			foundQ++
		}
	}
	t.Logf("leader quotes in event_clusters: %d of %d (%d listed)", foundQ, len(quotes), len(r.Quotes.EventClusters))
	if len(quotes) == 0 || 6*foundQ < 5*len(quotes) {
		t.Errorf("leader quotes in event_clusters: %d of %d, want at least 5 of 6", foundQ, len(quotes))
	}
	// Onset: the first planted coordinated post at or after T0; the
	// measured onset cannot be earlier than the first co-action and should
	// be close.
	if lab.Indicators.FirstCoordinatedGroup >= 0 {
		o := r.OnsetLatency.Seconds
		if o == nil {
			t.Errorf("no onset (notes %q)", r.OnsetLatency.Notes)
		} else {
			t.Logf("onset %.0f s, truth %.0f s", *o, lab.Indicators.OnsetLatencySeconds)
			if math.Abs(*o-lab.Indicators.OnsetLatencySeconds) > 1800 {
				t.Errorf("onset %.0f s, truth %.0f s", *o, lab.Indicators.OnsetLatencySeconds)
			}
		}
	}
}

func jaccardStrings(a, b []string) float64 {
	set := map[string]int{}
	for _, x := range a {
		set[x] |= 1
	}
	for _, x := range b {
		set[x] |= 2
	}
	inter := 0
	for _, v := range set {
		if v == 3 {
			inter++
		}
	}
	if len(set) == 0 {
		return 0
	}
	return float64(inter) / float64(len(set))
}

func wordJaccard(a, b string) float64 {
	return jaccardStrings(strings.Fields(strings.ToLower(a)), strings.Fields(strings.ToLower(b)))
}
