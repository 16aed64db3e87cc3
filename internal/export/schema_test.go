package export

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/pipeline"
)

// The official schemas, copied verbatim into testdata/schemas (see its
// README). graphml.xsd redefines the structure schema by its official
// URL; catalog.xml maps those URLs to the local copies, so xmllint runs
// offline (--nonet).
const (
	schemaDir     = "testdata/schemas"
	graphmlSchema = schemaDir + "/graphml-1.0/graphml.xsd"
	gexfSchema    = schemaDir + "/gexf-1.2draft/gexf.xsd"
	gexf13Schema  = schemaDir + "/gexf-1.3/gexf.xsd"
	schemaCatalog = schemaDir + "/catalog.xml"
)

// errInvalid marks a document the schema rejects (as opposed to a
// validator that could not run or a schema that did not compile).
var errInvalid = errors.New("does not validate")

// xmllint returns the xmllint binary. A machine without it skips schema
// validation with a note; CI (CI set) must have it and fails instead.
func xmllint(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("xmllint is missing but CI is set: install Debian's libxml2-utils (see .ci/run) so GraphML/GEXF are validated against their schemas")
	}
	t.Skip("xmllint not installed (Debian: apt-get install libxml2-utils): GraphML/GEXF not validated against their XSDs")
	return ""
}

// validate runs `xmllint --nonet --noout --schema xsd file` with the local
// catalog. It returns nil when the document validates, an error wrapping
// errInvalid when the schema rejects it, and another error when the
// validator itself failed (for example a schema that did not compile).
func validate(bin, xsd, file string) error {
	xsdAbs, err := filepath.Abs(xsd)
	if err != nil {
		return err
	}
	cat, err := filepath.Abs(schemaCatalog)
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, "--nonet", "--noout", "--schema", xsdAbs, file)
	cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+cat)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exit) && exit.ExitCode() == 3:
		// xmllint: 3 = validation error, 4/5 = schema parse/compile error.
		return fmt.Errorf("%s %w against %s:\n%s", filepath.Base(file), errInvalid, filepath.Base(xsd), trimLines(out, 30))
	default:
		return fmt.Errorf("xmllint could not validate %s against %s: %v\n%s", filepath.Base(file), xsd, err, trimLines(out, 30))
	}
}

// validateAsGEXF13 checks that a GEXF 1.2draft file's body is also valid
// GEXF 1.3 once its namespace and version say so. The 1.2draft schema
// lets graph children come in any order; 1.3 requires attributes, nodes,
// edges, so this catches order mistakes, and keeps a later move to 1.3 a
// header change.
func validateAsGEXF13(bin, file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	b = bytes.Replace(b, []byte(`"http://www.gexf.net/1.2draft"`), []byte(`"http://gexf.net/1.3"`), 1)
	b = bytes.Replace(b, []byte(`version="1.2"`), []byte(`version="1.3"`), 1)
	p := strings.TrimSuffix(file, ".gexf") + ".as13.gexf"
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return err
	}
	return validate(bin, gexf13Schema, p)
}

func trimLines(b []byte, n int) string {
	lines := strings.SplitN(string(b), "\n", n+1)
	if len(lines) > n {
		lines[n] = "…"
	}
	return strings.Join(lines, "\n")
}

