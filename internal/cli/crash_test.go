package cli

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the crash test re-run this binary as `chorus`.
// It also points the event library at a temporary file so that tests
// never write a chorus.db into the source tree.
func TestMain(m *testing.M) {
	if args := os.Getenv("CHORUS_TEST_EXEC"); args != "" {
		os.Exit(Run(context.Background(), strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
	}
	if os.Getenv("CHORUS_DB") == "" {
		dir, err := os.MkdirTemp("", "chorus-cli-test-")
		if err != nil {
			panic(err)
		}
		os.Setenv("CHORUS_DB", filepath.Join(dir, "chorus.db"))
		code := m.Run()
		os.RemoveAll(dir)
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestAnalyzeKilledAtRandomPoints kills `chorus analyze` with SIGKILL at
// random moments while it overwrites a complete output directory, many
// times, and checks that no file is ever partial and that run.json (written
// last, removed first) only exists when every file belongs to one complete
// run: the old one or the new one.
func TestAnalyzeKilledAtRandomPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test")
	}
	dir := t.TempDir()
	posts, labels := filepath.Join(dir, "p.jsonl.gz"), filepath.Join(dir, "l.json")
	runCLI(t, "synth", "--posts", "20000", "--seed", "9", "--t0", synthTestT0, "--out", posts, "--labels", labels)
	args := func(seed, out string) []string {
		return []string{"analyze", "--quiet", "--event", "crash", "--t0", synthTestT0, "--seed", seed, "--out", out, posts}
	}
	// Reference outputs of the two runs that will race.
	refOld, refNew := filepath.Join(dir, "ref-old"), filepath.Join(dir, "ref-new")
	runCLI(t, args("1", refOld)...)
	runCLI(t, args("2", refNew)...)
	files := []string{"results.json", "nodes.csv", "edges.csv", "clusters.csv", "evidence.csv", "network.graphml", "network.gexf", "stance.csv"}
	read := func(d, f string) []byte { b, _ := os.ReadFile(filepath.Join(d, f)); return b }
	if bytes.Equal(read(refOld, "results.json"), read(refNew, "results.json")) {
		t.Fatal("the two seeds give identical results; the test could not tell them apart")
	}
	// How long a full run takes, to spread the kills over it.
	start := time.Now()
	runCLI(t, args("2", filepath.Join(dir, "timing"))...)
	full := time.Since(start)

	rng := rand.New(rand.NewPCG(42, 42))
	rounds := 25
	for r := 0; r < rounds; r++ {
		out := filepath.Join(dir, fmt.Sprintf("out%d", r))
		if err := os.CopyFS(out, os.DirFS(refOld)); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "CHORUS_TEST_EXEC="+strings.Join(args("2", out), "\x1f"))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(full) + 1)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		// No partial file: each present file equals the old or the new one.
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				continue // removed or not yet written is allowed without run.json
			}
			if !bytes.Equal(b, read(refOld, f)) && !bytes.Equal(b, read(refNew, f)) {
				t.Fatalf("round %d: %s is neither the old nor the new complete file (%d bytes)", r, f, len(b))
			}
		}
		// run.json marks a complete directory of one run.
		if _, err := os.Stat(filepath.Join(out, "run.json")); err == nil {
			ref := refOld
			if bytes.Equal(read(out, "results.json"), read(refNew, "results.json")) {
				ref = refNew
			}
			for _, f := range files {
				if !bytes.Equal(read(out, f), read(ref, f)) {
					t.Fatalf("round %d: run.json present but %s is not from the same run", r, f)
				}
			}
		}
		// Rerunning after the kill restarts cleanly: complete output, no
		// temporary files left behind.
		if r%5 == 0 {
			runCLI(t, args("2", out)...)
			ents, _ := os.ReadDir(out)
			for _, e := range ents {
				if strings.Contains(e.Name(), ".tmp-") {
					t.Errorf("round %d: temporary file %s left after a clean rerun", r, e.Name())
				}
			}
			for _, f := range append(files, "run.json") {
				if f != "run.json" && !bytes.Equal(read(out, f), read(refNew, f)) {
					t.Errorf("round %d: %s differs after the rerun", r, f)
				}
			}
		}
	}
}
