package cli

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestAnalyzeMemProfile: --memprofile leaves a whole pprof heap profile
// (gzip-compressed protobuf) taken during the run, and --cpuprofile a CPU
// profile, on the bundled sample.
func TestAnalyzeMemProfile(t *testing.T) {
	dir := t.TempDir()
	mem, cpu := filepath.Join(dir, "heap.pprof"), filepath.Join(dir, "cpu.pprof")
	runCLI(t, "analyze", "--quiet", "--no-library", "--event", "sample", "--t0", "2016-03-22T06:58:00Z",
		"--memprofile", mem, "--cpuprofile", cpu, "--out", filepath.Join(dir, "out"), "../../sample/fifthtribe-2016-01-04.csv.gz")
	for _, p := range []string{mem, cpu} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("profile not written: %v", err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s is not a gzip pprof profile: %v", filepath.Base(p), err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil || len(raw) < 64 {
			t.Fatalf("%s: truncated profile (%d bytes, %v)", filepath.Base(p), len(raw), err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".heap-*.tmp"))
	if len(left) != 0 {
		t.Errorf("temporary profile files left behind: %v", left)
	}
}
