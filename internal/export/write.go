package export

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/safefile"
)

// Files lists what WriteAll writes, in order.
var Files = []string{"results.json", "nodes.csv", "edges.csv", "clusters.csv", "evidence.csv", "network.graphml", "network.gexf", "run.json"}

// WriteAll writes every output of a into dir (created if needed). run.json
// is written last, so its presence marks a complete output directory.
func WriteAll(dir string, a *pipeline.Analysis, command []string, started time.Time, peakRSSMB float64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output dir: %w", err)
	}
	// A stale run.json would mark a half-rewritten directory complete.
	if err := os.Remove(filepath.Join(dir, "run.json")); err != nil && !os.IsNotExist(err) {
		return err
	}
	// Temporary files of an interrupted earlier run.
	if stale, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(stale) > 0 {
		for _, f := range stale {
			os.Remove(f)
		}
	}
	res := BuildResults(a)
	if err := writeJSON(filepath.Join(dir, "results.json"), res); err != nil {
		return err
	}
	top := a.Config.Cluster.Top
	writers := []struct {
		name string
		fn   func(io.Writer) error
	}{
		{"nodes.csv", func(w io.Writer) error { return writeNodes(w, a) }},
		{"edges.csv", func(w io.Writer) error { return writeEdges(w, a) }},
		{"clusters.csv", func(w io.Writer) error { return writeClusters(w, a) }},
		{"evidence.csv", func(w io.Writer) error { return writeEvidence(w, a) }},
		{"network.graphml", func(w io.Writer) error { return writeGraphML(w, a, top) }},
		{"network.gexf", func(w io.Writer) error { return writeGEXF(w, a, top) }},
	}
	if a.Stance != nil {
		writers = append(writers, struct {
			name string
			fn   func(io.Writer) error
		}{"stance.csv", func(w io.Writer) error { return writeStance(w, a) }})
	}
	for _, wr := range writers {
		if err := safefile.Write(filepath.Join(dir, wr.name), wr.fn); err != nil {
			return err
		}
	}
	return writeJSON(filepath.Join(dir, "run.json"), BuildRun(a, command, started, peakRSSMB))
}

func writeJSON(path string, v any) error {
	return safefile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(true)
		return enc.Encode(v)
	})
}
