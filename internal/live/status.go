package live

import (
	"context"
	"slices"
	"time"

	"github.com/chorus-osint/chorus/internal/live/detect"
)

// Status is GET /api/live: the detector's last evaluation and the live
// counters (docs/api.md documents the fields).
type Status struct {
	// LastEvaluation is the wall time of the last evaluation (zero before
	// the first tick).
	LastEvaluation time.Time   `json:"last_evaluation"`
	Tick           string      `json:"tick"`
	Horizon        string      `json:"horizon"`
	Detector       DetectorDoc `json:"detector"`
	Counters       Counters    `json:"counters"`
	Store          StoreDoc    `json:"store"`
	// LatencyMs summarises the detection latency of the alerts raised
	// since start (time from the detector receiving a cluster's first
	// co-action post to its alert).
	LatencyMs LatencySummary `json:"latency_ms"`
}

// Counters count since the process started.
type Counters struct {
	Messages    int64 `json:"messages"`
	BadMessages int64 `json:"bad_messages"`
	Decoded     int64 `json:"posts_decoded"`
	Skipped     int64 `json:"records_skipped"`
	New         int64 `json:"posts_new"`
	Duplicates  int64 `json:"posts_duplicate"`
	Stale       int64 `json:"posts_stale"`
	Rebuilt     int64 `json:"posts_rebuilt"`
	Alerts      int64 `json:"alerts"`
	WebhookSent int64 `json:"webhook_sent"`
	WebhookFail int64 `json:"webhook_failed"`
	WebhookDrop int64 `json:"webhook_dropped"`
}

// StoreDoc describes the recorded posts.
type StoreDoc struct {
	Keys         int64     `json:"keys"`
	Held         int64     `json:"held"`
	Newest       time.Time `json:"newest,omitzero"`
	PrunedBefore time.Time `json:"pruned_before,omitzero"`
}

// LatencySummary is a small distribution summary.
type LatencySummary struct {
	N   int   `json:"n"`
	P50 int64 `json:"p50"`
	P90 int64 `json:"p90"`
	Max int64 `json:"max"`
}

// DetectorDoc is detect.Result with stable JSON names.
type DetectorDoc struct {
	At         time.Time    `json:"at,omitzero"`
	From       time.Time    `json:"from,omitzero"`
	To         time.Time    `json:"to,omitzero"`
	Posts      int          `json:"posts"`
	Accounts   int          `json:"accounts"`
	Dropped    int64        `json:"dropped"`
	EvalMillis int64        `json:"eval_ms"`
	Clusters   []ClusterDoc `json:"clusters"`
	Layers     []LayerDoc   `json:"layers"`
}

// ClusterDoc is one significant cluster.
type ClusterDoc struct {
	ID            int       `json:"id"`
	Accounts      []string  `json:"accounts"`
	Layers        []string  `json:"layers"`
	Edges         int       `json:"edges"`
	FirstCoAction time.Time `json:"first_co_action"`
	LastCoAction  time.Time `json:"last_co_action"`
	FirstPostSeen time.Time `json:"first_post_seen,omitzero"`
	TopObjects    []string  `json:"top_objects,omitempty"`
	New           bool      `json:"new"`
}

// LayerDoc is one layer's statistics.
type LayerDoc struct {
	Layer       string `json:"layer"`
	Actions     int    `json:"actions"`
	Pairs       int    `json:"pairs"`
	Significant int    `json:"significant"`
	// Corroborated ties: below significance, added by the group or
	// membership test.
	Corroborated int `json:"corroborated"`
}

func detectorDoc(r detect.Result) DetectorDoc {
	d := DetectorDoc{At: r.At, From: r.Horizon[0], To: r.Horizon[1], Posts: r.Posts, Accounts: r.Accounts,
		Dropped: r.Dropped, EvalMillis: r.EvalMillis, Clusters: []ClusterDoc{}, Layers: []LayerDoc{}}
	isNew := map[int]bool{}
	for _, c := range r.New {
		isNew[c.ID] = true
	}
	for _, c := range r.Clusters {
		d.Clusters = append(d.Clusters, ClusterDoc{ID: c.ID, Accounts: c.Accounts, Layers: c.Layers, Edges: c.Edges,
			FirstCoAction: c.FirstCoAction, LastCoAction: c.LastCoAction, FirstPostSeen: c.FirstPostSeen,
			TopObjects: c.TopObjects, New: isNew[c.ID]})
	}
	for _, l := range r.Layers {
		d.Layers = append(d.Layers, LayerDoc(l))
	}
	return d
}

// Status implements server.LiveFeed.
func (p *Pipeline) Status(ctx context.Context) (any, error) { return p.status(ctx) }

func (p *Pipeline) status(ctx context.Context) (Status, error) {
	st := Status{
		Tick: p.cfg.Live.Tick.String(), Horizon: p.cfg.Live.Horizon.String(),
		Detector: detectorDoc(p.det.Snapshot()),
		Counters: p.counters(),
	}
	c, err := p.store.LiveCounts(ctx)
	if err != nil {
		return st, err
	}
	st.Store = StoreDoc{Keys: c.Keys, Held: c.Held}
	if c.Newest != 0 {
		st.Store.Newest = time.UnixMilli(c.Newest).UTC()
	}
	if c.PrunedBefore != 0 {
		st.Store.PrunedBefore = time.UnixMilli(c.PrunedBefore).UTC()
	}
	p.mu.Lock()
	st.LastEvaluation = p.lastEval
	lat := slices.Clone(p.latency)
	p.mu.Unlock()
	st.LatencyMs = summarize(lat)
	return st, nil
}

// counters reads the counters.
func (p *Pipeline) counters() Counters {
	c := Counters{
		Messages: p.messages.Load(), BadMessages: p.badMessages.Load(), Decoded: p.decoded.Load(),
		Skipped: p.skipped.Load(), New: p.fresh.Load(), Duplicates: p.duplicates.Load(), Stale: p.stale.Load(),
		Rebuilt: p.rebuilt, Alerts: p.alerts.Load(),
	}
	if p.hook != nil {
		c.WebhookSent, c.WebhookFail, c.WebhookDrop = p.hook.sent.Load(), p.hook.failed.Load(), p.hook.dropped.Load()
	}
	return c
}

func summarize(d []time.Duration) LatencySummary {
	if len(d) == 0 {
		return LatencySummary{}
	}
	slices.Sort(d)
	q := func(f float64) int64 { return d[min(len(d)-1, int(f*float64(len(d))))].Milliseconds() }
	return LatencySummary{N: len(d), P50: q(0.5), P90: q(0.9), Max: d[len(d)-1].Milliseconds()}
}
