package pipeline

import (
	"context"
	"runtime"
	"slices"
	"sort"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/graph"
	"github.com/chorus-osint/chorus/internal/model"
)

// NetEdge is an edge of the multiplex network: the significant edges of
// every layer between two accounts, summed.
type NetEdge struct {
	A, B   uint32 // account IDs, A < B
	Weight float64
	// Layers lists the layers in which the pair's edge is significant;
	// Edges points at those edges in the coord result.
	Layers []model.Layer
	Edges  []*model.Edge
}

// Cluster is one coordinated cluster.
type Cluster struct {
	ID       int
	Accounts []uint32 // account IDs, sorted by degree (core first), then ID
	// Layers and the number of significant internal edges in each.
	Layers     map[model.Layer]int
	Edges      int
	Density    float64
	FirstMs    int64
	LastMs     int64
	MedianDtMs int64
	// TopObjects per layer: objects most co-acted on inside the cluster.
	TopObjects map[model.Layer][]ObjectCount
	// Posts behind the cluster (evidence post indices), time-ordered.
	Posts []uint32
}

// ObjectCount is an object and how many internal edges' evidence name it.
type ObjectCount struct {
	Object uint32
	Count  int
	// Post is one post that acted on the object (for labels).
	Post uint32
}

// Network is the significant multiplex account network and its clusters.
type Network struct {
	Edges []NetEdge
	// Cluster[a] is account a's cluster ID, or -1.
	Cluster []int32
	// Degree[a] is account a's coordination degree (threshold survival).
	Degree   []float64
	Clusters []Cluster
	// Modularity of the partition of the significant network.
	Modularity float64
}

// AccountsInClusters counts accounts assigned to a cluster.
func (n *Network) AccountsInClusters() int {
	k := 0
	for _, c := range n.Clusters {
		k += len(c.Accounts)
	}
	return k
}

// maxClusterPosts bounds the evidence posts kept per cluster.
const maxClusterPosts = 200

// TestGroups runs the group test and then the membership test
// (coord.TestGroups, coord.TestMembers) on every layer of res with cfg's
// parameters.
func TestGroups(ctx context.Context, res *coord.Result, cfg *config.Config) {
	workers := cfg.Coord.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	coord.TestGroups(ctx, res, coord.GroupParams{
		P: cfg.Coord.GroupP, Truss: cfg.Coord.GroupTruss, MinAccounts: cfg.Coord.GroupMinAccounts, Resamples: cfg.Coord.GroupResamples,
		MaxEdges: cfg.Coord.GroupMaxTies, Alpha: cfg.Coord.Alpha, Seed: cfg.Coord.Seed, Workers: workers,
	})
	coord.TestMembers(res, cfg.Coord.MemberP, cfg.Coord.Alpha)
}

// CorroborationP is the largest own p-value of a tie that the group or
// membership test can add to the network (0: both tests off). An engine
// that runs elsewhere (Beam) keeps the evidence of the ties up to it, so
// that `analyze --from-edges` can show the posts behind every tie its
// tests corroborate.
func CorroborationP(cfg *config.Config) float64 {
	p := 0.0
	if cfg.Coord.GroupResamples > 0 && cfg.Coord.GroupTruss >= 3 {
		p = cfg.Coord.GroupP
	}
	return max(p, cfg.Coord.MemberP)
}

// BuildNetwork sums the significant edges of every layer, the ties of the
// groups significant in the group test and those of corroborated members,
// into one account network,
// clusters it (Leiden or Louvain, seeded), and describes each cluster.
func BuildNetwork(c *corpus.Corpus, res *coord.Result, cfg *config.Config) *Network {
	numAcc := c.NumAccounts()
	net := &Network{Cluster: make([]int32, numAcc), Degree: make([]float64, numAcc)}
	for i := range net.Cluster {
		net.Cluster[i] = -1
	}
	alpha := cfg.Coord.Alpha
	type key = uint64
	idx := map[key]int{}
	for li := range res.Layers {
		lr := &res.Layers[li]
		corr := lr.Corroborated()
		for ei := range lr.Edges {
			e := &lr.Edges[ei]
			if _, ok := corr[ei]; e.Q > alpha && !ok {
				continue
			}
			k := uint64(e.A)<<32 | uint64(e.B)
			j, ok := idx[k]
			if !ok {
				j = len(net.Edges)
				idx[k] = j
				net.Edges = append(net.Edges, NetEdge{A: e.A, B: e.B})
			}
			ne := &net.Edges[j]
			ne.Weight += e.Weight
			ne.Layers = append(ne.Layers, lr.Layer)
			ne.Edges = append(ne.Edges, e)
		}
	}
	slices.SortFunc(net.Edges, func(x, y NetEdge) int {
		if x.A != y.A {
			return int(x.A) - int(y.A)
		}
		return int(x.B) - int(y.B)
	})
	if len(net.Edges) == 0 {
		return net
	}
	// Compact node IDs: accounts with a significant edge, in account order.
	node := make([]int32, numAcc)
	for i := range node {
		node[i] = -1
	}
	var accOf []uint32
	for _, e := range net.Edges {
		for _, a := range [2]uint32{e.A, e.B} {
			if node[a] < 0 {
				node[a] = 0
			}
		}
	}
	for a := range node {
		if node[a] == 0 {
			node[a] = int32(len(accOf))
			accOf = append(accOf, uint32(a))
		}
	}
	src := make([]uint32, len(net.Edges))
	dst := make([]uint32, len(net.Edges))
	w := make([]float64, len(net.Edges))
	for i, e := range net.Edges {
		src[i], dst[i], w[i] = uint32(node[e.A]), uint32(node[e.B]), e.Weight
	}
	g := graph.FromEdges(len(accOf), src, dst, w)
	opts := graph.Options{Resolution: cfg.Cluster.Resolution, Seed: cfg.Coord.Seed}
	var part graph.Result
	if cfg.Cluster.Algorithm == "louvain" {
		part = graph.Louvain(g, opts)
	} else {
		part = graph.Leiden(g, opts)
	}
	net.Modularity = part.Modularity
	deg := graph.SurvivalDegree(g, part.Membership)

	// Communities come numbered by decreasing size, ties by smallest
	// member: stable across reruns of the same input.
	members := make([][]uint32, part.Communities)
	for n, comm := range part.Membership {
		members[comm] = append(members[comm], uint32(n))
	}
	pairsIn := map[model.Layer]int64{}
	for _, lr := range res.Layers {
		pairsIn[lr.Layer] = lr.Pairs
	}
	for comm, ms := range members {
		if len(ms) < cfg.Cluster.MinSize {
			continue
		}
		if len(ms) == 2 && !lonePairHolds(net, accOf[ms[0]], accOf[ms[1]], alpha, pairsIn) {
			continue
		}
		cl := Cluster{ID: len(net.Clusters), Layers: map[model.Layer]int{}, TopObjects: map[model.Layer][]ObjectCount{}}
		for _, n := range ms {
			a := accOf[n]
			cl.Accounts = append(cl.Accounts, a)
			net.Cluster[a] = int32(cl.ID)
			net.Degree[a] = deg[n]
		}
		sort.SliceStable(cl.Accounts, func(i, j int) bool {
			di, dj := net.Degree[cl.Accounts[i]], net.Degree[cl.Accounts[j]]
			if di != dj {
				return di > dj
			}
			return cl.Accounts[i] < cl.Accounts[j]
		})
		_ = comm
		net.Clusters = append(net.Clusters, cl)
	}
	describeClusters(c, net)
	return net
}

