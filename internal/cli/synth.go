package cli

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/chorus-osint/chorus/internal/synth"
)

// countFlag is a flag.Value for counts with k/m suffixes.
type countFlag struct{ n *int }

func (c countFlag) String() string {
	if c.n == nil {
		return "0"
	}
	return strconv.Itoa(*c.n)
}

func (c countFlag) Set(s string) error {
	v, err := synth.ParseCount(s)
	if err != nil {
		return err
	}
	*c.n = v
	return nil
}

// timeFlag is a flag.Value for RFC 3339 times.
type timeFlag struct{ t *time.Time }

func (f timeFlag) String() string {
	if f.t == nil || f.t.IsZero() {
		return ""
	}
	return f.t.Format(time.RFC3339)
}

func (f timeFlag) Set(s string) error {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("want RFC 3339, e.g. 2015-11-13T20:20:00Z")
	}
	*f.t = t.UTC()
	return nil
}

func runSynth(e *env, args []string) int {
	p := synth.Defaults()
	p.T0 = time.Time{}
	fs := newFlagSet(e, "synth", "--posts N --seed S --t0 TIME --out posts.jsonl.gz --labels labels.json [flags]")
	fs.Var(countFlag{&p.Posts}, "posts", "number of posts (sizes like 100k, 1m accepted)")
	fs.Var(countFlag{&p.Accounts}, "accounts", "number of accounts (0: posts/40)")
	fs.Uint64Var(&p.Seed, "seed", p.Seed, "random seed; the same seed gives byte-identical files")
	fs.Var(timeFlag{&p.T0}, "t0", "event time T0 (RFC 3339, required)")
	fs.Var(timeFlag{&p.TClaim}, "t-claim", "time the attack is claimed (default t0+12h)")
	fs.StringVar(&p.Place, "place", "", "event place (default: picked by the seed)")
	fs.IntVar(&p.PreDays, "pre-days", p.PreDays, "days generated before t0")
	fs.IntVar(&p.PostDays, "post-days", p.PostDays, "days generated after t0")
	fs.Float64Var(&p.Density, "density", p.Density, "probability that a group member takes part in each coordinated action")
	fs.Float64Var(&p.Jitter, "jitter", p.Jitter, "spread in seconds of members' posts inside one synchronous action")
	fs.Float64Var(&p.Overlap, "overlap", p.Overlap, "organic activity of planted accounts (1: like an ordinary account)")
	fs.Float64Var(&p.Noise, "noise", p.Noise, "organic volume multiplier (total = planted + noise x organic)")
	fs.IntVar(&p.Groups, "groups", p.Groups, "planted groups per coordination kind (6 kinds)")
	fs.IntVar(&p.Actions, "actions", p.Actions, "coordinated actions per group")
	fs.IntVar(&p.GroupMax, "group-max", 0, "largest group size (0: accounts/60, between 8 and 200)")
	fs.Float64Var(&p.AssertBefore, "assert-before", p.AssertBefore, "share of planted supporters' posts asserting the attribution before t-claim")
	fs.Float64Var(&p.AssertAfter, "assert-after", p.AssertAfter, "same, after t-claim")
	fs.IntVar(&p.Hyperactive, "hyperactive", 0, "hyperactive organic accounts (0: max(5, accounts/1000))")
	fs.IntVar(&p.Workers, "workers", 2, "render/compress goroutines (does not change the output)")
	out := fs.String("out", "", "posts file (generic JSONL; gzip when it ends in .gz)")
	labels := fs.String("labels", "", "ground-truth labels file (JSON)")
	pos, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(e.stderr, "chorus synth: unexpected argument %q (all inputs are flags)\n", pos[0])
		return exitUsage
	}
	if *out == "" || *labels == "" {
		fmt.Fprintln(e.stderr, "chorus synth: --out and --labels are required")
		return exitUsage
	}
	if err := p.Validate(); err != nil {
		fmt.Fprintf(e.stderr, "chorus synth: %v\n", err)
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	res, err := synth.Generate(e.ctx, p, *out, *labels, log)
	if err != nil {
		return fail(e, "synth", err)
	}
	fmt.Fprintf(e.stdout, "wrote %d posts by %d accounts (%d planted in %d groups) to %s, labels to %s in %.1fs\n",
		res.Posts, res.Accounts, res.Planted, res.Groups, *out, *labels, res.Elapsed.Seconds())
	return exitOK
}
