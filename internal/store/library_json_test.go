package store

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/store/eventlib"
)

// TestLibraryExportImport moves a library between two databases through
// the file format and compares every event.
func TestLibraryExportImport(t *testing.T) {
	ctx := context.Background()
	src := openTest(t)
	for i := range 25 {
		if err := src.PutEvent(ctx, genEvent(i, i%2)); err != nil {
			t.Fatal(err)
		}
	}
	want, err := src.ListEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := eventlib.NewLibrary(want, "test", time.Unix(0, 0)).Encode(&buf); err != nil {
		t.Fatal(err)
	}
	lib, err := eventlib.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := Open(ctx, filepath.Join(t.TempDir(), "other.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if added, replaced, err := dst.ImportEvents(ctx, lib.Events, false); err != nil || added != 25 || replaced != 0 {
		t.Fatalf("import: %d %d %v", added, replaced, err)
	}
	got, err := dst.ListEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d", len(got), len(want))
	}
	for i := range got {
		if !sameEvent(got[i], want[i]) {
			t.Fatalf("event %d:\n got  %+v\n want %+v", i, got[i], want[i])
		}
	}
}
