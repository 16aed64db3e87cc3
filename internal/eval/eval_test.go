package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/synth"
)

func load(t *testing.T, dir string) *Report {
	t.Helper()
	l, err := ReadLabels("testdata/labels.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := ReadResultDir(filepath.Join("testdata", dir))
	if err != nil {
		t.Fatal(err)
	}
	return Evaluate(l, r)
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestPerfectResult(t *testing.T) {
	rep := load(t, "perfect")
	if !near(rep.Accounts.F1, 1) || !near(rep.ARI, 1) || !near(rep.ARIPlanted, 1) || rep.OrganicFPRate != 0 {
		t.Fatalf("perfect result scored %+v ARI %g", rep.Accounts, rep.ARI)
	}
	if rep.Purity == nil || !near(*rep.Purity, 1) {
		t.Errorf("purity %v", rep.Purity)
	}
	for _, k := range []string{synth.KindCoRetweet, synth.KindHashtagCampaign, synth.KindAutomation, synth.KindCopypasta} {
		if s, ok := rep.ByKind[k]; !ok || !near(s.F1, 1) {
			t.Errorf("by_kind[%s] = %+v", k, s)
		}
	}
	if _, ok := rep.ByKind[synth.KindCoURL]; ok {
		t.Error("by_kind has a kind with no planted group")
	}
	if rep.EdgeAUC == nil || !near(*rep.EdgeAUC, 1) {
		t.Errorf("edge AUC %v", rep.EdgeAUC)
	}
	if ls := rep.ByLayer["repost"]; ls == nil || ls.SameGroup != 6+6+3+3 || !near(ls.ByKind[synth.KindCoRetweet], 1) {
		t.Errorf("repost layer %+v", ls)
	}
	if rep.Stance == nil || !near(rep.Stance.Accuracy, 1) || !near(rep.Stance.MacroF1, 1) || !near(rep.Stance.Coverage, 1) {
		t.Errorf("stance %+v", rep.Stance)
	}
	want := []string{"onset_latency", "volume_lift_posts_1h", "volume_lift_accounts_1h", "media_release_latency:Amaq",
		"recirculation", "hijack_overtake:GhazwatParis", "automation_groups", "copypasta_quotes", "campaign_hashtags_new",
		"unanimity_before_claim", "unanimity_after_claim"}
	for _, n := range want {
		in, ok := rep.Indicators[n]
		if !ok {
			t.Errorf("indicator %s not scored (missing: %v)", n, rep.IndicatorsMissing)
			continue
		}
		if in.Error > 1e-9 {
			t.Errorf("indicator %s: %+v", n, in)
		}
	}
	if len(rep.IndicatorsMissing) != 0 {
		t.Errorf("missing %v", rep.IndicatorsMissing)
	}
}

func TestEmptyResult(t *testing.T) {
	rep := load(t, "empty")
	if rep.Accounts.Recall != 0 || rep.Accounts.F1 != 0 || rep.Flagged != 0 {
		t.Fatalf("empty result: %+v", rep.Accounts)
	}
	if rep.ARI != 0 || rep.ARIFlagged != nil || rep.Purity != nil {
		t.Errorf("empty result ARI %g flagged %v purity %v", rep.ARI, rep.ARIFlagged, rep.Purity)
	}
	for k, s := range rep.ByKind {
		if s.F1 != 0 {
			t.Errorf("by_kind[%s] = %+v", k, s)
		}
	}
	if rep.Stance != nil || rep.ByLayer != nil || len(rep.Indicators) != 0 || len(rep.Notes) != 2 {
		t.Errorf("absent parts scored: stance %v layers %v indicators %v notes %v", rep.Stance, rep.ByLayer, rep.Indicators, rep.Notes)
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rep); err != nil || !strings.Contains(buf.String(), "recall 0.000") {
		t.Errorf("table: %v\n%s", err, buf.String())
	}
	// Every truth indicator is named as not measured, none silently dropped.
	if !strings.Contains(buf.String(), "not measured (absent or null in results.json)") || !strings.Contains(buf.String(), "onset_latency") {
		t.Errorf("table does not list the unmeasured indicators:\n%s", buf.String())
	}
}

func TestRandomResult(t *testing.T) {
	rep := load(t, "random")
	if rep.ARI > 0.3 || rep.ARIFlagged == nil || *rep.ARIFlagged > 0.3 {
		t.Errorf("random clusters got ARI %g / %v", rep.ARI, rep.ARIFlagged)
	}
	// 15 flagged, 11 planted among them; organic 20-14-1 = 5 of which 4 flagged
	if rep.Flagged != 15 || rep.Accounts.TP != 11 || rep.Accounts.FP != 4 || !near(rep.OrganicFPRate, 4.0/5) {
		t.Errorf("counts %+v flagged %d fp rate %g", rep.Accounts, rep.Flagged, rep.OrganicFPRate)
	}
	if rep.HyperactiveFPRate == nil || !near(*rep.HyperactiveFPRate, 0) {
		t.Errorf("hyperactive fp %v", rep.HyperactiveFPRate)
	}
	if rep.Stance == nil || rep.Stance.Unknown != 1 || rep.Stance.Accuracy > 0.5 {
		t.Errorf("stance %+v", rep.Stance)
	}
	if _, ok := rep.Indicators["onset_latency"]; ok {
		t.Error("null onset scored")
	}
}

func TestMalformedInputs(t *testing.T) {
	_, err := ReadResultDir("testdata/malformed")
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "results.json") {
		t.Errorf("malformed results.json: %v", err)
	}
	_, err = ReadResultDir("testdata/badedges")
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "edges.csv") || !strings.Contains(err.Error(), "target") {
		t.Errorf("bad edges.csv: %v", err)
	}
	_, err = ReadResultDir("testdata/nonexistent")
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "results.json") {
		t.Errorf("missing dir: %v", err)
	}
	_, err = ReadLabels("testdata/perfect/results.json")
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "results.json") {
		t.Errorf("results.json as labels: %v", err)
	}
}

