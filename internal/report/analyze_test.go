package report

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
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

// sampleSettings analyse the bundled sample around the Brussels attacks.
var sampleSettings = map[string]string{"event": "brussels-2016", "t0": "2016-03-22T06:58:00Z", "place": "Brussels", "workers": "2"}
