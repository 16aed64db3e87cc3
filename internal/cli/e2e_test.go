package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes the CLI in-process and returns stdout, failing the test on
// a non-zero exit.
func runCLI(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := RunIO(context.Background(), args, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("chorus %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// Acceptance bars of the detectors on synthetic events (issue 3). They
// start honest and may only be raised as the detectors improve.
const (
	minKindF1             = 0.90
	maxOrganicFP          = 0.01
	minARI                = 0.90
	minPurity             = 0.90
	minAccountF1          = 0.95
	maxHyperFPRate        = 0.01
	maxOnsetErrorS        = 300 // "onset within a few minutes of truth"
	maxLiftRelError       = 0.10
	maxMediaLatencyErrorS = 60
	minRecircRecall       = 0.9
	minQuoteRecall        = 5.0 / 6 // planted leader quotes found in the quote lists
	synthTestPosts        = "40000"
	synthTestSeed         = "3"
	synthTestT0           = "2015-11-13T20:20:00Z"
	synthTestTClaim       = "2015-11-14T10:00:00Z"
)

// TestSynthAnalyzeEval runs synth → analyze → eval at small size and holds
// the detectors to their acceptance bars for every planted kind.
func TestSynthAnalyzeEval(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := t.TempDir()
	posts, labels, out := filepath.Join(dir, "p.jsonl.gz"), filepath.Join(dir, "l.json"), filepath.Join(dir, "out")
	runCLI(t, "synth", "--posts", synthTestPosts, "--seed", synthTestSeed, "--t0", synthTestT0, "--t-claim", synthTestTClaim, "--out", posts, "--labels", labels)
	runCLI(t, "analyze", "--quiet", "--event", "synth", "--t0", synthTestT0, "--t-claim", synthTestTClaim, "--out", out, posts)
	for _, f := range []string{"results.json", "nodes.csv", "edges.csv", "clusters.csv", "evidence.csv", "network.graphml", "network.gexf", "run.json", "stance.csv", "report.html", "report.md", "report.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("analyze did not write %s", f)
		}
	}
	var rep struct {
		Accounts struct{ F1 float64 } `json:"accounts"`
		Organic  float64              `json:"organic_fp_rate"`
		Hyper    float64              `json:"hyperactive_fp_rate"`
		ARI      float64              `json:"ari"`
		Purity   float64              `json:"purity"`
		ByKind   map[string]struct {
			Precision, Recall, F1 float64
		} `json:"by_kind"`
		Indicators map[string]struct {
			Truth    *float64 `json:"truth"`
			Measured *float64 `json:"measured"`
			Error    *float64 `json:"error"`
			RelError *float64 `json:"rel_error"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(runCLI(t, "eval", "--json", "--labels", labels, out)), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.ByKind) < 6 {
		t.Errorf("eval scored %d kinds, want the 6 planted kinds", len(rep.ByKind))
	}
	for kind, s := range rep.ByKind {
		if s.F1 < minKindF1 {
			t.Errorf("kind %s: F1 %.3f < %.2f (precision %.3f, recall %.3f)", kind, s.F1, minKindF1, s.Precision, s.Recall)
		}
	}
	if rep.Accounts.F1 < minAccountF1 {
		t.Errorf("account F1 %.3f < %.2f", rep.Accounts.F1, minAccountF1)
	}
	if rep.Organic > maxOrganicFP {
		t.Errorf("organic false-positive rate %.4f > %.2f", rep.Organic, maxOrganicFP)
	}
	if rep.Hyper > maxHyperFPRate {
		t.Errorf("hyperactive accounts flagged at %.4f > %.2f", rep.Hyper, maxHyperFPRate)
	}
	if rep.ARI < minARI || rep.Purity < minPurity {
		t.Errorf("clusters vs planted groups: ARI %.3f (want >= %.2f), purity %.3f (want >= %.2f)", rep.ARI, minARI, rep.Purity, minPurity)
	}
	// Event indicators against the planted truth (issue 6's bars).
	seen := map[string]bool{}
	for name, ind := range rep.Indicators {
		if ind.Error == nil || ind.Truth == nil || ind.Measured == nil {
			continue
		}
		switch {
		case name == "onset_latency":
			seen["onset"] = true
			if *ind.Error > maxOnsetErrorS {
				t.Errorf("onset latency off by %.0f s (truth %.0f, measured %.0f)", *ind.Error, *ind.Truth, *ind.Measured)
			}
		case strings.HasPrefix(name, "volume_lift_"):
			seen["lift"] = true
			if ind.RelError == nil || *ind.RelError > maxLiftRelError {
				t.Errorf("%s: truth %.3f measured %.3f (relative error above %.2f)", name, *ind.Truth, *ind.Measured, maxLiftRelError)
			}
		case strings.HasPrefix(name, "media_release_latency:"):
			seen["media"] = true
			if *ind.Error > maxMediaLatencyErrorS {
				t.Errorf("%s off by %.0f s", name, *ind.Error)
			}
		case name == "recirculation":
			seen["recirculation"] = true
			if *ind.Measured < minRecircRecall**ind.Truth {
				t.Errorf("recirculated items: %.0f of %.0f found", *ind.Measured, *ind.Truth)
			}
		case name == "copypasta_quotes":
			seen["quotes"] = true
			if *ind.Measured < minQuoteRecall**ind.Truth-1e-9 {
				t.Errorf("leader quotes: %.0f of %.0f found", *ind.Measured, *ind.Truth)
			}
		}
	}
	for _, k := range []string{"onset", "lift", "media", "recirculation", "quotes"} {
		if !seen[k] {
			t.Errorf("eval reported no %s indicator", k)
		}
	}
}

// TestAnalyzeDeterministic: two runs on the same input with the same
// parameters give identical outputs (run.json records timings, the command
// line and the output dir, and is compared without them).
func TestAnalyzeDeterministic(t *testing.T) {
	dir := t.TempDir()
	posts, labels := filepath.Join(dir, "p.jsonl.gz"), filepath.Join(dir, "l.json")
	runCLI(t, "synth", "--posts", "15000", "--seed", "5", "--t0", synthTestT0, "--out", posts, "--labels", labels)
	for _, o := range []string{"a", "b"} {
		runCLI(t, "analyze", "--quiet", "--event", "d", "--t0", synthTestT0, "--out", filepath.Join(dir, o), posts)
	}
	for _, f := range []string{"results.json", "nodes.csv", "edges.csv", "clusters.csv", "evidence.csv", "network.graphml", "network.gexf"} {
		a, _ := os.ReadFile(filepath.Join(dir, "a", f))
		b, _ := os.ReadFile(filepath.Join(dir, "b", f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two identical runs (or is empty)", f)
		}
	}
	var ra, rb map[string]any
	for o, dst := range map[string]*map[string]any{"a": &ra, "b": &rb} {
		b, _ := os.ReadFile(filepath.Join(dir, o, "run.json"))
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatal(err)
		}
		delete(*dst, "timings")
		delete(*dst, "started")
		delete(*dst, "peak_rss_mb")
		delete(*dst, "command")
		delete((*dst)["parameters"].(map[string]any), "out") // the two output dirs differ by design
	}
	ja, _ := json.Marshal(ra)
	jb, _ := json.Marshal(rb)
	if !bytes.Equal(ja, jb) {
		t.Errorf("run.json differs beyond timings:\n%s\n%s", ja, jb)
	}
}

// TestAnalyzeEdgeCases: an input with no posts, or a T0 outside the data,
// gives a clear warning and still writes what can be computed.
func TestAnalyzeEdgeCases(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, []byte("id,account,time,text\n"), 0o644)
	one := filepath.Join(dir, "one.csv")
	os.WriteFile(one, []byte("id,account,time,text\n1,a,2016-03-01T10:00:00Z,hello\n2,b,2016-03-01T10:00:30Z,hello again\n"), 0o644)
	cases := []struct {
		name, file, t0, warning string
	}{
		{"no posts", empty, "2016-03-22T06:58:00Z", "no posts in the inputs"},
		{"T0 after the data", one, "2016-03-22T06:58:00Z", "outside the data"},
	}
	for _, tc := range cases {
		out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
		runCLI(t, "analyze", "--quiet", "--event", "e", "--t0", tc.t0, "--out", out, tc.file)
		var r struct {
			Warnings   []string       `json:"warnings"`
			Indicators map[string]any `json:"indicators"`
		}
		b, err := os.ReadFile(filepath.Join(out, "results.json"))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, w := range r.Warnings {
			found = found || strings.Contains(w, tc.warning)
		}
		if !found {
			t.Errorf("%s: warnings %q lack %q", tc.name, r.Warnings, tc.warning)
		}
		if len(r.Indicators) < 10 {
			t.Errorf("%s: only %d indicators written", tc.name, len(r.Indicators))
		}
	}
}

// TestLibraryComparesWithPastEvents analyses earlier events of the bundled
// sample's period, each registered in the event library by analyze, then
// Brussels: its lift and onset are reported against those past events.
func TestLibraryComparesWithPastEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	sample := "../../sample/fifthtribe-2016-01-04.csv.gz"
	dir := t.TempDir()
	db := filepath.Join(dir, "lib.db")
	past := map[string]string{ // earlier attacks of the period (UTC)
		"istanbul-2016-01": "2016-01-12T08:20:00Z",
		"jakarta-2016-01":  "2016-01-14T03:40:00Z",
		"ankara-2016-03":   "2016-03-13T16:43:00Z",
		"istanbul-2016-03": "2016-03-19T08:55:00Z",
	}
	fast := []string{"--quiet", "--db", db, "--permutations", "5"}
	for name, t0 := range past {
		runCLI(t, append([]string{"analyze", "--event", name, "--t0", t0, "--out", filepath.Join(dir, name), sample}, fast...)...)
	}
	out := filepath.Join(dir, "brussels")
	runCLI(t, append([]string{"analyze", "--event", "brussels-2016", "--t0", "2016-03-22T06:58:00Z", "--out", out, sample}, fast...)...)
	var r struct {
		Indicators struct {
			VolumeLift struct {
				Windows []struct {
					Window string `json:"window"`
					Past   *struct {
						N          int      `json:"n"`
						Median     *float64 `json:"median"`
						Percentile *float64 `json:"percentile"`
					} `json:"past"`
				} `json:"windows"`
			} `json:"volume_lift"`
			Onset struct {
				Past *struct {
					N      int `json:"n"`
					Events int `json:"events"`
				} `json:"past"`
			} `json:"onset_latency"`
		} `json:"indicators"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "results.json"))
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Indicators.VolumeLift.Windows) == 0 {
		t.Fatal("no volume lift windows")
	}
	for _, w := range r.Indicators.VolumeLift.Windows {
		if w.Past == nil || w.Past.N != len(past) || w.Past.Median == nil || w.Past.Percentile == nil {
			t.Errorf("lift %s: past comparison %+v, want %d past events with median and percentile", w.Window, w.Past, len(past))
		}
	}
	if p := r.Indicators.Onset.Past; p == nil || p.Events != len(past) {
		t.Errorf("onset latency: past comparison %+v, want %d past events (some may lack an onset)", p, len(past))
	}
	list := runCLI(t, "events", "list", "--db", db)
	for name := range past {
		if !strings.Contains(list, name) {
			t.Errorf("events list lacks %s:\n%s", name, list)
		}
	}
}
