// Package detect is the incremental live detector: co-action state over a
// sliding horizon of post time, updated as posts arrive, with significance
// re-tested and clusters found on every Evaluate (docs/live.md, "Detector").
package detect

import (
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
)

// ErrConfig marks a configuration the detector cannot run with.
var ErrConfig = errors.New("live detector configuration")

// post is one held post.
type post struct {
	t       int64  // post time, unix ms
	seq     uint64 // arrival order (ties of t)
	arrival int64  // wall time received, unix ns
	key     uint64 // de-duplication key (0: none)
	acct    uint32
	lang    uint64 // language key for the null's classes (coord.LanguageKey; 0: classes off)
	objs    []heldObj
}

type heldObj struct {
	layer uint8 // index into Detector.layers
	obj   uint32
}

// Detector holds the co-action state of the posts inside the horizon. All
// methods are safe for concurrent use; Add and Evaluate serialise on one
// lock (Evaluate's cost is documented in docs/live.md).
type Detector struct {
	mu     sync.Mutex
	log    *slog.Logger
	cfg    config.Config
	params coord.Params
	t0     time.Time // zero: alert on any new cluster

	horizonMs int64
	maxPosts  int
	now       func() time.Time

	layers []*layerState
	x      extractor

	// Accounts: interned keys with a count of held posts; ids are reused.
	acctIDs  map[string]uint32
	acctKey  []string
	acctName []string
	acctRefs []uint32
	acctFree []uint32
	keyBuf   []byte

	posts    []post
	postFree []uint32
	held     int
	byTime   postHeap
	seen     map[uint64]uint32 // de-duplication key -> slot
	hseed    maphash.Seed
	seq      uint64
	maxT     int64
	dropped  int64
	dupes    int64
	haveMaxT bool
	received int // posts given to Add

	ids      identities
	nulls    []nullHist // per layer: running stratum null
	evals    uint64
	permNext int // round-robin cursor of the stratum null
	last     Result
}

