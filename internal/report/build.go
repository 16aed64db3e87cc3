package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/indicators"
	"github.com/chorus-osint/chorus/internal/results"
)

// Bounds of the lists the report prints.
const (
	maxClusterAccounts  = 50
	maxCoreAccounts     = 20
	maxDetailedClusters = 50
	maxClusterRows      = 500
)

// Details are the indicators as the report shows them (privacy options
// applied); nil fields are indicators results.json does not have.
type Details struct {
	Volume     *indicators.VolumeLift     `json:"volume_lift,omitempty"`
	Bursts     *indicators.Bursts         `json:"bursts,omitempty"`
	Hashtags   *indicators.Hashtags       `json:"hashtags,omitempty"`
	Hijacking  *indicators.Hijacking      `json:"hijacking,omitempty"`
	Media      *indicators.MediaReleases  `json:"media_releases,omitempty"`
	Recirc     *indicators.Recirculation  `json:"recirculation,omitempty"`
	Quotes     *indicators.Quotes         `json:"quotes,omitempty"`
	Onset      *indicators.OnsetLatency   `json:"onset_latency,omitempty"`
	Automation *indicators.Automation     `json:"automation,omitempty"`
	Ecosystem  *indicators.EcosystemShare `json:"ecosystem_share,omitempty"`
	Stance     *indicators.StanceMetrics  `json:"stance,omitempty"`
}

// build assembles the report from a loaded result directory.
func build(src *source, opts *Options) (*Report, *view, error) {
	res := src.res
	pv := &privacy{redact: opts.RedactText}
	if opts.Pseudonymize {
		ps, err := newPseudonymizer(opts.PseudonymKey)
		if err != nil {
			return nil, nil, err
		}
		for _, a := range res.Accounts {
			ps.learn(a.ID, a.Handle)
		}
		for _, c := range res.Clusters {
			for i, id := range c.Accounts {
				if i < len(c.Handles) {
					ps.learn(id, c.Handles[i])
				}
			}
		}
		for _, gt := range res.GroupTests {
			for _, g := range gt.Groups {
				for i, id := range g.Accounts {
					if i < len(g.Handles) {
						ps.learn(id, g.Handles[i])
					}
				}
			}
			for _, m := range gt.Members {
				ps.learn(m.Account, m.Handle)
			}
		}
		if src.ind.Automation != nil {
			for _, g := range src.ind.Automation.Groups {
				for i, id := range g.Accounts {
					if i < len(g.Handles) {
						ps.learn(id, g.Handles[i])
					}
				}
			}
		}
		pv.ps = ps
	}
	rep := &Report{
		Format:    FormatVersion,
		Version:   res.Version,
		Event:     EventInfo{Name: res.Event.Name, Place: res.Event.Place, T0: res.Event.T0.UTC(), TClaim: res.Event.TClaim},
		Privacy:   PrivacyInfo{Pseudonymized: opts.Pseudonymize, KeyGiven: opts.Pseudonymize && len(opts.PseudonymKey) > 0, TextRedacted: opts.RedactText},
		Statement: results.Statement,
		Corpus:    res.Corpus,
		Layers:    res.Layers,
		Warnings:  []string{},
	}
	if rep.Layers == nil {
		rep.Layers = []results.Layer{}
	}
	for _, w := range res.Warnings {
		rep.Warnings = append(rep.Warnings, pv.freeText(w))
	}
	// details applies the privacy options to the decoded indicators in
	// place, so everything below sees the protected values.
	rep.Details = details(&src.ind, pv)
	if r := rep.Details.Recirc; r != nil && len(r.Items) < r.Revived {
		r.Notes = append(r.Notes, recircListNote(src, len(r.Items), r.Revived))
	}
	rep.Clusters = buildClusters(src, pv)
	rep.GroupTests = groupTests(res, pv)
	rep.GroupTestLayers = len(res.GroupTests)
	rep.CoreAccounts = coreAccounts(res, pv)
	rep.Evidence = evidenceGroups(src, pv)
	rep.Indicators = src.ind.status(pv)
	rep.Coverage = coverageForReport(src.cov)
	rep.Caveats = caveats(src)
	rep.Methods = methods(src)
	rep.Network = NetworkInfo{
		NodesShown: len(src.net.nodes), NodesTotal: src.net.TotalNodes,
		EdgesShown: len(src.net.edges), EdgesTotal: src.net.TotalEdges,
		Layout: "clusters packed largest first; small clusters as rings, larger ones as sunflower spirals with the most connected accounts at the centre (deterministic)",
	}
	rep.Network.Omitted = networkOmitted(src.net)

	m := measure(src, rep)
	for i := range Rubric {
		c := &Rubric[i]
		rep.Criteria = append(rep.Criteria, c.grade(m[c.ID]))
	}
	rep.Overall = overall(rep.Criteria)
	for _, u := range Ungraded {
		rep.Ungraded = append(rep.Ungraded, UngradedInfo{Indicator: u.Indicator, Why: u.Why})
	}
	rep.Summary = answers(src, rep, pv)

	trimClusters(rep)
	v := newView(src, rep, pv)
	return rep, v, nil
}

