package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/indicators"
)

func fp(v float64) *float64 { return &v }

// headlineWindow picks the volume window the summary and the rubric use:
// 24h when complete with a lift, else the first complete window with a
// lift, else the first window with a lift.
func headlineWindow(v *indicators.VolumeLift) *indicators.LiftWindow {
	if v == nil {
		return nil
	}
	var firstComplete, firstAny *indicators.LiftWindow
	for i := range v.Windows {
		w := &v.Windows[i]
		if w.LiftPosts == nil {
			continue
		}
		if w.Window == "24h" && w.Complete {
			return w
		}
		if w.Complete && firstComplete == nil {
			firstComplete = w
		}
		if firstAny == nil {
			firstAny = w
		}
	}
	if firstComplete != nil {
		return firstComplete
	}
	return firstAny
}

// fastestOutlet returns the outlet with the smallest release latency.
func fastestOutlet(m *indicators.MediaReleases) *indicators.Outlet {
	if m == nil {
		return nil
	}
	var best *indicators.Outlet
	for i := range m.Outlets {
		o := &m.Outlets[i]
		if o.LatencySeconds == nil {
			continue
		}
		if best == nil || *o.LatencySeconds < *best.LatencySeconds {
			best = o
		}
	}
	return best
}

// firstRelay returns the outlet whose material other accounts relayed
// first at or after T0.
func firstRelay(m *indicators.MediaReleases) *indicators.Outlet {
	if m == nil {
		return nil
	}
	var best *indicators.Outlet
	for i := range m.Outlets {
		o := &m.Outlets[i]
		if o.Relayed == nil || o.Relayed.LatencySeconds == nil {
			continue
		}
		if best == nil || *o.Relayed.LatencySeconds < *best.Relayed.LatencySeconds {
			best = o
		}
	}
	return best
}

// unanimityPeriod returns the stance measure the rubric uses: before the
// claim when there is one, else after T0, with its interval.
func unanimityPeriod(st *indicators.StanceMetrics, hasClaim bool) (v *float64, ci []float64, which string) {
	if st == nil {
		return nil, nil, ""
	}
	if hasClaim && st.UnanimityBeforeClaim != nil {
		v, which = st.UnanimityBeforeClaim, "before the claim"
	} else if st.UnanimityAfterT0 != nil {
		v, which = st.UnanimityAfterT0, "after T0"
	}
	if v == nil {
		return nil, nil, ""
	}
	for _, p := range st.Periods {
		sc := p.Supporters
		if sc.AssertShare == nil {
			sc = p.All
		}
		if sc.AssertShare != nil && math.Abs(*sc.AssertShare-*v) < 1e-9 {
			return v, sc.AssertShareCI, which
		}
	}
	return v, nil, which
}

