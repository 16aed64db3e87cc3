package live

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/live/detect"
	"github.com/chorus-osint/chorus/internal/server"
)

// maxAlertAccounts bounds the members listed in one alert (the cluster's
// size is in the message; GET /api/live lists the clusters).
const maxAlertAccounts = 200

// maxLatencies bounds the detection latencies kept for Status.
const maxLatencies = 1000

// evaluator is the server.Ingester that evaluates the detector every
// cfg.Live.Tick and raises alerts; it also prunes the store and runs the
// webhook sender.
type evaluator struct{ p *Pipeline }

// Evaluator returns the ingester that runs the detector's evaluations and
// alerts (name "live"); serve runs it next to the transports.
func (p *Pipeline) Evaluator() server.Ingester { return evaluator{p} }

func (e evaluator) Name() string { return "live" }

func (e evaluator) Run(ctx context.Context, sink server.Sink) error {
	p := e.p
	hookDone := make(chan struct{})
	if p.hook != nil {
		go func() { defer close(hookDone); p.hook.run(ctx) }()
	} else {
		close(hookDone)
	}
	defer func() { <-hookDone }()
	t := time.NewTicker(p.cfg.Live.Tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if _, err := p.evaluate(ctx, sink); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			p.log.Error("live: evaluation failed", "err", err)
		}
		if err := p.prune(ctx); err != nil && ctx.Err() == nil {
			p.log.Error("live: prune failed", "err", err)
		}
	}
}

// evaluate runs one evaluation and raises an alert for each new cluster.
func (p *Pipeline) evaluate(ctx context.Context, sink server.Sink) (detect.Result, error) {
	now := p.now()
	res, err := p.det.Evaluate(ctx, now)
	if err != nil {
		return res, fmt.Errorf("live: evaluate: %w", err)
	}
	p.mu.Lock()
	p.lastEval = now
	p.mu.Unlock()
	for _, c := range res.New {
		if p.alertedBefore(c.Accounts) {
			// Raised before a restart (the rebuilt detector numbers its
			// clusters afresh): not again.
			p.log.Debug("live: cluster already alerted before a restart", "cluster", c.ID, "accounts", len(c.Accounts))
			continue
		}
		if err := p.store.AddLiveAlert(ctx, now.UnixMilli(), c.Accounts); err != nil {
			return res, fmt.Errorf("live: %w", err)
		}
		a, hook := p.alertFor(res.At, c)
		p.alerts.Add(1)
		if sink != nil {
			sink.Alert(a)
		}
		if p.hook != nil {
			p.hook.send(hook)
		}
	}
	return res, nil
}

// alertFor turns a new cluster into the dashboard alert and the webhook
// payload.
func (p *Pipeline) alertFor(at time.Time, c detect.Cluster) (server.Alert, WebhookPayload) {
	if at.IsZero() {
		at = p.now()
	}
	var lat time.Duration
	if !c.FirstPostSeen.IsZero() {
		lat = max(0, at.Sub(c.FirstPostSeen))
		p.mu.Lock()
		if len(p.latency) == maxLatencies {
			copy(p.latency, p.latency[1:])
			p.latency = p.latency[:maxLatencies-1]
		}
		p.latency = append(p.latency, lat)
		p.mu.Unlock()
	}
	accts := c.Accounts
	if len(accts) > maxAlertAccounts {
		accts = accts[:maxAlertAccounts]
	}
	msg := fmt.Sprintf("new coordinated cluster %d: %d accounts, %d edges on %s; co-actions %s to %s (post time)",
		c.ID, len(c.Accounts), c.Edges, strings.Join(c.Layers, "+"),
		c.FirstCoAction.UTC().Format(time.RFC3339), c.LastCoAction.UTC().Format(time.RFC3339))
	if lat > 0 {
		msg += fmt.Sprintf("; detected %s after its first post arrived", lat.Round(time.Millisecond))
	}
	if len(c.TopObjects) > 0 {
		msg += "; shared: " + strings.Join(c.TopObjects[:min(3, len(c.TopObjects))], ", ")
	}
	a := server.Alert{
		Time: at.UTC(), Source: "live", Event: p.cfg.Event.Name, Cluster: c.ID,
		Accounts: accts, Message: msg,
	}
	h := WebhookPayload{
		Type: "chorus.live.alert", Time: at.UTC(), Event: p.cfg.Event.Name, Cluster: c.ID,
		Accounts: accts, AccountsTotal: len(c.Accounts), Layers: c.Layers, Edges: c.Edges,
		FirstCoAction: c.FirstCoAction.UTC(), LastCoAction: c.LastCoAction.UTC(),
		LatencyMs: lat.Milliseconds(), TopObjects: c.TopObjects, Message: msg,
	}
	return a, h
}

// maxAlerted bounds the member sets of past alerts kept for the restart
// check (the oldest leave first).
const maxAlerted = 10000

// alertedBefore reports whether accounts overlap the members of an alert
// already raised (Jaccard >= 0.5, the detector's identity rule), and if
// not remembers them.
func (p *Pipeline) alertedBefore(accounts []string) bool {
	set := slices.Clone(accounts)
	slices.Sort(set)
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, prev := range p.alerted {
		if jaccard(prev, set) >= 0.5 {
			return true
		}
	}
	if len(p.alerted) == maxAlerted {
		p.alerted = p.alerted[1:]
	}
	p.alerted = append(p.alerted, set)
	return false
}

// jaccard of two sorted sets.
func jaccard(a, b []string) float64 {
	inter, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}
