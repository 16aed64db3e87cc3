package live

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/server"
	"github.com/chorus-osint/chorus/internal/store"
)

// Service is live mode as `chorus serve` runs it: the pipeline (also the
// server's LiveFeed), the ingesters the server runs (the evaluator, and
// the NATS and Kafka consumers configured in cfg.Live), and the embedded
// NATS server when --nats-embedded is set.
type Service struct {
	Pipeline  *Pipeline
	Ingesters []server.Ingester
	embedded  *EmbeddedNATS
}

// Start builds the live service from cfg on db. The HTTP ingest endpoint
// is always available; NATS is consumed when --nats or --nats-embedded is
// set, Kafka when --kafka is. Close it after the server has stopped.
func Start(ctx context.Context, cfg config.Config, db *store.Store, log *slog.Logger) (_ *Service, err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	lc := &cfg.Live
	if lc.NATSEmbedded {
		dir := lc.NATSDir
		if dir == "" {
			dir = filepath.Join(filepath.Dir(db.Path()), "nats")
		}
		if s.embedded, err = StartEmbeddedNATS(lc.NATS, dir, log); err != nil {
			return nil, err
		}
		lc.NATS = s.embedded.URL()
	}
	if s.Pipeline, err = New(ctx, Options{Config: cfg, Store: db, Log: log}); err != nil {
		return nil, err
	}
	s.Ingesters = append(s.Ingesters, s.Pipeline.Evaluator())
	if lc.NATS != "" {
		n, err := NewNATS(s.Pipeline, *lc, log)
		if err != nil {
			return nil, err
		}
		s.Ingesters = append(s.Ingesters, n)
	}
	if len(lc.Kafka) > 0 {
		k, err := NewKafka(s.Pipeline, *lc, log)
		if err != nil {
			return nil, err
		}
		s.Ingesters = append(s.Ingesters, k)
	}
	return s, nil
}

// Close stops the embedded NATS server, if any.
func (s *Service) Close() {
	if s != nil && s.embedded != nil {
		s.embedded.Shutdown()
		s.embedded = nil
	}
}
