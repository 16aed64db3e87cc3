package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/chorus-osint/chorus/internal/results"
)

// maxDrawnEdges bounds the edges of the network picture.
const maxDrawnEdges = 4000

// netNode is one account of the network picture.
type netNode struct {
	ID      string
	Handle  string
	Cluster int // -1: in no cluster
	Degree  float64
}

// netEdge is one significant account pair (all layers merged).
type netEdge struct {
	A, B   int // node indices, A < B
	Layers int
	Weight float64
}

// netSample is the bounded part of the significant network the report
// draws: the accounts of the largest clusters first, at most maxNodes.
type netSample struct {
	nodes []netNode
	edges []netEdge
	// size is each cluster's full size.
	size map[int]int
	// TotalNodes and TotalEdges describe the whole significant network;
	// DroppedEdges counts edges among drawn nodes left out by the
	// maxDrawnEdges bound.
	TotalNodes, TotalEdges, DroppedEdges int
	missing                              bool // no edges.csv
}

// maxNetClusters bounds the clusters drawn, so that each gets room.
const maxNetClusters = 40

// sampleNetwork picks at most maxNodes accounts (see allocateNodes) and
// streams edges.csv for the significant edges among them.
func sampleNetwork(dir string, res *results.Results, maxNodes int) (*netSample, error) {
	size := map[int]int{}
	ns := &netSample{TotalNodes: len(res.Accounts), TotalEdges: res.Edges, size: size}
	for _, c := range res.Clusters {
		size[c.ID] = c.Size
	}
	accs := slices.Clone(res.Accounts)
	clusterOf := func(a *results.Account) int {
		if a.Cluster == nil {
			return -1
		}
		return *a.Cluster
	}
	slices.SortStableFunc(accs, func(a, b results.Account) int {
		ca, cb := clusterOf(&a), clusterOf(&b)
		sa, sb := size[ca], size[cb]
		if ca < 0 {
			sa = -1
		}
		if cb < 0 {
			sb = -1
		}
		switch {
		case sa != sb:
			return sb - sa
		case ca != cb:
			return ca - cb
		case a.Degree != b.Degree:
			if a.Degree > b.Degree {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	accs = allocateNodes(accs, clusterOf, maxNodes)
	idx := make(map[string]int, len(accs))
	for i := range accs {
		a := &accs[i]
		ns.nodes = append(ns.nodes, netNode{ID: a.ID, Handle: a.Handle, Cluster: clusterOf(a), Degree: a.Degree})
		idx[a.ID] = i
	}
	f, err := os.Open(filepath.Join(dir, "edges.csv"))
	if errors.Is(err, fs.ErrNotExist) {
		ns.missing = true
		return ns, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tab, err := results.ReadTable(f, "edges.csv", "source", "target", "weight", "significant")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrResultDir, err)
	}
	pairs := map[[2]int]int{}
	for {
		err := tab.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			return nil, fmt.Errorf("read edges.csv: %w", err)
		}
		// Edges in the network: significant, or corroborated by the group
		// or membership test.
		if tab.Raw("significant") != "1" && tab.Raw("corroboration") == "" {
			continue
		}
		a, oka := idx[tab.Text("source")]
		b, okb := idx[tab.Text("target")]
		if !oka || !okb || a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		w, _ := strconv.ParseFloat(tab.Raw("weight"), 64)
		k := [2]int{a, b}
		if i, ok := pairs[k]; ok {
			ns.edges[i].Layers++
			ns.edges[i].Weight += w
			continue
		}
		pairs[k] = len(ns.edges)
		ns.edges = append(ns.edges, netEdge{A: a, B: b, Layers: 1, Weight: w})
	}
	if len(ns.edges) > maxDrawnEdges {
		slices.SortStableFunc(ns.edges, func(x, y netEdge) int {
			switch {
			case x.Weight > y.Weight:
				return -1
			case x.Weight < y.Weight:
				return 1
			}
			return 0
		})
		ns.DroppedEdges = len(ns.edges) - maxDrawnEdges
		ns.edges = ns.edges[:maxDrawnEdges]
	}
	slices.SortFunc(ns.edges, func(x, y netEdge) int {
		if x.A != y.A {
			return x.A - y.A
		}
		return x.B - y.B
	})
	return ns, nil
}

// allocateNodes keeps at most maxNodes of accs (sorted by cluster, largest
// first, then by degree): the maxNetClusters largest clusters share the
// budget by water-filling — every cluster gets min(size, c) of its most
// connected accounts for the largest c that fits, and what is left goes
// to the largest clusters — so that one huge cluster cannot hide the
// others. Accounts in no cluster come last, if room is left.
func allocateNodes(accs []results.Account, clusterOf func(*results.Account) int, maxNodes int) []results.Account {
	if len(accs) <= maxNodes {
		return accs
	}
	type run struct{ start, n int }
	var runs []run
	var loose []results.Account
	for i := 0; i < len(accs); {
		j := i
		for j < len(accs) && clusterOf(&accs[j]) == clusterOf(&accs[i]) {
			j++
		}
		if clusterOf(&accs[i]) < 0 {
			loose = append(loose, accs[i:j]...)
		} else if len(runs) < maxNetClusters {
			runs = append(runs, run{i, j - i})
		}
		i = j
	}
	take := make([]int, len(runs))
	total := func(c int) int {
		t := 0
		for _, r := range runs {
			t += min(r.n, c)
		}
		return t
	}
	c := 0
	for total(c+1) <= maxNodes && total(c+1) > total(c) {
		c++
	}
	left := maxNodes - total(c)
	for i, r := range runs {
		take[i] = min(r.n, c)
		if left > 0 && r.n > take[i] {
			take[i]++
			left--
		}
	}
	out := make([]results.Account, 0, maxNodes)
	for i, r := range runs {
		out = append(out, accs[r.start:r.start+take[i]]...)
	}
	if room := maxNodes - len(out); room > 0 {
		out = append(out, loose[:min(room, len(loose))]...)
	}
	return out
}