func TestAdjustedRand(t *testing.T) {
	cases := []struct {
		a, b []int
		want float64
	}{
		{[]int{0, 0, 1, 1}, []int{5, 5, 7, 7}, 1},
		{[]int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
		{[]int{1, 2, 3}, []int{1, 2, 3}, 1},
		{[]int{1, 2, 3}, []int{1, 1, 3}, 0},
		// sklearn.metrics.adjusted_rand_score([0,0,0,1,1,1],[0,0,1,1,2,2]) = 0.24242424...
		{[]int{0, 0, 0, 1, 1, 1}, []int{0, 0, 1, 1, 2, 2}, 0.24242424242424243},
	}
	for _, c := range cases {
		if got := adjustedRand(c.a, c.b); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("ARI(%v,%v) = %g, want %g", c.a, c.b, got, c.want)
		}
	}
}

func TestROCAUC(t *testing.T) {
	auc, ok := rocAUC([]float64{0.9, 0.8, 0.3, 0.1}, []bool{true, false, true, false})
	if !ok || !near(auc, 0.75) {
		t.Errorf("auc %g", auc)
	}
	auc, _ = rocAUC([]float64{1, 1, 1, 1}, []bool{true, false, true, false})
	if !near(auc, 0.5) {
		t.Errorf("ties auc %g", auc)
	}
	if _, ok := rocAUC([]float64{1, 2}, []bool{true, true}); ok {
		t.Error("one class gave an AUC")
	}
}

func TestClassScores(t *testing.T) {
	acc, macro := classScores([]string{"a", "a", "b", "c"}, []string{"a", "b", "b", "b"})
	// a: P1 R.5 F.667; b: P1/3 R1 F.5; c: F0 -> macro .3889
	if !near(acc, 0.5) || math.Abs(macro-(2.0/3+0.5)/3) > 1e-9 {
		t.Errorf("acc %g macro %g", acc, macro)
	}
}

// TestSynthRoundTrip scores a perfect and a degraded result built from a
// real generated event.
func TestSynthRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := synth.Defaults()
	p.Posts, p.Seed = 20000, 3
	p.T0 = time.Date(2016, 3, 22, 6, 58, 0, 0, time.UTC)
	lp := filepath.Join(dir, "l.json")
	if _, err := synth.Generate(context.Background(), p, filepath.Join(dir, "p.jsonl"), lp, nil); err != nil {
		t.Fatal(err)
	}
	l, err := ReadLabels(lp)
	if err != nil {
		t.Fatal(err)
	}
	var clusters []Cluster
	for _, g := range l.Groups {
		clusters = append(clusters, Cluster{ID: g.ID, Accounts: g.Members})
	}
	rep := Evaluate(l, &Result{Clusters: clusters})
	if !near(rep.Accounts.F1, 1) || !near(rep.ARI, 1) || len(rep.ByKind) != 6 {
		t.Fatalf("perfect synth result: %+v ARI %g kinds %d", rep.Accounts, rep.ARI, len(rep.ByKind))
	}
	// merge the first two groups and add two hyperactive accounts to the first cluster
	merged := append(append([]string{}, clusters[0].Accounts...), clusters[1].Accounts...)
	merged = append(merged, l.Hyperactive[:2]...)
	degraded := append([]Cluster{{ID: 0, Accounts: merged}}, clusters[2:]...)
	rep = Evaluate(l, &Result{Clusters: degraded})
	if rep.Accounts.FP != 2 || !near(*rep.HyperactiveFPRate, 2/float64(len(l.Hyperactive))) || rep.ARI >= 1 {
		t.Errorf("degraded: %+v hyper %v ARI %g", rep.Accounts, *rep.HyperactiveFPRate, rep.ARI)
	}
	k1 := l.Groups[1].Kind
	if rep.ByKind[k1].Recall != 0 && len(l.Groups[1].Members) < len(l.Groups[0].Members) {
		t.Errorf("kind %s absorbed into a larger group's cluster still has recall %g", k1, rep.ByKind[k1].Recall)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"accounts", "organic_fp_rate", "ari", "by_kind", "indicators"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON report has no %q", k)
		}
	}
}

