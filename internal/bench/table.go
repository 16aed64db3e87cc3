package bench

import (
	"fmt"
	"io"
	"runtime"
	"slices"
)

func numCPU() int { return runtime.NumCPU() }

// phaseOrder lists analyze's phases in pipeline order for the table.
var phaseOrder = []string{"ingest", "near-dup", "co-action+significance", "clusters", "indicators", "window sweep"}

// WriteMarkdown renders the report as Markdown tables.
func WriteMarkdown(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "Measured %s on %s (`chorus bench`).\n\n", r.Started.Format("2006-01-02"), r.Machine)
	fmt.Fprintln(w, "| posts | wall s | CPU s | peak RSS MB | RSS bytes/post | posts/s | clusters | significant edges |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, row := range r.Rows {
		fmt.Fprintf(w, "| %s | %.1f | %.1f | %.0f | %.0f | %.0f | %d | %d |\n", human(row.Posts), row.WallSeconds, row.CPUSeconds, row.PeakRSSMB, row.BytesPerPost, row.PostsPerSec, row.Clusters, row.Significant)
	}
	fmt.Fprintln(w, "\nPer phase (wall seconds):")
	fmt.Fprintln(w)
	var names []string
	for _, row := range r.Rows {
		for k := range row.Phases {
			if !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
	}
	slices.SortFunc(names, func(a, b string) int { return rank(a) - rank(b) })
	fmt.Fprint(w, "| posts |")
	for _, n := range names {
		fmt.Fprintf(w, " %s |", n)
	}
	fmt.Fprint(w, "\n|---:|")
	for range names {
		fmt.Fprint(w, "---:|")
	}
	fmt.Fprintln(w)
	for _, row := range r.Rows {
		fmt.Fprintf(w, "| %s |", human(row.Posts))
		for _, n := range names {
			fmt.Fprintf(w, " %.2f |", row.Phases[n])
		}
		fmt.Fprintln(w)
	}
	writePeers(w, r)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\n- %s", n)
	}
	fmt.Fprintln(w)
	return nil
}

func rank(phase string) int {
	if i := slices.Index(phaseOrder, phase); i >= 0 {
		return i
	}
	return len(phaseOrder)
}

func human(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
