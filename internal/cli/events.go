package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/safefile"
	"github.com/chorus-osint/chorus/internal/store"
	"github.com/chorus-osint/chorus/internal/store/eventlib"
	"github.com/chorus-osint/chorus/internal/version"
)

// eventsGroup is `chorus events`: its subcommands, in help order.
func eventsGroup() commandGroup {
	return commandGroup{
		name:   "events",
		intro:  "Manage the event library: past events with their watch lists and indicators,\nagainst which new analyses are reported.",
		footer: fmt.Sprintf("The library is the SQLite file given by --db, else $%s, else ./%s.", store.EnvPath, store.DefaultPath),
		subs: []subcommand{
			{"add", "--name NAME --t0 TIME [--t-claim TIME] [--place P] [--languages ar,en] [--watch-accounts a,b] [--media-outlets x,y] [--branding 're1;re2'] [--quotes-file F] [--hashes-file F] [--replace]", "add an event to the library (or replace its description)", runEventsAdd},
			{"list", "[--json]", "list the events, oldest first", runEventsList},
			{"show", "NAME [--json]", "show one event: watch lists, indicators, runs", runEventsShow},
			{"rm", "NAME", "remove an event with its indicators and runs", runEventsRm},
			{"import", "FILE.json [--replace] ('-' reads stdin)", "add the events of a library file (all or none)", runEventsImport},
			{"export", "[--out FILE] [--salvage]", "write the library as a JSON file (stdout by default)", runEventsExport},
		},
	}
}

func runEvents(e *env, args []string) int { return eventsGroup().run(e, args) }

// eventsFlags returns the FlagSet of `chorus events SUB` with --db bound.
func eventsFlags(e *env, sub string, cfg *config.Config) *flag.FlagSet {
	fs := newFlagSet(e, "events "+sub, eventsGroup().synopsis(sub))
	cfg.BindFlags(fs, "store")
	return fs
}

// openLibrary opens the event library named by --db / CHORUS_DB.
func openLibrary(e *env, cfg *config.Config) (*store.Store, error) {
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return store.Open(e.ctx, store.ResolvePath(cfg.Store.DB, os.Getenv), log)
}

// paramValue exposes one config parameter as a flag.Value, for a
// subcommand that needs a single parameter of a section (or an alias).
type paramValue struct{ p config.Param }

func (v paramValue) String() string {
	if v.p.Name == "" { // flag's zero-value probe
		return ""
	}
	return v.p.Value()
}
func (v paramValue) Set(s string) error { return v.p.Set(s) }

// bindParam registers parameter name of cfg on fs as flagName.
func bindParam(fs *flag.FlagSet, cfg *config.Config, name, flagName, help string) {
	for _, p := range cfg.Params() {
		if p.Name == name {
			if help == "" {
				help = p.Help
			}
			fs.Var(paramValue{p}, flagName, help)
			return
		}
	}
	panic("BUG: no parameter " + name)
}

