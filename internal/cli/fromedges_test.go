package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chorus-osint/chorus/internal/results"
)

// TestAnalyzeFromEdges clusters the edges of a full analysis again with
// --from-edges and expects the same network: the same significant edges,
// the same clusters (as sets of accounts), the same edge and evidence rows.
func TestAnalyzeFromEdges(t *testing.T) {
	dir := t.TempDir()
	posts, labels, full, again := filepath.Join(dir, "p.jsonl.gz"), filepath.Join(dir, "l.json"), filepath.Join(dir, "full"), filepath.Join(dir, "again")
	runCLI(t, "synth", "--posts", "15000", "--seed", "5", "--t0", synthTestT0, "--out", posts, "--labels", labels)
	runCLI(t, "analyze", "--quiet", "--no-library", "--event", "synth", "--t0", synthTestT0, "--layers", "repost,hashtag,url,text", "--stance-model", "none", "--out", full, posts)
	runCLI(t, "analyze", "--quiet", "--from-edges", full, "--event", "synth", "--t0", synthTestT0, "--out", again)
	for _, f := range []string{"results.json", "nodes.csv", "clusters.csv", "network.graphml", "run.json", "report.html", "report.md"} {
		if _, err := os.Stat(filepath.Join(again, f)); err != nil {
			t.Errorf("--from-edges did not write %s", f)
		}
	}
	want, err := results.ReadResults(filepath.Join(full, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := results.ReadResults(filepath.Join(again, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Clusters) < 3 {
		t.Fatalf("the synth event gave %d clusters: too few to test", len(want.Clusters))
	}
	if got.Edges != want.Edges {
		t.Errorf("significant network edges: %d from edges, %d in the full run", got.Edges, want.Edges)
	}
	if !slices.Equal(clusterSets(got), clusterSets(want)) {
		t.Errorf("clusters differ:\nfull run   %v\nfrom edges %v", clusterSets(want), clusterSets(got))
	}
	if !slices.Equal(got.Layers, want.Layers) {
		t.Errorf("layer summaries differ:\n%+v\n%+v", want.Layers, got.Layers)
	}
	for _, f := range []string{"edges.csv", "evidence.csv"} {
		if w, g := sortedLines(t, filepath.Join(full, f)), sortedLines(t, filepath.Join(again, f)); !slices.Equal(w, g) {
			t.Errorf("%s differs: %d rows in the full run, %d from edges", f, len(w), len(g))
		}
	}
	t.Logf("%d significant edges, %d clusters: identical", want.Edges, len(want.Clusters))
	checkFromEdgesLineNumbers(t, full)
	if len(got.Warnings) == 0 || !strings.Contains(got.Warnings[len(got.Warnings)-1], "--from-edges") {
		t.Errorf("results.json does not say the posts were not read: %v", got.Warnings)
	}
}

// checkFromEdgesLineNumbers copies the result directory full, gives the
// first evidence row a two-line text and the third a broken time, and
// expects --from-edges to name the third row's physical line (5: header,
// two lines of row 1, row 2), not its row number.
func checkFromEdgesLineNumbers(t *testing.T, full string) {
	t.Helper()
	bad := t.TempDir()
	for _, f := range []string{"edges.csv", "results.json", "run.json"} {
		b, err := os.ReadFile(filepath.Join(full, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bad, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(filepath.Join(full, "evidence.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) < 4 {
		t.Fatalf("evidence.csv: %d rows, %v", len(rows), err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	rows[1][col["text_a"]] = "first line\nsecond line"
	rows[3][col["time_a"]] = "not a time"
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	if err := os.WriteFile(filepath.Join(bad, "evidence.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	code := RunIO(t.Context(), []string{"analyze", "--quiet", "--from-edges", bad, "--event", "synth", "--out", t.TempDir()}, strings.NewReader(""), &out, &errb)
	if code != exitError || !strings.Contains(errb.String(), "evidence.csv line 5: time_a") {
		t.Errorf("broken evidence row 3 after a two-line text: exit %d, %q (want the error at line 5)", code, errb.String())
	}
}

func TestAnalyzeFromEdgesBadDir(t *testing.T) {
	var out, errb strings.Builder
	code := RunIO(t.Context(), []string{"analyze", "--from-edges", t.TempDir(), "--out", t.TempDir()}, strings.NewReader(""), &out, &errb)
	if code != exitError || !strings.Contains(errb.String(), "not an edges directory") {
		t.Errorf("exit %d, %q", code, errb.String())
	}
}

func clusterSets(r *results.Results) []string {
	var out []string
	for _, c := range r.Clusters {
		acc := slices.Clone(c.Accounts)
		slices.Sort(acc)
		out = append(out, strings.Join(acc, ","))
	}
	slices.Sort(out)
	return out
}

func sortedLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	slices.Sort(lines)
	return lines
}
