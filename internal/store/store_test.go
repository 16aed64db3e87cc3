package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0Base = time.Date(2015, 11, 13, 20, 20, 0, 0, time.UTC)

// genEvent returns the deterministic event i; gen selects which indicator
// vector it carries (the crash test writes gen 0, then replaces it by
// gen 1). Sizes vary with i so that a torn write would show.
func genEvent(i, gen int) Event {
	ev := Event{
		Name:      fmt.Sprintf("ev-%05d", i),
		T0:        t0Base.Add(time.Duration(i) * time.Hour),
		Place:     fmt.Sprintf("place %d", i%7),
		Languages: []string{"ar", "en", "fr"}[:1+i%3],
	}
	if i%2 == 0 {
		ev.TClaim = ev.T0.Add(26 * time.Hour)
	}
	for k := 0; k < 1+i%5; k++ {
		ev.Watch.Accounts = append(ev.Watch.Accounts, fmt.Sprintf("acct_%d_%d", i, k))
	}
	ev.Watch.MediaOutlets = []string{"amaqagency", fmt.Sprintf("outlet%d", i%3)}
	ev.Watch.Branding = []string{`(?i)a'?maq\s+agency`, fmt.Sprintf(`wilayat\s+%d`, i)}
	ev.Watch.Quotes = []string{fmt.Sprintf("quote %d, with a comma", i)}
	ev.Watch.Hashes = []string{fmt.Sprintf("sha256:%064x", i+1)}
	ev.Indicators, ev.Lists = genIndicators(i, gen)
	return ev
}

func genIndicators(i, gen int) (map[string]float64, map[string][]string) {
	vec := map[string]float64{}
	n := 5 + (i+gen)%11
	for k := 0; k < n; k++ {
		vec[fmt.Sprintf("ind_%02d", k)] = float64(i*1000+k) + float64(gen)/4
	}
	vec["gen"] = float64(gen)
	lists := map[string][]string{"top_hashtags": nil}
	for k := 0; k < 3+(i+gen)%4; k++ {
		lists["top_hashtags"] = append(lists["top_hashtags"], fmt.Sprintf("tag%d_%d_g%d", i, k, gen))
	}
	return vec, lists
}

func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "chorus.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// sameEvent compares the stored content, ignoring Created/Updated.
func sameEvent(a, b Event) bool {
	a.Created, a.Updated, b.Created, b.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func mustNorm(t testing.TB, ev Event) Event {
	t.Helper()
	n, _, err := ev.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpenCreatesSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lib.db")
	s, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.SchemaVersion() != LatestSchema() {
		t.Fatalf("schema %d, want %d", s.SchemaVersion(), LatestSchema())
	}
	var mode string
	if err := s.w.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q, %v; want wal", mode, err)
	}
	var fk, sync int
	if err := s.w.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys %d, %v", fk, err)
	}
	if err := s.w.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
		t.Fatalf("synchronous %d, %v; want 2 (FULL)", sync, err)
	}
	if err := s.PutEvent(ctx, genEvent(0, 0)); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path + "-wal"); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("WAL file: %v, %v; want mode 0600", st, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("new database mode %v, want 0600", st.Mode().Perm())
	}
	// Reopening applies nothing new.
	s, err = Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.w.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n != len(migrations) {
		t.Fatalf("schema_migrations rows %d, %v; want %d", n, err, len(migrations))
	}
}

func TestOpenConcurrentNewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), path, nil)
			if err == nil {
				err = s.PutEvent(context.Background(), genEvent(i, 0))
				err = errors.Join(err, s.Close())
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s := openTestPath(t, path)
	var n int
	if err := s.w.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n != len(migrations) {
		t.Fatalf("schema_migrations rows %d, %v; want %d (each migration once)", n, err, len(migrations))
	}
	evs, err := s.ListEvents(context.Background())
	if err != nil || len(evs) != 4 {
		t.Fatalf("%d events, %v; want 4", len(evs), err)
	}
}

