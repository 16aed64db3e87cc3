package cli

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/chorus-osint/chorus/internal/bench"
	"github.com/chorus-osint/chorus/internal/safefile"
)

func runBench(e *env, args []string) int {
	fs := newFlagSet(e, "bench", "[--sizes 100k,1m,10m] [--compare] [--out DIR] [-- ANALYZE FLAGS...]")
	sizes := fs.String("sizes", "100k,1m", "synthetic event sizes in posts")
	cache := fs.String("cache", filepath.Join(os.TempDir(), "chorus-bench"), "where generated data is kept between runs")
	out := fs.String("out", "bench-results", "directory for bench.md and bench.json")
	seed := fs.Uint64("seed", 1, "synth seed")
	compare := fs.Bool("compare", false, "also run the peer tools (QUT toolkit, CooRTweet) when installed")
	layers := fs.String("layers", "", "layers to analyse (default: chorus analyze's default)")
	extra, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	sz, err := bench.ParseSizes(*sizes)
	if err != nil {
		return fail(e, "bench", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return fail(e, "bench", err)
	}
	if *layers != "" {
		extra = append(extra, "--layers", *layers)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	rep, err := bench.Run(e.ctx, bench.Options{Sizes: sz, CacheDir: *cache, Exe: exe, Args: extra, Seed: *seed, Compare: *compare, Log: log})
	if err != nil {
		return fail(e, "bench", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fail(e, "bench", err)
	}
	var md strings.Builder
	bench.WriteMarkdown(&md, rep)
	if err := safefile.WriteBytes(filepath.Join(*out, "bench.md"), []byte(md.String())); err != nil {
		return fail(e, "bench", err)
	}
	js, _ := json.MarshalIndent(rep, "", "  ")
	if err := safefile.WriteBytes(filepath.Join(*out, "bench.json"), append(js, '\n')); err != nil {
		return fail(e, "bench", err)
	}
	fmt.Fprint(e.stdout, md.String())
	return exitOK
}
