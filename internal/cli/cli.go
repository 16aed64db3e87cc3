// Package cli implements the chorus command line. Each subcommand lives in
// its own file and turns flags into config.Config before calling the
// pipeline; Run is the one entry point, testable without a subprocess.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/ingest"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the run failed (bad input, I/O)
	exitUsage = 2 // bad flags or arguments
)

// env is what every subcommand gets.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(e *env, args []string) int
}

// commands returns the subcommands in help order.
func commands() []command {
	return []command{
		{"analyze", "read inputs, detect coordinated clusters and write results, graphs and evidence", runAnalyze},
		{"report", "re-render report.html, report.md and report.json from a result directory", runReport},
		{"synth", "generate a synthetic event with planted campaigns and its ground-truth labels", runSynth},
		{"eval", "score an analysis output against synth labels", runEval},
		{"bench", "time the full analysis on synthetic events of several sizes (and the peers with --compare)", runBench},
		{"stance", "classify attribution stance of posts (stance classify|train)", runStance},
		{"events", "manage the event library (add, list, show, rm, import, export)", runEvents},
		{"serve", "run the web dashboard and JSON API on the embedded store", runServe},
		{"replay", "publish an archive to a live stream (NATS, Kafka, HTTP) as if live, at a chosen speed", runReplay},
		{"users", "manage server users and API tokens (add, list, rm, token)", runUsers},
		{"stats", "read inputs and summarise them per file (format, posts, skipped, accounts, time span)", runStats},
		{"formats", "list the input formats chorus reads", runFormats},
		{"params", "list every parameter with its default and meaning", runParams},
		{"version", "print the chorus version", runVersion},
	}
}

// Run executes chorus with args (without the program name) and returns the
// process exit code. It reads os.Stdin for "-" inputs.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return RunIO(ctx, args, os.Stdin, stdout, stderr)
}

// RunIO is Run with an explicit stdin.
func RunIO(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	if args[0] == "--version" || args[0] == "-version" {
		return runVersion(e, nil)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "chorus: unknown command %q%s\nRun 'chorus help' for the list.\n", args[0], suggest(args[0]))
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "chorus measures whether the online reaction to an event was coordinated.")
	fmt.Fprintln(w, "\nUsage: chorus COMMAND [flags] [FILE...]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'chorus COMMAND --help' for a command's flags.")
}

// suggest returns a " (did you mean X?)" hint for a mistyped command.
func suggest(name string) string {
	best, bestD := "", 3
	for _, c := range commands() {
		if d := editDistance(name, c.name); d < bestD {
			best, bestD = c.name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// newFlagSet returns a FlagSet that writes help to stdout and errors to
// stderr and does not exit.
func newFlagSet(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: chorus %s %s\n\nFlags:\n", name, synopsis)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
	}
	return fs
}

// parseFlags parses args allowing flags after positional arguments
// ("chorus stats a.csv --json"). It returns the positional arguments and an
// exit code (>= 0 means stop with that code).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, int) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK
			}
			return nil, exitUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, -1
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), -1
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// fail prints err as the user sees it and returns exitError. This is the
// one place errors become messages.
func fail(e *env, cmd string, err error) int {
	msg := err.Error()
	switch {
	case errors.Is(err, context.Canceled):
		msg = "interrupted; outputs already written are complete, partial ones were not written"
	case errors.Is(err, config.ErrInvalid):
		fmt.Fprintf(e.stderr, "chorus %s: %s\n", cmd, msg)
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "chorus %s: %s\n", cmd, msg)
	return exitError
}

func runFormats(e *env, args []string) int {
	for _, f := range ingest.Formats() {
		fmt.Fprintf(e.stdout, "%-20s %s\n", f[0], f[1])
	}
	fmt.Fprintln(e.stdout, "\ngzip and zstd are decompressed transparently; '-' reads stdin.")
	return exitOK
}

func runParams(e *env, args []string) int {
	fs := newFlagSet(e, "params", "[--markdown]")
	md := fs.Bool("markdown", false, "print docs/parameters.md")
	if _, code := parseFlags(fs, args); code >= 0 {
		return code
	}
	cfg := config.Default()
	ps := cfg.Params()
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Section < ps[j].Section })
	if *md {
		writeParamsMarkdown(e.stdout, ps)
		return exitOK
	}
	section := ""
	for _, p := range ps {
		if p.Section != section {
			section = p.Section
			fmt.Fprintf(e.stdout, "[%s]\n", section)
		}
		def := p.Default
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(e.stdout, "  --%-22s %-14s %s\n", p.Name, def, strings.TrimSpace(p.Help))
	}
	return exitOK
}

// writeParamsMarkdown renders docs/parameters.md from the one declaration
// of every parameter (a test keeps the committed file current).
func writeParamsMarkdown(w io.Writer, ps []config.Param) {
	fmt.Fprintln(w, "# Parameters")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Generated by `chorus params --markdown` from the one declaration of every parameter")
	fmt.Fprintln(w, "(`internal/config`). Each is a flag of the commands that use its section and a key of the")
	fmt.Fprintln(w, "YAML file given with `--config` (flags win). run.json records every value used.")
	section := ""
	for _, p := range ps {
		if p.Section != section {
			section = p.Section
			fmt.Fprintf(w, "\n## %s\n\n| parameter | default | meaning |\n|---|---|---|\n", section)
		}
		def := p.Default
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(w, "| `--%s` | `%s` | %s |\n", p.Name, def, strings.ReplaceAll(strings.TrimSpace(p.Help), "|", "\\|"))
	}
}
