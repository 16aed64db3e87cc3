package beamcoord_test

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/synth"
)

// chorusBinary builds the chorus command of the main module (the Beam
// module does not link its CLI; the build cache makes this quick after
// .ci/beam built it).
func chorusBinary(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "chorus")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/chorus")
	cmd.Dir = filepath.Join("..", "..", "..")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build chorus: %v\n%s", err, b)
	}
	return out
}

// TestCorroboratedEvidenceFromEdges: with the group and membership tests
// on (the defaults of `chorus analyze`), Beam keeps the evidence of every
// tie they may corroborate (own P <= pipeline.CorroborationP), so that
// `chorus analyze --from-edges` on Beam's output corroborates the ties the
// local `chorus analyze` corroborates and writes the same evidence.csv:
// the posts behind every corroborated tie included (before, Beam wrote
// the evidence of pair-significant edges only and those ties had none).
// The event: synth with three coordinated actions per group, whose
// hashtag group has weight-3 ties that the pair test passes only in part.
func TestCorroboratedEvidenceFromEdges(t *testing.T) {
	dir := t.TempDir()
	p := synth.Defaults()
	p.Posts, p.Seed, p.Actions, p.Workers = 60000, 2, 3, 1
	posts := filepath.Join(dir, "posts.jsonl")
	if _, err := synth.Generate(context.Background(), p, posts, filepath.Join(dir, "labels.json"), nil); err != nil {
		t.Fatal(err)
	}
	const layers = "hashtag"
	def := config.Default()
	cfg := testConfig(layers, def.Coord.Windows[0], def.Coord.Permutations)
	cfg.Coord.GroupResamples, cfg.Coord.MemberP = def.Coord.GroupResamples, def.Coord.MemberP

	bin := chorusBinary(t)
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("chorus %s: %v\n%s", strings.Join(args, " "), err, b)
		}
	}
	local := filepath.Join(dir, "local")
	run("analyze", "--quiet", "--no-library", "--event", "w", "--t0", p.T0.Format(time.RFC3339), "--layers", layers,
		"--workers", "2", "--stance-model", "none", "--out", local, posts)
	br := runBeam(t, cfg, []string{posts}, 0, 0)
	fromBeam := filepath.Join(dir, "from-beam")
	run("analyze", "--quiet", "--from-edges", br.dir, "--event", "w", "--out", fromBeam)

	corroborated := func(d string) []string {
		f, err := os.Open(filepath.Join(d, "edges.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range recs[1:] {
			if c := r[slices.Index(recs[0], "corroboration")]; c != "" && r[slices.Index(recs[0], "significant")] != "1" {
				out = append(out, r[0]+" "+r[1]+" "+r[2]+" "+c)
			}
		}
		slices.Sort(out)
		return out
	}
	want, got := corroborated(local), corroborated(fromBeam)
	if len(want) == 0 {
		t.Fatal("fixture: the local run corroborates no tie; the test needs some")
	}
	if !slices.Equal(want, got) {
		t.Errorf("corroborated ties differ:\nlocal      %v\nfrom Beam  %v", want, got)
	}
	// Every corroborated tie has its evidence, and the files are equal.
	ev := sortedLines(t, filepath.Join(fromBeam, "evidence.csv"))
	for _, c := range got {
		f := strings.Fields(c)
		if !slices.ContainsFunc(ev, func(l string) bool { return strings.HasPrefix(l, f[2]+","+f[0]+","+f[1]+",") }) {
			t.Errorf("corroborated tie %s has no evidence row", c)
		}
	}
	if w := sortedLines(t, filepath.Join(local, "evidence.csv")); !slices.Equal(w, ev) {
		t.Errorf("evidence.csv differs: %d rows locally, %d from Beam's edges", len(w), len(ev))
	}
	t.Logf("%d corroborated ties, %d evidence rows: identical", len(got), len(ev)-1)
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
