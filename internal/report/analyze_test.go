package report

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/export"
	"github.com/chorus-osint/chorus/internal/indicators"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/results"
)

// samplePath is the bundled sample (Fifth Tribe, Brussels 2016).
const samplePath = "../../sample/fifthtribe-2016-01-04.csv.gz"

// analyzeTo runs the real pipeline on files and writes a result directory
// into dir, as `chorus analyze` does. When the pipeline does not fill
// results.json's indicators itself, they are computed here with the
// indicators package and written in, so the report sees what a full
// analysis gives. It returns the corpus for coverage.
func analyzeTo(tb testing.TB, dir string, set map[string]string, files ...string) *corpus.Corpus {
	tb.Helper()
	cfg := config.Default()
	for _, p := range cfg.Params() {
		if v, ok := set[p.Name]; ok {
			if err := p.Set(v); err != nil {
				tb.Fatalf("set %s: %v", p.Name, err)
			}
		}
	}
	cfg.Output.Dir = dir
	cfg.Output.Quiet = true
	a, err := pipeline.Analyze(context.Background(), cfg, files, pipeline.Library{}, nil, nil)
	if err != nil {
		tb.Fatalf("analyze: %v", err)
	}
	started := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := export.WriteAll(dir, a, append([]string{"chorus", "analyze"}, files...), started, 0); err != nil {
		tb.Fatalf("export: %v", err)
	}
	res, err := results.ReadResults(filepath.Join(dir, "results.json"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(res.Indicators) == 0 {
		in := indicators.Input{Corpus: a.Corpus, Coord: a.Coord, NearDup: a.NearDup, Event: indicators.Event{T0: a.Event.T0}}
		if a.Event.TClaim != nil {
			in.Event.TClaim = *a.Event.TClaim
		}
		for _, c := range a.Network.Clusters {
			in.Clusters = append(in.Clusters, indicators.Cluster{ID: c.ID, Accounts: c.Accounts})
		}
		ir, err := indicators.Compute(context.Background(), in, indicators.ParamsFromConfig(&cfg))
		if err != nil {
			tb.Fatalf("indicators: %v", err)
		}
		res.Indicators = ir.Map()
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "results.json"), b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return a.Corpus
}

// sampleOnce analyses the bundled sample once per test binary; tests get
// a copy of the result directory (sampleCopy) since they render into it.
var sampleOnce struct {
	sync.Once
	dir string
	c   *corpus.Corpus
	err error
}

// TestMain removes the shared sample directory after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if sampleOnce.dir != "" {
		os.RemoveAll(sampleOnce.dir)
	}
	os.Exit(code)
}

// sampleCopy returns a fresh copy of the sample's result directory and
// the analysed corpus.
func sampleCopy(tb testing.TB) (string, *corpus.Corpus) {
	tb.Helper()
	sampleOnce.Do(func() {
		d, err := os.MkdirTemp("", "chorus-report-sample-")
		if err != nil {
			sampleOnce.err = err
			return
		}
		sampleOnce.dir = d
		sampleOnce.c = analyzeTo(tb, d, sampleSettings, samplePath)
	})
	if sampleOnce.err != nil {
		tb.Fatal(sampleOnce.err)
	}
	dst := tb.TempDir()
	ents, err := os.ReadDir(sampleOnce.dir)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(sampleOnce.dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dst, sampleOnce.c
}

// sampleSettings analyse the bundled sample around the Brussels attacks.
var sampleSettings = map[string]string{"event": "brussels-2016", "t0": "2016-03-22T06:58:00Z", "place": "Brussels", "workers": "2"}