// measure computes every criterion's measurement.
func measure(src *source, rep *Report) map[string]Measurement {
	res, ind := src.res, &src.ind
	m := map[string]Measurement{}

	largest, layers := 0, 0
	largestID, layersID := -1, -1
	for _, c := range res.Clusters {
		if c.Size > largest {
			largest, largestID = c.Size, c.ID
		}
		if c.Size >= 3 && len(c.Layers) > layers {
			layers, layersID = len(c.Layers), c.ID
		}
	}
	cm := Measurement{Value: fp(float64(largest)), Anchor: "clusters"}
	if largestID >= 0 {
		cm.Detail = fmt.Sprintf("cluster C%d", largestID)
		cm.Anchor = anchorID("cluster", itoa(largestID))
	} else {
		cm.Detail = "no coordinated cluster"
	}
	m["coordination"] = cm
	lm := Measurement{Value: fp(float64(layers)), Anchor: "clusters"}
	if layersID >= 0 {
		lm.Detail = fmt.Sprintf("cluster C%d", layersID)
		lm.Anchor = anchorID("cluster", itoa(layersID))
	} else {
		lm.Detail = "no cluster of 3 or more accounts"
	}
	m["multilayer"] = lm

	if o := ind.Onset; o != nil && o.Seconds != nil {
		d := "first co-action " + fmtTimePtr(o.FirstTime)
		if o.Cluster != nil {
			d += fmt.Sprintf(" in cluster C%d", *o.Cluster)
		}
		m["onset"] = Measurement{Value: fp(*o.Seconds / 3600), Detail: d, Anchor: "onset"}
	} else {
		m["onset"] = Measurement{Reason: ind.reason("onset_latency"), Anchor: "onset"}
	}

	if o := fastestOutlet(ind.Media); o != nil {
		m["media"] = Measurement{Value: fp(*o.LatencySeconds / 3600), Detail: "first release " + fmtTimePtr(o.FirstRelease), Anchor: "media"}
	} else {
		m["media"] = Measurement{Reason: ind.reason("media_releases"), Anchor: "media"}
	}

	if a := ind.Automation; a != nil {
		n := 0
		for _, g := range a.Groups {
			if g.AfterT0 {
				n++
			}
		}
		m["automation"] = Measurement{Value: fp(float64(n)), Detail: fmt.Sprintf("%d of %d groups active after T0", n, len(a.Groups)), Anchor: "automation"}
	} else {
		m["automation"] = Measurement{Reason: ind.reason("automation"), Anchor: "automation"}
	}

	if v, ci, which := unanimityPeriod(ind.Stance, res.Event.TClaim != nil); v != nil {
		m["unanimity"] = Measurement{Value: v, CI: ci, Detail: which, Anchor: "stance"}
	} else {
		m["unanimity"] = Measurement{Reason: ind.reason("stance"), Anchor: "stance"}
	}

	if r := ind.Recirc; r != nil && r.Share != nil {
		m["recirculation"] = Measurement{Value: r.Share, CI: r.ShareCI, Detail: fmt.Sprintf("%d of %d items", r.Revived, r.ItemsAfterT0), Anchor: "recirculation"}
	} else {
		m["recirculation"] = Measurement{Reason: ind.reason("recirculation"), Anchor: "recirculation"}
	}

	if w := headlineWindow(ind.Volume); w != nil {
		d := "window " + w.Window
		if !w.Complete {
			d += " (partial: runs past the data)"
		}
		m["volume"] = Measurement{Value: w.LiftPosts, CI: w.LiftPostsCI, Detail: d, Anchor: anchorID("vol", w.Window)}
	} else {
		m["volume"] = Measurement{Reason: ind.reason("volume_lift"), Anchor: "volume"}
	}
	return m
}

// criterion returns the graded criterion id of rep.
func (rep *Report) criterion(id string) *GradedCriterion {
	for i := range rep.Criteria {
		if rep.Criteria[i].ID == id {
			return &rep.Criteria[i]
		}
	}
	return nil
}

func gradeOf(rep *Report, id string) string {
	if c := rep.criterion(id); c != nil {
		return c.Grade
	}
	return ""
}

