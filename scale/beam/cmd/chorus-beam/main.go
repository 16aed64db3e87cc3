// Command chorus-beam runs chorus's co-action and significance passes as
// an Apache Beam pipeline (docs/scale.md): on Prism locally, or on Flink,
// Spark or Dataflow. It writes edges.csv, evidence.csv and layers.json in
// the local engine's formats.
//
//	chorus-beam --out DIR [chorus coord/ingest flags] [Beam flags] FILE...
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/flink"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/spark"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/scale/beam/beamcoord"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Stderr))
}

// run parses flags from flag.CommandLine (Beam registers its runner flags
// there) and runs the pipeline. The same binary is the Beam worker:
// beam.Init hands control to the worker harness when started as one.
func run(ctx context.Context, stderr io.Writer) int {
	cfg := config.Default()
	cfg.Coord.Layers = []string{"repost", "hashtag", "hashtag_seq", "url", "domain", "text", "reply", "mention", "staggered"}
	cfg.Coord.ImageRadius = 0
	cfg.BindFlags(flag.CommandLine, "ingest", "coord")
	out := flag.String("out", "", "output directory (local path, gs://…, s3://…)")
	hot := flag.Int("hot-key-posts", 1<<18, "split objects with more actions than this into time slices (0: never)")
	sliceWindows := flag.Int("hot-key-slice-windows", 64, "length of a hot object's time slice, in windows")
	pairBuckets := flag.Int("pair-buckets", 1024, "keys per layer the account pairs are folded in (raise with the data: each holds 1/N of a layer's pairs)")
	statsJSON := flag.Bool("stats", false, "print wall time and the bytes encoded per record type (in-process runners: the shuffle) as JSON on stderr")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the launching process (with Prism: runner and workers) to this file")
	memProfile := flag.String("memprofile", "", "write a heap profile at the end to this file")
	flag.Parse()
	beam.Init()

	files := flag.Args()
	if *out == "" || len(files) == 0 {
		fmt.Fprintln(stderr, "usage: chorus-beam --out DIR [flags] FILE... (chorus-beam --help lists the flags)")
		return 2
	}
	if err := cfg.Validate(); err != nil {
		return fail(stderr, err)
	}
	params, err := pipeline.CoordParams(&cfg, cfg.Coord.Windows[0])
	if err != nil {
		return fail(stderr, err)
	}
	bp, err := beamcoord.FromCoord(&params, cfg.Coord.ImageRadius)
	if err != nil {
		return fail(stderr, err)
	}
	bp.HotKeyPosts, bp.PairBuckets = *hot, *pairBuckets
	bp.EvidenceP = pipeline.CorroborationP(&cfg)
	var inputs []beamcoord.Input
	for i, f := range files {
		inputs = append(inputs, beamcoord.Input{Index: i, Path: f})
	}
	p, s := beam.NewPipelineWithRoot()
	if *sliceWindows > 0 {
		// One slice length for every layer: the longest window's multiple.
		var w int64
		for _, l := range bp.Layers {
			w = max(w, bp.WindowMs[l])
		}
		bp.SliceMs = int64(*sliceWindows) * max(w, 1)
	}
	in := beamcoord.IngestOptions{Format: cfg.Ingest.Format, TZ: cfg.Ingest.TZ, Strict: cfg.Ingest.Strict}
	if in.Map, err = cfg.ColumnMap(); err != nil {
		return fail(stderr, err)
	}
	if err := beamcoord.Build(s, inputs, bp, in, *out); err != nil {
		return fail(stderr, err)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fail(stderr, err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fail(stderr, err)
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	if *memProfile != "" {
		// Sample the heap while the pipeline runs: its peak is mid-run.
		stopHeap := make(chan struct{})
		defer close(stopHeap)
		go sampleHeap(*memProfile, stopHeap)
	}
	pr, err := beamx.RunWithMetrics(ctx, p)
	if err != nil {
		return fail(stderr, err)
	}
	if *statsJSON {
		counters := map[string]int64{}
		if pr != nil {
			for _, c := range pr.Metrics().AllMetrics().Counters() {
				counters[c.Key.Namespace+"/"+c.Key.Name] += c.Result()
			}
		}
		enc := json.NewEncoder(stderr)
		enc.Encode(struct {
			Seconds  float64                 `json:"seconds"`
			Encoded  []beamcoord.ShuffleStat `json:"encoded"`
			Counters map[string]int64        `json:"counters"`
		}{time.Since(start).Seconds(), beamcoord.ShuffleStats(), counters})
	}
	return 0
}

// sampleHeap writes a heap profile every 20 s, keeping the one taken at
// the largest heap.
func sampleHeap(path string, stop <-chan struct{}) {
	var peak uint64
	t := time.NewTicker(20 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse <= peak {
			continue
		}
		peak = ms.HeapInuse
		if f, err := os.Create(path); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
}

func fail(w io.Writer, err error) int {
	fmt.Fprintf(w, "chorus-beam: %v\n", err)
	if errors.Is(err, config.ErrInvalid) || errors.Is(err, beamcoord.ErrUnsupported) {
		return 2
	}
	return 1
}