// groupTests converts results.json's group tests of the layers with
// suggestive ties, with their significant groups' accounts (privacy
// applied).
func groupTests(res *results.Results, pv *privacy) []GroupTestInfo {
	out := []GroupTestInfo{}
	for _, gt := range res.GroupTests {
		if gt.Ties == 0 && len(gt.Members) == 0 {
			continue
		}
		gi := GroupTestInfo{Layer: gt.Layer, Ties: gt.Ties, Tested: gt.GroupsTotal, Resamples: gt.Resamples, NullBestMedian: gt.NullBestMedian, Groups: []GroupInfo{}, Members: []MemberInfo{}}
		for _, m := range gt.Members {
			gi.Members = append(gi.Members, MemberInfo{Account: AccountInfo{ID: pv.account(m.Account), Handle: pv.handle(m.Handle), Layers: []string{gt.Layer}},
				StructureSize: m.StructureSize, Ties: m.Ties, Expected: m.Expected, P: m.P})
		}
		for _, g := range gt.Groups {
			if !g.Significant {
				continue
			}
			info := GroupInfo{ID: g.ID, Size: g.Size, Ties: g.Ties, Expected: g.Expected, Score: g.Score, P: g.P}
			for i, id := range g.Accounts {
				h := ""
				if i < len(g.Handles) {
					h = g.Handles[i]
				}
				info.Accounts = append(info.Accounts, AccountInfo{ID: pv.account(id), Handle: pv.handle(h), Layers: []string{gt.Layer}})
			}
			gi.Groups = append(gi.Groups, info)
		}
		out = append(out, gi)
	}
	return out
}

// buildClusters converts results.json's clusters, accounts ordered by
// degree.
func buildClusters(src *source, pv *privacy) []ClusterInfo {
	res := src.res
	byID := make(map[string]*results.Account, len(res.Accounts))
	for i := range res.Accounts {
		byID[res.Accounts[i].ID] = &res.Accounts[i]
	}
	first := firstAfterT0(src.ev)
	out := make([]ClusterInfo, 0, len(res.Clusters))
	for _, c := range res.Clusters {
		ci := ClusterInfo{
			ID: c.ID, Anchor: anchorID("cluster", itoa(c.ID)), Size: c.Size, Layers: nonNil(c.Layers), LayerEdges: c.LayerEdges,
			Edges: c.Edges, Density: c.Density, First: c.First, Last: c.Last, MedianDtS: c.MedianDtSecond,
			TopObjects: []results.Object{},
		}
		if ci.LayerEdges == nil {
			ci.LayerEdges = map[string]int{}
		}
		if t, ok := first[c.ID]; ok {
			ci.FirstAfterT0 = &t
		}
		for _, o := range c.TopObjects {
			ci.TopObjects = append(ci.TopObjects, results.Object{Layer: o.Layer, Label: pv.label(o.Layer, o.Label), Count: o.Count})
		}
		accs := make([]AccountInfo, 0, len(c.Accounts))
		for i, id := range c.Accounts {
			ai := AccountInfo{ID: id, Layers: []string{}}
			if i < len(c.Handles) {
				ai.Handle = c.Handles[i]
			}
			if a := byID[id]; a != nil {
				ai.Degree, ai.Posts, ai.Layers, ai.Cluster = a.Degree, a.Posts, nonNil(a.Layers), a.Cluster
			}
			accs = append(accs, ai)
		}
		slices.SortStableFunc(accs, func(a, b AccountInfo) int {
			if a.Degree != b.Degree {
				return cmp.Compare(b.Degree, a.Degree)
			}
			return strings.Compare(a.ID, b.ID)
		})
		if len(accs) > maxClusterAccounts {
			ci.AccountsOmitted = len(accs) - maxClusterAccounts
			accs = accs[:maxClusterAccounts]
		}
		for i := range accs {
			accs[i].ID, accs[i].Handle = pv.account(accs[i].ID), pv.handle(accs[i].Handle)
		}
		ci.Accounts = accs
		for k, g := range src.ev.groups {
			if k.cluster == c.ID {
				ci.EvidenceRows += g.total
			}
		}
		out = append(out, ci)
	}
	return out
}

