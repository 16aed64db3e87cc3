package graph

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// benchGraph is an LFR-like graph (see lfrLike: community sizes 20..1000,
// μ = 0.3, heavy-tailed degrees, weights 1..4) with at least the requested
// number of distinct edges: duplicate draws are merged by FromEdges, so the
// number of draws is raised until enough distinct edges remain.
type benchGraph struct {
	el edgeList
	g  *CSR
}

func makeBenchGraph(n, edges int) benchGraph {
	draws := edges
	for {
		el := lfrLike(uint64(n), n, draws, 0.3, 20, 1000)
		g := el.csr()
		if got := g.NumEdges(); got >= edges {
			return benchGraph{el, g}
		} else {
			draws = int(float64(draws)*float64(edges)/float64(got)*1.002) + 1
		}
	}
}

var benchGraphs = map[string]func() benchGraph{
	"50k_500k": sync.OnceValue(func() benchGraph { return makeBenchGraph(50_000, 500_000) }),
	"200k_2M":  sync.OnceValue(func() benchGraph { return makeBenchGraph(200_000, 2_000_000) }),
}

var benchSizes = []string{"50k_500k", "200k_2M"}

func benchCluster(b *testing.B, run func(*CSR, Options) Result) {
	for _, size := range benchSizes {
		b.Run(size, func(b *testing.B) {
			bg := benchGraphs[size]()
			b.ReportAllocs()
			b.ResetTimer()
			var r Result
			for i := 0; b.Loop(); i++ {
				r = run(bg.g, Options{Seed: uint64(i)})
			}
			b.ReportMetric(r.Modularity, "Q")
			b.ReportMetric(float64(r.Communities), "communities")
		})
	}
}

func BenchmarkLouvain(b *testing.B) { benchCluster(b, Louvain) }
func BenchmarkLeiden(b *testing.B)  { benchCluster(b, Leiden) }

func BenchmarkFromEdges(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size, func(b *testing.B) {
			el := benchGraphs[size]().el
			b.ReportAllocs()
			b.SetBytes(int64(len(el.src)) * 16) // src, dst, weight per edge
			for b.Loop() {
				FromEdges(el.n, el.src, el.dst, el.w)
			}
		})
	}
}

func BenchmarkModularity(b *testing.B) {
	bg := benchGraphs["200k_2M"]()
	b.ReportAllocs()
	for b.Loop() {
		Modularity(bg.g, bg.el.truth, 1)
	}
}

func BenchmarkSurvivalDegree(b *testing.B) {
	bg := benchGraphs["200k_2M"]()
	m := Leiden(bg.g, Options{Seed: 1}).Membership
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		SurvivalDegree(bg.g, m)
	}
}

func BenchmarkComponents(b *testing.B) {
	bg := benchGraphs["200k_2M"]()
	b.ReportAllocs()
	for b.Loop() {
		Components(bg.g)
	}
}

// TestWriteBenchGraph writes the benchmark graphs as edge lists ("a b w",
// 0-based, one undirected edge per line) into $CHORUS_GRAPH_BENCH_DIR, for
// the igraph comparison in testdata/igraph_bench.R (see docs/clusters.md).
// Skipped unless the variable is set.
func TestWriteBenchGraph(t *testing.T) {
	dir := os.Getenv("CHORUS_GRAPH_BENCH_DIR")
	if dir == "" {
		t.Skip("set CHORUS_GRAPH_BENCH_DIR to write the benchmark graphs")
	}
	for _, size := range benchSizes {
		g := benchGraphs[size]().g
		path := filepath.Join(dir, "lfr_"+size+".txt")
		if err := writeEdgeList(path, g); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d nodes, %d edges", path, g.NumNodes(), g.NumEdges())
	}
}

func writeEdgeList(path string, g *CSR) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	for i := range g.NumNodes() {
		for e := g.Offsets[i]; e < g.Offsets[i+1]; e++ {
			if j := g.Targets[e]; uint32(i) < j {
				if _, err := fmt.Fprintf(w, "%d %d %g\n", i, j, g.Weights[e]); err != nil {
					return err
				}
			}
		}
	}
	return w.Flush()
}