// splitList splits a comma (or sep) separated flag value, trimming blanks.
func splitList(s, sep string) []string {
	var out []string
	for _, f := range strings.Split(s, sep) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// readLines reads a text file (one entry a line, blank lines skipped;
// '-' reads stdin). With hashes, lines starting with '#' are comments and
// only the first field is kept, so `sha256sum` output can be used as is.
func readLines(e *env, path string, hashes bool) ([]string, error) {
	var r io.Reader
	if path == "-" {
		r = e.stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || (hashes && strings.HasPrefix(l, "#")) {
			continue
		}
		if hashes {
			l = strings.Fields(l)[0]
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

func runEventsAdd(e *env, args []string) int {
	const cmd = "events add"
	cfg := config.Default()
	fs := eventsFlags(e, "add", &cfg)
	cfg.BindFlags(fs, "event")
	bindParam(fs, &cfg, "event", "name", "event name (the same as --event)")
	bindParam(fs, &cfg, "tz", "tz", "time zone of --t0/--t-claim when they carry none (IANA name)")
	languages := fs.String("languages", "", "comma-separated language codes of the reaction (e.g. ar,en,fr)")
	accounts := fs.String("watch-accounts", "", "comma-separated accounts of interest (handles or ids)")
	outlets := fs.String("media-outlets", "", "comma-separated accounts of media outlets (e.g. amaqagency)")
	branding := fs.String("branding", "", "semicolon-separated regular expressions matching outlet branding in text")
	quotesFile := fs.String("quotes-file", "", "file of known quotes, one a line")
	hashesFile := fs.String("hashes-file", "", "file of hashes (sha256:…, phash:…, bare hex) or URLs of known publications, one a line (sha256sum output works)")
	replace := fs.Bool("replace", false, "replace the description of an event already in the library (its indicators and runs are kept)")
	rest, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "chorus %s: unexpected argument %q (flags only)\n", cmd, rest[0])
		return exitUsage
	}
	if strings.TrimSpace(cfg.Event.Name) == "" || cfg.Event.T0 == "" {
		fmt.Fprintf(e.stderr, "chorus %s: --name and --t0 are required (e.g. --name brussels-2016 --t0 2016-03-22T06:58:00Z)\n", cmd)
		return exitUsage
	}
	loc, err := cfg.Location()
	if err != nil {
		return fail(e, cmd, err)
	}
	ev := store.Event{Name: cfg.Event.Name, Place: cfg.Event.Place}
	if ev.T0, err = ingest.ParseTime(cfg.Event.T0, loc); err != nil {
		return fail(e, cmd, fmt.Errorf("%w: --t0: %v", config.ErrInvalid, err))
	}
	if cfg.Event.TClaim != "" {
		if ev.TClaim, err = ingest.ParseTime(cfg.Event.TClaim, loc); err != nil {
			return fail(e, cmd, fmt.Errorf("%w: --t-claim: %v", config.ErrInvalid, err))
		}
	}
	ev.Languages = splitList(*languages, ",")
	ev.Watch.Accounts = splitList(*accounts, ",")
	ev.Watch.MediaOutlets = splitList(*outlets, ",")
	ev.Watch.Branding = splitList(*branding, ";")
	if *quotesFile != "" {
		if ev.Watch.Quotes, err = readLines(e, *quotesFile, false); err != nil {
			return fail(e, cmd, err)
		}
	}
	if *hashesFile != "" {
		if ev.Watch.Hashes, err = readLines(e, *hashesFile, true); err != nil {
			return fail(e, cmd, err)
		}
	}
	n, _, err := ev.Normalized()
	if err != nil {
		return fail(e, cmd, err)
	}
	s, err := openLibrary(e, &cfg)
	if err != nil {
		return fail(e, cmd, err)
	}
	defer s.Close()
	verb := "added"
	if old, err := s.GetEvent(e.ctx, n.Name); err == nil {
		if !*replace {
			return fail(e, cmd, fmt.Errorf("event %q is already in %s (T0 %s); use --replace to overwrite its description", n.Name, s.Path(), old.T0.Format(time.RFC3339)))
		}
		verb = "replaced"
	} else if !errors.Is(err, store.ErrNotFound) {
		return fail(e, cmd, err)
	}
	if err := s.PutEvent(e.ctx, n); err != nil {
		return fail(e, cmd, err)
	}
	w := n.Watch
	fmt.Fprintf(e.stdout, "%s event %s (T0 %s; watching %d accounts, %d outlets, %d branding patterns, %d quotes, %d hashes) in %s\n",
		verb, n.Name, n.T0.Format(time.RFC3339), len(w.Accounts), len(w.MediaOutlets), len(w.Branding), len(w.Quotes), len(w.Hashes), s.Path())
	return exitOK
}

func runEventsList(e *env, args []string) int {
	const cmd = "events list"
	cfg := config.Default()
	fs := eventsFlags(e, "list", &cfg)
	asJSON := fs.Bool("json", false, "print a JSON array of events (importable with `chorus events import`)")
	rest, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "chorus %s: unexpected argument %q\n", cmd, rest[0])
		return exitUsage
	}
	s, err := openLibrary(e, &cfg)
	if err != nil {
		return fail(e, cmd, err)
	}
	defer s.Close()
	evs, err := s.ListEvents(e.ctx)
	if err != nil {
		return fail(e, cmd, err)
	}
	if *asJSON {
		if evs == nil {
			evs = []store.Event{}
		}
		return writeJSON(e, cmd, evs)
	}
	runs, err := s.ListRuns(e.ctx, "")
	if err != nil {
		return fail(e, cmd, err)
	}
	nruns := map[string]int{}
	for _, r := range runs {
		nruns[r.Event]++
	}
	if len(evs) == 0 {
		fmt.Fprintf(e.stdout, "no events in %s (add one with `chorus events add`)\n", s.Path())
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tT0\tCLAIM\tPLACE\tLANGUAGES\tWATCH\tINDICATORS\tRUNS")
	for _, ev := range evs {
		claim := "-"
		if !ev.TClaim.IsZero() {
			claim = ev.TClaim.Format(time.RFC3339)
		}
		w := ev.Watch
		nw := len(w.Accounts) + len(w.MediaOutlets) + len(w.Branding) + len(w.Quotes) + len(w.Hashes)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n", ev.Name, ev.T0.Format(time.RFC3339), claim,
			orDash(ev.Place), orDash(strings.Join(ev.Languages, ",")), nw, len(ev.Indicators), nruns[ev.Name])
	}
	tw.Flush()
	return exitOK
}

