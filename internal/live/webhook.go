package live

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// Webhook delivery bounds (docs/live.md, "Running it"). Delivery never
// blocks ingestion: alerts wait in a bounded queue, and when it is full
// the newest alert is dropped (and counted; the dashboard and the log
// still have it).
const (
	webhookQueue    = 256
	webhookTimeout  = 10 * time.Second
	webhookAttempts = 4 // 1 try + 3 retries
	webhookBackoff  = 500 * time.Millisecond
	// webhookMaxBody bounds a payload (a huge cluster's member list is cut
	// to maxAlertAccounts before this matters).
	webhookMaxBody = 1 << 20
)

// WebhookPayload is the JSON body POSTed to the webhook for each alert.
type WebhookPayload struct {
	Type          string    `json:"type"` // "chorus.live.alert"
	Time          time.Time `json:"time"`
	Event         string    `json:"event,omitempty"`
	Cluster       int       `json:"cluster"`
	Accounts      []string  `json:"accounts"`
	AccountsTotal int       `json:"accounts_total"`
	Layers        []string  `json:"layers"`
	Edges         int       `json:"edges"`
	FirstCoAction time.Time `json:"first_co_action"`
	LastCoAction  time.Time `json:"last_co_action"`
	// LatencyMs is the time from the detector receiving the first post of
	// the cluster's first co-action to the alert.
	LatencyMs  int64    `json:"latency_ms"`
	TopObjects []string `json:"top_objects,omitempty"`
	Message    string   `json:"message"`
}

// webhook posts alerts to one operator-configured URL.
type webhook struct {
	url    string
	client *http.Client
	log    *slog.Logger
	queue  chan WebhookPayload
	// backoff is the first wait between retries (tests shorten it).
	backoff time.Duration

	sent, failed, dropped atomic.Int64
}

// newWebhook checks the URL (http or https with a host; it comes from the
// operator's configuration, never from a request: docs/security.md).
func newWebhook(raw string, client *http.Client, log *slog.Logger) (*webhook, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%w: --webhook %q: want an http(s)://host/path URL without credentials in it", ErrConfig, raw)
	}
	if client == nil {
		client = &http.Client{Timeout: webhookTimeout}
	}
	return &webhook{url: raw, client: client, log: log, queue: make(chan WebhookPayload, webhookQueue), backoff: webhookBackoff}, nil
}

// send queues a payload without blocking; a full queue drops it.
func (w *webhook) send(p WebhookPayload) {
	select {
	case w.queue <- p:
	default:
		w.dropped.Add(1)
		w.log.Warn("live: webhook queue full, alert not delivered to the webhook", "cluster", p.Cluster)
	}
}

// run delivers queued payloads until ctx is cancelled; it then tries the
// payloads still queued once each, within a short grace period.
func (w *webhook) run(ctx context.Context) {
	for {
		select {
		case p := <-w.queue:
			w.deliver(ctx, p)
		case <-ctx.Done():
			grace, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			for {
				select {
				case p := <-w.queue:
					w.post(grace, p)
				default:
					return
				}
			}
		}
	}
}

// deliver posts p with bounded retries (exponential backoff) on network
// errors, 429 and 5xx answers.
func (w *webhook) deliver(ctx context.Context, p WebhookPayload) {
	wait := w.backoff
	var err error
	for attempt := 1; attempt <= webhookAttempts; attempt++ {
		var retry bool
		if retry, err = w.post(ctx, p); err == nil {
			w.sent.Add(1)
			return
		}
		if !retry || attempt == webhookAttempts {
			break
		}
		select {
		case <-ctx.Done():
			w.failed.Add(1)
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
	w.failed.Add(1)
	w.log.Warn("live: webhook delivery failed", "cluster", p.Cluster, "err", err)
}

// post makes one attempt; retry says whether another may succeed.
func (w *webhook) post(ctx context.Context, p WebhookPayload) (retry bool, err error) {
	body, err := json.Marshal(p)
	if err != nil {
		return false, err
	}
	if len(body) > webhookMaxBody {
		return false, fmt.Errorf("payload of %d bytes exceeds %d", len(body), webhookMaxBody)
	}
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "chorus-live-webhook")
	resp, err := w.client.Do(req)
	if err != nil {
		return true, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return false, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return true, fmt.Errorf("webhook answered %s", resp.Status)
	}
	return false, fmt.Errorf("webhook answered %s (not retried)", resp.Status)
}
