package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/results"
)

// EvidenceRow is one co-action behind a significant edge, as evidence.csv
// holds it.
type EvidenceRow struct {
	Layer  string    `json:"layer"`
	Source string    `json:"source"`
	Target string    `json:"target"`
	Object string    `json:"object"`
	PostA  string    `json:"post_a"`
	TimeA  time.Time `json:"time_a"`
	PostB  string    `json:"post_b"`
	TimeB  time.Time `json:"time_b"`
	DtS    float64   `json:"dt_s"`
	FileA  string    `json:"file_a"`
	LineA  int64     `json:"line_a"`
	FileB  string    `json:"file_b"`
	LineB  int64     `json:"line_b"`
	TextA  string    `json:"text_a"`
	TextB  string    `json:"text_b"`
}

// evidenceKey groups evidence by cluster (-1: the two accounts are not
// in one cluster) and layer.
type evidenceKey struct {
	cluster int
	layer   string
}

// evidenceGroup holds the sampled rows of one group: the earliest at or
// after T0 and, to fill up, the latest before it.
type evidenceGroup struct {
	key    evidenceKey
	total  int
	after  []EvidenceRow // earliest first, at most k
	before []EvidenceRow // latest first, at most k
}

func (g *evidenceGroup) add(r EvidenceRow, t0 time.Time, k int) {
	g.total++
	t := r.TimeA
	if r.TimeB.Before(t) {
		t = r.TimeB
	}
	if !t.Before(t0) {
		g.after = insertBounded(g.after, r, k, func(a, b EvidenceRow) bool { return earliest(a).Before(earliest(b)) })
	} else {
		g.before = insertBounded(g.before, r, k, func(a, b EvidenceRow) bool { return earliest(a).After(earliest(b)) })
	}
}

func earliest(r EvidenceRow) time.Time {
	if r.TimeB.Before(r.TimeA) {
		return r.TimeB
	}
	return r.TimeA
}

// insertBounded inserts r into s (ordered by less) keeping at most k.
func insertBounded(s []EvidenceRow, r EvidenceRow, k int, less func(a, b EvidenceRow) bool) []EvidenceRow {
	if len(s) == k && !less(r, s[k-1]) {
		return s
	}
	i := len(s)
	for i > 0 && less(r, s[i-1]) {
		i--
	}
	s = slices.Insert(s, i, r)
	if len(s) > k {
		s = s[:k]
	}
	return s
}

// rows returns the group's sample: after-T0 rows first.
func (g *evidenceGroup) rows(k int) []EvidenceRow {
	out := slices.Clone(g.after)
	for _, r := range g.before {
		if len(out) >= k {
			break
		}
		out = append(out, r)
	}
	return out
}

// evidenceSample is the sampled evidence.csv.
type evidenceSample struct {
	groups  map[evidenceKey]*evidenceGroup
	total   int
	missing bool // no evidence.csv in the directory
	// malformed counts rows that could not be read.
	malformed int
}

// evidenceCols are evidence.csv's columns, as export writes them.
var evidenceCols = []string{"layer", "source", "target", "object", "post_a", "time_a", "post_b", "time_b", "dt_s", "file_a", "line_a", "file_b", "line_b", "text_a", "text_b"}

// sampleEvidence streams dir/evidence.csv and keeps at most k rows per
// (cluster, layer). clusterOf maps an account id (as written in the CSV)
// to its cluster. Memory is O(groups·k), whatever the file's size.
func sampleEvidence(dir string, clusterOf map[string]int, t0 time.Time, k int) (*evidenceSample, error) {
	s := &evidenceSample{groups: map[evidenceKey]*evidenceGroup{}}
	f, err := os.Open(filepath.Join(dir, "evidence.csv"))
	if errors.Is(err, fs.ErrNotExist) {
		s.missing = true
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tab, err := results.ReadTable(f, "evidence.csv", evidenceCols...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrResultDir, err)
	}
	get, text := tab.Raw, tab.Text
	for {
		err := tab.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				s.malformed++
				continue
			}
			return nil, fmt.Errorf("read evidence.csv: %w", err)
		}
		s.total++
		src, dst := text("source"), text("target")
		ca, oka := clusterOf[src]
		cb, okb := clusterOf[dst]
		cl := -1
		if oka && okb && ca == cb {
			cl = ca
		}
		key := evidenceKey{cl, get("layer")}
		g := s.groups[key]
		if g == nil {
			g = &evidenceGroup{key: key}
			s.groups[key] = g
		}
		ta, erra := time.Parse(time.RFC3339, get("time_a"))
		tb, errb := time.Parse(time.RFC3339, get("time_b"))
		if erra != nil || errb != nil {
			s.malformed++
			g.total++
			continue
		}
		// Cheap pre-check: skip building the row when it cannot enter.
		if !g.wants(ta, tb, t0, k) {
			g.total++
			continue
		}
		dt, _ := strconv.ParseFloat(get("dt_s"), 64)
		la, _ := strconv.ParseInt(get("line_a"), 10, 64)
		lb, _ := strconv.ParseInt(get("line_b"), 10, 64)
		g.add(EvidenceRow{
			Layer: key.layer, Source: src, Target: dst, Object: text("object"),
			PostA: text("post_a"), TimeA: ta.UTC(), PostB: text("post_b"), TimeB: tb.UTC(), DtS: dt,
			FileA: text("file_a"), LineA: la, FileB: text("file_b"), LineB: lb,
			TextA: text("text_a"), TextB: text("text_b"),
		}, t0, k)
	}
	return s, nil
}

// wants reports whether a row with these times would enter the sample.
func (g *evidenceGroup) wants(ta, tb, t0 time.Time, k int) bool {
	t := ta
	if tb.Before(t) {
		t = tb
	}
	if !t.Before(t0) {
		return len(g.after) < k || t.Before(earliest(g.after[len(g.after)-1]))
	}
	return len(g.before) < k || t.After(earliest(g.before[len(g.before)-1]))
}

// sortedGroups returns the groups by cluster (unclustered last), then
// layer.
func (s *evidenceSample) sortedGroups() []*evidenceGroup {
	out := make([]*evidenceGroup, 0, len(s.groups))
	for _, g := range s.groups {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *evidenceGroup) int {
		ca, cb := a.key.cluster, b.key.cluster
		if ca < 0 {
			ca = int(^uint(0) >> 1)
		}
		if cb < 0 {
			cb = int(^uint(0) >> 1)
		}
		if ca != cb {
			return ca - cb
		}
		return strings.Compare(a.key.layer, b.key.layer)
	})
	return out
}