// eventDetail is `chorus events show --json`.
type eventDetail struct {
	store.Event
	Created time.Time   `json:"created"`
	Updated time.Time   `json:"updated"`
	Runs    []store.Run `json:"runs"`
}

func runEventsShow(e *env, args []string) int {
	const cmd = "events show"
	cfg := config.Default()
	fs := eventsFlags(e, "show", &cfg)
	asJSON := fs.Bool("json", false, "print one JSON document")
	rest, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintf(e.stderr, "chorus %s: give one event name (`chorus events list` shows them)\n", cmd)
		return exitUsage
	}
	s, err := openLibrary(e, &cfg)
	if err != nil {
		return fail(e, cmd, err)
	}
	defer s.Close()
	ev, err := s.GetEvent(e.ctx, rest[0])
	if err != nil {
		return fail(e, cmd, notFoundHint(err, rest[0], s))
	}
	runs, err := s.ListRuns(e.ctx, ev.Name)
	if err != nil {
		return fail(e, cmd, err)
	}
	if runs == nil {
		runs = []store.Run{}
	}
	if *asJSON {
		return writeJSON(e, cmd, eventDetail{Event: ev, Created: ev.Created, Updated: ev.Updated, Runs: runs})
	}
	w := e.stdout
	fmt.Fprintf(w, "name:       %s\n", ev.Name)
	fmt.Fprintf(w, "t0:         %s\n", ev.T0.Format(time.RFC3339Nano))
	if !ev.TClaim.IsZero() {
		fmt.Fprintf(w, "t_claim:    %s (T0 + %s)\n", ev.TClaim.Format(time.RFC3339Nano), ev.TClaim.Sub(ev.T0))
	}
	fmt.Fprintf(w, "place:      %s\n", orDash(ev.Place))
	fmt.Fprintf(w, "languages:  %s\n", orDash(strings.Join(ev.Languages, ", ")))
	fmt.Fprintf(w, "added:      %s, updated %s\n", ev.Created.Format(time.RFC3339), ev.Updated.Format(time.RFC3339))
	for _, l := range []struct {
		name string
		vs   []string
	}{{"watch accounts", ev.Watch.Accounts}, {"media outlets", ev.Watch.MediaOutlets}, {"branding", ev.Watch.Branding}, {"quotes", ev.Watch.Quotes}, {"hashes", ev.Watch.Hashes}} {
		if len(l.vs) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s (%d):\n", l.name, len(l.vs))
		for _, v := range l.vs {
			fmt.Fprintf(w, "  %s\n", v)
		}
	}
	if len(ev.Indicators) > 0 {
		fmt.Fprintf(w, "indicators (%d):\n", len(ev.Indicators))
		keys := make([]string, 0, len(ev.Indicators))
		for k := range ev.Indicators {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %-32s %g\n", k, ev.Indicators[k])
		}
	} else {
		fmt.Fprintln(w, "indicators: none yet (an analysis of this event stores them)")
	}
	lists := make([]string, 0, len(ev.Lists))
	for k := range ev.Lists {
		lists = append(lists, k)
	}
	slices.Sort(lists)
	for _, k := range lists {
		fmt.Fprintf(w, "%s: %s\n", k, strings.Join(ev.Lists[k], " "))
	}
	fmt.Fprintf(w, "runs (%d):\n", len(runs))
	for _, r := range runs {
		fmt.Fprintf(w, "  #%d %s %-9s chorus %s, %d inputs -> %s\n", r.ID, r.Created.Format(time.RFC3339), r.Status, r.Version, len(r.Inputs), r.ResultDir)
	}
	return exitOK
}

