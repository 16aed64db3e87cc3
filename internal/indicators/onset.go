package indicators

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/model"
)

// OnsetLatency is the time from T0 to the first co-action at or after T0
// inside a coordinated cluster of at least onset-min-accounts accounts.
type OnsetLatency struct {
	Seconds *float64 `json:"seconds"`
	// Cluster is the cluster's ID (as in results.json's clusters, or a
	// component number when clusters were not given).
	Cluster     *int       `json:"cluster"`
	ClusterSize int        `json:"cluster_size"`
	FirstPost   *string    `json:"first_post"`
	FirstTime   *time.Time `json:"first_coaction"`
	Layer       string     `json:"layer,omitempty"`
	// Accounts are the two accounts of the first co-action.
	Accounts    []string `json:"accounts"`
	MinAccounts int      `json:"min_accounts"`
	// Source is "clusters" or "components" (connected components of the
	// significant edges, used when no clusters were given).
	Source string   `json:"source"`
	Past   *Past    `json:"past"`
	Notes  []string `json:"notes"`
}

// onsetHit is a cluster's earliest co-action found so far.
type onsetHit struct {
	t     int64
	post  uint32
	other uint32
	layer model.Layer
	ok    bool
}

func (h *onsetHit) offer(t int64, post, other uint32, l model.Layer) {
	if !h.ok || t < h.t || t == h.t && post < h.post {
		*h = onsetHit{t: t, post: post, other: other, layer: l, ok: true}
	}
}

func (s *state) onsetLatency() (o OnsetLatency) {
	o = OnsetLatency{MinAccounts: s.p.OnsetMinAccounts, Accounts: []string{}, Notes: []string{}}
	defer func() { o.Past = pastStats(s.in.Past, "onset_latency_s", o.Seconds) }()
	if len(s.in.Past) == 0 {
		o.Notes = append(o.Notes, "event library empty: no comparison with past events")
	}
	if s.in.Coord == nil {
		o.Notes = append(o.Notes, "no coordination result")
		return o
	}
	c := s.c
	numAcc := c.NumAccounts()
	clusters := s.in.Clusters
	o.Source = "clusters"
	if clusters == nil {
		clusters = significantComponents(s.in.Coord, numAcc, s.p.Alpha)
		o.Source = "components"
	}
	memb := make([]int32, numAcc)
	for i := range memb {
		memb[i] = -1
	}
	var big []int
	for k, cl := range clusters {
		if len(cl.Accounts) < s.p.OnsetMinAccounts {
			continue
		}
		big = append(big, k)
		for _, a := range cl.Accounts {
			if int(a) < numAcc {
				memb[a] = int32(k)
			}
		}
	}
	if len(big) == 0 {
		o.Notes = append(o.Notes, fmt.Sprintf("no coordinated cluster of %d or more accounts", s.p.OnsetMinAccounts))
		return o
	}
	hits := make([]onsetHit, len(clusters))
	// Evidence posts of significant internal edges, and the edge sets for
	// the exact scan (evidence is capped per edge and need not include the
	// earliest co-action).
	edgeSet := make([]map[uint64]struct{}, model.NumLayers)
	window := make([]int64, model.NumLayers)
	for li := range s.in.Coord.Layers {
		lr := &s.in.Coord.Layers[li]
		window[lr.Layer] = lr.WindowMs
		for ei := range lr.Edges {
			e := &lr.Edges[ei]
			if e.Q > s.p.Alpha || int(e.A) >= numAcc || int(e.B) >= numAcc {
				continue
			}
			k := memb[e.A]
			if k < 0 || memb[e.B] != k {
				continue
			}
			if edgeSet[lr.Layer] == nil {
				edgeSet[lr.Layer] = map[uint64]struct{}{}
			}
			edgeSet[lr.Layer][uint64(e.A)<<32|uint64(e.B)] = struct{}{}
			for _, ev := range e.Evidence {
				if int(ev.PostA) >= s.n || int(ev.PostB) >= s.n {
					continue
				}
				ta, tb := c.Time[ev.PostA], c.Time[ev.PostB]
				if ta < s.t0 || tb < s.t0 {
					continue
				}
				if ta <= tb {
					hits[k].offer(ta, ev.PostA, ev.PostB, lr.Layer)
				} else {
					hits[k].offer(tb, ev.PostB, ev.PostA, lr.Layer)
				}
			}
		}
	}
	for l := model.Layer(0); l < model.NumLayers; l++ {
		if edgeSet[l] != nil && window[l] >= 0 {
			s.scanOnset(l, window[l], memb, edgeSet[l], hits)
		}
	}
	best := -1
	for _, k := range big {
		h := &hits[k]
		if h.ok && (best < 0 || h.t < hits[best].t || h.t == hits[best].t && h.post < hits[best].post) {
			best = k
		}
	}
	if best < 0 {
		o.Notes = append(o.Notes, "no coordinated co-action at or after T0")
		return o
	}
	h := hits[best]
	id := clusters[best].ID
	pid := c.PostID.At(int(h.post))
	o.Seconds = fptr(secs(h.t - s.t0))
	o.Cluster, o.ClusterSize, o.FirstPost, o.FirstTime = &id, len(clusters[best].Accounts), &pid, msTimePtr(h.t)
	o.Layer = h.layer.String()
	o.Accounts = []string{c.AccountID(c.Account[h.post]), c.AccountID(c.Account[h.other])}
	return o
}

