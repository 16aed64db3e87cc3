// Package bench is the end-to-end benchmark harness behind `chorus bench`:
// for each size it generates (or reuses cached) synthetic data with
// internal/synth, runs `chorus analyze` on it in a child process (so peak
// RSS is per size), and tabulates wall time, CPU time, peak RSS,
// throughput and per-phase timings, optionally beside the peer tools.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chorus-osint/chorus/internal/results"
	"github.com/chorus-osint/chorus/internal/synth"
)

// ErrOptions marks invalid bench options.
var ErrOptions = errors.New("invalid bench options")

// Options configure a benchmark run.
type Options struct {
	Sizes []int
	// CacheDir holds generated data between runs.
	CacheDir string
	// Exe is the chorus binary to run (normally os.Executable()).
	Exe string
	// Args are extra `chorus analyze` arguments (e.g. --layers ...).
	Args []string
	Seed uint64
	// Compare runs the peer tools too, when installed.
	Compare bool
	Log     *slog.Logger
}

// Row is one size's measurement.
type Row struct {
	Posts         int                `json:"posts"`
	WallSeconds   float64            `json:"wall_s"`
	CPUSeconds    float64            `json:"cpu_s"`
	PeakRSSMB     float64            `json:"peak_rss_mb"`
	PostsPerSec   float64            `json:"posts_per_s"`
	Phases        map[string]float64 `json:"phases_s"`
	GenSeconds    float64            `json:"generate_s,omitempty"`
	Clusters      int                `json:"clusters"`
	Significant   int                `json:"significant_edges"`
	Peers         []PeerRow          `json:"peers,omitempty"`
	BytesPerPost  float64            `json:"peak_rss_bytes_per_post"`
	AnalyzeParams []string           `json:"analyze_args,omitempty"`
}

// Report is the whole run.
type Report struct {
	Started time.Time `json:"started"`
	Machine string    `json:"machine"`
	Rows    []Row     `json:"rows"`
	Notes   []string  `json:"notes,omitempty"`
}

// t0 of the synthetic events (the Paris attacks, 13 Nov 2015).
var benchT0 = time.Date(2015, 11, 13, 20, 20, 0, 0, time.UTC)

// ParseSizes parses "100k,1m,10m".
func ParseSizes(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, err := synth.ParseCount(part)
		if err != nil {
			return nil, fmt.Errorf("%w: size %q: %v", ErrOptions, part, err)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no sizes", ErrOptions)
	}
	return out, nil
}

// Run measures every size.
func Run(ctx context.Context, o Options) (*Report, error) {
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rep := &Report{Started: time.Now().UTC(), Machine: machine()}
	if err := os.MkdirAll(o.CacheDir, 0o755); err != nil {
		return nil, err
	}
	for _, n := range o.Sizes {
		posts := filepath.Join(o.CacheDir, fmt.Sprintf("synth-%d-seed%d.jsonl.gz", n, o.Seed))
		labels := strings.TrimSuffix(posts, ".jsonl.gz") + ".labels.json"
		row := Row{Posts: n, AnalyzeParams: o.Args}
		if _, err := os.Stat(labels); err != nil {
			log.Info("bench: generating", "posts", n)
			p := synth.Defaults()
			p.Posts, p.Seed, p.T0 = n, o.Seed, benchT0
			start := time.Now()
			if _, err := synth.Generate(ctx, p, posts, labels, log); err != nil {
				return rep, fmt.Errorf("generate %d posts: %w", n, err)
			}
			row.GenSeconds = time.Since(start).Seconds()
		}
		out, err := os.MkdirTemp(o.CacheDir, "analyze-")
		if err != nil {
			return rep, err
		}
		args := append([]string{"analyze", "--quiet", "--event", "bench", "--t0", benchT0.Format(time.RFC3339), "--out", out}, o.Args...)
		args = append(args, posts)
		log.Info("bench: analyzing", "posts", n)
		m, err := measure(ctx, o.Exe, args)
		if err != nil {
			return rep, fmt.Errorf("analyze %d posts: %w", n, err)
		}
		row.WallSeconds, row.CPUSeconds, row.PeakRSSMB = m.wall, m.cpu, m.rssMB
		row.PostsPerSec = float64(n) / m.wall
		row.BytesPerPost = m.rssMB * (1 << 20) / float64(n)
		row.Phases = map[string]float64{}
		if b, err := os.ReadFile(filepath.Join(out, "run.json")); err == nil {
			var run results.Run
			if json.Unmarshal(b, &run) == nil {
				for _, t := range run.Timings {
					row.Phases[t.Phase] = t.Seconds
				}
			}
		}
		if r, err := results.ReadResults(filepath.Join(out, "results.json")); err == nil {
			row.Clusters = len(r.Clusters)
			for _, l := range r.Layers {
				row.Significant += l.Significant
			}
		}
		if o.Compare {
			row.Peers, rep.Notes = comparePeers(ctx, o, posts, n, rep.Notes, log)
		}
		os.RemoveAll(out)
		rep.Rows = append(rep.Rows, row)
	}
	return rep, nil
}

type measurement struct {
	wall, cpu, rssMB float64
}

// measure runs exe with args and returns wall time, user+system CPU time
// and peak RSS of the child (from wait4's rusage).
func measure(ctx context.Context, exe string, args []string) (measurement, error) {
	cmd := exec.CommandContext(ctx, exe, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start).Seconds()
	if err != nil {
		msg := stderr.String()
		if len(msg) > 2000 {
			msg = msg[len(msg)-2000:]
		}
		return measurement{}, fmt.Errorf("%v: %s", err, msg)
	}
	m := measurement{wall: wall}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.cpu = tvSeconds(ru.Utime) + tvSeconds(ru.Stime)
		m.rssMB = float64(ru.Maxrss) / 1024
	}
	return m, nil
}

func tvSeconds(tv syscall.Timeval) float64 {
	return float64(tv.Sec) + float64(tv.Usec)/1e6
}

// machine describes the host for the table.
func machine() string {
	cpus := strconv.Itoa(numCPU())
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "MemTotal:") {
				f := strings.Fields(line)
				if len(f) >= 2 {
					kb, _ := strconv.ParseFloat(f[1], 64)
					mem = fmt.Sprintf(", %.0f GiB", kb/(1<<20))
				}
			}
		}
	}
	return cpus + " cores" + mem
}
