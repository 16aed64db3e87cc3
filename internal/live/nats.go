package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/server"
)

// NATS consumer defaults.
const (
	// natsBatch is the most messages fetched (and recorded in one store
	// transaction) at a time: a store commit costs an fsync, so batches
	// of one-post messages need to be large.
	natsBatch = 1024
	// natsMaxWait bounds how long a fetch waits for a full batch: the
	// added detection latency at low rates.
	natsMaxWait = 250 * time.Millisecond
	// natsAckWait is how long JetStream waits for an ack before it
	// redelivers (a batch is recorded and acked well within it).
	natsAckWait = 30 * time.Second
	// natsRetryWait is the pause after a connection or store error.
	natsRetryWait = time.Second
)

// NATS consumes posts from a JetStream stream with a durable pull
// consumer. Each fetched batch is decoded, recorded exactly once
// (Pipeline.Record), and only then acknowledged, so a restart resumes
// from the acknowledged position: unacknowledged messages are redelivered
// and their posts found already recorded.
type NATS struct {
	p       *Pipeline
	url     string
	stream  string
	subject string
	durable string
	log     *slog.Logger

	// AckWait overrides natsAckWait (tests use a short one so that a
	// simulated crash's unacked messages come back quickly).
	AckWait time.Duration
	// Batch overrides natsBatch.
	Batch int
	// crashAfter, when set (tests), is called before each batch is
	// acknowledged; returning true stops the consumer without acking the
	// batch, as a crash between the store commit and the ack would.
	crashAfter func(messages int) bool
}

// NewNATS returns the consumer of cfg.Live (URL, stream, subject, durable).
func NewNATS(p *Pipeline, lc config.Live, log *slog.Logger) (*NATS, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for _, f := range []struct{ name, v string }{{"nats", lc.NATS}, {"nats-stream", lc.NATSStream}, {"nats-subject", lc.NATSSubject}, {"nats-durable", lc.NATSDurable}} {
		if f.v == "" {
			return nil, fmt.Errorf("%w: --%s is empty", ErrConfig, f.name)
		}
	}
	return &NATS{p: p, url: lc.NATS, stream: lc.NATSStream, subject: lc.NATSSubject, durable: lc.NATSDurable, log: log}, nil
}

// Name implements server.Ingester.
func (n *NATS) Name() string { return "nats" }

// Run implements server.Ingester: it connects (retrying while the server
// is unreachable), makes sure the stream and the durable consumer exist,
// and consumes until ctx is cancelled.
func (n *NATS) Run(ctx context.Context, sink server.Sink) error {
	nc, err := nats.Connect(n.url, nats.Name("chorus live"), nats.MaxReconnects(-1), nats.RetryOnFailedConnect(true),
		nats.ReconnectWait(natsRetryWait), nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			n.log.Warn("live: nats", "err", err)
		}))
	if err != nil {
		return fmt.Errorf("live: connect to nats %s: %w", n.url, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("live: jetstream: %w", err)
	}
	var cons jetstream.Consumer
	for {
		if cons, err = n.setup(ctx, js); err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		n.log.Warn("live: nats setup failed; retrying", "url", n.url, "err", err)
		if !sleepCtx(ctx, natsRetryWait) {
			return nil
		}
	}
	n.log.Info("live: consuming nats", "url", n.url, "stream", n.stream, "subject", n.subject, "durable", n.durable)
	return n.consume(ctx, cons, sink)
}

// setup creates the stream when missing and the durable consumer.
func (n *NATS) setup(ctx context.Context, js jetstream.JetStream) (jetstream.Consumer, error) {
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := EnsureStream(sctx, js, n.stream, n.subject); err != nil {
		return nil, err
	}
	ackWait := n.AckWait
	if ackWait <= 0 {
		ackWait = natsAckWait
	}
	batch := n.batchSize()
	return js.CreateOrUpdateConsumer(sctx, n.stream, jetstream.ConsumerConfig{
		Durable:       n.durable,
		Description:   "chorus live mode",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       ackWait,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		FilterSubject: n.subject,
		MaxAckPending: 16 * batch,
	})
}

func (n *NATS) batchSize() int {
	if n.Batch > 0 {
		return n.Batch
	}
	return natsBatch
}

// EnsureStream creates stream (file storage, capturing subject, messages
// kept for DefaultKeyRetention: older posts would be refused as stale
// anyway) unless it exists. An existing stream is left as it is.
func EnsureStream(ctx context.Context, js jetstream.JetStream, stream, subject string) error {
	_, err := js.Stream(ctx, stream)
	if err == nil {
		return nil
	}
	if !errors.Is(err, jetstream.ErrStreamNotFound) {
		return fmt.Errorf("look up stream %s: %w", stream, err)
	}
	_, err = js.CreateStream(ctx, jetstream.StreamConfig{
		Name: stream, Subjects: []string{subject}, Storage: jetstream.FileStorage,
		Retention: jetstream.LimitsPolicy, MaxAge: DefaultKeyRetention, Description: "chorus live-mode posts",
	})
	if err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		return fmt.Errorf("create stream %s: %w", stream, err)
	}
	return nil
}

// consume fetches, records and acknowledges batches until ctx ends.
func (n *NATS) consume(ctx context.Context, cons jetstream.Consumer, sink server.Sink) error {
	batch := n.batchSize()
	msgs := make([]jetstream.Msg, 0, batch)
	handled := 0
	for ctx.Err() == nil {
		mb, err := cons.Fetch(batch, jetstream.FetchMaxWait(natsMaxWait))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			n.log.Warn("live: nats fetch failed; retrying", "err", err)
			sleepCtx(ctx, natsRetryWait)
			continue
		}
		msgs = msgs[:0]
		for m := range mb.Messages() {
			msgs = append(msgs, m)
		}
		if err := mb.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
			n.log.Debug("live: nats fetch ended", "err", err)
		}
		if len(msgs) == 0 {
			continue
		}
		var d Decoded
		for _, m := range msgs {
			name := "nats:" + m.Subject()
			if md, err := m.Metadata(); err == nil {
				name += "#" + strconv.FormatUint(md.Sequence.Stream, 10)
			}
			if err := n.p.Decode(ctx, name, m.Data(), &d); err != nil {
				n.p.BadMessage(name, err)
			}
		}
		c, err := n.p.Record(ctx, d.Posts)
		if err != nil {
			// Not acknowledged: JetStream redelivers after AckWait, and
			// whatever was recorded before the failure is a duplicate then.
			if ctx.Err() != nil {
				return nil
			}
			n.log.Error("live: recording a nats batch failed; it will be redelivered", "messages", len(msgs), "err", err)
			for _, m := range msgs {
				_ = m.NakWithDelay(natsRetryWait)
			}
			sleepCtx(ctx, natsRetryWait)
			continue
		}
		if sink != nil && c.New > 0 {
			sink.Posts(int(c.New))
		}
		handled += len(msgs)
		if n.crashAfter != nil && n.crashAfter(handled) {
			return nil
		}
		for _, m := range msgs {
			if err := m.Ack(); err != nil {
				// A lost ack means a redelivery, which the store dedupes.
				n.log.Debug("live: nats ack failed", "err", err)
			}
		}
	}
	return nil
}

// sleepCtx sleeps d or until ctx ends; it reports whether ctx is live.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
