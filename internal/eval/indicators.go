package eval

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/synth"
)

// The indicator keys read from results.json (docs/synth.md lists them):
//
//	onset_latency.seconds
//	volume_lift.windows[].{window, lift_posts, lift_accounts}
//	media_releases.outlets[].{outlet, first_release, latency_seconds}
//	recirculation.items[].{key, kind}
//	hijacking.hashtags[].{hashtag, overtake}
//	automation.groups[].accounts
//	quotes.clusters[], quotes.event_clusters[] (any string field is compared with the leader quotes)
//	hashtags.top_new[] (strings, or objects with hashtag / tag / key)
//	stance.unanimity_before_claim, stance.unanimity_after_claim
//
// Missing or mistyped values are skipped and listed in IndicatorsMissing.

// path walks nested objects by keys.
func path(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func num(v any) (float64, bool) {
	f, ok := v.(float64)
	return f, ok && !math.IsNaN(f) && !math.IsInf(f, 0)
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func parseTime(v any) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, str(v))
	return t, err == nil
}

func (rep *Report) setIndicator(name string, truth, measured float64, unit string) {
	in := Indicator{Truth: truth, Measured: measured, Error: math.Abs(measured - truth), Unit: unit}
	if truth != 0 {
		r := in.Error / math.Abs(truth)
		in.RelError = &r
	}
	rep.Indicators[name] = in
}

func (rep *Report) missing(name string) { rep.IndicatorsMissing = append(rep.IndicatorsMissing, name) }

// normKey folds case, '#' and whitespace for matching keys and hashtags.
func normKey(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "#"))), " ")
}

