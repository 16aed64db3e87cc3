package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/report"
)

func runReport(e *env, args []string) int {
	fs := newFlagSet(e, "report", "[--pseudonymize [--pseudonym-key KEY]] [--redact-text] RESULT_DIR")
	pseudo := fs.Bool("pseudonymize", false, "replace account handles and ids by stable keyed pseudonyms (HMAC) in all three files")
	key := fs.String("pseudonym-key", "", "key of the pseudonyms (default: $CHORUS_PSEUDONYM_KEY, else a random key per report that is not stored; give one to compare pseudonyms across reports)")
	redactText := fs.Bool("redact-text", false, "replace post texts by \"[redacted: N characters]\", keeping ids and times")
	quiet := fs.Bool("quiet", false, "print nothing on success")
	dirs, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(dirs) != 1 {
		fmt.Fprintln(e.stderr, "chorus report: give exactly one result directory (the --out of chorus analyze)")
		return exitUsage
	}
	if *key == "" {
		*key = os.Getenv("CHORUS_PSEUDONYM_KEY") // keeps the key out of process lists
	} else if !*pseudo {
		fmt.Fprintln(e.stderr, "chorus report: --pseudonym-key needs --pseudonymize")
		return exitUsage
	}
	cfg := config.Default()
	log := newLogger(e, &cfg)
	opts := report.Options{Pseudonymize: *pseudo, PseudonymKey: []byte(*key), RedactText: *redactText, Log: log}
	if err := report.Render(dirs[0], opts); err != nil {
		return fail(e, "report", err)
	}
	if !*quiet {
		for _, f := range report.Files {
			fmt.Fprintln(e.stdout, filepath.Join(dirs[0], f))
		}
	}
	return exitOK
}
