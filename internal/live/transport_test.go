package live

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/server"
	"github.com/chorus-osint/chorus/internal/store"
	"github.com/chorus-osint/chorus/internal/synth"
)

// transport is one stream under test: how to publish to it and how to
// consume it. crashAfter (may be nil) is handed to the consumer.
type transport struct {
	name      string
	publisher func(t *testing.T) Publisher
	consumer  func(t *testing.T, p *Pipeline, crashAfter func(int) bool) server.Ingester
}

// natsTransport starts a real NATS server with JetStream in-process (the
// embedded server of --nats-embedded, on a random loopback port).
func natsTransport(t *testing.T) transport {
	e, err := StartEmbeddedNATS("nats://127.0.0.1:0", filepath.Join(t.TempDir(), "nats"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Shutdown)
	lc := testConfig().Live
	lc.NATS = e.URL()
	return transport{
		name: "nats",
		publisher: func(t *testing.T) Publisher {
			pub, err := openNATSPublisher(context.Background(), e.URL(), lc.NATSStream, lc.NATSSubject)
			if err != nil {
				t.Fatal(err)
			}
			return pub
		},
		consumer: func(t *testing.T, p *Pipeline, crashAfter func(int) bool) server.Ingester {
			n, err := NewNATS(p, lc, nil)
			if err != nil {
				t.Fatal(err)
			}
			n.AckWait = time.Second
			n.Batch = testBatch // several acks per run
			n.crashAfter = crashAfter
			return n
		},
	}
}

// kafkaTransport starts franz-go's in-process fake Kafka (3 partitions,
// so posts arrive only roughly in time order).
func kafkaTransport(t *testing.T) transport {
	lc := testConfig().Live
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, lc.KafkaTopic))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	lc.Kafka = c.ListenAddrs()
	return transport{
		name: "kafka",
		publisher: func(t *testing.T) Publisher {
			pub, err := openKafkaPublisher(lc.Kafka, lc.KafkaTopic)
			if err != nil {
				t.Fatal(err)
			}
			return pub
		},
		consumer: func(t *testing.T, p *Pipeline, crashAfter func(int) bool) server.Ingester {
			k, err := NewKafka(p, lc, nil)
			if err != nil {
				t.Fatal(err)
			}
			k.Batch = testBatch // several commits per run
			k.crashAfter = crashAfter
			return k
		},
	}
}

// testBatch is the consumers' batch (records or messages per store
// commit and ack) and crashAt the message count after which the crash
// runs stop their first consumer. A consumer checks for the crash after
// each batch, so it stops having handled at most crashAt+testBatch-1 =
// 35 messages: fewer than the distinct messages of the smallest event
// (2,998 posts in messages of at most 64 under the race detector, so at
// least 47), which keeps the crash partial however the messages were
// spread over polls and partitions. (With 64-record Kafka polls and a
// crash at 40 a slow consumer's first poll could hold a copy of every
// message, and the "partial run" check failed in CI.)
const (
	testBatch = 16
	crashAt   = 20
)

// twice publishes every message two times (a producer retry, a replay
// of the same file), so exactly-once is exercised on every post.
type twice struct{ Publisher }

func (p twice) Publish(ctx context.Context, b []byte) error {
	if err := p.Publisher.Publish(ctx, b); err != nil {
		return err
	}
	return p.Publisher.Publish(ctx, b)
}

// run is one replay of the synthetic event through a transport into a
// consumer, the pipeline and the real detector.
type run struct {
	db      *store.Store
	sink    *sink
	sent    map[string]time.Time // post ID -> wall time first published
	final   detectResult
	alerts  []server.Alert
	alertAt []time.Time // wall time each alert arrived
	elapsed time.Duration
}

