package indicators

import (
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/model"
)

// onsetCorpus builds the onset scenario: cluster {A,B,C} co-reposts
// before T0, at T0+10m (not in the evidence) and at T0+1h (in the
// evidence); {D,E} (too small) at T0+1m; {F,G,H} co-hashtags at T0+5m on a
// non-significant edge and at T0+20m on a significant one.
func onsetCorpus(t *testing.T) (*corpus.Corpus, *coord.Result, []Cluster) {
	var b posts
	b.add("A", t0.Add(-2*time.Hour), "rt", repostOf("X"))
	b.add("B", t0.Add(-2*time.Hour+20*time.Second), "rt", repostOf("X"))
	b.add("C", t0.Add(-2*time.Hour+40*time.Second), "rt", repostOf("X"))
	b.add("A", t0.Add(10*time.Minute), "rt", repostOf("Y"))
	b.add("B", t0.Add(10*time.Minute+30*time.Second), "rt", repostOf("Y"))
	b.add("A", t0.Add(time.Hour), "rt", repostOf("Z"))
	b.add("B", t0.Add(time.Hour+10*time.Second), "rt", repostOf("Z"))
	b.add("D", t0.Add(time.Minute), "rt", repostOf("W"))
	b.add("E", t0.Add(time.Minute+5*time.Second), "rt", repostOf("W"))
	b.add("F", t0.Add(5*time.Minute), "x", tags("t1"))
	b.add("G", t0.Add(5*time.Minute+5*time.Second), "x", tags("t1"))
	b.add("G", t0.Add(20*time.Minute), "x", tags("t2"))
	b.add("H", t0.Add(20*time.Minute+5*time.Second), "x", tags("t2"))
	c := b.corpus()
	acc := func(id string) uint32 { return accountIndex(t, c, id) }
	post := func(id string) uint32 { return uint32(postIndex(t, c, id)) }
	edge := func(l model.Layer, a, bb string, q float64, ev ...[2]string) model.Edge {
		x, y := acc(a), acc(bb)
		if x > y {
			x, y = y, x
		}
		e := model.Edge{A: x, B: y, Layer: l, Q: q, P: q}
		for _, p := range ev {
			e.Evidence = append(e.Evidence, model.Evidence{PostA: post(p[0]), PostB: post(p[1])})
		}
		return e
	}
	res := &coord.Result{Layers: []coord.LayerResult{
		{Layer: model.LayerRepost, WindowMs: 60000, Edges: []model.Edge{
			edge(model.LayerRepost, "A", "B", 0.001, [2]string{"1", "2"}, [2]string{"6", "7"}),
			edge(model.LayerRepost, "A", "C", 0.01, [2]string{"1", "3"}),
			edge(model.LayerRepost, "D", "E", 0.001, [2]string{"8", "9"}),
		}},
		{Layer: model.LayerHashtag, WindowMs: 60000, Edges: []model.Edge{
			edge(model.LayerHashtag, "F", "G", 0.5, [2]string{"10", "11"}),
			edge(model.LayerHashtag, "G", "H", 0.01, [2]string{"12", "13"}),
		}},
	}}
	clusters := []Cluster{{ID: 0, Accounts: []uint32{acc("A"), acc("B"), acc("C")}}, {ID: 1, Accounts: []uint32{acc("F"), acc("G"), acc("H")}}, {ID: 2, Accounts: []uint32{acc("D"), acc("E")}}}
	return c, res, clusters
}

func TestOnsetLatency(t *testing.T) {
	c, res, clusters := onsetCorpus(t)
	past := []PastEvent{{Vector: map[string]float64{"onset_latency_s": 300}}, {Vector: map[string]float64{"onset_latency_s": 3600}}}
	r := mustCompute(t, Input{Corpus: c, Coord: res, Clusters: clusters, Event: Event{T0: t0}, Past: past}, testParams())
	o := r.OnsetLatency
	if o.Seconds == nil || *o.Seconds != 600 {
		t.Fatalf("onset %v s, want 600 (notes %q)", o.Seconds, o.Notes)
	}
	if *o.Cluster != 0 || o.ClusterSize != 3 || *o.FirstPost != "4" || o.Layer != "repost" || o.Source != "clusters" {
		t.Errorf("onset %+v", o)
	}
	if len(o.Accounts) != 2 || o.Accounts[0] != "A" || o.Accounts[1] != "B" {
		t.Errorf("accounts %v", o.Accounts)
	}
	if o.Past == nil || o.Past.N != 2 || *o.Past.Percentile != 50 {
		t.Errorf("past %+v", o.Past)
	}
	// Raising the minimum size to 4 leaves no cluster.
	p := testParams()
	p.OnsetMinAccounts = 4
	r = mustCompute(t, Input{Corpus: c, Coord: res, Clusters: clusters, Event: Event{T0: t0}}, p)
	if r.OnsetLatency.Seconds != nil || !hasNote(r.OnsetLatency.Notes, "no coordinated cluster of 4") {
		t.Errorf("min 4: %+v", r.OnsetLatency)
	}
	// Without clusters: connected components of the significant edges.
	r = mustCompute(t, Input{Corpus: c, Coord: res, Event: Event{T0: t0}}, testParams())
	if o := r.OnsetLatency; o.Seconds == nil || *o.Seconds != 600 || o.Source != "components" || o.ClusterSize != 3 {
		t.Errorf("components: %+v", o)
	}
	// T0 after every co-action.
	r = mustCompute(t, Input{Corpus: c, Coord: res, Clusters: clusters, Event: Event{T0: t0.Add(2 * time.Hour)}}, testParams())
	if r.OnsetLatency.Seconds != nil || !hasNote(r.OnsetLatency.Notes, "no coordinated co-action at or after T0") {
		t.Errorf("late T0: %+v", r.OnsetLatency)
	}
}

func TestOnsetEvidenceOnly(t *testing.T) {
	// With the exact scan unable to see the co-action (an evidence pair
	// more than a window apart), the evidence still sets the onset.
	c, res, clusters := onsetCorpus(t)
	res.Layers[0].WindowMs = 1 // the scan finds nothing within 1 ms
	r := mustCompute(t, Input{Corpus: c, Coord: res, Clusters: clusters, Event: Event{T0: t0}}, testParams())
	if o := r.OnsetLatency; o.Seconds == nil || *o.Seconds != 1200 || *o.Cluster != 1 {
		t.Errorf("onset %+v, want cluster 1 at 1200 s (hashtag evidence at T0+20m beats repost evidence at T0+1h)", o)
	}
}
