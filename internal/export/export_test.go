package export

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/pipeline"
)

// hostile handles: formula injection, XML-invalid characters, markup, a
// CDATA terminator, bidi overrides, emoji (with ZWJ sequences), Arabic.
var hostileHandles = []string{"=HYPERLINK(\"http://evil\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "bad\x01\x0bctl", "<script>alert(1)</script>", "rtl\u202etxt.exe", "normal_one", "cdata]]>end", "emoji😀🏳️\u200d🌈", "حساب_عربي"}

// writeFixture writes a generic JSONL event: organic retweets spread over
// a day, and a planted group that co-retweets six originals within
// seconds and posts the same hashtagged text a minute later, some members
// with hostile handles.
func writeFixture(t testing.TB, path string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	t0 := time.Date(2016, 3, 22, 6, 58, 0, 0, time.UTC)
	var b strings.Builder
	id := 0
	emit := func(acct, handle string, at time.Time, orig string, text string, tags ...string) {
		id++
		rec := map[string]any{"id": fmt.Sprint(id), "account_id": acct, "handle": handle, "time": at.Format(time.RFC3339), "text": text}
		if orig != "" {
			rec["repost_of"] = map[string]string{"post_id": orig}
		}
		if len(tags) > 0 {
			rec["hashtags"] = tags
		}
		line, _ := json.Marshal(rec)
		b.Write(line)
		b.WriteByte('\n')
	}
	for i := 0; i < 3000; i++ {
		a := rng.IntN(80)
		emit(fmt.Sprintf("o%d", a), fmt.Sprintf("organic%d", a), t0.Add(-12*time.Hour+time.Duration(rng.IntN(24*3600))*time.Second), fmt.Sprintf("orig%d", rng.IntN(400)), "RT organic")
	}
	// organic originals: the campaign's hashtags and texts also occur
	// spread over the day, so the null model has something to shuffle
	for i := 0; i < 1500; i++ {
		a, k := rng.IntN(80), rng.IntN(12)
		emit(fmt.Sprintf("o%d", a), fmt.Sprintf("organic%d", a), t0.Add(-12*time.Hour+time.Duration(rng.IntN(24*3600))*time.Second), "", fmt.Sprintf("بيان %d #wave%d ]]> <i>now</i> \u202eevil 🔥", k, k), fmt.Sprintf("wave%d", k))
	}
	for k := 0; k < 6; k++ {
		start := t0.Add(time.Duration(k*37) * time.Minute)
		for m, h := range hostileHandles {
			emit(fmt.Sprintf("p%d", m), h, start.Add(time.Duration(rng.IntN(8))*time.Second), fmt.Sprintf("campaign%d", k), "=cmd|' /C calc'!A0 <b>x</b> ]]> \u202e 😀 عاجل")
			// and posts the same text with the same hashtag a minute later
			emit(fmt.Sprintf("p%d", m), h, start.Add(time.Minute+time.Duration(rng.IntN(8))*time.Second), "", fmt.Sprintf("بيان %d #wave%d ]]> <i>now</i> \u202eevil 🔥", k, k), fmt.Sprintf("wave%d", k))
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func analyzeFixture(t testing.TB) (string, *pipeline.Analysis) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "posts.jsonl")
	writeFixture(t, in)
	cfg := config.Default()
	cfg.Event.Name, cfg.Event.T0 = "fixture", "2016-03-22T06:58:00Z"
	cfg.Coord.Layers = []string{"repost", "text", "hashtag"}
	a, err := pipeline.Analyze(context.Background(), cfg, []string{in}, pipeline.Library{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := WriteAll(out, a, []string{"test"}, time.Now(), 0); err != nil {
		t.Fatal(err)
	}
	return out, a
}

func TestExportsFindThePlantedGroupAndNeutraliseHostileText(t *testing.T) {
	out, a := analyzeFixture(t)
	if len(a.Network.Clusters) == 0 || len(a.Network.Clusters[0].Accounts) != len(hostileHandles) {
		t.Fatalf("clusters %+v: want the planted group of %d as the first cluster", a.Network.Clusters, len(hostileHandles))
	}
	for _, name := range []string{"nodes.csv", "edges.csv", "clusters.csv", "evidence.csv", "stance.csv"} {
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for r, row := range rows {
			for c, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !isNumber(cell) {
					t.Errorf("%s row %d col %d starts with a formula character: %q", name, r, c, cell)
				}
			}
		}
	}
}

func isNumber(s string) bool {
	var f float64
	_, err := fmt.Sscan(s, &f)
	return err == nil
}

// graphmlDoc mirrors the GraphML schema's structure.
type graphmlDoc struct {
	XMLName xml.Name `xml:"graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string `xml:"id,attr"`
			Data []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			Source string `xml:"source,attr"`
			Target string `xml:"target,attr"`
			Data   []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

func TestGraphMLAndGEXFAreValid(t *testing.T) {
	out, a := analyzeFixture(t)
	b, err := os.ReadFile(filepath.Join(out, "network.graphml"))
	if err != nil {
		t.Fatal(err)
	}
	var g graphmlDoc
	if err := xml.Unmarshal(b, &g); err != nil {
		t.Fatalf("GraphML does not parse: %v", err)
	}
	keys := map[string]string{}
	for _, k := range g.Keys {
		keys[k.ID] = k.Type
	}
	nodes := map[string]bool{}
	handles := map[string]bool{}
	for _, n := range g.Graph.Nodes {
		if nodes[n.ID] {
			t.Errorf("duplicate node id %s", n.ID)
		}
		nodes[n.ID] = true
		for _, d := range n.Data {
			if _, ok := keys[d.Key]; !ok {
				t.Errorf("node data with undeclared key %q", d.Key)
			}
			if d.Key == "handle" {
				handles[d.Value] = true
			}
		}
	}
	if len(g.Graph.Edges) != len(a.Network.Edges) || len(nodes) == 0 {
		t.Fatalf("GraphML: %d edges, %d nodes; analysis has %d edges", len(g.Graph.Edges), len(nodes), len(a.Network.Edges))
	}
	for _, e := range g.Graph.Edges {
		if !nodes[e.Source] || !nodes[e.Target] {
			t.Errorf("edge %s–%s refers to a missing node", e.Source, e.Target)
		}
		for _, d := range e.Data {
			if keys[d.Key] == "double" || keys[d.Key] == "int" {
				if !isNumber(d.Value) {
					t.Errorf("edge data %s=%q is not a number", d.Key, d.Value)
				}
			}
		}
	}
	// Markup in a handle is text in the XML, not elements; XML-invalid
	// control characters were replaced.
	if !handles["<script>alert(1)</script>"] {
		t.Errorf("the markup handle did not round-trip as text: %v", handles)
	}
	for h := range handles {
		if strings.ContainsAny(h, "\x01\x0b") {
			t.Errorf("XML-invalid character survived in %q", h)
		}
	}
	gx, err := os.ReadFile(filepath.Join(out, "network.gexf"))
	if err != nil {
		t.Fatal(err)
	}
	var gexf struct {
		XMLName xml.Name `xml:"gexf"`
		Version string   `xml:"version,attr"`
		Graph   struct {
			Mode  string `xml:"mode,attr"`
			Nodes []struct {
				ID    string `xml:"id,attr"`
				Start string `xml:"start,attr"`
			} `xml:"nodes>node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Start  string `xml:"start,attr"`
			} `xml:"edges>edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(gx, &gexf); err != nil {
		t.Fatalf("GEXF does not parse: %v", err)
	}
	if gexf.Version != "1.2" || gexf.Graph.Mode != "dynamic" || len(gexf.Graph.Edges) != len(a.Network.Edges) {
		t.Fatalf("GEXF version %q mode %q edges %d", gexf.Version, gexf.Graph.Mode, len(gexf.Graph.Edges))
	}
	for _, e := range gexf.Graph.Edges {
		if _, err := time.Parse(time.RFC3339, e.Start); err != nil {
			t.Errorf("edge start %q is not a timestamp", e.Start)
		}
	}
	checkWithNetworkX(t, out, len(nodes), len(g.Graph.Edges))
}

// checkWithNetworkX opens both files with networkx's readers (Gephi-compatible
// parsers) under every Python on the machine that has networkx: the one on
// PATH and Debian's /usr/bin/python3, whose python3-networkx (2.8 on
// Debian 12, installed by CI) reads fewer GEXF versions than networkx 3.
func checkWithNetworkX(t *testing.T, out string, nodes, edges int) {
	script := `import sys
try:
    import networkx as nx
except ImportError:
    print("no networkx"); sys.exit(0)
g = nx.read_graphml(sys.argv[1]); x = nx.read_gexf(sys.argv[2])
print(nx.__version__, g.number_of_nodes(), g.number_of_edges(), x.number_of_nodes(), x.number_of_edges())`
	want := fmt.Sprintf("%d %d %d %d", nodes, edges, nodes, edges)
	seen := map[string]bool{}
	checked := 0
	for _, cand := range []string{"python3", "/usr/bin/python3"} {
		py, err := exec.LookPath(cand)
		if err != nil {
			continue
		}
		if real, err := filepath.EvalSymlinks(py); err == nil {
			py = real
		}
		if seen[py] {
			continue
		}
		seen[py] = true
		b, err := exec.Command(py, "-c", script, filepath.Join(out, "network.graphml"), filepath.Join(out, "network.gexf")).CombinedOutput()
		got := strings.TrimSpace(string(b))
		if err != nil {
			t.Fatalf("networkx (%s) could not read the exports: %v\n%s", py, err, b)
		}
		if got == "no networkx" {
			continue
		}
		checked++
		version, counts, _ := strings.Cut(got, " ")
		if counts != want {
			t.Errorf("networkx %s (%s) read %q, want %q", version, py, counts, want)
		}
		t.Logf("networkx %s (%s) reads both files", version, py)
	}
	if checked == 0 {
		t.Log("networkx not available: GraphML/GEXF checked structurally only")
	}
}
