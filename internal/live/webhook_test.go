package live

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/live/detect"
)

// fakeDetector returns scripted results (alert tests).
type fakeDetector struct {
	countingDetector
	mu      sync.Mutex
	results []detect.Result
}

func (d *fakeDetector) Evaluate(ctx context.Context, now time.Time) (detect.Result, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.results) == 0 {
		return detect.Result{At: now}, nil
	}
	r := d.results[0]
	d.results = d.results[1:]
	r.At = now
	return r, nil
}

func cluster(id int, accounts ...string) detect.Cluster {
	t := time.Date(2015, 11, 13, 21, 0, 0, 0, time.UTC)
	return detect.Cluster{ID: id, Accounts: accounts, Layers: []string{"repost"}, Edges: len(accounts),
		FirstCoAction: t, LastCoAction: t.Add(time.Minute), FirstPostSeen: time.Now().Add(-2 * time.Second), TopObjects: []string{"twitter:1"}}
}

// TestWebhookRetriesAndNeverBlocks: a failing webhook is retried (5xx)
// and then succeeds; a 4xx is not retried; alerts reach the sink and the
// store whatever the webhook does; evaluation is not slowed by a webhook
// that hangs.
func TestWebhookRetriesAndNeverBlocks(t *testing.T) {
	var calls atomic.Int64
	var mu sync.Mutex
	var got []WebhookPayload
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		var p WebhookPayload
		if r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&p) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		switch {
		case p.Cluster == 1 && n <= 2:
			w.WriteHeader(http.StatusServiceUnavailable) // twice, then OK
			return
		case p.Cluster == 2:
			w.WriteHeader(http.StatusBadRequest) // never retried
			return
		}
		mu.Lock()
		got = append(got, p)
		mu.Unlock()
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.Live.Webhook = srv.URL + "/hook"
	cfg.Event.Name = "paris-2015"
	det := &fakeDetector{results: []detect.Result{
		{New: []detect.Cluster{cluster(1, "a", "b", "c")}},
		{New: []detect.Cluster{cluster(2, "d", "e", "f")}},
		{New: []detect.Cluster{cluster(3, "a", "b", "c", "x")}}, // same as 1: not again
	}}
	db := openStore(t, "")
	p := newPipeline(t, db, cfg, det)
	p.hook.backoff = 10 * time.Millisecond
	sk := &sink{}
	stop := runIngester(t, p.Evaluator(), sk)
	waitFor(t, 10*time.Second, "webhook deliveries", func() bool { return p.hook.sent.Load()+p.hook.failed.Load() == 2 })
	stop()
	alerts, _, _ := sk.snapshot()
	if len(alerts) != 2 || alerts[0].Cluster != 1 || alerts[1].Cluster != 2 || alerts[0].Event != "paris-2015" || alerts[0].Source != "live" {
		t.Fatalf("alerts %+v; want clusters 1 and 2 of paris-2015 (3 repeats 1)", alerts)
	}
	if p.hook.sent.Load() != 1 || p.hook.failed.Load() != 1 || calls.Load() != 4 {
		t.Fatalf("sent %d, failed %d, calls %d; want 1 sent after 2 retries, 1 failed without retry (4 calls)", p.hook.sent.Load(), p.hook.failed.Load(), calls.Load())
	}
	if len(got) != 1 || got[0].Type != "chorus.live.alert" || got[0].AccountsTotal != 3 || got[0].LatencyMs < 2000 || len(got[0].Layers) != 1 {
		t.Fatalf("payload %+v", got)
	}
	if a, _ := db.LiveAlerts(context.Background(), 0); len(a) != 2 {
		t.Fatalf("store holds %d alerts, want 2", len(a))
	}

	// A hanging webhook: evaluations go on at tick pace, alerts beyond
	// the queue are dropped (counted), never blocking.
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang }))
	defer slow.Close()
	defer close(hang)
	cfg.Live.Webhook = slow.URL
	var rs []detect.Result
	for i := range webhookQueue + 50 {
		rs = append(rs, detect.Result{New: []detect.Cluster{cluster(100+i, "u"+itoa(i), "v"+itoa(i))}})
	}
	det2 := &fakeDetector{results: rs}
	p2 := newPipeline(t, openStore(t, ""), cfg, det2)
	for range len(rs) {
		start := time.Now()
		if _, err := p2.evaluate(context.Background(), &sink{}); err != nil {
			t.Fatal(err)
		}
		if el := time.Since(start); el > time.Second {
			t.Fatalf("an evaluation took %s with a hanging webhook", el)
		}
	}
	if p2.hook.dropped.Load() < 50 {
		t.Fatalf("dropped %d alerts, want at least 50 (queue %d, none delivered)", p2.hook.dropped.Load(), webhookQueue)
	}
}

func TestWebhookURLChecked(t *testing.T) {
	for _, u := range []string{"ftp://x/y", "http://", "https://user:pw@example.org/h", "://bad", "file:///etc/passwd"} {
		if _, err := newWebhook(u, nil, nil); err == nil {
			t.Errorf("webhook %q accepted", u)
		}
	}
	if _, err := newWebhook("https://hooks.example.org/chorus", nil, nil); err != nil {
		t.Fatal(err)
	}
}
