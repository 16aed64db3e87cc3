package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// md writes Markdown, remembering the first write error.
type md struct {
	w   *bufio.Writer
	err error
}

func (m *md) p(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}

// code renders user text as a Markdown code span, the one construct in
// which CommonMark and GFM interpret nothing: no emphasis, links,
// autolinks, HTML or entities. Line breaks become "↵", a table pipe is
// escaped in tables (see tcode), invisible format
// and control characters (bidi overrides, zero-width spaces) are shown
// as [U+XXXX], and the backtick fence is longer than any run inside.
func code(s string) string { return codeSpan(s, false) }

// tcode is code for a table cell: a pipe is escaped as \| (GFM removes
// the backslash inside tables, also within code spans).
func tcode(s string) string { return codeSpan(s, true) }

func codeSpan(s string, table bool) string {
	if s == "" {
		return "—"
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(" ↵ ")
		case r == '\r':
		case r == '\t':
			b.WriteByte(' ')
		case r == '|' && table:
			b.WriteString(`\|`)
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cc, r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, "[U+%04X]", r)
		default:
			b.WriteRune(r)
		}
	}
	body := b.String()
	// The fence must be longer than every backtick run of the body as
	// written (a dropped "\r" can join two runs of the input).
	run, longest := 0, 0
	for i := 0; i < len(body); i++ {
		if body[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	if body == "" {
		return "—" // only a carriage return: "``" would not be a code span
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(body, "`") || strings.HasSuffix(body, "`") || (strings.HasPrefix(body, " ") && strings.HasSuffix(body, " ")) {
		body = " " + body + " "
	}
	return fence + body + fence
}

// cell escapes text we wrote ourselves for a table cell or list item:
// line breaks, and the characters that start emphasis, links, HTML,
// entities, code spans, strikethrough or table cells.
func cell(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\n', '\r':
			b.WriteByte(' ')
		case '\\', '`', '*', '_', '[', ']', '<', '>', '&', '~', '|':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// prose prints a sentence we wrote that may quote data values (caveats):
// as Markdown text when it holds only harmless characters, else as a
// code span.
func prose(s string) string {
	if strings.Contains(s, "://") || strings.Contains(s, "www.") {
		return code(s)
	}
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' {
			continue
		}
		if !strings.ContainsRune(".,:;()%–—-+'\"≥≤×/→?", r) {
			return code(s)
		}
	}
	return s
}

func writeMarkdown(w io.Writer, rep *Report, v *view) error {
	m := &md{w: bufio.NewWriter(w)}
	ev := rep.Event
	m.p("# Evidence report: %s\n\n", code(ev.Name))
	m.p("T0 %s", fmtTime(ev.T0))
	if ev.TClaim != nil {
		m.p(" · claim %s", fmtTime(*ev.TClaim))
	}
	if ev.Place != "" {
		m.p(" · place %s", code(ev.Place))
	}
	m.p(" · data %s – %s · %s posts from %s accounts · chorus %s\n\n", fmtTime(rep.Corpus.First), fmtTime(rep.Corpus.Last), fmtInt(rep.Corpus.Posts), fmtInt(rep.Corpus.Accounts), code(rep.Version))
	if rep.Privacy.Pseudonymized || rep.Privacy.TextRedacted {
		m.p("**Privacy:**")
		if rep.Privacy.Pseudonymized {
			m.p(" account handles and ids are replaced by keyed pseudonyms;")
		}
		if rep.Privacy.TextRedacted {
			m.p(" post texts are redacted;")
		}
		m.p(" post ids and times are kept.\n\n")
	}
	m.p("> **%s**\n\n", rep.Statement)
	m.p("User-supplied text (handles, posts, hashtags, URLs) is shown in code spans; invisible and direction-changing characters appear as [U+XXXX].\n\n")

	m.p("## Summary\n\n")
	m.p("**Overall: %s with an organised campaign** (score %s from %d of %d graded criteria", rep.Overall.Grade, fmtNum(rep.Overall.Score), rep.Overall.Graded, rep.Overall.Of)
	for _, c := range rep.Overall.Caps {
		m.p("; %s", c)
	}
	m.p(").\n\n")
	for i, a := range rep.Summary {
		m.p("### %d. %s", i+1, a.Question)
		if a.Grade != "" {
			m.p(" — *%s*", a.Grade)
			if a.Criterion != "" {
				m.p(" (rubric: %s)", cell(a.Criterion))
			}
		}
		m.p("\n\n")
		m.p("- **Finding:** %s ([rows](#%s))\n", code(a.Figure), a.Anchor)
		m.p("- **Baseline:** %s\n", prose(a.Baseline))
		m.p("- **Uncertainty:** %s\n", prose(a.Uncertainty))
		m.p("- **Reading:** %s\n\n", prose(a.Reading))
	}

	m.p("## Graded conclusion\n\n")
	m.p("Each criterion is graded against the rubric below; where a 95%% interval exists, its conservative end is graded (the graded value). Criteria that could not be measured are not graded and do not count.\n\n")
	m.p("| Criterion | Value | 95%% interval | Graded value | Grade | Source |\n|---|---:|---:|---:|---|---|\n")
	for _, c := range rep.Criteria {
		val, graded := "—", "—"
		if c.Value != nil {
			val = fmtValue(*c.Value, c.Unit)
		}
		if c.Graded != nil {
			graded = fmtValue(*c.Graded, c.Unit)
		}
		ci := fmtCI(c.CI, func(x float64) string { return fmtValue(x, c.Unit) })
		src := c.Detail
		if c.Reason != "" {
			src = c.Reason
		}
		m.p("| %s | %s | %s | %s | %s | %s |\n", c.ID, val, ci, graded, c.Grade, tcode(src))
	}
	m.p("\n**Overall: %s** (score %s).\n\n> **%s**\n\n", rep.Overall.Phrase, fmtNum(rep.Overall.Score), rep.Statement)
	m.p("Shown but not graded:\n\n")
	for _, u := range rep.Ungraded {
		m.p("- %s: %s\n", u.Indicator, u.Why)
	}

	m.p("\n## Rubric\n\nThresholds are inclusive; ≥ means larger is stronger, ≤ smaller is stronger. Points: strongly 3, consistent 2, weakly 1, not 0.\n\n")
	m.p("| Criterion | Indicator | Measure | Strongly | Consistent | Weakly | Weight |\n|---|---|---|---:|---:|---:|---:|\n")
	for _, c := range rep.Criteria {
		op := "≥ "
		if !c.HigherIsStronger {
			op = "≤ "
		}
		m.p("| %s | %s | %s | %s | %s | %s | %d |\n", c.ID, c.Indicator, cell(c.Measure), op+fmtValue(c.Strong, c.Unit), op+fmtValue(c.Consistent, c.Unit), op+fmtValue(c.Weak, c.Unit), c.Weight)
	}
	oc := OverallCuts
	m.p("\nOverall score = Σ(weight × points) ÷ Σ(weight × 3) over graded criteria: strongly consistent ≥ %s, consistent ≥ %s, weakly consistent ≥ %s. Without a coordinated cluster the grade is at most %q; with fewer than %d graded criteria at most %q.\n\n",
		fmtNum(oc.Strong), fmtNum(oc.Consistent), fmtNum(oc.Weak), oc.CapWithoutCoordination.String(), oc.MinGraded, oc.CapFewGraded.String())

	mdVolume(m, rep, v)
	mdClusters(m, rep, v)
	mdEvidence(m, rep)
	mdIndicators(m, rep, v)
	mdCoverage(m, rep, v)
	mdMethods(m, rep)
	m.p("\n> **%s**\n", rep.Statement)
	if m.err != nil {
		return m.err
	}
	return m.w.Flush()
}

func mdNA(m *md, v *view, key string) {
	m.p("*Not available:* %s\n\n", code(v.Problems[key]))
}

func mdNotes(m *md, notes []string) {
	for _, n := range notes {
		m.p("- note: %s\n", code(n))
	}
	if len(notes) > 0 {
		m.p("\n")
	}
}

func mdVolume(m *md, rep *Report, v *view) {
	m.p("<a id=\"volume\"></a>\n\n## Volume\n\n")
	vl := rep.Details.Volume
	if vl == nil {
		mdNA(m, v, "volume_lift")
		return
	}
	m.p("| Window | Posts | 95%% | Accounts | Baseline posts (sd) | Baseline days | Lift | 95%% | Lift (accounts) | Complete |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, w := range vl.Windows {
		m.p("| <a id=\"%s\"></a>%s | %s | %s | %s | %s (%s) | %d | %s | %s | %s | %v |\n", anchorID("vol", w.Window), cell(w.Window), fmtInt(w.Posts), fmtCI(w.PostsCI, fmtNum), fmtInt(w.Accounts),
			nump(w.BaselinePosts), nump(w.BaselinePostsSD), w.BaselineDays, nump(w.LiftPosts), fmtCI(w.LiftPostsCI, fmtNum), nump(w.LiftAccounts), w.Complete)
	}
	m.p("\n")
	mdNotes(m, vl.Notes)
}

func nump(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmtNum(*p)
}

func mdClusters(m *md, rep *Report, v *view) {
	m.p("<a id=\"clusters\"></a>\n\n## Clusters\n\n")
	if len(rep.Clusters) == 0 {
		m.p("No coordinated cluster was found.\n\n")
	} else {
		m.p("| Cluster | Accounts | Layers | Edges | Density | First co-action | First after T0 | Median Δt | Evidence rows |\n|---|---:|---|---:|---:|---|---|---:|---:|\n")
		for _, c := range rep.Clusters {
			name := fmt.Sprintf("C%d", c.ID)
			if c.Detailed {
				name = fmt.Sprintf("[C%d](#%s)", c.ID, c.Anchor)
			}
			m.p("| %s | %d | %s | %d | %s | %s | %s | %s | %d |\n", name, c.Size, strings.Join(c.Layers, ", "), c.Edges, fmtNum(c.Density), fmtTimePtr(c.First), fmtTimePtr(c.FirstAfterT0), fmtDur(c.MedianDtS), c.EvidenceRows)
		}
		if rep.ClustersOmitted > 0 {
			m.p("\n%d smaller clusters are not listed; clusters.csv and results.json hold every cluster.\n", rep.ClustersOmitted)
		}
		m.p("\n")
		for _, c := range rep.Clusters {
			if !c.Detailed {
				continue
			}
			m.p("<a id=\"%s\"></a>\n\n### Cluster C%d: %d accounts\n\n", c.Anchor, c.ID, c.Size)
			if len(c.TopObjects) > 0 {
				m.p("Most shared objects:\n\n")
				for _, o := range c.TopObjects {
					m.p("- %s %s (%d)\n", o.Layer, code(o.Label), o.Count)
				}
				m.p("\n")
			}
			m.p("| Handle | Account id | Degree | Posts | Layers |\n|---|---|---:|---:|---|\n")
			for _, a := range c.Accounts {
				m.p("| %s | %s | %s | %d | %s |\n", tcode(a.Handle), tcode(a.ID), fmtNum(a.Degree), a.Posts, strings.Join(a.Layers, ", "))
			}
			if c.AccountsOmitted > 0 {
				m.p("\n%d more accounts are in results.json and nodes.csv.\n", c.AccountsOmitted)
			}
			m.p("\n")
		}
	}
	m.p("<a id=\"accounts\"></a>\n\n## Core accounts\n\n")
	if len(rep.CoreAccounts) > 0 {
		m.p("| Handle | Account id | Cluster | Degree | Posts |\n|---|---|---|---:|---:|\n")
		for _, a := range rep.CoreAccounts {
			cl := "—"
			if a.Cluster != nil {
				cl = fmt.Sprintf("[C%d](#%s)", *a.Cluster, anchorID("cluster", itoa(*a.Cluster)))
			}
			m.p("| %s | %s | %s | %s | %d |\n", tcode(a.Handle), tcode(a.ID), cl, fmtNum(a.Degree), a.Posts)
		}
		m.p("\n")
	}
	m.p("<a id=\"layers\"></a>\n\n## Co-action layers\n\n| Layer | Window | Actions | Pairs | Candidate edges | Significant | Pairs not examined |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, l := range rep.Layers {
		sig := fmtInt(l.Significant)
		if a, ok := v.LayerEvidence[l.Layer]; ok {
			sig = fmt.Sprintf("[%s](#%s)", sig, a)
		}
		m.p("| %s | %s | %s | %s | %s | %s | %s |\n", tcode(l.Layer), fmtDur(l.WindowSeconds), fmtInt(l.Actions), fmtInt(int(l.Pairs)), fmtInt(l.Edges), sig, fmtInt(int(l.Truncated)))
	}
	m.p("\n<a id=\"groups\"></a>\n\n### Corroborated groups\n\nPairs too weak to be significant alone that close triangles among the same accounts, tested per layer against resampled tie graphs.\n\n")
	switch {
	case len(rep.GroupTests) == 0 && rep.GroupTestLayers > 0:
		m.p("No layer had suggestive ties to test.\n")
	case len(rep.GroupTests) == 0:
		m.p("The group test did not run.\n")
	default:
		m.p("| Layer | Suggestive ties | Groups tested | Significant groups | Corroborated members |\n|---|---:|---:|---|---|\n")
		for _, g := range rep.GroupTests {
			var gs []string
			for _, gr := range g.Groups {
				hs := make([]string, len(gr.Accounts))
				for i, a := range gr.Accounts {
					hs[i] = a.Handle
				}
				gs = append(gs, fmt.Sprintf("G%d: %d accounts, %d ties vs %s expected, p = %s (%s)", gr.ID, gr.Size, gr.Ties, fmtNum(gr.Expected), fmtNum(gr.P), tcode(strings.Join(hs, ", "))))
			}
			if len(gs) == 0 {
				gs = []string{"none"}
			}
			var ms []string
			for _, mem := range g.Members {
				ms = append(ms, fmt.Sprintf("%s: %d ties into %d accounts vs %s expected, p = %s", tcode(mem.Account.Handle), mem.Ties, mem.StructureSize, fmtNum(mem.Expected), fmtNum(mem.P)))
			}
			if len(ms) == 0 {
				ms = []string{"none"}
			}
			m.p("| %s | %s | %s | %s | %s |\n", tcode(g.Layer), fmtInt(g.Ties), fmtInt(g.Tested), strings.Join(gs, "; "), strings.Join(ms, "; "))
		}
	}
	m.p("\n<a id=\"network\"></a>\n\nNetwork picture (HTML report): %s\n\n", cell(v.Network.Note))
}

func mdEvidence(m *md, rep *Report) {
	m.p("<a id=\"evidence\"></a>\n\n## Evidence\n\nEarliest co-actions at or after T0 (then latest before) per cluster and layer; evidence.csv has every row.\n\n")
	for _, g := range rep.Evidence {
		who := "pairs across clusters"
		if g.Cluster != nil {
			who = fmt.Sprintf("cluster C%d", *g.Cluster)
		}
		m.p("<a id=\"%s\"></a>\n\n### %s · %s · %d of %d rows\n\n", g.Anchor, who, code(g.Layer), len(g.Rows), g.Total)
		for _, r := range g.Rows {
			m.p("- %s ↔ %s on %s, %s apart\n", code(r.Source), code(r.Target), code(r.Object), fmtDur(r.DtS))
			m.p("  - A %s %s (%s:%d): %s\n", code(r.PostA), fmtTime(r.TimeA), code(r.FileA), r.LineA, code(r.TextA))
			m.p("  - B %s %s (%s:%d): %s\n", code(r.PostB), fmtTime(r.TimeB), code(r.FileB), r.LineB, code(r.TextB))
		}
		m.p("\n")
	}
}

func mdIndicators(m *md, rep *Report, v *view) {
	d := rep.Details
	m.p("<a id=\"onset\"></a>\n\n## Onset of coordination\n\n")
	if o := d.Onset; o == nil {
		mdNA(m, v, "onset_latency")
	} else {
		if o.Seconds != nil {
			m.p("First co-action in a cluster of ≥ %d accounts: %s after T0 (%s), layer %s, post %s.\n\n", o.MinAccounts, fmtDur(*o.Seconds), fmtTimePtr(o.FirstTime), code(o.Layer), code(derefS(o.FirstPost)))
		}
		mdNotes(m, o.Notes)
	}
	m.p("<a id=\"hashtags\"></a>\n\n## Hashtags\n\n")
	if h := d.Hashtags; h == nil {
		mdNA(m, v, "hashtags")
	} else {
		if len(h.Tags) > 0 {
			m.p("| Hashtag | Status | First seen | Before T0 | After T0 | Adopters (%s) |\n|---|---|---|---:|---:|---:|\n", h.RankWindow)
			for _, t := range h.Tags {
				m.p("| %s | %s | %s | %d | %d | %d |\n", tcode(hashTag(t.Hashtag)), t.Status, fmtTime(t.FirstSeen), t.PostsBeforeT0, t.PostsAfterT0, t.Adopters)
			}
			m.p("\n")
		}
		mdNotes(m, h.Notes)
	}
	m.p("<a id=\"stance\"></a>\n\n## Stance\n\n")
	if st := d.Stance; st == nil {
		mdNA(m, v, "stance")
	} else {
		if len(st.Periods) > 0 {
			m.p("| Period | From | To | Supporters attributing | Assert share | 95%% | All attributing | Assert share |\n|---|---|---|---:|---:|---:|---:|---:|\n")
			for _, p := range st.Periods {
				m.p("| %s | %s | %s | %d | %s | %s | %d | %s |\n", cell(periodLabel(p.Period)), fmtTime(p.From), fmtTime(p.To), p.Supporters.Attributing, pctp(p.Supporters.AssertShare), fmtCI(p.Supporters.AssertShareCI, fmtPct), p.All.Attributing, pctp(p.All.AssertShare))
			}
			m.p("\n")
		}
		mdNotes(m, st.Notes)
	}
	m.p("<a id=\"recirculation\"></a>\n\n## Recirculation\n\n")
	if r := d.Recirc; r == nil {
		mdNA(m, v, "recirculation")
	} else {
		m.p("%d of %d items shared after T0 were old (share %s, 95%% %s).\n\n", r.Revived, r.ItemsAfterT0, pctp(r.Share), fmtCI(r.ShareCI, fmtPct))
		if len(r.Items) > 0 {
			m.p("| Kind | Item | First seen | First post | Shares before | Shares after |\n|---|---|---|---|---:|---:|\n")
			for _, it := range r.Items {
				m.p("| %s | %s | %s | %s | %d | %d |\n", it.Kind, tcode(it.Key), fmtTime(it.FirstSeen), tcode(it.FirstPost), it.SharesBefore, it.SharesAfterT0)
			}
			m.p("\n")
		}
		mdNotes(m, r.Notes)
	}
	m.p("<a id=\"media\"></a>\n\n## Media releases\n\n")
	if md := d.Media; md == nil {
		mdNA(m, v, "media_releases")
	} else {
		if len(md.Outlets) > 0 {
			m.p("| Outlet | Detected by | Accounts | First release | Latency | Releases 24 h | First relay after T0 | Relay latency | Relays after T0 |\n|---|---|---|---|---:|---:|---|---:|---:|\n")
			for _, o := range md.Outlets {
				var accs []string
				for _, a := range o.Accounts {
					accs = append(accs, tcode(a))
				}
				lat := "—"
				if o.LatencySeconds != nil {
					lat = fmtDur(*o.LatencySeconds)
				}
				rf, rl, rn := "—", "—", 0
				if r := o.Relayed; r != nil {
					rf, rn = fmtTimePtr(r.First), r.Posts
					if r.LatencySeconds != nil {
						rl = fmtDur(*r.LatencySeconds)
					}
				}
				m.p("| %s | %s | %s | %s | %s | %d | %s | %s | %d |\n", tcode(o.Outlet), strings.Join(o.DetectedBy, ", "), strings.Join(accs, ", "), fmtTimePtr(o.FirstRelease), lat, o.Releases24h, rf, rl, rn)
			}
			m.p("\n")
			for _, o := range md.Outlets {
				r := o.Relayed
				if r == nil {
					continue
				}
				m.p("Relays of %s: %d at or after T0 (accounts: %d), %d before; first in the data %s", tcode(o.Outlet), r.Posts, r.Accounts, r.PostsBeforeT0, fmtTimePtr(r.FirstInData))
				if r.First != nil && r.LatencySeconds != nil {
					m.p(", first after T0 %s (%s after T0)", fmtTimePtr(r.First), fmtDur(*r.LatencySeconds))
				}
				m.p(".\n\n")
				for k, e := range r.Evidence {
					if k == 5 {
						m.p("- … %d more in results.json\n", len(r.Evidence)-5)
						break
					}
					rp := ""
					if e.Repost {
						rp = " (repost)"
					}
					m.p("- %s%s %s by %s: %s\n", code(e.PostID), rp, fmtTime(e.Time), code(e.Account), code(e.Text))
				}
				if len(r.Evidence) > 0 {
					m.p("\n")
				}
			}
		}
		mdNotes(m, md.Notes)
	}
	m.p("<a id=\"automation\"></a>\n\n## Staggered automation\n\n")
	if a := d.Automation; a == nil {
		mdNA(m, v, "automation")
	} else {
		for _, g := range a.Groups {
			var hs []string
			for _, h := range g.Handles {
				hs = append(hs, code(h))
			}
			m.p("- %s: %d posts by %s, median gap %s, CV %s, first %s\n", code(g.Text), g.Posts, strings.Join(hs, ", "), fmtDur(g.MedianGapS), fmtNum(g.CV), fmtTime(g.First))
		}
		if len(a.Groups) > 0 {
			m.p("\n")
		}
		mdNotes(m, a.Notes)
	}
	m.p("<a id=\"quotes\"></a>\n\n## Quotes\n\n")
	if q := d.Quotes; q == nil {
		mdNA(m, v, "quotes")
	} else {
		m.p("Spread at once after T0 (a significant synchronous burst; texts tested: %d):\n\n", q.Tested)
		for _, c := range q.EventClusters {
			if b := c.Burst; b != nil {
				m.p("- %s (%s): %d accounts within one window at %s (T0 + %s; expected %s), %d synchronous posts (expected %s), adjusted p %s; %d accounts after T0\n",
					code(c.Text), c.Source, b.Accounts, fmtTime(b.Start), fmtDur(b.OffsetS), fmtNum(b.Expected), b.SyncPosts, fmtNum(b.SyncExpected), fmtP(b.PAdjusted), c.Accounts)
			}
		}
		if len(q.EventClusters) == 0 {
			m.p("- none\n")
		}
		m.p("\nMost-copied texts:\n\n")
		for _, c := range q.Clusters {
			m.p("- %s (%s): %d posts by %d accounts after T0\n", code(c.Text), c.Source, c.Posts, c.Accounts)
		}
		if len(q.Clusters) == 0 {
			m.p("- none\n")
		}
		m.p("\n")
		mdNotes(m, q.Notes)
	}
	for _, x := range []struct {
		key, title string
		notes      []string
		present    bool
	}{
		{"hijacking", "Hashtag hijacking", notesOf(d.Hijacking != nil, func() []string { return d.Hijacking.Notes }), d.Hijacking != nil},
		{"ecosystem_share", "Ecosystem share", notesOf(d.Ecosystem != nil, func() []string { return d.Ecosystem.Notes }), d.Ecosystem != nil},
		{"bursts", "Bursts", notesOf(d.Bursts != nil, func() []string { return d.Bursts.Notes }), d.Bursts != nil},
	} {
		m.p("<a id=\"%s\"></a>\n\n## %s\n\n", sectionOf(x.key), x.title)
		if !x.present {
			mdNA(m, v, x.key)
			continue
		}
		switch x.key {
		case "hijacking":
			for _, h := range d.Hijacking.Hashtags {
				m.p("- %s: %d posts, %d supportive, %d opposing, opposing share %s\n", code(hashTag(h.Hashtag)), h.Posts, h.Supportive, h.Opposing, pctp(h.OpposingShare))
			}
		case "ecosystem_share":
			e := d.Ecosystem
			if e.Source != "" {
				m.p("Ecosystem %s (%d accounts): %s of posts after T0 (95%% %s).\n", e.Source, e.EcosystemAccounts, pctp(e.AfterT0.PostShare), fmtCI(e.AfterT0.PostShareCI, fmtPct))
			}
		case "bursts":
			for _, s := range d.Bursts.Series {
				for _, b := range s.Bursts {
					m.p("- %s: %s → %s, level %d, %d posts\n", code(s.Name), fmtTime(b.Onset), fmtTime(b.End), b.Level, b.Posts)
				}
			}
		}
		m.p("\n")
		mdNotes(m, x.notes)
	}
}

func notesOf(ok bool, f func() []string) []string {
	if !ok {
		return nil
	}
	return f()
}

func derefS(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func pctp(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmtPct(*p)
}

func mdCoverage(m *md, rep *Report, v *view) {
	m.p("<a id=\"coverage\"></a>\n\n## Data coverage and caveats\n\n")
	for _, c := range rep.Caveats {
		m.p("- **%s** [%s] %s\n", c.Severity, c.Kind, prose(c.Text))
	}
	for _, w := range rep.Warnings {
		m.p("- **warning** [analysis] %s\n", code(w))
	}
	m.p("\n| Indicator | Status |\n|---|---|\n")
	for _, s := range rep.Indicators {
		st := "computed"
		if !s.Present {
			st = "absent: " + tcode(s.Problem)
		}
		m.p("| %s | %s |\n", s.Key, st)
	}
	m.p("\n")
}

func mdMethods(m *md, rep *Report) {
	mt := rep.Methods
	m.p("<a id=\"methods\"></a>\n\n## Methods\n\n")
	if mt.Missing != "" {
		m.p("%s\n\n", mt.Missing)
	}
	m.p("chorus %s, %s.\n\n", code(mt.Version), code(mt.GoVersion))
	if len(mt.Command) > 0 {
		m.p("Command: %s\n\n", code(strings.Join(mt.Command, " ")))
	}
	if len(mt.Inputs) > 0 {
		m.p("| File | Format | Bytes | Posts | Skipped | SHA-256 |\n|---|---|---:|---:|---:|---|\n")
		for _, in := range mt.Inputs {
			m.p("| %s | %s | %d | %d | %d | %s |\n", tcode(in.Path), tcode(in.Format), in.Size, in.Posts, in.Skipped, tcode(in.SHA256))
		}
		m.p("\n")
	}
	if len(mt.Parameters) > 0 {
		m.p("| Section | Parameter | Value | Default | Meaning |\n|---|---|---|---|---|\n")
		for _, p := range mt.Parameters {
			m.p("| %s | %s | %s | %s | %s |\n", tcode(p.Section), tcode("--"+p.Name), tcode(p.Value), tcode(p.Default), cell(p.Help))
		}
		m.p("\n")
	}
	if len(mt.Timings) > 0 {
		m.p("Timings:")
		for _, t := range mt.Timings {
			m.p(" %s %ss;", code(t.Phase), fmtNum(t.Seconds))
		}
		m.p("\n")
	}
}
