package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/results"
)

// Golden files are updated with CHORUS_UPDATE_GOLDEN=1 go test
// ./internal/report/ and the diff is reviewed before committing.
var updateGolden = os.Getenv("CHORUS_UPDATE_GOLDEN") != ""

// goldenParams are the parameters the golden keeps besides those set away
// from their defaults: the ones the report's text uses. (The report lists
// every parameter; TestGoldenSample checks that separately, so that adding
// a parameter elsewhere does not change the golden.)
var goldenParams = map[string]bool{"alpha": true, "tz": true, "max-evidence": true, "cluster-algorithm": true, "resolution": true, "permutations": true, "window": true}

// normalize removes what varies between runs and machines: versions,
// the start time, timings and the output directory.
func normalize(rep *Report, dirs ...string) {
	rep.Version = "VERSION"
	m := &rep.Methods
	m.Version, m.GoVersion = "VERSION", "GO"
	if m.Started != nil {
		t := time.Time{}
		m.Started = &t
	}
	m.Timings = []results.Timing{}
	var keep []ParamInfo
	for _, p := range m.Parameters {
		if p.Value != p.Default || goldenParams[p.Name] {
			for _, d := range dirs {
				p.Value = strings.ReplaceAll(p.Value, d, "OUT")
			}
			keep = append(keep, p)
		}
	}
	m.Parameters = keep
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with CHORUS_UPDATE_GOLDEN=1 to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden at line %d:\n got: %q\nwant: %q\n(run with CHORUS_UPDATE_GOLDEN=1 and review the diff if the change is intended)", name, i+1, g, w)
			}
		}
	}
}

// TestGoldenSample analyses the bundled sample (Fifth Tribe, around the
// Brussels attacks), renders the report and compares report.md and
// report.json with the reviewed goldens.
func TestGoldenSample(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the bundled sample")
	}
	dir, c := sampleCopy(t)
	if err := Render(dir, Options{Corpus: c}); err != nil {
		t.Fatal(err)
	}
	// Render wrote the files; render the normalised report the same way
	// for the goldens.
	opts := Options{}
	opts.defaults()
	src, err := load(dir, &opts)
	if err != nil {
		t.Fatal(err)
	}
	rep, v, err := build(src, &opts)
	if err != nil {
		t.Fatal(err)
	}
	var md, js bytes.Buffer
	if err := writeMarkdown(&md, rep, v); err != nil {
		t.Fatal(err)
	}
	onDisk, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(onDisk, md.Bytes()) {
		t.Fatal("re-rendering the same directory gave a different report.md")
	}
	if src.run == nil || len(rep.Methods.Parameters) != len(src.run.Parameters) || len(rep.Methods.Parameters) < 40 {
		t.Errorf("methods list %d parameters, run.json has %d: every parameter must be shown", len(rep.Methods.Parameters), len(src.run.Parameters))
	}
	for _, p := range rep.Methods.Parameters {
		if p.Help == "" || p.Section == "" {
			t.Errorf("parameter %s has no help or section in the methods", p.Name)
		}
	}
	normalize(rep, dir, sampleOnce.dir)
	md.Reset()
	if err := writeMarkdown(&md, rep, v); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "sample.report.md.golden", md.Bytes())
	checkGolden(t, "sample.report.json.golden", js.Bytes())

	// What the sample must show, whatever the golden says: the event, the
	// two staggered pairs, minute-resolution and file#line ids caveats,
	// and the fixed statement.
	for _, want := range []string{"brussels-2016", "C0", "C1", "staggered", "minute resolution", "file#line", results.Statement, "ac41c3b5db48658a9bec2da19b7bbe82c318e73869b402ce3c00a472a2635f8c"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}