// trimClusters bounds the clusters the report lists (largest first, at
// most maxClusterRows) and details (maxDetailedClusters): accounts,
// objects and evidence of the others are dropped; clusters.csv, nodes.csv
// and evidence.csv hold them all.
func trimClusters(rep *Report) {
	order := slices.Clone(rep.Clusters)
	slices.SortStableFunc(order, func(a, b ClusterInfo) int {
		if a.Size != b.Size {
			return cmp.Compare(b.Size, a.Size)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(order) > maxClusterRows {
		rep.ClustersOmitted = len(order) - maxClusterRows
		order = order[:maxClusterRows]
	}
	detailed := map[int]bool{}
	for i := range order {
		c := &order[i]
		if i < maxDetailedClusters {
			c.Detailed = true
			detailed[c.ID] = true
			continue
		}
		c.AccountsOmitted += len(c.Accounts)
		c.Accounts = []AccountInfo{}
		c.TopObjects = []results.Object{}
	}
	rep.Clusters = order
	ev := rep.Evidence[:0]
	for _, g := range rep.Evidence {
		if g.Cluster == nil || detailed[*g.Cluster] {
			ev = append(ev, g)
		}
	}
	rep.Evidence = ev
}

// firstAfterT0 returns each cluster's earliest sampled co-action at or
// after T0 (exact among evidence.csv's rows: the sample keeps the
// earliest after-T0 rows of every group).
func firstAfterT0(ev *evidenceSample) map[int]time.Time {
	out := map[int]time.Time{}
	for k, g := range ev.groups {
		if k.cluster < 0 || len(g.after) == 0 {
			continue
		}
		t := earliest(g.after[0])
		if cur, ok := out[k.cluster]; !ok || t.Before(cur) {
			out[k.cluster] = t
		}
	}
	return out
}

// coreAccounts returns the accounts with the highest coordination degree.
func coreAccounts(res *results.Results, pv *privacy) []AccountInfo {
	accs := slices.Clone(res.Accounts)
	slices.SortStableFunc(accs, func(a, b results.Account) int {
		if a.Degree != b.Degree {
			return cmp.Compare(b.Degree, a.Degree)
		}
		return strings.Compare(a.ID, b.ID)
	})
	out := make([]AccountInfo, 0, min(len(accs), maxCoreAccounts))
	for _, a := range accs[:min(len(accs), maxCoreAccounts)] {
		out = append(out, AccountInfo{ID: pv.account(a.ID), Handle: pv.handle(a.Handle), Cluster: a.Cluster, Degree: a.Degree, Posts: a.Posts, Layers: nonNil(a.Layers)})
	}
	return out
}

// evidenceGroups returns the sampled evidence, privacy applied.
func evidenceGroups(src *source, pv *privacy) []EvidenceGroup {
	out := []EvidenceGroup{}
	for _, g := range src.ev.sortedGroups() {
		eg := EvidenceGroup{Layer: g.key.layer, Total: g.total, Rows: []EvidenceRow{}}
		if g.key.cluster >= 0 {
			c := g.key.cluster
			eg.Cluster = &c
			eg.Anchor = anchorID("ev", itoa(c), g.key.layer)
		} else {
			eg.Anchor = anchorID("ev", "x", g.key.layer)
		}
		for _, r := range g.rows(len(g.after) + len(g.before)) {
			r.Source, r.Target = pv.account(r.Source), pv.account(r.Target)
			r.Object = pv.label(r.Layer, r.Object)
			r.TextA, r.TextB = pv.postText(r.TextA), pv.postText(r.TextB)
			eg.Rows = append(eg.Rows, r)
		}
		out = append(out, eg)
	}
	return out
}

func networkOmitted(ns *netSample) string {
	var parts []string
	if d := ns.TotalNodes - len(ns.nodes); d > 0 {
		parts = append(parts, fmtInt(d)+" accounts of smaller clusters or lower degree")
	}
	if ns.DroppedEdges > 0 {
		parts = append(parts, fmtInt(ns.DroppedEdges)+" lighter edges among the drawn accounts")
	}
	if ns.missing {
		parts = append(parts, "all edges (edges.csv is missing)")
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, "; ")
}

// methods builds the methods section from run.json and the parameter
// declarations.
func methods(src *source) Methods {
	m := Methods{Version: src.res.Version, Command: []string{}, Inputs: []results.Input{}, Parameters: []ParamInfo{}, Timings: []results.Timing{}}
	cfg := config.Default()
	decl := map[string]config.Param{}
	for _, p := range cfg.Params() {
		decl[p.Name] = p
	}
	run := src.run
	if run == nil {
		m.Missing = "run.json is missing: parameters, input hashes and timings are unknown"
		return m
	}
	m.Version, m.GoVersion = run.Version, run.GoVersion
	m.Command = nonNil(run.Command)
	if !run.Started.IsZero() {
		t := run.Started.UTC()
		m.Started = &t
	}
	m.Inputs = append(m.Inputs, run.Inputs...)
	m.Timings = append(m.Timings, run.Timings...)
	names := make([]string, 0, len(run.Parameters))
	for k := range run.Parameters {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, n := range names {
		p := ParamInfo{Name: n, Value: run.Parameters[n]}
		if d, ok := decl[n]; ok {
			p.Section, p.Default, p.Help = d.Section, d.Value(), d.Help
		}
		m.Parameters = append(m.Parameters, p)
	}
	slices.SortStableFunc(m.Parameters, func(a, b ParamInfo) int { return strings.Compare(a.Section, b.Section) })
	return m
}

// coverageForReport is the coverage without its volume series (the chart
// shows it).
func coverageForReport(cv *Coverage) *Coverage {
	if cv == nil {
		return nil
	}
	c := *cv
	c.Volume = nil
	return &c
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// details returns the indicators with the privacy options applied to
// every string that can carry a handle or post text.
func details(s *indicatorSet, pv *privacy) *Details {
	d := &Details{Volume: s.Volume, Bursts: s.Bursts, Hashtags: s.Hashtags, Hijacking: s.Hijacking, Media: s.Media,
		Recirc: s.Recirc, Quotes: s.Quotes, Onset: s.Onset, Automation: s.Automation, Ecosystem: s.Ecosystem, Stance: s.Stance}
	notes := func(ns []string) []string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = pv.freeText(n)
		}
		return out
	}
	if d.Volume != nil {
		d.Volume.Notes = notes(d.Volume.Notes)
	}
	if d.Bursts != nil {
		d.Bursts.Notes = notes(d.Bursts.Notes)
	}
	if d.Hashtags != nil {
		d.Hashtags.Notes = notes(d.Hashtags.Notes)
	}
	if d.Hijacking != nil {
		d.Hijacking.Notes = notes(d.Hijacking.Notes)
	}
	if d.Media != nil {
		d.Media.Notes = notes(d.Media.Notes)
		for i := range d.Media.Outlets {
			o := &d.Media.Outlets[i]
			named := false
			for k, a := range o.Accounts {
				if foldHandle(a) == foldHandle(o.Outlet) {
					named = true
				}
				o.Accounts[k] = pv.handle(a)
			}
			if named {
				o.Outlet = pv.handle(o.Outlet)
			} else {
				o.Outlet = pv.freeText(o.Outlet)
			}
			if o.Relayed != nil {
				r := *o.Relayed
				r.Evidence = slices.Clone(r.Evidence)
				for k := range r.Evidence {
					e := &r.Evidence[k]
					e.Account = pv.handle(e.Account)
					e.Text = pv.postText(e.Text)
				}
				o.Relayed = &r
			}
		}
	}
	if d.Recirc != nil {
		d.Recirc.Notes = notes(d.Recirc.Notes)
		for i := range d.Recirc.Items {
			it := &d.Recirc.Items[i]
			if it.Kind == "text" {
				it.Key = pv.postText(it.Key)
			} else {
				it.Key = pv.freeText(it.Key)
			}
		}
	}
	if d.Quotes != nil {
		d.Quotes.Notes = notes(d.Quotes.Notes)
		for _, cl := range [][]indicators.QuoteCluster{d.Quotes.Clusters, d.Quotes.EventClusters} {
			for i := range cl {
				q := &cl[i]
				if q.Source != "watch_list" {
					q.Text = pv.postText(q.Text)
				}
			}
		}
	}
	if d.Onset != nil {
		d.Onset.Notes = notes(d.Onset.Notes)
		for i, a := range d.Onset.Accounts {
			d.Onset.Accounts[i] = pv.handle(a)
		}
	}
	if d.Automation != nil {
		d.Automation.Notes = notes(d.Automation.Notes)
		for i := range d.Automation.Groups {
			g := &d.Automation.Groups[i]
			g.Text = pv.postText(g.Text)
			for k := range g.Texts {
				g.Texts[k] = pv.postText(g.Texts[k])
			}
			for k := range g.Accounts {
				g.Accounts[k] = pv.account(g.Accounts[k])
			}
			for k := range g.Handles {
				g.Handles[k] = pv.handle(g.Handles[k])
			}
		}
	}
	if d.Ecosystem != nil {
		d.Ecosystem.Notes = notes(d.Ecosystem.Notes)
	}
	if d.Stance != nil {
		d.Stance.Notes = notes(d.Stance.Notes)
	}
	return d
}
