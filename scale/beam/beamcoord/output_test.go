package beamcoord

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteIsAtomicLocally: a local output file is replaced whole or not
// at all — a write that fails half-way leaves the previous file and no
// temporary file behind; the output directory is created when missing.
func TestWriteIsAtomicLocally(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	fn := &writeFn{Dir: dir}
	ctx := context.Background()
	if err := fn.write(ctx, "edges.csv", func(w io.Writer) error {
		_, err := io.WriteString(w, "old complete file\n")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("worker lost")
	err := fn.write(ctx, "edges.csv", func(w io.Writer) error {
		io.WriteString(w, "half of the new ")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("failed write returned %v, want the body's error", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "edges.csv"))
	if err != nil || string(b) != "old complete file\n" {
		t.Fatalf("after a failed write the file holds %q (%v), want the old file", b, err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("%d entries in the output directory after a failed write, want only edges.csv", len(ents))
	}
}
