//go:build unix

package graph

import (
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// TestTimeBenchGraph times our Louvain and Leiden on the benchmark graphs
// the way testdata/igraph_bench.R times igraph's: several runs, elapsed and
// CPU time (user + system, all threads, so GC work is included) for each.
// CPU time is reported because the machine is shared and elapsed time
// swings with load. Skipped unless CHORUS_GRAPH_BENCH_DIR is set.
func TestTimeBenchGraph(t *testing.T) {
	if os.Getenv("CHORUS_GRAPH_BENCH_DIR") == "" {
		t.Skip("set CHORUS_GRAPH_BENCH_DIR to time the benchmark graphs")
	}
	cpu := func() time.Duration { return cpuTime(t) }
	for _, size := range benchSizes {
		g := benchGraphs[size]().g
		for _, alg := range algorithms {
			for run := range 3 {
				runtime.GC()
				w0, c0 := time.Now(), cpu()
				r := alg.run(g, Options{Seed: uint64(run + 1)})
				wall, used := time.Since(w0), cpu()-c0
				t.Logf("%s %-8s run %d: %.3f s elapsed, %.3f s CPU, Q = %.5f, %d communities, %d levels",
					size, alg.name, run+1, wall.Seconds(), used.Seconds(), r.Modularity, r.Communities, r.Levels)
			}
		}
	}
}

// TestTimeGonum times gonum's community.Modularize on the 50k benchmark
// graph, once (it takes minutes). Skipped unless CHORUS_GRAPH_BENCH_GONUM
// is set.
func TestTimeGonum(t *testing.T) {
	if os.Getenv("CHORUS_GRAPH_BENCH_GONUM") == "" {
		t.Skip("set CHORUS_GRAPH_BENCH_GONUM to time gonum (minutes)")
	}
	g := benchGraphs["50k_500k"]().g
	runtime.GC()
	w0, c0 := time.Now(), cpuTime(t)
	_, q := gonumModularize(g, 1, 1)
	t.Logf("50k_500k gonum Modularize: %.1f s elapsed, %.1f s CPU, Q = %.5f",
		time.Since(w0).Seconds(), (cpuTime(t) - c0).Seconds(), q)
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
