package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/server"
)

// Kafka consumer defaults.
const (
	// kafkaBatch is the most records polled (and recorded in one store
	// transaction) at a time.
	kafkaBatch = 1024
	// kafkaMaxWait bounds how long a broker holds a fetch open waiting
	// for data: the added detection latency at low rates.
	kafkaMaxWait = 250 * time.Millisecond
)

// Kafka consumes posts from a topic in a consumer group. Autocommit is
// off: offsets are committed only after the polled records' posts are
// recorded (Pipeline.Record), and rebalances are held until then
// (BlockRebalanceOnPoll), so a restart or a rebalance resumes from the
// committed offsets and whatever is delivered again is found already
// recorded.
type Kafka struct {
	p       *Pipeline
	brokers []string
	topic   string
	group   string
	log     *slog.Logger

	// Batch overrides kafkaBatch.
	Batch int
	// extra client options (tests).
	extra []kgo.Opt
	// crashAfter, when set (tests), is called before each batch's offsets
	// are committed; returning true stops the consumer without
	// committing, as a crash between the store commit and the offset
	// commit would.
	crashAfter func(records int) bool
}

// NewKafka returns the consumer of cfg.Live (brokers, topic, group).
func NewKafka(p *Pipeline, lc config.Live, log *slog.Logger) (*Kafka, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(lc.Kafka) == 0 {
		return nil, fmt.Errorf("%w: --kafka lists no broker", ErrConfig)
	}
	if lc.KafkaTopic == "" || lc.KafkaGroup == "" {
		return nil, fmt.Errorf("%w: --kafka-topic and --kafka-group must be set", ErrConfig)
	}
	return &Kafka{p: p, brokers: lc.Kafka, topic: lc.KafkaTopic, group: lc.KafkaGroup, log: log}, nil
}

// Name implements server.Ingester.
func (k *Kafka) Name() string { return "kafka" }

// Run implements server.Ingester: it joins the group and consumes until
// ctx is cancelled.
func (k *Kafka) Run(ctx context.Context, sink server.Sink) error {
	batch := k.Batch
	if batch <= 0 {
		batch = kafkaBatch
	}
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(k.brokers...),
		kgo.ConsumerGroup(k.group),
		kgo.ConsumeTopics(k.topic),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMaxWait(kafkaMaxWait),
		kgo.ClientID("chorus-live"),
	}, k.extra...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return fmt.Errorf("live: kafka client: %w", err)
	}
	defer cl.Close()
	k.log.Info("live: consuming kafka", "brokers", k.brokers, "topic", k.topic, "group", k.group)
	handled := 0
	for {
		fs := cl.PollRecords(ctx, batch)
		if ctx.Err() != nil || fs.IsClientClosed() {
			cl.AllowRebalance()
			return nil
		}
		for _, fe := range fs.Errors() {
			if errors.Is(fe.Err, context.Canceled) {
				continue
			}
			k.log.Warn("live: kafka fetch error", "topic", fe.Topic, "partition", fe.Partition, "err", fe.Err)
		}
		recs := fs.Records()
		if len(recs) == 0 {
			cl.AllowRebalance()
			continue
		}
		var d Decoded
		for _, r := range recs {
			name := "kafka:" + r.Topic + "/" + strconv.Itoa(int(r.Partition)) + "@" + strconv.FormatInt(r.Offset, 10)
			if err := k.p.Decode(ctx, name, r.Value, &d); err != nil {
				k.p.BadMessage(name, err)
			}
		}
		c, err := k.p.Record(ctx, d.Posts)
		if err != nil {
			cl.AllowRebalance()
			if ctx.Err() != nil {
				return nil
			}
			// Offsets not committed: rewind to the last committed ones so
			// the records are polled again.
			k.log.Error("live: recording a kafka batch failed; rewinding to the committed offsets", "records", len(recs), "err", err)
			k.rewind(ctx, cl)
			sleepCtx(ctx, time.Second)
			continue
		}
		if sink != nil && c.New > 0 {
			sink.Posts(int(c.New))
		}
		handled += len(recs)
		if k.crashAfter != nil && k.crashAfter(handled) {
			cl.AllowRebalance()
			return nil
		}
		if err := cl.CommitRecords(ctx, recs...); err != nil && ctx.Err() == nil {
			// An uncommitted offset means a redelivery, which the store
			// dedupes.
			k.log.Warn("live: kafka offset commit failed", "err", err)
		}
		cl.AllowRebalance()
	}
}

// rewind sets the consume position back to the committed offsets.
func (k *Kafka) rewind(ctx context.Context, cl *kgo.Client) {
	committed := cl.CommittedOffsets()
	if len(committed) == 0 {
		// Nothing committed yet: restart from the beginning.
		parts := map[int32]kgo.EpochOffset{}
		for _, ps := range cl.UncommittedOffsets() {
			for p := range ps {
				parts[p] = kgo.EpochOffset{Epoch: -1, Offset: 0}
			}
		}
		committed = map[string]map[int32]kgo.EpochOffset{k.topic: parts}
	}
	cl.SetOffsets(committed)
}
