package export

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/results"
	"github.com/chorus-osint/chorus/internal/stance"
)

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }

func fmtTime(ms int64) string { return msTime(ms).Format(time.RFC3339) }

// writeNodes writes nodes.csv: every account with a significant edge.
func writeNodes(w io.Writer, a *pipeline.Analysis) error {
	c, net := a.Corpus, a.Network
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "handle", "platform", "cluster", "degree", "posts", "first_post", "last_post"})
	accs := networkAccounts(net)
	inNet := make([]bool, c.NumAccounts())
	for _, acc := range accs {
		inNet[acc] = true
	}
	posts := make([]int, c.NumAccounts())
	first := make([]int64, c.NumAccounts())
	last := make([]int64, c.NumAccounts())
	for i, acc := range c.Account {
		if !inNet[acc] {
			continue
		}
		if posts[acc] == 0 {
			first[acc] = c.Time[i]
		}
		posts[acc]++
		last[acc] = c.Time[i]
	}
	for _, acc := range accs {
		cl := ""
		if k := net.Cluster[acc]; k >= 0 {
			cl = strconv.Itoa(int(k))
		}
		cw.Write([]string{results.CSVText(c.AccountID(acc)), results.CSVText(c.AccountHandle[acc]), c.AccountPlatform[acc].String(), cl, ftoa(net.Degree[acc]), strconv.Itoa(posts[acc]), fmtTime(first[acc]), fmtTime(last[acc])})
	}
	cw.Flush()
	return cw.Error()
}

// networkAccounts returns the accounts with a significant edge, sorted.
func networkAccounts(net *pipeline.Network) []uint32 { return edgeAccounts(net.Edges) }

