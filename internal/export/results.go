// Package export writes an analysis to its output directory: results.json,
// run.json, nodes/edges/clusters/evidence CSV, GraphML and GEXF. Every file
// is written atomically; text cells are neutralised against spreadsheet
// formula injection and XML gets only valid characters.
package export

import (
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/results"
	"github.com/chorus-osint/chorus/internal/version"
)

func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// maxGroupsListed bounds the groups listed per layer in results.json.
const maxGroupsListed = 50

// groupTest converts a layer's group test (nil when it did not run).
func groupTest(a *pipeline.Analysis, l *coord.LayerResult) *results.GroupTest {
	g := l.Groups
	if g == nil && len(l.Members) == 0 {
		return nil
	}
	if g == nil {
		g = &coord.GroupTest{}
	}
	cfg := &a.Config.Coord
	out := &results.GroupTest{Layer: l.Layer.String(), SuggestiveP: cfg.GroupP, Truss: cfg.GroupTruss, Resamples: len(g.NullBest),
		Ties: g.Suggestive, Dropped: g.Dropped, Level: g.Level, Groups: []results.Group{}, GroupsTotal: len(g.Groups), Members: []results.Member{}}
	for _, m := range l.Members {
		out.Members = append(out.Members, results.Member{Account: a.Corpus.AccountID(m.Account), Handle: a.Corpus.AccountHandle[m.Account],
			StructureSize: len(m.Core), Ties: len(m.Ties), Expected: round4(m.Expected), P: m.P, Tests: m.Tests})
	}
	if n := len(g.NullBest); n > 0 {
		out.NullBestMedian, out.NullBestMin = round4(g.NullBest[n/2]), round4(g.NullBest[0])
	}
	for i, gr := range g.Groups[:min(len(g.Groups), maxGroupsListed)] {
		rg := results.Group{ID: i + 1, Size: len(gr.Accounts), Ties: len(gr.Edges), Expected: round4(gr.Expected), Score: round4(gr.Score),
			P: round4(gr.P), Significant: gr.Significant}
		for _, acc := range gr.Accounts {
			rg.Accounts = append(rg.Accounts, a.Corpus.AccountID(acc))
			rg.Handles = append(rg.Handles, a.Corpus.AccountHandle[acc])
		}
		out.Groups = append(out.Groups, rg)
	}
	return out
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// BuildResults converts an analysis into results.json's structure.
func BuildResults(a *pipeline.Analysis) *results.Results {
	c := a.Corpus
	r := &results.Results{
		Version:    version.Version,
		Event:      results.Event{Name: a.Event.Name, T0: a.Event.T0, TClaim: a.Event.TClaim, Place: a.Event.Place},
		Indicators: map[string]any{},
		Warnings:   append([]string{}, a.Warnings...),
		Statement:  results.Statement,
		Suggest:    a.Suggest,
		Clusters:   []results.Cluster{},
		Accounts:   []results.Account{},
	}
	var skipped int64
	for _, in := range a.Inputs {
		skipped += in.Stats.Skipped
	}
	if c != nil && c.Len() > 0 {
		r.Corpus = results.Corpus{Posts: c.Len(), Accounts: c.NumAccounts(), First: msTime(c.Time[0]), Last: msTime(c.Time[c.Len()-1]), Duplicates: c.Duplicates, Skipped: skipped, Files: len(a.Inputs)}
	}
	for _, s := range a.Sweep {
		r.Sweep = append(r.Sweep, results.SweepRow(s))
	}
	if a.Coord != nil {
		for _, l := range a.Coord.Layers {
			r.Layers = append(r.Layers, results.Layer{
				Layer: l.Layer.String(), WindowSeconds: float64(l.WindowMs) / 1000, Actions: l.Actions, Objects: l.Objects,
				ActiveAccounts: l.Accounts, Pairs: l.Pairs, Edges: len(l.Edges), Significant: l.Significant,
				Permutations: l.Permutations, PercentileWeight: l.PercentileWeight, OverPercentile: l.OverPercentile,
				RawPairs: l.RawPairs, Truncated: l.Truncated, MaxPartners: l.MaxPartners,
			})
			if gt := groupTest(a, &l); gt != nil {
				r.GroupTests = append(r.GroupTests, *gt)
			}
		}
	}
	if a.Indicators != nil {
		r.Indicators = a.Indicators.Map()
	}
	net := a.Network
	if net == nil {
		return r
	}
	r.Edges = len(net.Edges)
	for _, cl := range net.Clusters {
		rc := results.Cluster{ID: cl.ID, Size: len(cl.Accounts), LayerEdges: map[string]int{}, Edges: cl.Edges, Density: cl.Density, MedianDtSecond: float64(cl.MedianDtMs) / 1000, TopObjects: []results.Object{}}
		for _, acc := range cl.Accounts {
			rc.Accounts = append(rc.Accounts, c.AccountID(acc))
			rc.Handles = append(rc.Handles, c.AccountHandle[acc])
		}
		for l := model.Layer(0); l < model.NumLayers; l++ {
			if n := cl.Layers[l]; n > 0 {
				rc.Layers = append(rc.Layers, l.String())
				rc.LayerEdges[l.String()] = n
			}
		}
		if cl.FirstMs >= 0 {
			f, l := msTime(cl.FirstMs), msTime(cl.LastMs)
			rc.First, rc.Last = &f, &l
		}
		for l := model.Layer(0); l < model.NumLayers; l++ {
			for _, oc := range cl.TopObjects[l] {
				rc.TopObjects = append(rc.TopObjects, results.Object{Layer: l.String(), Label: pipeline.ObjectLabel(c, l, oc.Object, oc.Post), Count: oc.Count})
			}
		}
		for _, p := range cl.Posts {
			rc.Posts = append(rc.Posts, c.PostID.At(int(p)))
		}
		r.Clusters = append(r.Clusters, rc)
	}
	// Accounts with at least one significant edge, by account ID.
	layersOf := map[uint32][]string{}
	var accs []uint32
	for _, e := range net.Edges {
		for _, x := range [2]uint32{e.A, e.B} {
			if _, ok := layersOf[x]; !ok {
				accs = append(accs, x)
				layersOf[x] = nil
			}
			for _, l := range e.Layers {
				if !slices.Contains(layersOf[x], l.String()) {
					layersOf[x] = append(layersOf[x], l.String())
				}
			}
		}
	}
	slices.Sort(accs)
	posts := make(map[uint32]int, len(accs))
	for _, acc := range c.Account {
		if _, ok := layersOf[acc]; ok {
			posts[acc]++
		}
	}
	for _, acc := range accs {
		ra := results.Account{ID: c.AccountID(acc), Handle: c.AccountHandle[acc], Degree: net.Degree[acc], Posts: posts[acc], Layers: layersOf[acc]}
		slices.Sort(ra.Layers)
		if cl := net.Cluster[acc]; cl >= 0 {
			v := int(cl)
			ra.Cluster = &v
		}
		r.Accounts = append(r.Accounts, ra)
	}
	return r
}

// BuildRun converts an analysis into run.json's structure.
func BuildRun(a *pipeline.Analysis, command []string, started time.Time, peakRSSMB float64) *results.Run {
	run := &results.Run{
		Version: version.String(), GoVersion: runtime.Version(), Command: command, Started: started.UTC(),
		Parameters: a.Config.Snapshot(), PeakRSSMB: peakRSSMB,
	}
	for _, in := range a.Inputs {
		run.Inputs = append(run.Inputs, results.Input{Path: in.Path, SHA256: in.SHA256, Size: in.Size, Format: in.Stats.Format, Posts: in.Stats.Posts, Skipped: in.Stats.Skipped, SkipReasons: in.Stats.SkipReasons})
	}
	for _, p := range a.Phases {
		run.Timings = append(run.Timings, results.Timing{Phase: p.Name, Seconds: p.Seconds})
	}
	return run
}
