package export

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/chorus-osint/chorus/internal/pipeline"
)

// xmlText escapes s for XML text and attribute values; characters not
// allowed in XML 1.0 become U+FFFD (encoding/xml does this).
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// exportEdges returns the network edges to export: all, or the top n by
// weight (ties by account IDs) when n > 0.
func exportEdges(net *pipeline.Network, n int) []pipeline.NetEdge {
	if n <= 0 || n >= len(net.Edges) {
		return net.Edges
	}
	es := slices.Clone(net.Edges)
	slices.SortStableFunc(es, func(x, y pipeline.NetEdge) int {
		switch {
		case x.Weight > y.Weight:
			return -1
		case x.Weight < y.Weight:
			return 1
		}
		return 0
	})
	es = es[:n]
	slices.SortFunc(es, func(x, y pipeline.NetEdge) int {
		if x.A != y.A {
			return int(x.A) - int(y.A)
		}
		return int(x.B) - int(y.B)
	})
	return es
}

func edgeLayers(e *pipeline.NetEdge) string {
	parts := make([]string, len(e.Layers))
	for i, l := range e.Layers {
		parts[i] = l.String()
	}
	return strings.Join(parts, ",")
}

// minQ returns the smallest q and the summed objects over an edge's layers.
func edgeStats(e *pipeline.NetEdge) (q float64, objects uint32, medianDtS float64) {
	q = 1
	for _, le := range e.Edges {
		q = min(q, le.Q)
		objects += le.Objects
		medianDtS = max(medianDtS, float64(le.MedianDtMs)/1000)
	}
	return
}

// writeGraphML streams the significant network as GraphML 1.0 (the
// structure layer plus the attributes extension's attr.name/attr.type),
// valid against the official graphml.xsd. With top > 0 only the top
// edges and the accounts they join are written, as in the GEXF.
func writeGraphML(w io.Writer, a *pipeline.Analysis, top int) error {
	c, net := a.Corpus, a.Network
	edges := exportEdges(net, top)
	var err error
	p := func(format string, args ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, format, args...)
		}
	}
	p(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	p(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, k := range [][4]string{
		{"handle", "node", "string", "handle"}, {"cluster", "node", "int", "cluster"}, {"degree", "node", "double", "degree"},
		{"weight", "edge", "double", "weight"}, {"layers", "edge", "string", "layers"}, {"objects", "edge", "int", "objects"},
		{"q", "edge", "double", "q"}, {"median_dt_s", "edge", "double", "median_dt_s"},
	} {
		p(`  <key id="%s" for="%s" attr.name="%s" attr.type="%s"/>`+"\n", k[0], k[1], k[3], k[2])
	}
	p(`  <graph id="chorus" edgedefault="undirected">` + "\n")
	for _, acc := range edgeAccounts(edges) {
		p(`    <node id="n%d"><data key="handle">%s</data><data key="cluster">%d</data><data key="degree">%s</data></node>`+"\n", acc, xmlText(c.AccountHandle[acc]), net.Cluster[acc], ftoa(net.Degree[acc]))
	}
	for i := range edges {
		e := &edges[i]
		q, objs, dt := edgeStats(e)
		p(`    <edge id="e%d" source="n%d" target="n%d"><data key="weight">%s</data><data key="layers">%s</data><data key="objects">%d</data><data key="q">%s</data><data key="median_dt_s">%s</data></edge>`+"\n",
			i, e.A, e.B, ftoa(e.Weight), edgeLayers(e), objs, ftoa(q), ftoa(dt))
	}
	p("  </graph>\n</graphml>\n")
	return err
}

// writeGEXF streams the significant network as GEXF 1.2draft in dynamic
// mode: nodes start at the account's first co-action evidence and edges at
// their first co-action, so Gephi's timeline plays the network's growth.
//
// The version is 1.2draft, not 1.3: it validates against the official
// 1.2draft XSD (docs/formats-graph.md), Gephi 0.8–0.10 read it, and networkx
// reads it in every release, while networkx before 3.0 (Debian 12 ships
// 2.8.8) cannot find the graph of a 1.3 file. Nothing chorus writes needs
// 1.3 (edge kinds, double weights, timestamp representation).
//
// The times are RFC 3339 under timeformat="date": valid for the schema
// (time-type is a union including xs:dateTime), parsed with their time of
// day by Gephi, and read (as text) by networkx, whose reader has no
// "dateTime" format (KeyError in 3.x).
func writeGEXF(w io.Writer, a *pipeline.Analysis, top int) error {
	c, net := a.Corpus, a.Network
	edges := exportEdges(net, top)
	// nodeStart[acc] is the account's first co-action, -1 when no
	// evidence has a time.
	accs := edgeAccounts(edges)
	nodeStart := make([]int64, c.NumAccounts())
	for _, acc := range accs {
		nodeStart[acc] = -1
	}
	edgeStart := make([]int64, len(edges))
	for i := range edges {
		e := &edges[i]
		start := int64(-1)
		for _, le := range e.Edges {
			for _, ev := range le.Evidence {
				t := min(c.Time[ev.PostA], c.Time[ev.PostB])
				if start < 0 || t < start {
					start = t
				}
			}
		}
		edgeStart[i] = start
		for _, x := range [2]uint32{e.A, e.B} {
			if start >= 0 && (nodeStart[x] < 0 || start < nodeStart[x]) {
				nodeStart[x] = start
			}
		}
	}
	var err error
	p := func(format string, args ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, format, args...)
		}
	}
	p(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	p(`<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">` + "\n")
	p(`  <meta><creator>chorus</creator><description>%s</description></meta>`+"\n", xmlText("significant co-action network, event "+a.Event.Name))
	p(`  <graph mode="dynamic" defaultedgetype="undirected" timeformat="date">` + "\n")
	p(`    <attributes class="node"><attribute id="0" title="cluster" type="integer"/><attribute id="1" title="degree" type="double"/></attributes>` + "\n")
	p(`    <attributes class="edge"><attribute id="0" title="layers" type="string"/><attribute id="1" title="objects" type="integer"/><attribute id="2" title="q" type="double"/><attribute id="3" title="median_dt_s" type="double"/></attributes>` + "\n")
	p("    <nodes>\n")
	for _, acc := range accs {
		start := ""
		if s := nodeStart[acc]; s >= 0 {
			start = ` start="` + fmtTime(s) + `"`
		}
		p(`      <node id="n%d" label="%s"%s><attvalues><attvalue for="0" value="%d"/><attvalue for="1" value="%s"/></attvalues></node>`+"\n", acc, xmlText(c.AccountHandle[acc]), start, net.Cluster[acc], ftoa(net.Degree[acc]))
	}
	p("    </nodes>\n    <edges>\n")
	for i := range edges {
		e := &edges[i]
		q, objs, dt := edgeStats(e)
		start := ""
		if edgeStart[i] >= 0 {
			start = ` start="` + fmtTime(edgeStart[i]) + `"`
		}
		p(`      <edge id="e%d" source="n%d" target="n%d" weight="%s"%s><attvalues><attvalue for="0" value="%s"/><attvalue for="1" value="%d"/><attvalue for="2" value="%s"/><attvalue for="3" value="%s"/></attvalues></edge>`+"\n",
			i, e.A, e.B, ftoa(e.Weight), start, edgeLayers(e), objs, ftoa(q), ftoa(dt))
	}
	p("    </edges>\n  </graph>\n</gexf>\n")
	return err
}