// scanOnset finds, per cluster, the earliest pair of posts at or after T0
// by two accounts of the cluster joined by a significant edge of layer l,
// acting on the same object within the layer's window.
func (s *state) scanOnset(l model.Layer, window int64, memb []int32, edges map[uint64]struct{}, hits []onsetHit) {
	if l == model.LayerHashtagSeq {
		return // objects are tag sequences; evidence covers this layer
	}
	c := s.c
	type act struct {
		obj  uint64
		t    int64
		post uint32
	}
	var acts []act
	var objs []uint64
	for i := s.i0; i < s.n; i++ {
		if memb[c.Account[i]] < 0 {
			continue
		}
		objs = s.layerObjects(l, i, objs[:0])
		for _, ob := range objs {
			acts = append(acts, act{ob, c.Time[i], uint32(i)})
		}
	}
	slices.SortFunc(acts, func(a, b act) int {
		if a.obj != b.obj {
			return cmp.Compare(a.obj, b.obj)
		}
		if a.t != b.t {
			return cmp.Compare(a.t, b.t)
		}
		return cmp.Compare(a.post, b.post)
	})
	const maxPartners = 256
	for j := 0; j < len(acts); {
		k := j
		for k < len(acts) && acts[k].obj == acts[j].obj {
			k++
		}
		run := acts[j:k]
		j = k
		for x := range run {
			a := c.Account[run[x].post]
			ca := memb[a]
			if hits[ca].ok && hits[ca].t <= run[x].t {
				continue
			}
			for y := x + 1; y < len(run) && y <= x+maxPartners && run[y].t-run[x].t <= window; y++ {
				b := c.Account[run[y].post]
				if b == a || memb[b] != ca {
					continue
				}
				lo, hi := min(a, b), max(a, b)
				if _, ok := edges[uint64(lo)<<32|uint64(hi)]; ok {
					hits[ca].offer(run[x].t, run[x].post, run[y].post, l)
					break
				}
			}
		}
	}
}

// layerObjects appends the objects post i acts on in layer l, as the
// engine defines them (internal/coord/actions.go).
func (s *state) layerObjects(l model.Layer, i int, dst []uint64) []uint64 {
	c := s.c
	switch l {
	case model.LayerRepost:
		if c.Repost[i] != ids.None && c.RepostAcc[i] != c.Account[i] {
			dst = append(dst, uint64(c.Repost[i]))
		}
	case model.LayerHashtag:
		for _, t := range c.PostTags(i) {
			dst = append(dst, uint64(t))
		}
	case model.LayerURL:
		for _, u := range c.PostURLs(i) {
			dst = append(dst, uint64(u))
		}
	case model.LayerDomain:
		for _, u := range c.PostURLs(i) {
			d := uint64(c.URLDomain[u])
			if !slices.Contains(dst, d) {
				dst = append(dst, d)
			}
		}
	case model.LayerText, model.LayerStaggered:
		if h := c.TextHash[i]; h != 0 && c.Repost[i] == ids.None {
			dst = append(dst, h)
		}
	case model.LayerNearText:
		if nd := s.in.NearDup; nd != nil && nd.Cluster[i] != ids.None {
			dst = append(dst, uint64(nd.Cluster[i]))
		}
	case model.LayerImage:
		for _, m := range c.PostMedia(i) {
			dst = append(dst, uint64(m))
		}
	case model.LayerReply:
		if c.Reply[i] != ids.None {
			dst = append(dst, uint64(c.Reply[i]))
		}
	case model.LayerMention:
		for _, m := range c.PostMentions(i) {
			dst = append(dst, uint64(m))
		}
	}
	return dst
}

// significantComponents returns the connected components of the
// significant edges of every layer, largest first (ties: smallest
// account), with IDs in that order.
func significantComponents(res *coord.Result, numAcc int, alpha float64) []Cluster {
	parent := make([]uint32, numAcc)
	for i := range parent {
		parent[i] = uint32(i)
	}
	find := func(x uint32) uint32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	linked := make([]bool, numAcc)
	for li := range res.Layers {
		for _, e := range res.Layers[li].Edges {
			if e.Q > alpha || int(e.A) >= numAcc || int(e.B) >= numAcc {
				continue
			}
			linked[e.A], linked[e.B] = true, true
			ra, rb := find(e.A), find(e.B)
			if ra != rb {
				parent[max(ra, rb)] = min(ra, rb)
			}
		}
	}
	groups := map[uint32][]uint32{}
	for a := range numAcc {
		if linked[a] {
			r := find(uint32(a))
			groups[r] = append(groups[r], uint32(a))
		}
	}
	out := make([]Cluster, 0, len(groups))
	for _, g := range groups {
		out = append(out, Cluster{Accounts: g})
	}
	slices.SortFunc(out, func(a, b Cluster) int {
		if len(a.Accounts) != len(b.Accounts) {
			return len(b.Accounts) - len(a.Accounts)
		}
		return cmp.Compare(a.Accounts[0], b.Accounts[0])
	})
	for k := range out {
		out[k].ID = k
	}
	return out
}
