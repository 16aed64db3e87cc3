package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorus-osint/chorus/internal/store"
)

// runEventsCLI runs chorus with args and returns stdout, stderr and the
// exit code.
func runEventsCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := RunIO(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func TestEventsLifecycle(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "lib.db")
	quotes := filepath.Join(dir, "quotes.txt")
	hashes := filepath.Join(dir, "hashes.txt")
	os.WriteFile(quotes, []byte("Amaq Agency: IS responsibility claim\r\n\n  second quote  \n"), 0o644)
	os.WriteFile(hashes, []byte("# sha256sum output\n"+strings.Repeat("ab", 32)+"  claim.jpg\nphash:d1c3f0e0a0b0c0d0\nhttps://justpaste.it/x1\n"), 0o644)

	out, errs, code := runEventsCLI(t, "", "events", "add", "--db", db, "--name", "brussels-2016", "--t0", "2016-03-22 07:58:00",
		"--tz", "Europe/Brussels", "--t-claim", "2016-03-22T13:20:00Z", "--place", "Brussels", "--languages", "fr, NL,ar",
		"--watch-accounts", "@WarReporter1,ramiallolah", "--media-outlets", "amaqagency", "--branding", `(?i)a+maq\s+agency;\[Nashir\]`,
		"--quotes-file", quotes, "--hashes-file", hashes)
	if code != 0 {
		t.Fatalf("add: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "added event brussels-2016 (T0 2016-03-22T06:58:00Z; watching 2 accounts, 1 outlets, 2 branding patterns, 2 quotes, 3 hashes)") {
		t.Fatalf("add output: %s", out)
	}
	// Adding again without --replace is refused; with it, replaced.
	if _, errs, code := runEventsCLI(t, "", "events", "add", "--db", db, "--name", "brussels-2016", "--t0", "2016-03-22T06:58:00Z"); code != exitError || !strings.Contains(errs, "--replace") {
		t.Fatalf("second add: exit %d: %s", code, errs)
	}
	if _, errs, code := runEventsCLI(t, "", "events", "add", "--db", db, "--event", "paris-2015", "--t0", "2015-11-13T20:20:00Z"); code != 0 {
		t.Fatalf("add paris: %s", errs)
	}

	// Indicators come from an analysis; simulate one through the store.
	s, err := store.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetIndicators(context.Background(), "paris-2015", map[string]float64{"onset_latency_s": 1800}, map[string][]string{"top_hashtags": {"paris"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddRun(context.Background(), store.Run{Event: "paris-2015", Version: "test", ResultDir: "/out/paris", Status: store.RunOK}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	out, errs, code = runEventsCLI(t, "", "events", "list", "--db", db)
	if code != 0 {
		t.Fatalf("list: %s", errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "paris-2015 ") || !strings.HasPrefix(lines[2], "brussels-2016 ") {
		t.Fatalf("list (want paris before brussels):\n%s", out)
	}
	if f := strings.Fields(lines[1]); f[len(f)-1] != "1" || f[len(f)-2] != "1" {
		t.Fatalf("paris row should show 1 indicator and 1 run: %q", lines[1])
	}

	out, _, code = runEventsCLI(t, "", "events", "show", "brussels-2016", "--db", db, "--json")
	if code != 0 {
		t.Fatal("show --json failed")
	}
	var det struct {
		store.Event
		Runs []store.Run `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &det); err != nil {
		t.Fatalf("show --json: %v\n%s", err, out)
	}
	w := det.Watch
	if det.Name != "brussels-2016" || det.T0.Format("15:04") != "06:58" || det.TClaim.Format("15:04") != "13:20" ||
		strings.Join(det.Languages, ",") != "fr,nl,ar" || strings.Join(w.Accounts, ",") != "warreporter1,ramiallolah" ||
		len(w.Branding) != 2 || w.Branding[1] != `\[Nashir\]` || len(w.Quotes) != 2 || w.Quotes[1] != "second quote" ||
		len(w.Hashes) != 3 || w.Hashes[0] != strings.Repeat("ab", 32) || w.Hashes[2] != "https://justpaste.it/x1" || det.Runs == nil {
		t.Fatalf("show --json: %+v", det)
	}
	out, _, _ = runEventsCLI(t, "", "events", "show", "paris-2015", "--db", db)
	for _, want := range []string{"onset_latency_s", "1800", "top_hashtags: paris", "runs (1):", "/out/paris"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}

	// Export, then import into a new database: the same library.
	exp := filepath.Join(dir, "lib.json")
	if _, errs, code := runEventsCLI(t, "", "events", "export", "--db", db, "--out", exp); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	db2 := filepath.Join(dir, "other.db")
	out, errs, code = runEventsCLI(t, "", "events", "import", exp, "--db", db2)
	if code != 0 || !strings.Contains(out, "imported 2 events") {
		t.Fatalf("import: exit %d %s %s", code, out, errs)
	}
	if _, errs, code := runEventsCLI(t, "", "events", "import", exp, "--db", db2); code != exitError || !strings.Contains(errs, "--replace") {
		t.Fatalf("second import should conflict: %d %s", code, errs)
	}
	a, _, _ := runEventsCLI(t, "", "events", "list", "--json", "--db", db)
	b, _, _ := runEventsCLI(t, "", "events", "list", "--json", "--db", db2)
	if a != b || !strings.Contains(a, `"onset_latency_s": 1800`) {
		t.Fatalf("library differs after export/import:\n%s\n%s", a, b)
	}
	// The list --json output is itself importable (a bare array), via stdin.
	db3 := filepath.Join(dir, "third.db")
	if _, errs, code := runEventsCLI(t, a, "events", "import", "-", "--db", db3); code != 0 {
		t.Fatalf("import of list --json: %s", errs)
	}

	if out, errs, code := runEventsCLI(t, "", "events", "rm", "paris-2015", "--db", db); code != 0 || !strings.Contains(out, "its 1 runs") {
		t.Fatalf("rm: %d %s %s", code, out, errs)
	}
	if _, errs, code := runEventsCLI(t, "", "events", "rm", "paris-2015", "--db", db); code != exitError || !strings.Contains(errs, `no event "paris-2015"`) {
		t.Fatalf("second rm: %d %s", code, errs)
	}
}

func TestEventsDBFromEnv(t *testing.T) {
	db := filepath.Join(t.TempDir(), "env.db")
	t.Setenv(store.EnvPath, db)
	if _, errs, code := runEventsCLI(t, "", "events", "add", "--name", "x", "--t0", "2020-01-01T00:00:00Z"); code != 0 {
		t.Fatalf("add: %s", errs)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("CHORUS_DB not used: %v", err)
	}
}

func TestEventsBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "lib.db")
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"events"}, exitUsage, ""},
		{[]string{"events", "frobnicate"}, exitUsage, "unknown command"},
		{[]string{"events", "add", "--db", db, "--t0", "2020-01-01T00:00:00Z"}, exitUsage, "--name and --t0 are required"},
		{[]string{"events", "add", "--db", db, "--name", "x", "--t0", "yesterday"}, exitUsage, "--t0"},
		{[]string{"events", "add", "--db", db, "--name", "x", "--t0", "2020-01-01T00:00:00Z", "--branding", "(unclosed"}, exitError, "regular expression"},
		{[]string{"events", "add", "--db", db, "--name", "x", "--t0", "2020-01-01T00:00:00Z", "--languages", "english"}, exitError, "language code"},
		{[]string{"events", "show", "--db", db}, exitUsage, "one event name"},
		{[]string{"events", "import", filepath.Join(dir, "missing.json"), "--db", db}, exitError, "missing.json"},
		{[]string{"events", "add", "--db", filepath.Join(dir, "no", "dir.db"), "--name", "x", "--t0", "2020-01-01T00:00:00Z"}, exitError, "does not exist"},
	} {
		_, errs, code := runEventsCLI(t, "", c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d containing %q", c.args, code, errs, c.code, c.msg)
		}
	}
}

func TestEventsCorruptDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "lib.db")
	if _, errs, code := runEventsCLI(t, "", "events", "add", "--db", db, "--name", "x", "--t0", "2020-01-01T00:00:00Z"); code != 0 {
		t.Fatal(errs)
	}
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("garbage garbage garbage garbage!"), 0)
	f.Close()
	_, errs, code := runEventsCLI(t, "", "events", "list", "--db", db)
	if code != exitError || !strings.Contains(errs, "database is corrupt") || !strings.Contains(errs, "chorus events export --salvage") {
		t.Fatalf("list on a corrupt file: exit %d: %s", code, errs)
	}
}

func TestEventsExportSalvage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "lib.db")
	for _, n := range []string{"a", "b"} {
		if _, errs, code := runEventsCLI(t, "", "events", "add", "--db", db, "--name", n, "--t0", "2020-01-01T00:00:00Z"); code != 0 {
			t.Fatal(errs)
		}
	}
	out, errs, code := runEventsCLI(t, "", "events", "export", "--salvage", "--db", db)
	if code != 0 || !strings.Contains(out, `"name": "a"`) || !strings.Contains(out, `"name": "b"`) {
		t.Fatalf("salvage export: exit %d %s\n%s", code, errs, out)
	}
	if _, errs, code := runEventsCLI(t, "", "events", "export", "--salvage", "--db", filepath.Join(dir, "missing.db")); code != exitError {
		t.Fatalf("salvage of a missing file: exit %d %s", code, errs)
	}
}