func seedFuzz(f *testing.F, name string) {
	for _, d := range []string{"perfect", "random", "empty", "malformed", "badedges"} {
		if b, err := os.ReadFile(filepath.Join("testdata", d, name)); err == nil {
			f.Add(b)
		}
	}
}

func FuzzParseResults(f *testing.F) {
	seedFuzz(f, "results.json")
	f.Add([]byte(`{"clusters":[{"id":1,"accounts":[""]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseResults(b)
		if err != nil {
			return
		}
		l, lerr := ReadLabels("testdata/labels.json")
		if lerr != nil {
			t.Fatal(lerr)
		}
		Evaluate(l, r) // must not panic
	})
}

func FuzzParseEdges(f *testing.F) {
	seedFuzz(f, "edges.csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		edges, err := ParseEdges(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, e := range edges {
			if e.Source == "" || e.Target == "" {
				t.Fatalf("edge with empty endpoint: %+v", e)
			}
		}
		l, _ := ReadLabels("testdata/labels.json")
		Evaluate(l, &Result{Edges: edges})
	})
}

func FuzzParseStance(f *testing.F) {
	seedFuzz(f, "stance.csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := ParseStance(bytes.NewReader(b))
		if err != nil {
			return
		}
		l, _ := ReadLabels("testdata/labels.json")
		Evaluate(l, &Result{Stance: rows})
	})
}

func FuzzParseLabels(f *testing.F) {
	if b, err := os.ReadFile("testdata/labels.json"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseLabels(b)
		if err != nil {
			return
		}
		r, _ := ReadResultDir("testdata/random")
		Evaluate(l, r)
	})
}

func BenchmarkEvaluate(b *testing.B) {
	l, err := ReadLabels("testdata/labels.json")
	if err != nil {
		b.Fatal(err)
	}
	r, err := ReadResultDir("testdata/perfect")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(l, r)
	}
}

// TestNullIndicatorsNotMeasured: a measure that results.json writes as null
// (no onset found; a hijacked tag whose opponents never overtake) is listed
// as not measured, never scored as a value.
func TestNullIndicatorsNotMeasured(t *testing.T) {
	l, err := ReadLabels("testdata/labels.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := ReadResultDir(filepath.Join("testdata", "perfect"))
	if err != nil {
		t.Fatal(err)
	}
	r.Indicators["onset_latency"] = json.RawMessage(`{"seconds": null}`)
	r.Indicators["hijacking"] = json.RawMessage(`{"hashtags": [{"hashtag": "#ghazwatparis", "overtake": null}]}`)
	rep := Evaluate(l, r)
	for _, n := range []string{"onset_latency", "hijack_overtake:GhazwatParis"} {
		if _, ok := rep.Indicators[n]; ok {
			t.Errorf("%s scored from a null value: %+v", n, rep.Indicators[n])
		}
		if !slices.Contains(rep.IndicatorsMissing, n) {
			t.Errorf("%s not listed as not measured: %v", n, rep.IndicatorsMissing)
		}
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rep); err != nil || !strings.Contains(buf.String(), "not measured (absent or null in results.json):") {
		t.Errorf("table: %v\n%s", err, buf.String())
	}
}

// TestQuotesFromEventList: a leader quote listed only among the quotes
// that spread in a synchronous burst (quotes.event_clusters) counts as
// found; one in neither list does not.
func TestQuotesFromEventList(t *testing.T) {
	l, err := ReadLabels("testdata/labels.json")
	if err != nil {
		t.Fatal(err)
	}
	var quote string
	for _, g := range l.Groups {
		if g.Kind == synth.KindCopypasta {
			quote = g.Objects.Texts[0]
		}
	}
	if quote == "" {
		t.Fatal("labels have no copypasta quote")
	}
	score := func(quotes string) Indicator {
		r := &Result{Indicators: map[string]json.RawMessage{"quotes": json.RawMessage(quotes)}}
		rep := Evaluate(l, r)
		return rep.Indicators["copypasta_quotes"]
	}
	q, _ := json.Marshal(quote)
	if in := score(`{"clusters":[{"text":"an ordinary reaction message"}],"event_clusters":[{"text":` + string(q) + `}]}`); in.Measured != 1 {
		t.Errorf("quote in event_clusters: %+v", in)
	}
	if in := score(`{"clusters":[{"text":"an ordinary reaction message"}],"event_clusters":[]}`); in.Measured != 0 || in.Truth != 1 {
		t.Errorf("quote in neither list: %+v", in)
	}
}
