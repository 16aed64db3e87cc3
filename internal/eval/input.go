// Package eval scores an analysis output directory (results.json,
// edges.csv, stance.csv written by `chorus analyze`) against the labels
// written by `chorus synth`. docs/synth.md defines every score.
package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chorus-osint/chorus/internal/results"
	"github.com/chorus-osint/chorus/internal/synth"
)

// Sentinel errors; messages name the file.
var (
	// ErrMalformed: an input file is not what it should be.
	ErrMalformed = errors.New("malformed input")
	// ErrMissing: a required file is absent.
	ErrMissing = errors.New("missing file")
)

// maxInputBytes bounds each JSON file read into memory.
const maxInputBytes = 4 << 30

// ReadLabels loads and checks a synth labels file.
func ReadLabels(path string) (*synth.Labels, error) {
	b, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	l, err := ParseLabels(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// ParseLabels decodes and checks labels JSON.
func ParseLabels(b []byte) (*synth.Labels, error) {
	var l synth.Labels
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("%w: not a chorus synth labels file: %v", ErrMalformed, err)
	}
	switch {
	case l.Version != 1:
		return nil, fmt.Errorf("%w: labels version %d, want 1 (regenerate with this chorus synth)", ErrMalformed, l.Version)
	case l.Accounts <= 0 || l.AccountIDs.Count != l.Accounts:
		return nil, fmt.Errorf("%w: labels have no account range", ErrMalformed)
	case len(l.Stance.Attribution) != len(l.Stance.Orientation):
		return nil, fmt.Errorf("%w: stance strings differ in length", ErrMalformed)
	}
	for id, pa := range l.PlantedAccounts {
		if pa.Kind == "" {
			return nil, fmt.Errorf("%w: planted account %s has no kind", ErrMalformed, id)
		}
	}
	return &l, nil
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrMissing, path)
		}
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInputBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(b) > maxInputBytes {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrMalformed, path, maxInputBytes)
	}
	return b, nil
}

// Result is what eval reads from an analysis output directory.
type Result struct {
	Clusters []Cluster
	// Indicators is results.json's "indicators" object, undecoded.
	Indicators map[string]json.RawMessage
	T0         string
	// Edges is nil when edges.csv is absent.
	Edges []Edge
	// Stance is nil when stance.csv is absent.
	Stance []StanceRow
	Notes  []string
}

// Cluster is one predicted cluster.
type Cluster struct {
	ID       int      `json:"id"`
	Accounts []string `json:"accounts"`
	Layers   []string `json:"layers"`
}

// Edge is one edges.csv row.
type Edge struct {
	Source, Target, Layer string
	Weight, P, Q          float64 // NaN when absent
	// Significant is the `significant` column, or q <= 0.05 without it,
	// or true when neither is given.
	Significant bool
}

// StanceRow is one stance.csv row.
type StanceRow struct {
	PostID, Attribution, Orientation string
}

type resultsFile struct {
	Event struct {
		T0 string `json:"t0"`
	} `json:"event"`
	Clusters   []Cluster                  `json:"clusters"`
	Indicators map[string]json.RawMessage `json:"indicators"`
}

// ReadResultDir reads results.json (required), edges.csv and stance.csv
// (optional) from dir.
func ReadResultDir(dir string) (*Result, error) {
	rp := filepath.Join(dir, "results.json")
	b, err := readBounded(rp)
	if err != nil {
		return nil, err
	}
	res, err := ParseResults(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rp, err)
	}
	if f, err := os.Open(filepath.Join(dir, "edges.csv")); err == nil {
		res.Edges, err = ParseEdges(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "edges.csv"), err)
		}
	} else {
		res.Notes = append(res.Notes, "no edges.csv: edge AUC and per-layer scores skipped")
	}
	if f, err := os.Open(filepath.Join(dir, "stance.csv")); err == nil {
		res.Stance, err = ParseStance(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "stance.csv"), err)
		}
	} else {
		res.Notes = append(res.Notes, "no stance.csv: stance scores skipped")
	}
	return res, nil
}

// ParseResults decodes results.json.
func ParseResults(b []byte) (*Result, error) {
	var rf resultsFile
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(&rf); err != nil {
		return nil, fmt.Errorf("%w: not a chorus results file: %v", ErrMalformed, err)
	}
	for i, c := range rf.Clusters {
		for _, a := range c.Accounts {
			if a == "" {
				return nil, fmt.Errorf("%w: cluster %d (index %d) has an empty account id", ErrMalformed, c.ID, i)
			}
		}
	}
	return &Result{Clusters: rf.Clusters, Indicators: rf.Indicators, T0: rf.Event.T0}, nil
}

func parseFloat(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// ParseEdges reads edges.csv.
func ParseEdges(r io.Reader) ([]Edge, error) {
	tab, err := results.ReadTable(r, "edges.csv", "source", "target", "layer")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	hasSig := tab.Has("significant")
	edges := []Edge{}
	for {
		if err := tab.Next(); err == io.EOF {
			return edges, nil
		} else if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		e := Edge{
			Source: tab.Text("source"), Target: tab.Text("target"), Layer: tab.Raw("layer"),
			Weight: parseFloat(tab.Raw("weight")), P: parseFloat(tab.Raw("p")), Q: parseFloat(tab.Raw("q")),
		}
		if e.Source == "" || e.Target == "" {
			return nil, fmt.Errorf("%w: edges.csv line %d: empty source or target", ErrMalformed, tab.Line())
		}
		switch {
		case hasSig:
			s := strings.TrimSpace(tab.Raw("significant"))
			e.Significant = s == "1" || strings.EqualFold(s, "true")
		case !math.IsNaN(e.Q):
			e.Significant = e.Q <= 0.05
		default:
			e.Significant = true
		}
		edges = append(edges, e)
	}
}

// ParseStance reads stance.csv.
func ParseStance(r io.Reader) ([]StanceRow, error) {
	tab, err := results.ReadTable(r, "stance.csv", "post_id", "attribution", "orientation")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	rows := []StanceRow{}
	for {
		if err := tab.Next(); err == io.EOF {
			return rows, nil
		} else if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		get := func(k string) string { return strings.TrimSpace(tab.Raw(k)) }
		rows = append(rows, StanceRow{PostID: results.UnCSVText(get("post_id")), Attribution: strings.ToLower(get("attribution")), Orientation: strings.ToLower(get("orientation"))})
	}
}
