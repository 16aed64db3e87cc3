package cli

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
)

// statsFile is one file's line in `chorus stats --json`.
type statsFile struct {
	ingest.FileStats
	Accounts int    `json:"accounts"`
	Error    string `json:"error,omitempty"`
}

// statsReport is the `chorus stats --json` document.
type statsReport struct {
	Posts    int64       `json:"posts"`
	Accounts int         `json:"accounts"`
	Skipped  int64       `json:"skipped"`
	Reposts  int64       `json:"reposts"`
	Quotes   int64       `json:"quotes"`
	Replies  int64       `json:"replies"`
	First    *time.Time  `json:"first,omitempty"`
	Last     *time.Time  `json:"last,omitempty"`
	Files    []statsFile `json:"files"`
}

// accountKey identifies an account across files: platform plus id (or
// handle when the export has no id).
func accountKey(p *model.Post) string {
	id := p.AccountID
	if id == "" {
		id = "@" + p.Handle
	}
	return p.Platform.String() + ":" + id
}

func runStats(e *env, args []string) int {
	cfg := config.Default()
	fs := newFlagSet(e, "stats", "[flags] FILE... ('-' reads stdin)")
	cfg.BindFlags(fs, "ingest")
	asJSON := fs.Bool("json", false, "print one JSON document instead of a table")
	files, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(files) == 0 {
		fmt.Fprintln(e.stderr, "chorus stats: no input files (give one or more paths, or '-' for stdin)")
		return exitUsage
	}
	if err := cfg.Validate(); err != nil {
		return fail(e, "stats", err)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if *asJSON {
		log = nil // machine output: problems are in the JSON
	}
	opts, err := pipeline.IngestOptions(&cfg, log)
	if err != nil {
		return fail(e, "stats", err)
	}
	if len(files) > opts.Limits.MaxFiles && opts.Limits.MaxFiles > 0 {
		return fail(e, "stats", fmt.Errorf("%w: %d input files, more than --max-files %d", ingest.ErrLimit, len(files), opts.Limits.MaxFiles))
	}

	rep := statsReport{Files: []statsFile{}}
	all := map[string]struct{}{}
	failed := false
	for _, path := range files {
		per := map[string]struct{}{}
		st, err := ingest.ReadStream(e.ctx, path, e.stdin, opts, func(p *model.Post) error {
			k := accountKey(p)
			per[k] = struct{}{}
			all[k] = struct{}{}
			return nil
		})
		sf := statsFile{FileStats: st, Accounts: len(per)}
		if err != nil {
			if e.ctx.Err() != nil {
				return fail(e, "stats", e.ctx.Err())
			}
			sf.Error = err.Error()
			failed = true
			if !*asJSON {
				fmt.Fprintf(e.stderr, "chorus stats: %v\n", err)
			}
		}
		rep.Files = append(rep.Files, sf)
		rep.Posts += st.Posts
		rep.Skipped += st.Skipped
		rep.Reposts += st.Reposts
		rep.Quotes += st.Quotes
		rep.Replies += st.Replies
		if !st.First.IsZero() && (rep.First == nil || st.First.Before(*rep.First)) {
			t := st.First
			rep.First = &t
		}
		if !st.Last.IsZero() && (rep.Last == nil || st.Last.After(*rep.Last)) {
			t := st.Last
			rep.Last = &t
		}
	}
	rep.Accounts = len(all)

	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fail(e, "stats", err)
		}
	} else {
		printStatsTable(e, &rep)
	}
	if failed {
		return exitError
	}
	return exitOK
}

func printStatsTable(e *env, rep *statsReport) {
	w := e.stdout
	for _, f := range rep.Files {
		fmt.Fprintf(w, "%s\n", f.Path)
		if f.Error != "" {
			fmt.Fprintf(w, "  error:    %s\n", f.Error)
		}
		fmt.Fprintf(w, "  format:   %s\n", orDash(f.Format))
		fmt.Fprintf(w, "  posts:    %d (reposts %d, of which inferred from \"RT @\" %d; quotes %d; replies %d)\n", f.Posts, f.Reposts, f.Inferred, f.Quotes, f.Replies)
		fmt.Fprintf(w, "  accounts: %d\n", f.Accounts)
		if !f.First.IsZero() {
			fmt.Fprintf(w, "  span:     %s .. %s\n", f.First.Format(time.RFC3339), f.Last.Format(time.RFC3339))
		}
		fmt.Fprintf(w, "  skipped:  %d\n", f.Skipped)
		for _, r := range f.Reasons() {
			fmt.Fprintf(w, "    %-24s %d\n", r, f.SkipReasons[r])
		}
		for _, s := range f.SkipSamples {
			fmt.Fprintf(w, "    e.g. line %d (byte %d): %s %s\n", s.Line, s.Offset, s.Reason, s.Detail)
		}
	}
	fmt.Fprintf(w, "total: %d posts, %d accounts, %d skipped, %d files\n", rep.Posts, rep.Accounts, rep.Skipped, len(rep.Files))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
