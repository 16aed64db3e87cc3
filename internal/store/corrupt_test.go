package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// buildLibrary writes n events and closes the store, so that the WAL is
// checkpointed into the main file.
func buildLibrary(t *testing.T, path string, n int) int64 {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	evs := make([]Event, n)
	for i := range evs {
		evs[i] = genEvent(i, 0)
	}
	if _, _, err := s.ImportEvents(ctx, evs, false); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatalf("WAL still present after Close: the corruption would not hit the main file")
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func assertCorrupt(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open: err = %v, want ErrCorrupt", err)
	}
	msg := err.Error()
	for _, want := range []string{"restore", "from a backup", "chorus events export --salvage", ".recover"} {
		if !strings.Contains(msg, want) {
			t.Errorf("corruption message lacks %q: %s", want, msg)
		}
	}
}

// TestOpenDetectsCorruptPages overwrites pages in the middle of a
// database file with random bytes; Open must refuse it with the recovery
// path, and OpenSalvage must still open it.
func TestOpenDetectsCorruptPages(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	trials, events := 4, 250
	if testing.Short() || raceEnabled {
		trials = 1
	}
	recovered := 0
	for trial := range trials {
		path := filepath.Join(t.TempDir(), "lib.db")
		size := buildLibrary(t, path, events)
		const page = 4096
		pages := size / page
		if pages < 20 {
			t.Fatalf("database only %d pages; corruption test needs a real file", pages)
		}
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		// Three whole pages around the middle, never page 1 (header,
		// covered by the next test).
		for k := range 3 {
			junk := make([]byte, page)
			for i := range junk {
				junk[i] = byte(rng.UintN(256))
			}
			off := (pages/2 + int64(k*int(1+rng.UintN(3))) + int64(trial)) * page
			if _, err := f.WriteAt(junk, off); err != nil {
				t.Fatal(err)
			}
		}
		f.Close()

		_, err = Open(context.Background(), path, nil)
		assertCorrupt(t, err)

		sv, err := OpenSalvage(context.Background(), path, nil)
		if err != nil {
			t.Fatalf("salvage open: %v", err)
		}
		// Salvage recovers what is readable; every recovered event
		// must be exactly what was written (left out, never wrong).
		evs, problems := sv.SalvageEvents(context.Background())
		for _, ev := range evs {
			var i int
			if _, err := fmt.Sscanf(ev.Name, "ev-%05d", &i); err != nil {
				t.Fatalf("salvaged unknown event %q", ev.Name)
			}
			if want := mustNorm(t, genEvent(i, 0)); !sameEvent(ev, want) {
				t.Errorf("salvaged event %s differs from what was written:\n got  %+v\n want %+v", ev.Name, ev, want)
			}
		}
		if len(evs)+len(problems) == 0 {
			t.Errorf("trial %d: salvage found nothing and reported nothing", trial)
		}
		recovered += len(evs)
		t.Logf("trial %d: salvaged %d of %d events, %d problems", trial, len(evs), events, len(problems))
		sv.Close()
	}
	// Three damaged pages out of dozens cost a minority of the events.
	if recovered < trials*events/2 {
		t.Errorf("salvage recovered %d of %d events over %d trials, want at least half", recovered, trials*events, trials)
	}
}

// TestOpenDetectsCorruptHeader overwrites the file header: SQLite then
// does not recognise the file as a database at all.
func TestOpenDetectsCorruptHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	buildLibrary(t, path, 20)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("this is not an sqlite header!!!!"), 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = Open(context.Background(), path, nil)
	assertCorrupt(t, err)
}

// TestOpenRefusesTextFile: a --db pointing at some other file.
func TestOpenRefusesTextFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("some notes\n", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path, nil)
	assertCorrupt(t, err)
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), "some notes") {
		t.Fatal("Open modified a file that is not a database")
	}
}

// TestSalvageCopyWithWAL: a copy taken while a writer had the file open
// (committed events still only in the -wal file) is salvaged completely,
// and the salvage leaves the copied files byte for byte as they were.
func TestSalvageCopyWithWAL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTestPath(t, filepath.Join(dir, "live.db"))
	for i := range 5 {
		if err := s.PutEvent(ctx, genEvent(i, 0)); err != nil {
			t.Fatal(err)
		}
	}
	cp := filepath.Join(dir, "copy.db")
	var before [][]byte
	for _, suf := range []string{"", "-wal"} {
		b, err := os.ReadFile(s.Path() + suf)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cp+suf, b, 0o600); err != nil {
			t.Fatal(err)
		}
		before = append(before, b)
	}
	if len(before[1]) == 0 {
		t.Fatal("the events are not in the WAL: the test would not exercise it")
	}
	sv, err := OpenSalvage(ctx, cp, nil)
	if err != nil {
		t.Fatal(err)
	}
	evs, problems := sv.SalvageEvents(ctx)
	if err := sv.Close(); err != nil {
		t.Fatal(err)
	}
	if len(evs) != 5 || len(problems) != 0 {
		t.Fatalf("salvaged %d events, problems %v", len(evs), problems)
	}
	for i, suf := range []string{"", "-wal"} {
		b, err := os.ReadFile(cp + suf)
		if err != nil || !bytes.Equal(b, before[i]) {
			t.Fatalf("salvage modified %s (%v)", cp+suf, err)
		}
	}
}