// edgeAccounts returns the accounts at either end of edges, sorted.
func edgeAccounts(edges []pipeline.NetEdge) []uint32 {
	out := make([]uint32, 0, 2*len(edges))
	for _, e := range edges {
		out = append(out, e.A, e.B)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// writeEdges writes edges.csv: every candidate edge of every layer (weight
// >= min weight) with its p- and q-value; `significant` marks q <= alpha
// (the pair test); `corroboration` says when the edge joins the network
// through the group or membership test instead: "group N" (its id in
// results.json's group_tests) or "member".
func writeEdges(w io.Writer, a *pipeline.Analysis) error {
	c := a.Corpus
	cw := csv.NewWriter(w)
	cw.Write([]string{"source", "target", "layer", "weight", "objects", "co_actions", "source_first", "target_first", "symmetry", "p", "q", "median_dt_s", "significant", "source_handle", "target_handle", "corroboration"})
	for _, lr := range a.Coord.Layers {
		corr := lr.Corroborated()
		for i := range lr.Edges {
			e := &lr.Edges[i]
			sig := "0"
			if e.Q <= a.Config.Coord.Alpha {
				sig = "1"
			}
			cw.Write([]string{
				results.CSVText(c.AccountID(e.A)), results.CSVText(c.AccountID(e.B)), lr.Layer.String(), ftoa(e.Weight),
				strconv.Itoa(int(e.Objects)), strconv.Itoa(int(e.CoActions)), strconv.Itoa(int(e.AFirst)), strconv.Itoa(int(e.BFirst)),
				ftoa(e.Symmetry()), strconv.FormatFloat(e.P, 'g', 4, 64), strconv.FormatFloat(e.Q, 'g', 4, 64), ftoa(float64(e.MedianDtMs) / 1000), sig,
				results.CSVText(c.AccountHandle[e.A]), results.CSVText(c.AccountHandle[e.B]), corr[i],
			})
		}
		if err := cw.Error(); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeEvidence writes evidence.csv: for each significant edge, each tie
// of a significant group and each tie of a corroborated member, the
// co-actions behind it — both posts with ids, times, source positions.
func writeEvidence(w io.Writer, a *pipeline.Analysis) error {
	c := a.Corpus
	cw := csv.NewWriter(w)
	cw.Write([]string{"layer", "source", "target", "object", "post_a", "time_a", "post_b", "time_b", "dt_s", "file_a", "line_a", "file_b", "line_b", "text_a", "text_b"})
	for _, lr := range a.Coord.Layers {
		corr := lr.Corroborated()
		for i := range lr.Edges {
			e := &lr.Edges[i]
			if _, ok := corr[i]; e.Q > a.Config.Coord.Alpha && !ok {
				continue
			}
			for _, ev := range e.Evidence {
				pa, pb := ev.PostA, ev.PostB
				cw.Write([]string{
					lr.Layer.String(), results.CSVText(c.AccountID(e.A)), results.CSVText(c.AccountID(e.B)),
					results.CSVText(pipeline.ObjectLabel(c, lr.Layer, ev.Object, pa)),
					results.CSVText(c.PostID.At(int(pa))), fmtTime(c.Time[pa]), results.CSVText(c.PostID.At(int(pb))), fmtTime(c.Time[pb]), ftoa(float64(ev.DtMs) / 1000),
					results.CSVText(c.Files[c.SrcFile[pa]]), strconv.FormatInt(c.SrcLine[pa], 10), results.CSVText(c.Files[c.SrcFile[pb]]), strconv.FormatInt(c.SrcLine[pb], 10),
					results.CSVText(c.Text.At(int(pa))), results.CSVText(c.Text.At(int(pb))),
				})
			}
		}
		if err := cw.Error(); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeClusters writes clusters.csv.
func writeClusters(w io.Writer, a *pipeline.Analysis) error {
	c := a.Corpus
	cw := csv.NewWriter(w)
	cw.Write([]string{"cluster", "size", "layers", "edges", "density", "first_coaction", "last_coaction", "median_dt_s", "top_objects", "core_accounts"})
	for _, cl := range a.Network.Clusters {
		var layers, objs, core []string
		for l := model.Layer(0); l < model.NumLayers; l++ {
			if n := cl.Layers[l]; n > 0 {
				layers = append(layers, l.String()+":"+strconv.Itoa(n))
			}
			for _, oc := range cl.TopObjects[l] {
				objs = append(objs, l.String()+"="+pipeline.ObjectLabel(c, l, oc.Object, oc.Post))
			}
		}
		for _, acc := range cl.Accounts[:min(len(cl.Accounts), 10)] {
			core = append(core, c.AccountHandle[acc])
		}
		first, last := "", ""
		if cl.FirstMs >= 0 {
			first, last = fmtTime(cl.FirstMs), fmtTime(cl.LastMs)
		}
		cw.Write([]string{strconv.Itoa(cl.ID), strconv.Itoa(len(cl.Accounts)), strings.Join(layers, " "), strconv.Itoa(cl.Edges), ftoa(cl.Density), first, last, ftoa(float64(cl.MedianDtMs) / 1000), results.CSVText(strings.Join(objs, " | ")), results.CSVText(strings.Join(core, " "))})
	}
	cw.Flush()
	return cw.Error()
}

// writeStance writes stance.csv: the attribution stance of every post.
func writeStance(w io.Writer, a *pipeline.Analysis) error {
	c, st := a.Corpus, a.Stance
	cw := csv.NewWriter(w)
	cw.Write([]string{"post_id", "account", "time", "attribution", "orientation", "confidence"})
	for i := 0; i < c.Len(); i++ {
		cw.Write([]string{results.CSVText(c.PostID.At(i)), results.CSVText(c.AccountID(c.Account[i])), fmtTime(c.Time[i]), stance.AttributionClasses[st.Attribution[i]], stance.OrientationClasses[st.Orientation[i]], strconv.FormatFloat(float64(st.Confidence[i]), 'f', 3, 32)})
		if i%65536 == 0 {
			if err := cw.Error(); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