func openTestPath(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lib.db")
	s := openTestPath(t, path)
	if _, err := s.w.Exec(`INSERT INTO schema_migrations (version, name, applied_ms, chorus_version) VALUES (99, 'from the future', 0, '9.9.9')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(ctx, path, nil)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("err = %v, want ErrSchemaTooNew", err)
	}
	if !strings.Contains(err.Error(), "version 99") || !strings.Contains(err.Error(), fmt.Sprintf("knows up to %d", LatestSchema())) {
		t.Errorf("message lacks versions: %v", err)
	}
}

func TestOpenRefusesForeignDatabase(t *testing.T) {
	dir := t.TempDir()
	for name, setup := range map[string]string{
		"tables.db": `CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)`,
		"appid.db":  `PRAGMA application_id = 1234`,
	} {
		path := filepath.Join(dir, name)
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(setup); err != nil {
			t.Fatal(err)
		}
		db.Close()
		_, err = Open(context.Background(), path, nil)
		if !errors.Is(err, ErrNotChorus) {
			t.Errorf("%s: err = %v, want ErrNotChorus", name, err)
		}
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"), nil)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("err = %v, want a missing-directory message", err)
	}
}

func TestEventRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	in := Event{
		Name:      "  brussels-2016 ",
		T0:        time.Date(2016, 3, 22, 7, 58, 0, 123456789, time.FixedZone("CET", 3600)),
		Place:     "Brussels",
		Languages: []string{"FR", "nl", "fr", "", "ar"},
		Watch: Watch{
			Accounts:     []string{"@Nashir_News", "nashir_news", "12345"},
			MediaOutlets: []string{"@AmaqAgency"},
			Branding:     []string{`(?i)\bamaq\b`},
			Quotes:       []string{" the soldiers of the caliphate "},
			Hashes:       []string{"SHA256:" + strings.Repeat("AB", 32), "deadbeefcafe", " https://justpaste.it/AbC9x "},
		},
		Indicators: map[string]float64{"volume_lift_posts_1h": 3.25, "onset_latency_s": -120, "nan_one": math.NaN()},
		Lists:      map[string][]string{"top_hashtags": {"#Brussels", "#بلجيكا", "#Brussels"}, "empty": {}},
	}
	if err := s.PutEvent(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetEvent(ctx, "brussels-2016")
	if err != nil {
		t.Fatal(err)
	}
	want := Event{
		Name:      "brussels-2016",
		T0:        time.Date(2016, 3, 22, 6, 58, 0, 123000000, time.UTC),
		Place:     "Brussels",
		Languages: []string{"fr", "nl", "ar"},
		Watch: Watch{
			Accounts:     []string{"nashir_news", "12345"},
			MediaOutlets: []string{"amaqagency"},
			Branding:     []string{`(?i)\bamaq\b`},
			Quotes:       []string{"the soldiers of the caliphate"},
			Hashes:       []string{"sha256:" + strings.Repeat("ab", 32), "deadbeefcafe", "https://justpaste.it/AbC9x"},
		},
		Indicators: map[string]float64{"volume_lift_posts_1h": 3.25, "onset_latency_s": -120},
		Lists:      map[string][]string{"top_hashtags": {"#Brussels", "#بلجيكا", "#Brussels"}},
	}
	if !sameEvent(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	if got.Created.IsZero() || got.Updated.Before(got.Created) {
		t.Errorf("created %v updated %v", got.Created, got.Updated)
	}
	if _, err := s.GetEvent(ctx, "paris-2015"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing event: err = %v, want ErrNotFound", err)
	}
}

func TestPutEventIndicatorsNilKeeps(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ev := genEvent(3, 0)
	if err := s.PutEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	// Re-register with a new place and no indicators: they are kept.
	re := ev
	re.Place, re.Indicators, re.Lists = "elsewhere", nil, nil
	re.Watch.Accounts = []string{"only_one"}
	if err := s.PutEvent(ctx, re); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetEvent(ctx, ev.Name)
	if err != nil {
		t.Fatal(err)
	}
	if got.Place != "elsewhere" || !reflect.DeepEqual(got.Watch.Accounts, []string{"only_one"}) {
		t.Fatalf("description not replaced: %+v", got)
	}
	if !reflect.DeepEqual(got.Indicators, ev.Indicators) || !reflect.DeepEqual(got.Lists, ev.Lists) {
		t.Fatalf("indicators not kept: %v %v", got.Indicators, got.Lists)
	}
	// Non-nil empty clears.
	re.Indicators, re.Lists = map[string]float64{}, map[string][]string{}
	if err := s.PutEvent(ctx, re); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetEvent(ctx, ev.Name)
	if got.Indicators != nil || got.Lists != nil {
		t.Fatalf("indicators not cleared: %v %v", got.Indicators, got.Lists)
	}
}

func TestSetIndicators(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ev := genEvent(1, 0)
	if err := s.PutEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	vec := map[string]float64{"a": 1.5, "b": math.Inf(1), "c": 0}
	if err := s.SetIndicators(ctx, ev.Name, vec, nil); err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetEvent(ctx, ev.Name)
	if !reflect.DeepEqual(got.Indicators, map[string]float64{"a": 1.5, "c": 0}) {
		t.Fatalf("indicators %v", got.Indicators)
	}
	if !reflect.DeepEqual(got.Lists, ev.Lists) {
		t.Fatalf("nil extra changed lists: %v", got.Lists)
	}
	extra := map[string][]string{"top_urls": {"https://example.org/a"}}
	if err := s.SetIndicators(ctx, ev.Name, map[string]float64{"z": 2}, extra); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetEvent(ctx, ev.Name)
	if !reflect.DeepEqual(got.Indicators, map[string]float64{"z": 2}) || !reflect.DeepEqual(got.Lists, extra) {
		t.Fatalf("after replace: %v %v", got.Indicators, got.Lists)
	}
	if err := s.SetIndicators(ctx, "nope", vec, nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if err := s.SetIndicators(ctx, ev.Name, map[string]float64{" bad": 1}, nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
}

func TestListAndPastEvents(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	// Insert out of order; ListEvents orders by T0.
	for _, i := range []int{5, 1, 4, 0, 3, 2} {
		if err := s.PutEvent(ctx, genEvent(i, 0)); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.ListEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 {
		t.Fatalf("%d events", len(all))
	}
	for i, ev := range all {
		if want := mustNorm(t, genEvent(i, 0)); !sameEvent(ev, want) {
			t.Fatalf("event %d:\n got  %+v\n want %+v", i, ev, want)
		}
	}
	// Before T0 of event 4, excluding event 2: 0, 1, 3. Strictly before.
	past, err := s.PastEvents(ctx, genEvent(4, 0).T0, "ev-00002")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ev := range past {
		names = append(names, ev.Name)
		if len(ev.Indicators) == 0 {
			t.Errorf("%s: no indicators", ev.Name)
		}
	}
	if strings.Join(names, " ") != "ev-00000 ev-00001 ev-00003" {
		t.Fatalf("past events %v", names)
	}
	if err := s.DeleteEvent(ctx, "ev-00001"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteEvent(ctx, "ev-00001"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v, want ErrNotFound", err)
	}
	all, _ = s.ListEvents(ctx)
	if len(all) != 5 {
		t.Fatalf("%d events after delete", len(all))
	}
	// Child rows went with the event.
	for _, tbl := range []string{"event_watch", "event_indicators", "event_lists"} {
		var n int
		if err := s.w.QueryRow(`SELECT count(*) FROM ` + tbl + ` WHERE event_id NOT IN (SELECT id FROM events)`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d orphan rows, %v", tbl, n, err)
		}
	}
}

func TestValidation(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	base := genEvent(0, 0)
	cases := map[string]func(*Event){
		"empty name":      func(e *Event) { e.Name = "  " },
		"control in name": func(e *Event) { e.Name = "a\nb" },
		"long name":       func(e *Event) { e.Name = strings.Repeat("x", 201) },
		"invalid utf8":    func(e *Event) { e.Place = "\xff" },
		"zero t0":         func(e *Event) { e.T0 = time.Time{} },
		"t0 year 1500":    func(e *Event) { e.T0 = time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC) },
		"bad language":    func(e *Event) { e.Languages = []string{"english"} },
		"bad regex":       func(e *Event) { e.Watch.Branding = []string{"(unclosed"} },
		"bad hash":        func(e *Event) { e.Watch.Hashes = []string{"not-a-hash"} },
		"bad hash url":    func(e *Event) { e.Watch.Hashes = []string{"https://a b"} },
		"space account":   func(e *Event) { e.Watch.Accounts = []string{"two words"} },
		"indicator key":   func(e *Event) { e.Indicators = map[string]float64{"": 1} },
		"list key":        func(e *Event) { e.Lists = map[string][]string{"a\tb": {"x"}} },
	}
	for name, mut := range cases {
		ev := genEvent(0, 0)
		mut(&ev)
		if err := s.PutEvent(ctx, ev); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if evs, _ := s.ListEvents(ctx); len(evs) != 0 {
		t.Fatalf("invalid events were stored: %d", len(evs))
	}
	if err := s.PutEvent(ctx, base); err != nil {
		t.Fatal(err)
	}
}

func TestImportEventsAtomic(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.PutEvent(ctx, genEvent(2, 0)); err != nil {
		t.Fatal(err)
	}
	batch := []Event{genEvent(0, 1), genEvent(1, 1), genEvent(2, 1)}
	_, _, err := s.ImportEvents(ctx, batch, false)
	if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "ev-00002") {
		t.Fatalf("err = %v, want ErrExists naming ev-00002", err)
	}
	if evs, _ := s.ListEvents(ctx); len(evs) != 1 {
		t.Fatalf("failed import wrote %d events, want none added", len(evs)-1)
	}
	added, replaced, err := s.ImportEvents(ctx, batch, true)
	if err != nil || added != 2 || replaced != 1 {
		t.Fatalf("import: added %d replaced %d err %v", added, replaced, err)
	}
	got, _ := s.GetEvent(ctx, "ev-00002")
	if !sameEvent(got, mustNorm(t, genEvent(2, 1))) {
		t.Fatalf("replaced event %+v", got)
	}
	// A duplicate inside the batch is refused.
	if _, _, err := s.ImportEvents(ctx, []Event{genEvent(7, 0), genEvent(7, 1)}, true); !errors.Is(err, ErrInvalid) {
		t.Fatalf("duplicate in batch: %v", err)
	}
}

func TestRuns(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.AddRun(ctx, Run{Event: "nope"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("run of unknown event: %v", err)
	}
	for _, i := range []int{0, 1} {
		if err := s.PutEvent(ctx, genEvent(i, 0)); err != nil {
			t.Fatal(err)
		}
	}
	params, _ := json.Marshal(map[string]string{"window": "60s", "alpha": "0.05"})
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r := Run{Event: "ev-00000", Version: "0.1.0", Params: params, ResultDir: "/out/a", Created: created,
		Inputs: []RunInput{{Path: "a.jsonl", SHA256: strings.Repeat("A", 64), Size: 10}, {Path: "-"}}}
	id1, err := s.AddRun(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	r.Created, r.ResultDir, r.Inputs = created.Add(time.Hour), "/out/b", nil
	id2, err := s.AddRun(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddRun(ctx, Run{Event: "ev-00001", Params: json.RawMessage(`{"a":`)}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad params: %v", err)
	}
	if _, err := s.AddRun(ctx, Run{Event: "ev-00001", Status: "done"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad status: %v", err)
	}
	if _, err := s.AddRun(ctx, Run{Event: "ev-00001"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRunStatus(ctx, id1, RunOK); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRunStatus(ctx, 999, RunOK); !errors.Is(err, ErrNotFound) {
		t.Fatalf("status of missing run: %v", err)
	}
	runs, err := s.ListRuns(ctx, "ev-00000")
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].ID != id1 || runs[1].ID != id2 {
		t.Fatalf("runs %+v", runs)
	}
	r0 := runs[0]
	if r0.Status != RunOK || runs[1].Status != RunRunning || r0.ResultDir != "/out/a" || !r0.Created.Equal(created) || r0.Version != "0.1.0" {
		t.Fatalf("run 0 %+v", r0)
	}
	var p map[string]string
	if err := json.Unmarshal(r0.Params, &p); err != nil || p["window"] != "60s" {
		t.Fatalf("params %s: %v", r0.Params, err)
	}
	wantIn := []RunInput{{Path: "a.jsonl", SHA256: strings.Repeat("a", 64), Size: 10}, {Path: "-"}}
	if !reflect.DeepEqual(r0.Inputs, wantIn) || runs[1].Inputs != nil {
		t.Fatalf("inputs %+v / %+v", r0.Inputs, runs[1].Inputs)
	}
	all, err := s.ListRuns(ctx, "")
	if err != nil || len(all) != 3 {
		t.Fatalf("all runs: %d, %v", len(all), err)
	}
	if _, err := s.ListRuns(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("runs of unknown event: %v", err)
	}
	// Deleting the event deletes its runs and their inputs.
	if err := s.DeleteEvent(ctx, "ev-00000"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.w.QueryRow(`SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM run_inputs)`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("rows left %d, %v; want only ev-00001's run", n, err)
	}
}

func TestSalvageIsReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lib.db")
	s := openTestPath(t, path)
	if err := s.PutEvent(ctx, genEvent(0, 0)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	sv, err := OpenSalvage(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	if _, err := sv.GetEvent(ctx, "ev-00000"); err != nil {
		t.Fatal(err)
	}
	if err := sv.PutEvent(ctx, genEvent(1, 0)); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("write on salvage store: %v", err)
	}
	if _, err := OpenSalvage(ctx, filepath.Join(t.TempDir(), "missing.db"), nil); err == nil {
		t.Fatal("salvage of a missing file succeeded")
	}
}

func TestResolvePath(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvPath {
				return v
			}
			return ""
		}
	}
	for _, c := range []struct{ flag, env, want string }{
		{"", "", DefaultPath},
		{"", "/data/lib.db", "/data/lib.db"},
		{"x.db", "/data/lib.db", "x.db"},
		{"", "  ", DefaultPath},
	} {
		if got := ResolvePath(c.flag, env(c.env)); got != c.want {
			t.Errorf("ResolvePath(%q, env %q) = %q, want %q", c.flag, c.env, got, c.want)
		}
	}
}
