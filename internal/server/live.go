package server

import (
	"context"
	"sync"
	"time"
)

// Live mode seam (issue 9, "Live mode"; not built yet).
//
// A live ingester (NATS JetStream, Kafka, HTTP NDJSON) is an Ingester
// passed in Options.Ingesters. The server owns its goroutine: Run is
// called once when the server starts serving, with a context that is
// cancelled on shutdown, and the server waits for Run to return before
// Serve returns. The ingester reports through the Sink: posts it has
// ingested (for /metrics) and alerts (a new significant cluster after an
// event's T0), which the server keeps in a bounded ring shown by
// GET /api/alerts and the dashboard. docs/api.md describes the seam.
type Ingester interface {
	// Name identifies the ingester in logs and alerts ("nats", "kafka").
	Name() string
	// Run consumes until ctx is cancelled or a fatal error; it must return
	// promptly after ctx is cancelled.
	Run(ctx context.Context, sink Sink) error
}

// Sink is what an Ingester may tell the server. Its methods are safe for
// concurrent use.
type Sink interface {
	// Posts counts n posts ingested.
	Posts(n int)
	// Alert publishes an alert.
	Alert(a Alert)
}

// Alert is one live-mode alert.
type Alert struct {
	Time     time.Time `json:"time"`
	Source   string    `json:"source"`
	Event    string    `json:"event,omitempty"`
	Cluster  int       `json:"cluster"`
	Accounts []string  `json:"accounts,omitempty"`
	Message  string    `json:"message"`
}

// maxAlerts bounds the alerts kept in memory.
const maxAlerts = 500

// alerts is the ring of recent alerts and the fan-out to subscribers.
type alerts struct {
	mu   sync.Mutex
	ring []Alert
	subs map[chan Alert]struct{}
}

func (a *alerts) add(al Alert) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.ring) == maxAlerts {
		copy(a.ring, a.ring[1:])
		a.ring = a.ring[:maxAlerts-1]
	}
	a.ring = append(a.ring, al)
	for ch := range a.subs {
		select {
		case ch <- al:
		default: // a slow subscriber misses alerts; the ring keeps them
		}
	}
}

func (a *alerts) list() []Alert {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Alert, len(a.ring))
	copy(out, a.ring)
	return out
}

// Subscribe returns a channel that receives every alert raised from now
// on (a webhook or a log writer can hang off it) and a function that
// unsubscribes and closes the channel.
func (s *Server) Subscribe(buffer int) (<-chan Alert, func()) {
	ch := make(chan Alert, buffer)
	s.alerts.mu.Lock()
	if s.alerts.subs == nil {
		s.alerts.subs = map[chan Alert]struct{}{}
	}
	s.alerts.subs[ch] = struct{}{}
	s.alerts.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			s.alerts.mu.Lock()
			delete(s.alerts.subs, ch)
			s.alerts.mu.Unlock()
			close(ch)
		})
	}
}

// sink is the Sink handed to one ingester.
type sink struct {
	s    *Server
	name string
}

func (k sink) Posts(n int) { k.s.metrics.posts.WithLabelValues("live").Add(float64(n)) }

func (k sink) Alert(a Alert) {
	if a.Time.IsZero() {
		a.Time = time.Now().UTC()
	}
	if a.Source == "" {
		a.Source = k.name
	}
	k.s.metrics.alerts.Inc()
	k.s.log.Warn("alert", "source", a.Source, "event", a.Event, "cluster", a.Cluster, "accounts", len(a.Accounts), "message", a.Message)
	k.s.alerts.add(a)
}

// runIngesters starts every ingester on its own goroutine; wg tracks them.
func (s *Server) runIngesters(ctx context.Context, wg *sync.WaitGroup) {
	for _, in := range s.opts.Ingesters {
		wg.Add(1)
		go func(in Ingester) {
			defer wg.Done()
			s.log.Info("ingester started", "ingester", in.Name())
			err := in.Run(ctx, sink{s: s, name: in.Name()})
			if err != nil && ctx.Err() == nil {
				s.log.Error("ingester stopped", "ingester", in.Name(), "err", err)
				return
			}
			s.log.Info("ingester stopped", "ingester", in.Name())
		}(in)
	}
}