// lonePairHolds decides whether a community of two accounts is reported.
// A lone pair has no other member to corroborate it, and at FDR alpha some
// of the thousands of significant edges of a large event are false, so its
// edge must also survive family-wise (Bonferroni) correction in at least
// one layer: P <= alpha / pairs tested in that layer.
func lonePairHolds(net *Network, a, b uint32, alpha float64, pairsIn map[model.Layer]int64) bool {
	if a > b {
		a, b = b, a
	}
	i, ok := slices.BinarySearchFunc(net.Edges, [2]uint32{a, b}, func(e NetEdge, k [2]uint32) int {
		if e.A != k[0] {
			return int(e.A) - int(k[0])
		}
		return int(e.B) - int(k[1])
	})
	if !ok {
		return false
	}
	for k, e := range net.Edges[i].Edges {
		if e.P <= alpha/float64(max(1, pairsIn[net.Edges[i].Layers[k]])) {
			return true
		}
	}
	return false
}

// describeClusters fills each cluster's layers, density, times, top
// objects and evidence posts from its internal edges.
func describeClusters(c *corpus.Corpus, net *Network) {
	type objKey struct {
		layer model.Layer
		obj   uint32
	}
	counts := make([]map[objKey]ObjectCount, len(net.Clusters))
	dts := make([][]int64, len(net.Clusters))
	posts := make([][]uint32, len(net.Clusters))
	for i := range net.Clusters {
		counts[i] = map[objKey]ObjectCount{}
		net.Clusters[i].FirstMs = -1
	}
	for _, ne := range net.Edges {
		ca, cb := net.Cluster[ne.A], net.Cluster[ne.B]
		if ca < 0 || ca != cb {
			continue
		}
		cl := &net.Clusters[ca]
		cl.Edges++
		for k, e := range ne.Edges {
			l := ne.Layers[k]
			cl.Layers[l]++
			dts[ca] = append(dts[ca], e.MedianDtMs)
			for _, ev := range e.Evidence {
				k := objKey{l, ev.Object}
				oc := counts[ca][k]
				if oc.Count == 0 {
					oc = ObjectCount{Object: ev.Object, Post: ev.PostA}
				}
				oc.Count++
				counts[ca][k] = oc
				for _, p := range [2]uint32{ev.PostA, ev.PostB} {
					t := c.Time[p]
					if cl.FirstMs < 0 || t < cl.FirstMs {
						cl.FirstMs = t
					}
					if t > cl.LastMs {
						cl.LastMs = t
					}
					posts[ca] = append(posts[ca], p)
				}
			}
		}
	}
	for i := range net.Clusters {
		cl := &net.Clusters[i]
		n := float64(len(cl.Accounts))
		if n > 1 {
			cl.Density = float64(cl.Edges) / (n * (n - 1) / 2)
		}
		if len(dts[i]) > 0 {
			slices.Sort(dts[i])
			cl.MedianDtMs = dts[i][len(dts[i])/2]
		}
		byLayer := map[model.Layer][]ObjectCount{}
		for k, v := range counts[i] {
			byLayer[k.layer] = append(byLayer[k.layer], v)
		}
		for l, objs := range byLayer {
			slices.SortFunc(objs, func(x, y ObjectCount) int {
				if x.Count != y.Count {
					return y.Count - x.Count
				}
				return int(x.Object) - int(y.Object)
			})
			cl.TopObjects[l] = objs[:min(len(objs), 5)]
		}
		ps := posts[i]
		slices.Sort(ps)
		ps = slices.Compact(ps)
		if len(ps) > maxClusterPosts {
			ps = ps[:maxClusterPosts]
		}
		cl.Posts = ps
	}
}
