// Package report renders the evidence report of an analysis: report.html
// (self-contained, offline, no script), report.md and report.json, all
// from a result directory written by `chorus analyze`. docs/report.md
// describes every section; docs/rubric.md the grading.
//
// Post text, handles, hashtags and URLs are written by adversaries: the
// HTML goes through html/template contextual escaping only (no
// template.HTML built from data), every piece of user text is bidi
// isolated, links to external URLs are plain text, and a Content Security
// Policy forbids scripts and every network fetch.
package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/results"
	"github.com/chorus-osint/chorus/internal/safefile"
)

// Sentinel errors.
var (
	// ErrResultDir: the directory is not a complete chorus result
	// directory (no results.json, or a file that does not parse).
	ErrResultDir = errors.New("not a chorus result directory")
)

// Files are the files Render writes, in order.
var Files = []string{"report.json", "report.md", "report.html"}

// Options are the report's options.
type Options struct {
	// Pseudonymize replaces account ids and handles (also @mentions and
	// profile URLs inside texts) by stable keyed pseudonyms in all three
	// files.
	Pseudonymize bool
	// PseudonymKey keys the pseudonyms; empty means a random key per
	// report that is never written (pseudonyms then differ between
	// reports).
	PseudonymKey []byte
	// RedactText replaces post texts (and text-layer object labels) by
	// "[redacted: N characters]", keeping ids and times.
	RedactText bool
	// Corpus, when set, is the analysed corpus: the data-coverage facts
	// are measured on it and written to coverage.json. Without it they are
	// read from coverage.json when present.
	Corpus *corpus.Corpus
	// EvidencePerGroup is the number of example co-actions shown per
	// cluster and layer (default 3).
	EvidencePerGroup int
	// MaxNodes bounds the network picture (default 300 accounts).
	MaxNodes int
	// Log receives warnings; nil discards them.
	Log *slog.Logger
}

func (o *Options) defaults() {
	if o.EvidencePerGroup <= 0 {
		o.EvidencePerGroup = 3
	}
	if o.MaxNodes <= 0 {
		o.MaxNodes = 300
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
}

// Render reads the result directory dir and writes report.json,
// report.md and report.html into it, each atomically.
func Render(dir string, opts Options) error {
	opts.defaults()
	if opts.Corpus != nil {
		if err := WriteCoverage(dir, ComputeCoverage(opts.Corpus)); err != nil {
			return err
		}
	}
	src, err := load(dir, &opts)
	if err != nil {
		return err
	}
	rep, view, err := build(src, &opts)
	if err != nil {
		return err
	}
	if err := safefile.Write(filepath.Join(dir, "report.json"), func(w io.Writer) error { return writeJSON(w, rep) }); err != nil {
		return err
	}
	if err := safefile.Write(filepath.Join(dir, "report.md"), func(w io.Writer) error { return writeMarkdown(w, rep, view) }); err != nil {
		return err
	}
	return safefile.Write(filepath.Join(dir, "report.html"), func(w io.Writer) error { return writeHTML(w, rep, view) })
}

func writeJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(true)
	return enc.Encode(rep)
}

// source is everything read from a result directory.
type source struct {
	dir string
	res *results.Results
	// raw holds results.json's indicators undecoded.
	raw map[string]json.RawMessage
	ind indicatorSet
	run *results.Run // nil when run.json is missing
	cov *Coverage    // nil when coverage.json is missing
	ev  *evidenceSample
	net *netSample
}

func load(dir string, opts *Options) (*source, error) {
	s := &source{dir: dir}
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s has no results.json (run `chorus analyze --out %s` first)", ErrResultDir, dir, dir)
	}
	if err != nil {
		return nil, err
	}
	var res results.Results
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, fmt.Errorf("%w: results.json: %v", ErrResultDir, err)
	}
	var raw struct {
		Indicators map[string]json.RawMessage `json:"indicators"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%w: results.json: %v", ErrResultDir, err)
	}
	s.res, s.raw = &res, raw.Indicators
	s.ind = decodeIndicators(raw.Indicators)

	if b, err := os.ReadFile(filepath.Join(dir, "run.json")); err == nil {
		var run results.Run
		if err := json.Unmarshal(b, &run); err != nil {
			return nil, fmt.Errorf("%w: run.json: %v", ErrResultDir, err)
		}
		s.run = &run
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	} else {
		opts.Log.Warn("result directory has no run.json: methods section incomplete", "dir", dir)
	}
	if s.cov, err = readCoverage(dir); err != nil {
		return nil, err
	}
	clusterOf := make(map[string]int, len(res.Accounts))
	for _, a := range res.Accounts {
		if a.Cluster != nil {
			clusterOf[a.ID] = *a.Cluster
		}
	}
	if s.ev, err = sampleEvidence(dir, clusterOf, res.Event.T0, opts.EvidencePerGroup); err != nil {
		return nil, err
	}
	if s.net, err = sampleNetwork(dir, &res, opts.MaxNodes); err != nil {
		return nil, err
	}
	return s, nil
}