// TestSchemaValidatorRejectsInvalidDocuments is the negative control: the
// local schemas compile offline and reject documents that break them, so
// a passing validation below means something.
func TestSchemaValidatorRejectsInvalidDocuments(t *testing.T) {
	bin := xmllint(t)
	dir := t.TempDir()
	const (
		gml = `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="w" for="edge" attr.name="weight" attr.type="double"/>
  <graph id="g" edgedefault="undirected">
    <node id="n0"/><node id="n1"/>
    %s
  </graph>
</graphml>
`
		gx = `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">
  <graph mode="dynamic" defaultedgetype="undirected" timeformat="date">
    <nodes><node id="n0" label="a" start="2016-03-22T06:58:00Z"/><node id="n1" label="b"/></nodes>
    <edges>%s</edges>
  </graph>
</gexf>
`
	)
	cases := []struct {
		name, xsd, doc string
		valid          bool
	}{
		{"graphml ok", graphmlSchema, fmt.Sprintf(gml, `<edge id="e0" source="n0" target="n1"><data key="w">1.5</data></edge>`), true},
		{"graphml edge without target", graphmlSchema, fmt.Sprintf(gml, `<edge id="e0" source="n0"/>`), false},
		{"graphml unknown attr.type", graphmlSchema, strings.Replace(fmt.Sprintf(gml, ""), `attr.type="double"`, `attr.type="decimal"`, 1), false},
		{"graphml key after graph", graphmlSchema, strings.Replace(fmt.Sprintf(gml, ""), "</graph>", `</graph><key id="x" for="node"/>`, 1), false},
		{"gexf ok", gexfSchema, fmt.Sprintf(gx, `<edge id="e0" source="n0" target="n1" start="2016-03-22T07:00:00Z" weight="2.5"/>`), true},
		{"gexf start not a date", gexfSchema, fmt.Sprintf(gx, `<edge id="e0" source="n0" target="n1" start="yesterday"/>`), false},
		{"gexf without version", gexfSchema, strings.Replace(fmt.Sprintf(gx, ""), ` version="1.2"`, "", 1), false},
		{"gexf 1.3 namespace", gexfSchema, strings.Replace(fmt.Sprintf(gx, ""), "www.gexf.net/1.2draft", "gexf.net/1.3", 1), false},
		{"gexf unknown attribute type", gexfSchema, strings.Replace(fmt.Sprintf(gx, ""), "<nodes>", `<attributes class="node"><attribute id="0" title="x" type="decimal"/></attributes><nodes>`, 1), false},
		{"gexf weight not a number", gexfSchema, fmt.Sprintf(gx, `<edge id="e0" source="n0" target="n1" weight="+Inf"/>`), false},
	}
	for i, tc := range cases {
		f := filepath.Join(dir, fmt.Sprintf("doc%d.gexf", i))
		if err := os.WriteFile(f, []byte(tc.doc), 0o644); err != nil {
			t.Fatal(err)
		}
		err := validate(bin, tc.xsd, f)
		switch {
		case tc.valid && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !tc.valid && !errors.Is(err, errInvalid):
			t.Errorf("%s: want a schema validation error, got %v", tc.name, err)
		}
	}
	// 1.2draft accepts graph children in any order; the 1.3 cross-check
	// does not.
	f := filepath.Join(dir, "order.gexf")
	if err := os.WriteFile(f, []byte(strings.Replace(fmt.Sprintf(gx, ""), "<nodes>", `<edges/><attributes class="node"/><nodes>`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := validate(bin, gexfSchema, f); err != nil {
		t.Errorf("1.2draft rejected children out of order, which its schema allows: %v", err)
	}
	if err := validateAsGEXF13(bin, f); !errors.Is(err, errInvalid) {
		t.Errorf("GEXF 1.3 cross-check: want a validation error for children out of order, got %v", err)
	}
}

// TestGraphMLAndGEXFValidateAgainstSchemas writes the exports of a
// multi-layer analysis whose coordinated accounts have hostile handles
// (XML-invalid control characters, "]]>", markup, bidi overrides, emoji,
// Arabic) and validates them with xmllint against GraphML 1.0 and GEXF
// 1.2draft (and the GEXF body against 1.3), in full and with --top.
func TestGraphMLAndGEXFValidateAgainstSchemas(t *testing.T) {
	bin := xmllint(t)
	out, a := analyzeFixture(t)
	if len(a.Network.Edges) == 0 || len(a.Network.Clusters) == 0 {
		t.Fatalf("fixture gave %d edges, %d clusters: nothing to validate", len(a.Network.Edges), len(a.Network.Clusters))
	}
	layers := map[string]bool{}
	for i := range a.Network.Edges {
		for _, l := range a.Network.Edges[i].Layers {
			layers[l.String()] = true
		}
	}
	if len(layers) < 2 {
		t.Fatalf("fixture network has layers %v: want several", layers)
	}
	for _, f := range []struct{ file, xsd string }{{"network.graphml", graphmlSchema}, {"network.gexf", gexfSchema}} {
		if err := validate(bin, f.xsd, filepath.Join(out, f.file)); err != nil {
			t.Error(err)
		}
	}
	if err := validateAsGEXF13(bin, filepath.Join(out, "network.gexf")); err != nil {
		t.Error(err)
	}
	// The hostile handles are in the files (escaped), not dropped.
	gml, err := os.ReadFile(filepath.Join(out, "network.graphml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"]]&gt;", "&lt;script&gt;", "\u202e", "😀", "حساب"} {
		if !bytes.Contains(gml, []byte(want)) {
			t.Errorf("network.graphml lacks %q: the hostile handles did not reach the export", want)
		}
	}
	// --top keeps only the heaviest edges and their nodes.
	dir := t.TempDir()
	for _, f := range []struct {
		file, xsd string
		write     func(*bytes.Buffer) error
	}{
		{"top.graphml", graphmlSchema, func(b *bytes.Buffer) error { return writeGraphML(b, a, 5) }},
		{"top.gexf", gexfSchema, func(b *bytes.Buffer) error { return writeGEXF(b, a, 5) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, f.file)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := validate(bin, f.xsd, p); err != nil {
			t.Error(err)
		}
		if f.xsd == gexfSchema {
			if err := validateAsGEXF13(bin, p); err != nil {
				t.Error(err)
			}
		}
		// Both files keep the 5 edges and only the accounts they join.
		var doc struct {
			Nodes []struct{} `xml:"graph>node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
			} `xml:"graph>edge"`
			GEXFNodes []struct{} `xml:"graph>nodes>node"`
			GEXFEdges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
			} `xml:"graph>edges>edge"`
		}
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		nodes, edges := len(doc.Nodes)+len(doc.GEXFNodes), append(doc.Edges, doc.GEXFEdges...)
		ends := map[string]bool{}
		for _, e := range edges {
			ends[e.Source], ends[e.Target] = true, true
		}
		if len(edges) != 5 || nodes != len(ends) {
			t.Errorf("%s: %d edges joining %d accounts, %d nodes; want 5 edges and only their accounts", f.file, len(edges), len(ends), nodes)
		}
	}
}

// TestSampleExportsValidateAgainstSchemas validates the GraphML and GEXF
// that `chorus analyze` writes for the bundled sample (Fifth Tribe,
// Brussels 2016), with the analyze defaults except fewer permutations.
func TestSampleExportsValidateAgainstSchemas(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the bundled sample")
	}
	bin := xmllint(t)
	cfg := config.Default()
	cfg.Event.Name, cfg.Event.T0 = "brussels-2016", "2016-03-22T06:58:00Z"
	cfg.Coord.Permutations = 5
	cfg.Output.Quiet = true
	start := time.Now()
	a, err := pipeline.Analyze(context.Background(), cfg, []string{"../../sample/fifthtribe-2016-01-04.csv.gz"}, pipeline.Library{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Network.Edges) == 0 {
		t.Fatal("the sample gave no network edges: nothing to validate")
	}
	out := filepath.Join(t.TempDir(), "out")
	if err := WriteAll(out, a, []string{"chorus", "analyze"}, start, 0); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ file, xsd string }{{"network.graphml", graphmlSchema}, {"network.gexf", gexfSchema}} {
		if err := validate(bin, f.xsd, filepath.Join(out, f.file)); err != nil {
			t.Error(err)
		}
	}
	if err := validateAsGEXF13(bin, filepath.Join(out, "network.gexf")); err != nil {
		t.Error(err)
	}
	t.Logf("sample: %d clusters, %d network edges; analysed, written and validated in %v", len(a.Network.Clusters), len(a.Network.Edges), time.Since(start).Round(time.Millisecond))
}