func runEventsRm(e *env, args []string) int {
	const cmd = "events rm"
	cfg := config.Default()
	fs := eventsFlags(e, "rm", &cfg)
	rest, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintf(e.stderr, "chorus %s: give one event name\n", cmd)
		return exitUsage
	}
	s, err := openLibrary(e, &cfg)
	if err != nil {
		return fail(e, cmd, err)
	}
	defer s.Close()
	runs, err := s.ListRuns(e.ctx, rest[0])
	if err != nil {
		return fail(e, cmd, notFoundHint(err, rest[0], s))
	}
	if err := s.DeleteEvent(e.ctx, rest[0]); err != nil {
		return fail(e, cmd, notFoundHint(err, rest[0], s))
	}
	fmt.Fprintf(e.stdout, "removed event %s and its %d runs from %s (result directories on disk are untouched)\n", strings.TrimSpace(rest[0]), len(runs), s.Path())
	return exitOK
}

func runEventsImport(e *env, args []string) int {
	const cmd = "events import"
	cfg := config.Default()
	fs := eventsFlags(e, "import", &cfg)
	replace := fs.Bool("replace", false, "overwrite events already in the library (indicators and lists too)")
	rest, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintf(e.stderr, "chorus %s: give one library file (from `chorus events export`, or '-' for stdin)\n", cmd)
		return exitUsage
	}
	var r io.Reader = e.stdin
	if rest[0] != "-" {
		f, err := os.Open(rest[0])
		if err != nil {
			return fail(e, cmd, err)
		}
		defer f.Close()
		r = f
	}
	lib, err := eventlib.Decode(r)
	if err != nil {
		return fail(e, cmd, fmt.Errorf("%s: %w", rest[0], err))
	}
	s, err := openLibrary(e, &cfg)
	if err != nil {
		return fail(e, cmd, err)
	}
	defer s.Close()
	added, replaced, err := s.ImportEvents(e.ctx, lib.Events, *replace)
	if err != nil {
		return fail(e, cmd, err)
	}
	fmt.Fprintf(e.stdout, "imported %d events into %s (%d added, %d replaced)\n", len(lib.Events), s.Path(), added, replaced)
	return exitOK
}

func runEventsExport(e *env, args []string) int {
	const cmd = "events export"
	cfg := config.Default()
	fs := eventsFlags(e, "export", &cfg)
	out := fs.String("out", "", "write to this file (atomically) instead of stdout")
	salvage := fs.Bool("salvage", false, "read a damaged database (use a copy): skip the integrity check, export every event that is still readable, list the others on stderr and exit 1")
	rest, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "chorus %s: unexpected argument %q (use --out FILE)\n", cmd, rest[0])
		return exitUsage
	}
	path := store.ResolvePath(cfg.Store.DB, os.Getenv)
	var (
		evs      []store.Event
		problems []error
	)
	if *salvage {
		s, err := store.OpenSalvage(e.ctx, path, nil)
		if err != nil {
			return fail(e, cmd, err)
		}
		evs, problems = s.SalvageEvents(e.ctx)
		s.Close()
	} else {
		s, err := openLibrary(e, &cfg)
		if err != nil {
			return fail(e, cmd, err)
		}
		evs, err = s.ListEvents(e.ctx)
		s.Close()
		if err != nil {
			return fail(e, cmd, err)
		}
	}
	lib := eventlib.NewLibrary(evs, version.String(), time.Now())
	if *out == "" {
		if err := lib.Encode(e.stdout); err != nil {
			return fail(e, cmd, err)
		}
	} else {
		if err := safefile.Write(*out, lib.Encode); err != nil {
			return fail(e, cmd, err)
		}
		fmt.Fprintf(e.stderr, "exported %d events to %s\n", len(evs), *out)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(e.stderr, "chorus %s: %v\n", cmd, p)
		}
		fmt.Fprintf(e.stderr, "chorus %s: salvaged %d events; %d problems above (those events are not in the export)\n", cmd, len(evs), len(problems))
		return exitError
	}
	return exitOK
}

// notFoundHint makes ErrNotFound say where to look.
func notFoundHint(err error, name string, s *store.Store) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no event %q in %s (`chorus events list` shows the events)", strings.TrimSpace(name), s.Path())
	}
	return err
}

func writeJSON(e *env, cmd string, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fail(e, cmd, err)
	}
	return exitOK
}