func scoreIndicators(rep *Report, l *synth.Labels, r *Result) {
	ind := map[string]any{}
	for k, raw := range r.Indicators {
		var v any
		if json.Unmarshal(raw, &v) == nil {
			ind[k] = v
		}
	}
	tr := &l.Indicators

	if v, ok := num(path(ind["onset_latency"], "seconds")); ok && tr.FirstCoordinatedGroup >= 0 {
		rep.setIndicator("onset_latency", tr.OnsetLatencySeconds, v, "s")
	} else {
		rep.missing("onset_latency")
	}

	measuredLift := map[string]map[string]any{}
	for _, w := range list(path(ind["volume_lift"], "windows")) {
		if m, ok := w.(map[string]any); ok {
			measuredLift[str(m["window"])] = m
		}
	}
	for _, w := range tr.VolumeLift {
		m := measuredLift[w.Window]
		if v, ok := num(m["lift_posts"]); ok {
			rep.setIndicator("volume_lift_posts_"+w.Window, w.LiftPosts, v, "x")
		} else {
			rep.missing("volume_lift_posts_" + w.Window)
		}
		if v, ok := num(m["lift_accounts"]); ok {
			rep.setIndicator("volume_lift_accounts_"+w.Window, w.LiftAccounts, v, "x")
		} else {
			rep.missing("volume_lift_accounts_" + w.Window)
		}
	}

	outlets := list(path(ind["media_releases"], "outlets"))
	for _, o := range l.Outlets {
		name := "media_release_latency:" + o.Name
		found := false
		for _, mo := range outlets {
			m, ok := mo.(map[string]any)
			if !ok || !outletMatches(str(m["outlet"]), o) {
				continue
			}
			v, ok := num(m["latency_seconds"])
			if !ok {
				if t, ok2 := parseTime(m["first_release"]); ok2 {
					v, ok = t.Sub(l.T0).Seconds(), true
				}
			}
			if ok {
				rep.setIndicator(name, o.LatencySeconds, v, "s")
				found = true
				break
			}
		}
		if !found {
			rep.missing(name)
		}
	}

	if items, ok := path(ind["recirculation"], "items").([]any); ok && len(l.Recirculated) > 0 {
		keys := map[string]bool{}
		var texts []string
		for _, it := range items {
			m, _ := it.(map[string]any)
			k := normKey(str(m["key"]))
			keys[k] = true
			texts = append(texts, k)
		}
		matched := 0
		for _, it := range l.Recirculated {
			k := normKey(it.Key)
			if keys[k] || it.Kind == "text" && slices.ContainsFunc(texts, func(s string) bool {
				return len(s) > 20 && (strings.Contains(k, s) || strings.Contains(s, k))
			}) {
				matched++
			}
		}
		rep.setIndicator("recirculation", float64(len(l.Recirculated)), float64(matched), "items")
	} else {
		rep.missing("recirculation")
	}

	hashtags := list(path(ind["hijacking"], "hashtags"))
	for _, h := range l.Hijacks {
		name := "hijack_overtake:" + h.Hashtag
		if h.OvertakeSeconds == nil {
			continue
		}
		found := false
		for _, mh := range hashtags {
			m, ok := mh.(map[string]any)
			if !ok || normKey(str(m["hashtag"])) != normKey(h.Hashtag) {
				continue
			}
			if t, ok := parseTime(m["overtake"]); ok {
				rep.setIndicator(name, *h.OvertakeSeconds, t.Sub(l.T0).Seconds(), "s after t0")
				found = true
			}
			break
		}
		if !found {
			rep.missing(name)
		}
	}

	var autoTruth [][]string
	for _, g := range l.Groups {
		if g.Kind == synth.KindAutomation {
			autoTruth = append(autoTruth, g.Members)
		}
	}
	if groups, ok := path(ind["automation"], "groups").([]any); ok && len(autoTruth) > 0 {
		var measured [][]string
		for _, g := range groups {
			m, _ := g.(map[string]any)
			var accts []string
			for _, a := range list(m["accounts"]) {
				accts = append(accts, str(a))
			}
			measured = append(measured, accts)
		}
		matched := 0
		for _, t := range autoTruth {
			best := 0.0
			for _, m := range measured {
				best = math.Max(best, jaccard(t, m))
			}
			if best >= 0.5 {
				matched++
			}
		}
		rep.setIndicator("automation_groups", float64(len(autoTruth)), float64(matched), "groups")
	} else if len(autoTruth) > 0 {
		rep.missing("automation_groups")
	}

	var quotes []string
	for _, g := range l.Groups {
		if g.Kind == synth.KindCopypasta {
			quotes = append(quotes, g.Objects.Texts...)
		}
	}
	quotes = uniq(quotes)
	clusters, ok := path(ind["quotes"], "clusters").([]any)
	if ok && len(quotes) > 0 {
		// Both lists are what the analyst sees: the biggest copied texts
		// and those that spread in a synchronous burst after T0.
		clusters = append(slices.Clone(clusters), list(path(ind["quotes"], "event_clusters"))...)
		var found []string
		for _, c := range clusters {
			collectStrings(c, &found)
		}
		matched := 0
		for _, q := range quotes {
			if slices.ContainsFunc(found, func(s string) bool { return wordJaccard(q, s) >= 0.5 }) {
				matched++
			}
		}
		rep.setIndicator("copypasta_quotes", float64(len(quotes)), float64(matched), "quotes")
	} else if len(quotes) > 0 {
		rep.missing("copypasta_quotes")
	}

	if top, ok := path(ind["hashtags"], "top_new").([]any); ok && len(tr.CampaignHashtags) > 0 {
		have := map[string]bool{}
		for _, t := range top {
			switch x := t.(type) {
			case string:
				have[normKey(x)] = true
			case map[string]any:
				for _, k := range []string{"hashtag", "tag", "key"} {
					if s := str(x[k]); s != "" {
						have[normKey(s)] = true
					}
				}
			}
		}
		matched := 0
		for _, h := range tr.CampaignHashtags {
			if have[normKey(h)] {
				matched++
			}
		}
		rep.setIndicator("campaign_hashtags_new", float64(len(tr.CampaignHashtags)), float64(matched), "hashtags")
	} else if len(tr.CampaignHashtags) > 0 {
		rep.missing("campaign_hashtags_new")
	}

	st := ind["stance"]
	for _, u := range []struct {
		name  string
		truth *float64
	}{{"unanimity_before_claim", tr.UnanimityBeforeClaim}, {"unanimity_after_claim", tr.UnanimityAfterClaim}} {
		if u.truth == nil {
			continue
		}
		if v, ok := num(path(st, u.name)); ok {
			rep.setIndicator(u.name, *u.truth, v, "share")
		} else {
			rep.missing(u.name)
		}
	}
	slices.Sort(rep.IndicatorsMissing)
}

func outletMatches(measured string, o synth.Outlet) bool {
	m := normKey(measured)
	if m == "" {
		return false
	}
	for _, k := range []string{o.Name, o.Hashtag, o.Prefix} {
		if k != "" && strings.Contains(m, normKey(k)) {
			return true
		}
	}
	return slices.ContainsFunc(o.Accounts, func(a string) bool { return m == a })
}

func collectStrings(v any, out *[]string) {
	switch x := v.(type) {
	case string:
		*out = append(*out, x)
	case []any:
		for _, e := range x {
			collectStrings(e, out)
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			collectStrings(x[k], out)
		}
	}
}

func uniq(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

func jaccard(a, b []string) float64 {
	sa := map[string]bool{}
	for _, x := range a {
		sa[x] = true
	}
	sb := map[string]bool{}
	for _, x := range b {
		sb[x] = true
	}
	inter := 0
	for x := range sa {
		if sb[x] {
			inter++
		}
	}
	u := len(sa) + len(sb) - inter
	if u == 0 {
		return 0
	}
	return float64(inter) / float64(u)
}

func wordJaccard(a, b string) float64 {
	return jaccard(strings.Fields(strings.ToLower(a)), strings.Fields(strings.ToLower(b)))
}