// pastText describes a comparison with past events.
func pastText(p *indicators.Past, f func(float64) string, lowerIsEarlier bool) string {
	if p == nil || p.N == 0 {
		return "no past events to compare with (the event library is empty or lacks this measure)"
	}
	s := fmt.Sprintf("%d past events: median %s", p.N, f(deref(p.Median)))
	if len(p.IQR) == 2 {
		s += ", middle half " + f(p.IQR[0]) + " – " + f(p.IQR[1])
	}
	if p.Percentile != nil {
		s += fmt.Sprintf("; this event ranks at the %s percentile", ordinal(int(math.Round(*p.Percentile))))
		if lowerIsEarlier {
			s += " (lower is earlier)"
		}
	}
	return s
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// answers answers the analyst's questions in order.
func answers(src *source, rep *Report, pv *privacy) []Answer {
	return []Answer{
		answerVolume(src, rep),
		answerOnset(src, rep),
		answerCoordinated(src, rep),
		answerWho(src, rep),
		answerHowSoon(src, rep),
		answerClaims(src, rep),
		answerRecirculation(src, rep),
		answerMedia(src, rep, pv),
	}
}

func unavailable(a Answer, reason string) Answer {
	a.Available = false
	a.Reason = reason
	a.Figure, a.Baseline, a.Uncertainty = "not available", "—", "—"
	a.Reading = "Not computed: " + reason + "."
	return a
}

func answerVolume(src *source, rep *Report) Answer {
	a := Answer{ID: "volume", Question: "Was the reaction bigger than usual, and than past reactions?", Anchor: "volume", Criterion: "volume", Grade: gradeOf(rep, "volume")}
	v := src.ind.Volume
	w := headlineWindow(v)
	if w == nil {
		return unavailable(a, src.ind.reason("volume_lift"))
	}
	a.Available = true
	a.Anchor = anchorID("vol", w.Window)
	a.Figure = fmt.Sprintf("%s posts from %s accounts in the first %s after T0: %s the usual volume (accounts: %s)",
		fmtInt(w.Posts), fmtInt(w.Accounts), w.Window, fmtNum(*w.LiftPosts)+"×", optX(w.LiftAccounts))
	if !w.Complete {
		a.Figure += "; the window runs past the end of the data, so the count is partial"
	}
	a.Baseline = fmt.Sprintf("mean %s posts (sd %s) in the same %s on each of the %d preceding days; %s",
		fmtNum(deref(w.BaselinePosts)), fmtNum(deref(w.BaselinePostsSD)), w.Window, w.BaselineDays, pastText(w.Past, func(x float64) string { return fmtNum(x) + "×" }, false))
	if len(w.LiftPostsCI) == 2 {
		a.Uncertainty = "95% interval of the lift " + fmtCI(w.LiftPostsCI, func(x float64) string { return fmtNum(x) + "×" }) + " (bootstrap over baseline days and Poisson noise)"
	} else {
		a.Uncertainty = "no interval: fewer than two baseline days"
	}
	if len(w.PostsCI) == 2 {
		a.Uncertainty += "; posts " + fmtCI(w.PostsCI, fmtNum)
	}
	lo, hi := *w.LiftPosts, *w.LiftPosts
	if len(w.LiftPostsCI) == 2 {
		lo, hi = w.LiftPostsCI[0], w.LiftPostsCI[1]
	}
	switch {
	case lo >= 2:
		a.Reading = fmt.Sprintf("Clearly bigger than usual: even the low end of the interval is %s the normal volume.", fmtNum(lo)+"×")
	case lo > 1:
		a.Reading = "Bigger than usual, though not by much at the low end of the interval."
	case hi < 1:
		a.Reading = "Smaller than usual — check the coverage caveats: the collection may have thinned after T0."
	default:
		a.Reading = "Not clearly different from an ordinary day: the interval includes the usual volume."
	}
	if w.Past != nil && w.Past.Percentile != nil {
		switch p := *w.Past.Percentile; {
		case p >= 75:
			a.Reading += " Bigger than most past reactions."
		case p <= 25:
			a.Reading += " Smaller than most past reactions."
		default:
			a.Reading += " Typical of past reactions."
		}
	}
	return a
}

func optX(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return fmtNum(*p) + "×"
}

// periodLabel names a stance period for people.
func periodLabel(p string) string {
	switch p {
	case "before_claim":
		return "before the claim"
	case "after_claim":
		return "after the claim"
	case "after_t0":
		return "after T0"
	}
	return p
}

func answerOnset(src *source, rep *Report) Answer {
	a := Answer{ID: "onset", Question: "Did the coordinated reaction start earlier than past reactions?", Anchor: "onset", Criterion: "onset", Grade: gradeOf(rep, "onset")}
	o := src.ind.Onset
	if o == nil || o.Seconds == nil {
		return unavailable(a, src.ind.reason("onset_latency"))
	}
	a.Available = true
	a.Figure = fmt.Sprintf("%s after T0 (%s)", fmtDur(*o.Seconds), fmtTimePtr(o.FirstTime))
	if o.Cluster != nil {
		a.Figure += fmt.Sprintf(": first co-action inside cluster C%d (%d accounts)", *o.Cluster, o.ClusterSize)
		a.Anchor = anchorID("cluster", itoa(*o.Cluster))
	}
	if o.Layer != "" {
		a.Figure += " on the " + o.Layer + " layer"
	}
	a.Baseline = pastText(o.Past, fmtDur, true)
	a.Uncertainty = "the onset is the earliest observed co-action: a sparser sample finds it later, never earlier"
	if src.cov != nil && src.cov.MinuteShare > 0.95 {
		a.Uncertainty += "; timestamps have minute resolution"
	}
	if o.Past != nil && o.Past.Percentile != nil {
		switch p := *o.Past.Percentile; {
		case p <= 25:
			a.Reading = "Earlier than most past reactions."
		case p >= 75:
			a.Reading = "Later than most past reactions."
		default:
			a.Reading = "About as early as past reactions."
		}
	} else {
		a.Reading = "No past events to say whether this is early."
	}
	switch h := *o.Seconds / 3600; {
	case h <= 1:
		a.Reading += " Coordination within the first hour needs accounts that were ready."
	case h <= 6:
		a.Reading += " Coordination began within hours."
	default:
		a.Reading += " Coordination began late enough to be a reaction to the news."
	}
	return a
}

func answerCoordinated(src *source, rep *Report) Answer {
	res := src.res
	a := Answer{ID: "coordinated", Question: "Was the reaction coordinated?", Anchor: "clusters", Available: true, Criterion: "coordination", Grade: gradeOf(rep, "coordination")}
	var sig []string
	perms, alpha := 0, paramOr(src, "alpha", "0.05")
	for _, l := range res.Layers {
		if l.Significant > 0 {
			sig = append(sig, fmt.Sprintf("%s %d", l.Layer, l.Significant))
		}
		perms = max(perms, l.Permutations)
	}
	inClusters := 0
	for _, c := range res.Clusters {
		inClusters += c.Size
	}
	a.Figure = fmt.Sprintf("%s significant account pairs, %d coordinated clusters holding %s accounts", fmtInt(res.Edges), len(res.Clusters), fmtInt(inClusters))
	if len(sig) > 0 {
		a.Figure += " (significant edges by layer: " + strings.Join(sig, ", ") + ")"
		a.Anchor = "layers"
	}
	a.Baseline = fmt.Sprintf("a label-swap null model (%d permutations per layer) that keeps each object's timeline; an edge is significant at q ≤ %s", perms, alpha)
	if res.Edges > 0 {
		a.Uncertainty = falseDiscoveries(res.Edges, alpha)
	} else {
		a.Uncertainty = "no pair passed the significance test"
	}
	switch c := rep.criterion("coordination"); {
	case res.Edges == 0:
		a.Reading = "No coordination beyond chance was found in this data."
	case c != nil && c.grade >= Consistent:
		a.Reading = "Yes: groups of accounts acted together far more often than chance allows."
	default:
		a.Reading = "Only small groups (pairs or triples) acted together beyond chance; this is thin evidence of organisation."
	}
	return a
}

// falseDiscoveries says how many of n significant pairs the false
// discovery rate alpha lets be chance: on average at most alpha × n.
func falseDiscoveries(n int, alpha string) string {
	e := float64(n) * atof(alpha)
	if e < 1 {
		return fmt.Sprintf("false discovery rate ≤ %s: on average at most %s of the %s pairs is expected to be chance, so most likely none is", alpha, fmtNum(e), fmtInt(n))
	}
	return fmt.Sprintf("false discovery rate ≤ %s: on average at most about %s of the %s pairs may be chance", alpha, fmtNum(math.Round(e)), fmtInt(n))
}

// configDefault is parameter name's default value, "?" if unknown.
func configDefault(name string) string {
	cfg := config.Default()
	for _, p := range cfg.Params() {
		if p.Name == name {
			return p.Value()
		}
	}
	return "?"
}

func paramOr(src *source, name, def string) string {
	if src.run != nil {
		if v, ok := src.run.Parameters[name]; ok && v != "" {
			return v
		}
	}
	return def
}

func atof(s string) float64 {
	var f float64
	fmt.Sscanf(s, "%g", &f)
	return f
}

func answerWho(src *source, rep *Report) Answer {
	a := Answer{ID: "who", Question: "Who coordinated?", Anchor: "clusters", Criterion: "multilayer", Grade: gradeOf(rep, "multilayer")}
	if len(rep.Clusters) == 0 {
		return unavailable(a, "no coordinated cluster was found")
	}
	a.Available = true
	cl := slices.Clone(rep.Clusters)
	slices.SortStableFunc(cl, func(x, y ClusterInfo) int { return cmp.Compare(y.Size, x.Size) })
	var parts []string
	for _, c := range cl[:min(3, len(cl))] {
		parts = append(parts, fmt.Sprintf("C%d: %d accounts (%s)", c.ID, c.Size, strings.Join(c.Layers, ", ")))
	}
	a.Figure = strings.Join(parts, "; ")
	if len(cl) > 3 {
		a.Figure += fmt.Sprintf("; %d more clusters", len(cl)-3)
	}
	var core []string
	for _, acc := range rep.CoreAccounts[:min(5, len(rep.CoreAccounts))] {
		core = append(core, fmt.Sprintf("%s (degree %s)", acc.Handle, fmtNum(acc.Degree)))
	}
	if len(core) > 0 {
		a.Figure += ". Core accounts by weighted coordination degree (the summed weights of their significant edges): " + strings.Join(core, ", ")
	}
	in := 0
	for _, c := range rep.Clusters {
		in += c.Size
	}
	a.Baseline = fmt.Sprintf("%s of the %s accounts in the data (%s) are in clusters", fmtInt(in), fmtInt(src.res.Corpus.Accounts), fmtPct(float64(in)/math.Max(1, float64(src.res.Corpus.Accounts))))
	a.Uncertainty = fmt.Sprintf("membership from %s clustering at resolution %s; clusters of 2–3 accounts are fragile", paramOr(src, "cluster-algorithm", "leiden"), paramOr(src, "resolution", "1"))
	if big := cl[0]; big.Size >= 5 {
		a.Reading = fmt.Sprintf("A core of %d accounts (C%d) acted together; the listed accounts are the most connected.", big.Size, big.ID)
	} else {
		a.Reading = "Only small groups were found; treat their members as leads to check, not as a network."
	}
	return a
}

func answerHowSoon(src *source, rep *Report) Answer {
	a := Answer{ID: "how_soon", Question: "How soon after the event did coordinated accounts act?", Anchor: "clusters"}
	t0 := src.res.Event.T0
	var firsts []time.Time
	best, bestID := time.Time{}, -1
	for _, c := range rep.Clusters {
		if c.FirstAfterT0 != nil {
			firsts = append(firsts, *c.FirstAfterT0)
			if bestID < 0 || c.FirstAfterT0.Before(best) {
				best, bestID = *c.FirstAfterT0, c.ID
			}
		}
	}
	if bestID < 0 {
		if len(rep.Clusters) == 0 {
			return unavailable(a, "no coordinated cluster was found")
		}
		return unavailable(a, "no coordinated co-action at or after T0 among the evidence rows (the clusters acted only before the event)")
	}
	a.Available = true
	a.Anchor = anchorID("cluster", itoa(bestID))
	within := 0
	for _, t := range firsts {
		if t.Sub(t0) <= 24*time.Hour {
			within++
		}
	}
	a.Figure = fmt.Sprintf("first coordinated co-action after T0: %s after (cluster C%d, %s); %d of %d clusters co-acted within 24 h",
		fmtDur(best.Sub(t0).Seconds()), bestID, fmtTime(best), within, len(rep.Clusters))
	var dts []float64
	for _, c := range rep.Clusters {
		dts = append(dts, c.MedianDtS)
	}
	slices.Sort(dts)
	if len(dts) > 0 {
		a.Figure += fmt.Sprintf("; median gap between coordinated posts %s", fmtDur(dts[len(dts)/2]))
	}
	if b := src.ind.Bursts; b != nil {
		for _, s := range b.Series {
			if s.Kind == "posts" {
				for _, bu := range s.Bursts {
					if !bu.Onset.Before(t0) {
						a.Baseline = fmt.Sprintf("the overall post volume burst began %s after T0 (level %d)", fmtDur(bu.OnsetOffsetS), bu.Level)
						break
					}
				}
			}
		}
	}
	if a.Baseline == "" {
		a.Baseline = "no burst of the overall post volume after T0 to compare with"
	}
	a.Uncertainty = fmt.Sprintf("evidence.csv keeps %s co-actions per account pair, so the first co-action is the earliest of those", paramOr(src, "max-evidence", "5"))
	if src.cov != nil && src.cov.MinuteShare > 0.95 {
		a.Uncertainty += "; timestamps have minute resolution"
	}
	if o := src.ind.Onset; o == nil || o.Seconds == nil {
		// Read next to the onset answer, which may be unavailable while
		// this one is not.
		a.Uncertainty += fmt.Sprintf("; clusters of every size count here, while the onset indicator needs a cluster of at least %s accounts, so it can be unavailable when this answer is not",
			paramOr(src, "onset-min-accounts", "3"))
	}
	switch d := best.Sub(t0); {
	case d <= time.Hour:
		a.Reading = "Coordinated accounts were active within the first hour."
	case d <= 6*time.Hour:
		a.Reading = "Coordinated accounts acted within hours."
	case d <= 24*time.Hour:
		a.Reading = "Coordinated activity came more than six hours after the event, within the first day."
	default:
		a.Reading = fmt.Sprintf("No coordinated activity in the first day: the first came %s after the event, so the clusters found show no prompt coordinated reaction to it.", fmtDur(d.Seconds()))
	}
	return a
}

func answerClaims(src *source, rep *Report) Answer {
	a := Answer{ID: "claims", Question: "What did they claim, before and after the official claim?", Anchor: "stance", Criterion: "unanimity", Grade: gradeOf(rep, "unanimity")}
	st := src.ind.Stance
	if st == nil || st.LabelledPosts == 0 {
		return unavailable(a, src.ind.reason("stance"))
	}
	var parts []string
	for _, p := range st.Periods {
		sc := p.Supporters
		who := "supporters"
		if sc.Attributing == 0 {
			sc, who = p.All, "all accounts"
		}
		if sc.AssertShare == nil {
			parts = append(parts, fmt.Sprintf("%s: no attributing posts", periodLabel(p.Period)))
			continue
		}
		s := fmt.Sprintf("%s: %s of %s attributing posts (%s) assert the group's responsibility", periodLabel(p.Period), fmtPct(*sc.AssertShare), fmtInt(sc.Attributing), who)
		if len(sc.AssertShareCI) == 2 {
			s += " (95% interval " + fmtCI(sc.AssertShareCI, fmtPct) + ")"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return unavailable(a, src.ind.reason("stance"))
	}
	a.Available = true
	a.Figure = strings.Join(parts, "; ")
	if src.res.Event.TClaim == nil {
		a.Figure += "; no claim time was given (--t-claim), so before and after the claim cannot be told apart"
	}
	a.Baseline = pastText(st.Past, fmtPct, false)
	a.Uncertainty = fmt.Sprintf("Wilson 95%% intervals; %s posts labelled by the stance classifier, whose errors are not in the intervals", fmtInt(st.LabelledPosts))
	v, _, which := unanimityPeriod(st, src.res.Event.TClaim != nil)
	switch {
	case v == nil:
		a.Reading = "Too few attributing posts to say."
	case *v >= 0.8:
		a.Reading = fmt.Sprintf("Supporters were nearly unanimous %s in presenting the group as responsible.", which)
	case *v >= 0.5:
		a.Reading = fmt.Sprintf("Most supporters' attributing posts %s asserted responsibility; others hedged.", which)
	default:
		a.Reading = fmt.Sprintf("Supporters mostly speculated or denied %s.", which)
	}
	return a
}

func answerRecirculation(src *source, rep *Report) Answer {
	a := Answer{ID: "recirculation", Question: "Was old material recirculated?", Anchor: "recirculation", Criterion: "recirculation", Grade: gradeOf(rep, "recirculation")}
	r := src.ind.Recirc
	if r == nil || r.Share == nil {
		return unavailable(a, src.ind.reason("recirculation"))
	}
	a.Available = true
	a.Figure = fmt.Sprintf("%s of %s items shared after T0 (%s) were first seen at least %s before T0", fmtInt(r.Revived), fmtInt(r.ItemsAfterT0), fmtPct(*r.Share), fmtDur(r.MinAgeSeconds))
	var kinds []string
	for _, k := range sortedKeys(r.ByKind) {
		c := r.ByKind[k]
		if c.ItemsAfterT0 > 0 {
			kinds = append(kinds, fmt.Sprintf("%s %d/%d", k, c.Revived, c.ItemsAfterT0))
		}
	}
	if len(kinds) > 0 {
		a.Figure += " (" + strings.Join(kinds, ", ") + ")"
	}
	a.Baseline = pastText(r.Past, fmtPct, false)
	if len(r.ShareCI) == 2 {
		a.Uncertainty = "95% interval " + fmtCI(r.ShareCI, fmtPct) + "; material older than the data cannot be recognised as old"
	} else {
		a.Uncertainty = "material older than the data cannot be recognised as old"
	}
	switch s := *r.Share; {
	case s >= 0.3:
		a.Reading = "Yes: a large part of what circulated after the event was old material."
	case s >= 0.05:
		a.Reading = "Some old material was pushed back into circulation."
	default:
		a.Reading = "Little old material was recirculated."
	}
	return a
}

// recircListNote says which of the revived items the recirculation
// table lists, so that its rows can be matched with the count.
func recircListNote(src *source, listed, revived int) string {
	return fmt.Sprintf("the table lists %d of the %d old items: those shared at least %s times at or after T0 (--recirc-min-shares), at most %s (--top-items), highest rate ratio first",
		listed, revived, paramOr(src, "recirc-min-shares", configDefault("recirc-min-shares")), paramOr(src, "top-items", configDefault("top-items")))
}

func answerMedia(src *source, rep *Report, pv *privacy) Answer {
	a := Answer{ID: "media", Question: "Did media outlets release material, and when?", Anchor: "media", Criterion: "media", Grade: gradeOf(rep, "media")}
	m := src.ind.Media
	if m == nil || len(m.Outlets) == 0 {
		return unavailable(a, src.ind.reason("media_releases"))
	}
	o := fastestOutlet(rep.Details.Media)
	relay := firstRelay(rep.Details.Media)
	relayText := ""
	if relay != nil {
		r := relay.Relayed
		relayText = fmt.Sprintf("other accounts relayed %s's material from %s (%s after T0; %d relays by %d accounts)",
			relay.Outlet, fmtTimePtr(r.First), fmtDur(*r.LatencySeconds), r.Posts, r.Accounts)
	}
	if o == nil {
		if relay == nil {
			return unavailable(a, fmt.Sprintf("%d outlets detected, none released material at or after T0", len(m.Outlets)))
		}
		// Only relays: the outlets' own accounts are not in the data. The
		// grade stays on own releases (a relay is not proof of a release).
		a.Available = true
		a.Figure = "no outlet's own release is in the data, but " + relayText
		a.Baseline = "—"
		a.Uncertainty = "a relay's time is an upper bound on the release's; relays are found by the known outlets' spellings (--relay-outlets) next to a release word, so a relay that names the outlet otherwise is missed and a mention in passing can be counted: the evidence posts are listed under Media releases"
		a.Reading = "The outlet's material reached the data through supporters; the release itself came at or before the first relay."
		return a
	}
	a.Available = true
	a.Figure = fmt.Sprintf("%d outlets detected; the first release came from %s %s after T0 (%s), with %d releases in 24 h",
		len(m.Outlets), o.Outlet, fmtDur(*o.LatencySeconds), fmtTimePtr(o.FirstRelease), o.Releases24h)
	if relay != nil {
		a.Figure += "; " + relayText
	}
	a.Baseline = pastText(o.Past, fmtDur, true)
	a.Uncertainty = "outlets are found by the watch list, branding patterns, text prefixes, hashtag series and relays of known outlets; an outlet none of these finds is not counted"
	switch h := *o.LatencySeconds / 3600; {
	case h <= 6:
		a.Reading = "Yes, quickly: official material appeared within hours."
	case h <= 24:
		a.Reading = "Yes, within a day."
	default:
		a.Reading = "Releases came more than a day after the event."
	}
	return a
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
