package cli

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/export"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/report"
	"github.com/chorus-osint/chorus/internal/store"
)

// analyzeSections are the config sections `chorus analyze` binds.
var analyzeSections = []string{"ingest", "event", "coord", "cluster", "indicators", "stance", "store", "output", "runtime"}

func runAnalyze(e *env, args []string) int {
	started := time.Now()
	cfg := config.Default()
	fs := newFlagSet(e, "analyze", "--event NAME --t0 TIME [--t-claim TIME] [--window 60s] [--config chorus.yaml] --out DIR FILE...")
	fs.String("config", "", "YAML config file (keys are the flag names); flags override it")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile taken at the peak of the live heap to this file")
	noLibrary := fs.Bool("no-library", false, "do not use or update the event library (the embedded store)")
	fromEdges := fs.String("from-edges", "", "cluster and report on the edges in this directory (scale/beam's output, or an earlier --out) instead of reading posts")
	cfg.BindFlags(fs, analyzeSections...)
	// Load the config file before flags so flags win: pre-scan args.
	if p := findFlag(args, "config"); p != "" {
		if err := cfg.LoadFile(p); err != nil {
			return fail(e, "analyze", err)
		}
	}
	files, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if *fromEdges != "" {
		return analyzeFromEdges(e, cfg, *fromEdges, args, started)
	}
	if len(files) == 0 {
		fmt.Fprintln(e.stderr, "chorus analyze: no input files (give one or more paths, or '-' for stdin)")
		return exitUsage
	}
	if cfg.Output.Dir == "" {
		fmt.Fprintln(e.stderr, "chorus analyze: --out DIR is required")
		return exitUsage
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return fail(e, "analyze", err)
		}
		defer stop()
	}
	if *memProfile != "" {
		defer startPeakHeapProfile(*memProfile)()
	}
	log := newLogger(e, &cfg)
	if _, err := applyMemoryLimit(&cfg, log); err != nil {
		return fail(e, "analyze", err)
	}
	var prog *pipeline.Progress
	if !cfg.Output.Quiet && !cfg.Output.JSONLog {
		prog = pipeline.NewProgress(e.stderr)
	}
	var lib *library
	if !*noLibrary {
		var err error
		if lib, err = openAnalyzeLibrary(e.ctx, &cfg, log); err != nil {
			prog.Close()
			return fail(e, "analyze", err)
		}
		defer lib.close()
	}
	a, err := pipeline.Analyze(e.ctx, cfg, files, lib.forAnalysis(), log, prog)
	prog.Close()
	if err != nil {
		lib.recordRun(e.ctx, a, store.RunFailed)
		return fail(e, "analyze", err)
	}
	for _, w := range a.Warnings {
		log.Warn(w)
	}
	if err := export.WriteAll(cfg.Output.Dir, a, append([]string{"chorus", "analyze"}, args...), started, pipeline.PeakRSSMB()); err != nil {
		lib.recordRun(e.ctx, a, store.RunFailed)
		return fail(e, "analyze", err)
	}
	if err := report.Render(cfg.Output.Dir, report.Options{Corpus: a.Corpus, Log: log}); err != nil {
		lib.recordRun(e.ctx, a, store.RunFailed)
		return fail(e, "analyze", fmt.Errorf("report: %w", err))
	}
	if err := lib.recordRun(e.ctx, a, store.RunOK); err != nil {
		return fail(e, "analyze", err)
	}
	if !cfg.Output.Quiet {
		printAnalyzeSummary(e, a, cfg.Output.Dir, time.Since(started))
	}
	return exitOK
}

// findFlag returns the value of --name or -name in args ("--name v" or
// "--name=v"), for flags that must be read before the others.
func findFlag(args []string, name string) string {
	for i, a := range args {
		for _, pre := range []string{"--" + name, "-" + name} {
			if a == pre && i+1 < len(args) {
				return args[i+1]
			}
			if len(a) > len(pre) && a[:len(pre)+1] == pre+"=" {
				return a[len(pre)+1:]
			}
		}
	}
	return ""
}

// newLogger returns the run's logger: text or JSON on stderr; quiet keeps
// only warnings.
func newLogger(e *env, cfg *config.Config) *slog.Logger {
	level := slog.LevelInfo
	if cfg.Output.Quiet {
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Output.JSONLog {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	if f, ok := e.stderr.(*os.File); ok && f == os.Stderr && !cfg.Output.Quiet {
		// Progress owns the terminal line; keep logs to warnings.
		if pipeline.NewProgressIsTTY(f) {
			opts.Level = slog.LevelWarn
		}
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

// printCorroborated prints the group and membership tests' findings, if
// any: accounts in the network through weak ties that corroborate each
// other.
func printCorroborated(w io.Writer, res *coord.Result) {
	groups, inGroups, members := 0, 0, 0
	for _, l := range res.Layers {
		if l.Groups != nil {
			for _, g := range l.Groups.Groups {
				if g.Significant {
					groups++
					inGroups += len(g.Accounts)
				}
			}
		}
		members += len(l.Members)
	}
	if groups+members > 0 {
		fmt.Fprintf(w, "corroborated weak ties: %d groups (%d accounts), %d members of significant structures (docs/engine.md)\n", groups, inGroups, members)
	}
}

func printAnalyzeSummary(e *env, a *pipeline.Analysis, dir string, el time.Duration) {
	w := e.stdout
	c := a.Corpus
	fmt.Fprintf(w, "event %s, T0 %s\n", a.Event.Name, a.Event.T0.Format(time.RFC3339))
	fmt.Fprintf(w, "read %d posts from %d accounts in %d files\n", c.Len(), c.NumAccounts(), len(a.Inputs))
	fmt.Fprintf(w, "%-12s %8s %10s %12s %12s\n", "layer", "window", "pairs", "candidates", "significant")
	for _, l := range a.Coord.Layers {
		fmt.Fprintf(w, "%-12s %8s %10d %12d %12d\n", l.Layer, time.Duration(l.WindowMs)*time.Millisecond, l.Pairs, len(l.Edges), l.Significant)
	}
	printCorroborated(w, a.Coord)
	fmt.Fprintf(w, "%d coordinated clusters, %d accounts in clusters, %d significant account pairs\n", len(a.Network.Clusters), a.Network.AccountsInClusters(), len(a.Network.Edges))
	if len(a.Sweep) > 0 {
		fmt.Fprintf(w, "window sweep:")
		for _, s := range a.Sweep {
			fmt.Fprintf(w, " %s=%d/%d", s.Window, s.Significant, s.Clusters)
		}
		fmt.Fprintf(w, " (significant edges/clusters); suggested window %s\n", a.Suggest)
	}
	fmt.Fprintf(w, "wrote %s in %.1fs\n", dir, el.Seconds())
	fmt.Fprintln(w, "Coordination is evidence of organisation, not proof of who carried out the event.")
}