// replayRun replays the event (every message twice) at speed (0: max)
// through tr. With crashAt > 0 the first consumer stops after crashAt
// messages without acknowledging its last batch, and a second consumer
// with a new pipeline on the same store and stream finishes the run.
func replayRun(t *testing.T, tr transport, speed float64, crashAt int) *run {
	e := synthEvent(t)
	cfg := testConfig()
	r := &run{db: openStore(t, filepath.Join(t.TempDir(), "chorus.db")), sink: &sink{}, sent: map[string]time.Time{}}
	start := time.Now()
	p := newPipeline(t, r.db, cfg, nil)
	stopEval := runIngester(t, p.Evaluator(), r.sink)
	var crashed atomic.Bool
	var crash func(int) bool
	if crashAt > 0 {
		crash = func(n int) bool {
			if n >= crashAt {
				crashed.Store(true)
				return true
			}
			return false
		}
	}
	stopCons := runIngester(t, tr.consumer(t, p, crash), r.sink)

	pub := tr.publisher(t)
	var mu sync.Mutex
	st, err := Replay(context.Background(), e.posts, twice{pub}, ReplayOptions{Speed: speed, MaxBatch: 64,
		OnPublish: func(posts []model.Post, at time.Time) {
			mu.Lock()
			for i := range posts {
				if _, ok := r.sent[posts[i].ID]; !ok {
					r.sent[posts[i].ID] = at
				}
			}
			mu.Unlock()
		}})
	pub.Close()
	if err != nil {
		t.Fatal(err)
	}
	if st.Sent != int64(len(e.posts)) {
		t.Fatalf("replay sent %d of %d posts", st.Sent, len(e.posts))
	}
	want := int64(distinctKeys(e.posts))
	if crashAt > 0 && st.Messages < int64(crashAt+testBatch) {
		t.Fatalf("%d distinct messages published; a crash after %d (batch %d) could record them all", st.Messages, crashAt, testBatch)
	}
	if crashAt > 0 {
		waitFor(t, 30*time.Second, "the first consumer to crash", crashed.Load)
		stopCons()
		stopEval()
		if k := storeKeys(t, r.db); k == 0 || k >= want {
			t.Fatalf("crash after %d messages left %d of %d posts recorded; the test needs a partial run", crashAt, k, want)
		}
		// Restart: a new pipeline rebuilt from the store, a new consumer
		// on the same durable consumer / group.
		p = newPipeline(t, r.db, cfg, nil)
		runIngester(t, p.Evaluator(), r.sink)
		runIngester(t, tr.consumer(t, p, nil), r.sink)
	}
	waitFor(t, 60*time.Second, fmt.Sprintf("all %d posts recorded", want), func() bool { return storeKeys(t, r.db) >= want })
	// Two more ticks so the evaluation after the last post has run.
	time.Sleep(3 * cfg.Live.Tick)
	waitFor(t, 30*time.Second, "an evaluation after the last post", func() bool {
		return p.det.Snapshot().Posts >= int(want)
	})
	r.elapsed = time.Since(start)
	// Nothing lost, nothing double-counted: the store holds every
	// distinct post once, and (after a grace period for redeliveries)
	// no more.
	time.Sleep(300 * time.Millisecond)
	if k := storeKeys(t, r.db); k != want {
		t.Fatalf("%s: store holds %d posts, want the %d distinct posts published (each twice)", tr.name, k, want)
	}
	r.final, err = p.det.Evaluate(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r.final.Posts != int(want) {
		t.Fatalf("%s: detector holds %d posts, want %d", tr.name, r.final.Posts, want)
	}
	alerts, at, _ := r.sink.snapshot()
	r.alerts, r.alertAt = alerts, at
	// No cluster is alerted twice, also across the restart (where the
	// rebuilt detector numbers clusters afresh): no two alerts share
	// half their members.
	sets := make([][]string, len(alerts))
	for i, a := range alerts {
		sets[i] = slices.Sorted(slices.Values(a.Accounts))
		for j := range i {
			if jaccard(sets[i], sets[j]) >= 0.5 {
				t.Errorf("%s: alerts %d (cluster %d) and %d (cluster %d) are the same cluster", tr.name, j, alerts[j].Cluster, i, a.Cluster)
			}
		}
	}
	c := p.counters()
	t.Logf("%s: %d posts (%d distinct) published twice in %s, %d messages decoded, %d new / %d duplicate (this pipeline), %d rebuilt, %d alerts; total %s",
		tr.name, len(e.posts), want, st.Elapsed.Round(time.Millisecond), c.Messages, c.New, c.Duplicates, c.Rebuilt, len(alerts), r.elapsed.Round(time.Millisecond))
	return r
}

// groupMatch is how a planted group was found.
type groupMatch struct {
	group   synth.Group
	cluster int
	overlap int
	// latency from the publication of the group's first coordinated post
	// to the alert; lag from the publication of its last coordinated post.
	latency, lag time.Duration
}

// checkPlanted matches the final clusters to the planted groups and
// measures detection latency from the alerts.
func checkPlanted(t *testing.T, name string, r *run) []groupMatch {
	e := synthEvent(t)
	handleID := map[string]string{}
	for i := range e.posts {
		h := e.posts[i].Handle
		if h == "" {
			h = e.posts[i].AccountID
		}
		handleID[h] = e.posts[i].AccountID
	}
	planted := map[string]bool{}
	for id := range e.lab.PlantedAccounts {
		planted[id] = true
	}
	for _, id := range e.lab.Ignored {
		planted[id] = true // outlets: neither positive nor negative
	}
	var flagged, organic int
	var matches []groupMatch
	required := 0
	for _, g := range e.lab.Groups {
		if !slices.Contains(testLayers, g.Layer) {
			continue
		}
		required++
		members := map[string]bool{}
		for _, m := range g.Members {
			members[m] = true
		}
		best := groupMatch{group: g, cluster: -1}
		for _, c := range r.final.Clusters {
			n := 0
			for _, a := range c.Accounts {
				if members[handleID[a]] {
					n++
				}
			}
			if n > best.overlap {
				best.cluster, best.overlap = c.ID, n
			}
		}
		if best.overlap < max(3, len(g.Members)/2) {
			t.Logf("%s: group %d (%s, %d members) not found (best overlap %d)", name, g.ID, g.Layer, len(g.Members), best.overlap)
			continue
		}
		// First and last coordinated posts of the group.
		var first, last time.Time
		for i := range e.posts {
			q := &e.posts[i]
			if !members[q.AccountID] {
				continue
			}
			for _, a := range g.Actions {
				if !q.Time.Before(a.Start) && !q.Time.After(a.End) {
					s := r.sent[q.ID]
					if first.IsZero() || s.Before(first) {
						first = s
					}
					if s.After(last) {
						last = s
					}
					break
				}
			}
		}
		// The alert of the group: the first alert made mostly of its
		// members (a cluster is alerted when first significant, often
		// smaller than it ends; it is not alerted again as it grows).
		ai := -1
		for i, a := range r.alerts {
			n := 0
			for _, h := range a.Accounts {
				if members[handleID[h]] {
					n++
				}
			}
			if n >= 2 && 2*n > len(a.Accounts) {
				ai = i
				break
			}
		}
		if ai < 0 {
			t.Errorf("%s: group %d matches cluster %d, but no alert holds it", name, g.ID, best.cluster)
			continue
		}
		at := r.alertAt[ai]
		best.latency, best.lag = at.Sub(first), at.Sub(last)
		matches = append(matches, best)
	}
	for _, c := range r.final.Clusters {
		for _, a := range c.Accounts {
			flagged++
			if !planted[handleID[a]] {
				organic++
			}
		}
	}
	if required == 0 {
		t.Fatal("the synthetic event has no planted group in the live layers")
	}
	t.Logf("%s: %d of %d planted groups found; %d flagged accounts, %d organic", name, len(matches), required, flagged, organic)
	// Under the race detector the event is smaller (3,000 posts) and its
	// smallest groups are not always significant.
	minFound := 0.75
	if raceEnabled {
		minFound = 0.5
	}
	if float64(len(matches)) < minFound*float64(required) {
		t.Errorf("%s: only %d of %d planted groups found as alerted clusters (want >= %.0f%%)", name, len(matches), required, 100*minFound)
	}
	if flagged == 0 || float64(organic) > 0.1*float64(flagged) {
		t.Errorf("%s: %d of %d flagged accounts are organic (want <= 10%%)", name, organic, flagged)
	}
	return matches
}

// latencyBound is the slack allowed between the publication of a group's
// last coordinated post and its alert: a few ticks and an evaluation
// (several times that under the race detector).
const latencyBound = 5 * time.Second

func checkLatency(t *testing.T, name string, ms []groupMatch) {
	latencyBound := latencyBound
	if raceEnabled {
		latencyBound *= 6
	}
	var lat []time.Duration
	for _, m := range ms {
		lat = append(lat, m.latency)
		if m.lag > latencyBound {
			t.Errorf("%s: group %d alerted %s after its last coordinated post was published (bound %s)", name, m.group.ID, m.lag, latencyBound)
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		t.Logf("%s: detection latency from the first coordinated post's publication: min %s, median %s, max %s (n=%d)",
			name, lat[0].Round(time.Millisecond), lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond), len(lat))
	}
}

// sameClusters compares two final results: the posts and accounts held
// must be identical (exactly-once), and the clusters must agree by member
// set for all but a small share. Exact cluster equality is not a promise:
// the detector's stratum-FDR guard averages the null over its last
// evaluations, so which borderline cluster passes at the last tick depends
// on how many evaluations ran, which is timing (seen: 10 vs 11 clusters in
// about 1 of 12 loaded runs).
func sameClusters(t *testing.T, name string, a, b detectResult) {
	key := func(r detectResult) map[string]bool {
		out := map[string]bool{}
		for _, c := range r.Clusters {
			m := slices.Clone(c.Accounts)
			slices.Sort(m)
			out[fmt.Sprint(m)] = true
		}
		return out
	}
	if a.Posts != b.Posts || a.Accounts != b.Accounts {
		t.Errorf("%s: run with a restart differs from the run without: posts %d vs %d, accounts %d vs %d",
			name, b.Posts, a.Posts, b.Accounts, a.Accounts)
	}
	ka, kb := key(a), key(b)
	both := 0
	for k := range ka {
		if kb[k] {
			both++
		}
	}
	if n := max(len(ka), len(kb)); n == 0 || float64(both) < 0.8*float64(n) {
		t.Errorf("%s: clusters with a restart %d, without %d, identical member sets %d", name, len(kb), len(ka), both)
	}
}

// TestNATSEndToEnd replays the event into JetStream at a paced speed (the
// 10-day event in about 6 s), every message twice; the planted groups are
// alerted with bounded latency and every post is recorded once. A second
// run crashes its consumer midway (records, no ack) and restarts on the
// same store and durable consumer: the outcome equals the first run.
func TestNATSEndToEnd(t *testing.T) {
	tr := natsTransport(t)
	e := synthEvent(t)
	speed := float64(e.posts[len(e.posts)-1].Time.Sub(e.posts[0].Time)) / float64(6*time.Second)
	r := replayRun(t, tr, speed, 0)
	checkLatency(t, "nats", checkPlanted(t, "nats", r))

	tr2 := natsTransport(t)
	r2 := replayRun(t, tr2, 0, crashAt)
	checkPlanted(t, "nats restart", r2)
	sameClusters(t, "nats", r.final, r2.final)
}

// TestKafkaEndToEnd is TestNATSEndToEnd over Kafka (kfake), at full speed.
func TestKafkaEndToEnd(t *testing.T) {
	tr := kafkaTransport(t)
	r := replayRun(t, tr, 0, 0)
	checkLatency(t, "kafka", checkPlanted(t, "kafka", r))

	tr2 := kafkaTransport(t)
	r2 := replayRun(t, tr2, 0, crashAt)
	checkPlanted(t, "kafka restart", r2)
	sameClusters(t, "kafka", r.final, r2.final)
}