// New builds a detector from the one config: cfg.Coord (layers,
// windows[0], min-weight, min-participation, max-partners, permutations,
// alpha, seed), cfg.Event (T0; empty T0 = alert on any new cluster),
// cfg.Cluster and cfg.Live (Horizon, MaxPosts). Layers without a live form
// (near_text, image) are skipped with a log line.
func New(cfg config.Config, log *slog.Logger) (*Detector, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(cfg.Coord.Windows) == 0 {
		return nil, fmt.Errorf("%w: --window needs at least one duration", ErrConfig)
	}
	if cfg.Live.Horizon <= 0 {
		return nil, fmt.Errorf("%w: --live-horizon must be positive", ErrConfig)
	}
	if cfg.Live.MaxPosts < 1 {
		return nil, fmt.Errorf("%w: --live-max-posts must be at least 1", ErrConfig)
	}
	params, err := pipeline.CoordParams(&cfg, cfg.Coord.Windows[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	d := &Detector{log: log, cfg: cfg, params: params, horizonMs: cfg.Live.Horizon.Milliseconds(),
		maxPosts: cfg.Live.MaxPosts, now: time.Now, acctIDs: map[string]uint32{}, seen: map[uint64]uint32{},
		hseed: maphash.MakeSeed()}
	if cfg.Event.T0 != "" {
		loc, err := cfg.Location()
		if err != nil {
			return nil, err
		}
		if d.t0, err = ingest.ParseTime(cfg.Event.T0, loc); err != nil {
			return nil, fmt.Errorf("%w: --t0: %v", ErrConfig, err)
		}
	}
	var skipped []string
	for _, l := range params.Layers {
		if !supported(l) {
			skipped = append(skipped, l.String())
			continue
		}
		d.x.want[l] = true
		d.layers = append(d.layers, newLayerState(l, params.Window[l].Milliseconds(), params.MaxPartners))
	}
	d.x.minSeq = params.MinHashtagSeq
	d.nulls = make([]nullHist, len(d.layers))
	if len(skipped) > 0 {
		log.Info("live detector: layers without a live form are skipped", "layers", strings.Join(skipped, ","))
	}
	if len(d.layers) == 0 {
		return nil, fmt.Errorf("%w: no layer with a live form among %v (live: repost, hashtag, hashtag_seq, url, domain, text, reply, mention, staggered)", ErrConfig, cfg.Coord.Layers)
	}
	d.ids.minJaccard = 0.5
	d.ids.keep = 4096
	return d, nil
}

// Add feeds posts (already de-duplicated by the caller; roughly, not
// strictly, in time order). A post whose (platform, id) is already held is
// ignored; a post older than the horizon (behind the newest post time by
// more than cfg.Live.Horizon) is dropped and counted. The caller may reuse
// posts afterwards: nothing of them is kept but interned keys.
func (d *Detector) Add(posts []model.Post) {
	d.mu.Lock()
	defer d.mu.Unlock()
	arrival := d.now().UnixNano()
	d.received += len(posts)
	for i := range posts {
		d.add(&posts[i], arrival)
	}
	d.evict()
}

func (d *Detector) add(p *model.Post, arrival int64) {
	t := p.Time.UnixMilli()
	if d.haveMaxT && t < d.maxT-d.horizonMs {
		d.dropped++
		return
	}
	key := d.postKey(p)
	if key != 0 {
		if _, dup := d.seen[key]; dup {
			d.dupes++
			return
		}
	}
	d.keyBuf = appendAccountKey(d.keyBuf[:0], p.Platform, p.AccountID, p.Handle)
	acct := d.account(p)
	d.x.extract(p, d.keyBuf)

	var slot uint32
	if n := len(d.postFree); n > 0 {
		slot = d.postFree[n-1]
		d.postFree = d.postFree[:n-1]
	} else {
		slot = uint32(len(d.posts))
		d.posts = append(d.posts, post{})
	}
	d.seq++
	ps := &d.posts[slot]
	*ps = post{t: t, seq: d.seq, arrival: arrival, key: key, acct: acct, objs: ps.objs[:0]}
	if d.params.NullByLanguage {
		ps.lang = coord.LanguageKey(p.Lang)
	}
	for _, r := range d.x.refs {
		li := d.layerIndex(r.layer)
		s := d.layers[li]
		s.growAccounts(len(d.acctKey))
		o := s.object(d.x.key(r), p)
		ps.objs = append(ps.objs, heldObj{layer: uint8(li), obj: o})
		s.insert(o, act{t: t, seq: d.seq, acct: acct, slot: slot})
	}
	if key != 0 {
		d.seen[key] = slot
	}
	d.byTime.push(heapItem{t: t, seq: d.seq, slot: slot})
	d.held++
	if !d.haveMaxT || t > d.maxT {
		d.maxT, d.haveMaxT = t, true
	}
}

func (d *Detector) layerIndex(l model.Layer) int {
	for i, s := range d.layers {
		if s.layer == l {
			return i
		}
	}
	panic("BUG: detect: object of a layer that is not computed")
}

// postKey is the post's identity for de-duplication: platform, id and
// reposted id (corpus.Build's identity), hashed; 0 when the post has no id.
func (d *Detector) postKey(p *model.Post) uint64 {
	if p.ID == "" {
		return 0
	}
	var h maphash.Hash
	h.SetSeed(d.hseed)
	h.WriteByte(byte(p.Platform))
	h.WriteString(p.ID)
	h.WriteByte(0)
	h.WriteString(p.RepostOf.PostID)
	k := h.Sum64()
	if k == 0 {
		k = 1
	}
	return k
}

// account interns the account key in d.keyBuf.
func (d *Detector) account(p *model.Post) uint32 {
	if a, ok := d.acctIDs[string(d.keyBuf)]; ok {
		d.acctRefs[a]++
		return a
	}
	k := string(d.keyBuf)
	name := strings.TrimPrefix(p.Handle, "@")
	if name == "" {
		name = p.AccountID
	}
	var a uint32
	if n := len(d.acctFree); n > 0 {
		a = d.acctFree[n-1]
		d.acctFree = d.acctFree[:n-1]
		d.acctKey[a], d.acctName[a], d.acctRefs[a] = k, name, 1
	} else {
		a = uint32(len(d.acctKey))
		d.acctKey = append(d.acctKey, k)
		d.acctName = append(d.acctName, name)
		d.acctRefs = append(d.acctRefs, 1)
	}
	d.acctIDs[k] = a
	return a
}

// evict removes the oldest posts while they are older than the horizon
// or more than MaxPosts are held. Eviction follows (time, arrival) order,
// so an evicted post's action is the first of every run it is in.
func (d *Detector) evict() {
	for d.byTime.len() > 0 {
		top := d.byTime.min()
		if top.t >= d.maxT-d.horizonMs && d.held <= d.maxPosts {
			return
		}
		d.byTime.pop()
		d.remove(top.slot)
		d.dropped++
	}
}

func (d *Detector) remove(slot uint32) {
	ps := &d.posts[slot]
	for _, h := range ps.objs {
		d.layers[h.layer].removeFirst(h.obj, slot)
	}
	if ps.key != 0 {
		delete(d.seen, ps.key)
	}
	a := ps.acct
	if d.acctRefs[a]--; d.acctRefs[a] == 0 {
		delete(d.acctIDs, d.acctKey[a])
		d.acctKey[a], d.acctName[a] = "", ""
		d.acctFree = append(d.acctFree, a)
	}
	*ps = post{objs: ps.objs[:0]}
	d.postFree = append(d.postFree, slot)
	d.held--
}

// Snapshot returns the last Result (for the dashboard and API) without
// recomputing.
func (d *Detector) Snapshot() Result {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.last
}

// Stats describes the held state (for tests, metrics and the memory bound).
type Stats struct {
	Posts, Accounts, Objects int
	Actions, Pairs           int
	PairObjects              int
	Duplicates, Dropped      int64
	Bytes                    int
}

// Stats returns the size of the held state.
func (d *Detector) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := Stats{Posts: d.held, Accounts: len(d.acctIDs), Duplicates: d.dupes, Dropped: d.dropped}
	st.Bytes = len(d.posts)*64 + len(d.acctKey)*48 + d.byTime.len()*24
	for _, s := range d.layers {
		st.Objects += len(s.objIDs)
		st.Actions += s.actions
		st.Pairs += s.pairs.Len()
		st.PairObjects += s.pairObj.Len()
		st.Bytes += s.bytes()
	}
	return st
}

// heapItem orders held posts for eviction.
type heapItem struct {
	t    int64
	seq  uint64
	slot uint32
}

// postHeap is a binary min-heap on (t, seq).
type postHeap struct{ a []heapItem }

func (h *postHeap) len() int      { return len(h.a) }
func (h *postHeap) min() heapItem { return h.a[0] }
func less(x, y *heapItem) bool    { return x.t < y.t || x.t == y.t && x.seq < y.seq }
func (h *postHeap) push(x heapItem) {
	h.a = append(h.a, x)
	i := len(h.a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !less(&h.a[i], &h.a[p]) {
			break
		}
		h.a[i], h.a[p] = h.a[p], h.a[i]
		i = p
	}
}

func (h *postHeap) pop() heapItem {
	top := h.a[0]
	n := len(h.a) - 1
	h.a[0] = h.a[n]
	h.a = h.a[:n]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && less(&h.a[l], &h.a[m]) {
			m = l
		}
		if r < n && less(&h.a[r], &h.a[m]) {
			m = r
		}
		if m == i {
			return top
		}
		h.a[i], h.a[m] = h.a[m], h.a[i]
		i = m
	}
}
