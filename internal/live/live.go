// Package live is the live mode of `chorus serve`: consumers of message
// streams (NATS JetStream, Kafka, the HTTP NDJSON endpoint) that decode
// posts with chorus's own readers, record them exactly once in the store,
// feed them to the incremental detector (internal/live/detect), and turn
// its new clusters into alerts (dashboard, log, webhook). It also holds
// the publishers of `chorus replay`. docs/live.md describes the design.
package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/live/detect"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/server"
	"github.com/chorus-osint/chorus/internal/store"
)

// Errors of live mode.
var (
	// ErrConfig: a live-mode setting is unusable (bad URL, missing name).
	ErrConfig = config.ErrInvalid
	// ErrCorruptRecord: a stored post does not decode (the store's
	// live_posts row was damaged or written by another version).
	ErrCorruptRecord = errors.New("corrupt live record")
	// ErrPublish: replay could not publish a message.
	ErrPublish = errors.New("publish failed")
)

// Detector is what the pipeline needs of the incremental detector
// (*detect.Detector satisfies it; tests may pass another).
type Detector interface {
	Add(posts []model.Post)
	Evaluate(ctx context.Context, now time.Time) (detect.Result, error)
	Snapshot() detect.Result
}

// DefaultKeyRetention is how long, in post time behind the newest post,
// de-duplication keys are kept (docs/live.md, "Exactly-once").
const DefaultKeyRetention = 7 * 24 * time.Hour

// futureSlack bounds how far ahead of the wall clock a post's time may
// move the pipeline's clock (a post dated in 2099 must not prune
// everything).
const futureSlack = time.Hour

// Options configure a Pipeline.
type Options struct {
	// Config supplies Live (horizon, tick, webhook), Ingest (readers'
	// limits and time zone) and the detector's parameters.
	Config config.Config
	// Store records consumed posts (exactly-once) and is read on start to
	// rebuild the detector.
	Store *store.Store
	// Log receives structured logs; nil discards them.
	Log *slog.Logger
	// Detector overrides detect.New (tests).
	Detector Detector
	// KeyRetention is how long de-duplication keys are kept, in post
	// time behind the newest post (default DefaultKeyRetention; never
	// less than the horizon).
	KeyRetention time.Duration
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// WebhookClient posts alerts to Config.Live.Webhook (nil: a client
	// with the webhook timeout).
	WebhookClient *http.Client
}

// Pipeline is the shared part of live mode: decoding, exactly-once
// recording, the detector and alerting. Every transport feeds one
// Pipeline; its methods are safe for concurrent use.
type Pipeline struct {
	cfg       config.Config
	store     *store.Store
	log       *slog.Logger
	det       Detector
	now       func() time.Time
	retention time.Duration
	readOpts  ingest.Options
	hook      *webhook
	badLog    throttle

	newest atomic.Int64 // newest recorded post time, Unix ms (clamped)

	// counters (Status)
	messages, badMessages, decoded, skipped atomic.Int64
	fresh, duplicates, stale                atomic.Int64
	alerts                                  atomic.Int64
	rebuilt                                 int64

	mu       sync.Mutex
	latency  []time.Duration // detection latency of each alert (bounded)
	lastEval time.Time
	alerted  [][]string // sorted member sets of alerts raised (also before a restart)
}

// New builds the pipeline: the detector (detect.New unless
// Options.Detector), the webhook, and the detector's state rebuilt from
// the posts recorded within the horizon.
func New(ctx context.Context, o Options) (*Pipeline, error) {
	if o.Store == nil {
		return nil, fmt.Errorf("%w: live mode needs a store", ErrConfig)
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	cfg := o.Config
	if cfg.Live.Horizon <= 0 {
		return nil, fmt.Errorf("%w: --live-horizon must be positive", ErrConfig)
	}
	if cfg.Live.Tick <= 0 {
		return nil, fmt.Errorf("%w: --live-tick must be positive", ErrConfig)
	}
	if o.KeyRetention <= 0 {
		o.KeyRetention = DefaultKeyRetention
	}
	o.KeyRetention = max(o.KeyRetention, cfg.Live.Horizon)
	readOpts, err := pipeline.IngestOptions(&cfg, nil)
	if err != nil {
		return nil, err
	}
	// A live message is never strict: a bad record is skipped and counted,
	// a bad message is counted and acknowledged.
	readOpts.Strict = false
	p := &Pipeline{
		cfg: cfg, store: o.Store, log: o.Log, det: o.Detector, now: o.Now, retention: o.KeyRetention,
		readOpts: readOpts,
		badLog:   throttle{every: time.Minute},
	}
	if p.det == nil {
		d, err := detect.New(cfg, o.Log)
		if err != nil {
			return nil, fmt.Errorf("live detector: %w", err)
		}
		p.det = d
	}
	if cfg.Live.Webhook != "" {
		if p.hook, err = newWebhook(cfg.Live.Webhook, o.WebhookClient, o.Log); err != nil {
			return nil, err
		}
	}
	if err := p.rebuild(ctx); err != nil {
		return nil, err
	}
	prev, err := p.store.LiveAlerts(ctx, p.now().Add(-p.retention).UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("live: %w", err)
	}
	for _, a := range prev {
		slices.Sort(a)
		p.alerted = append(p.alerted, a)
	}
	if len(p.alerted) > maxAlerted {
		p.alerted = p.alerted[len(p.alerted)-maxAlerted:]
	}
	return p, nil
}

// rebuild feeds the detector the posts recorded within the horizon of the
// newest recorded post.
func (p *Pipeline) rebuild(ctx context.Context) error {
	c, err := p.store.LiveCounts(ctx)
	if err != nil {
		return fmt.Errorf("live: %w", err)
	}
	p.newest.Store(min(c.Newest, p.now().Add(futureSlack).UnixMilli()))
	if c.Keys == 0 {
		return nil
	}
	from := p.newest.Load() - p.cfg.Live.Horizon.Milliseconds()
	const chunk = 4096
	batch := make([]model.Post, 0, chunk)
	err = p.store.LoadLivePosts(ctx, from, func(r store.LivePost) error {
		batch = append(batch, model.Post{})
		if err := decodePost(r.Data, &batch[len(batch)-1]); err != nil {
			return err
		}
		if len(batch) == chunk {
			p.det.Add(batch)
			p.rebuilt += int64(len(batch))
			batch = make([]model.Post, 0, chunk)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("live: rebuild the detector: %w", err)
	}
	p.det.Add(batch)
	p.rebuilt += int64(len(batch))
	p.log.Info("live: detector rebuilt from the store", "posts", p.rebuilt, "keys", c.Keys,
		"newest", time.UnixMilli(p.newest.Load()).UTC())
	return nil
}

// Detector returns the pipeline's detector.
func (p *Pipeline) Detector() Detector { return p.det }

// Decoded is one decoded message.
type Decoded struct {
	Posts   []model.Post
	Format  string
	Skipped int64 // malformed records skipped
}

// Decode reads one message payload (one or more records in any supported
// format) with chorus's readers; posts without a time are skipped (and
// counted with the malformed records). name labels the posts' source
// ("nats:SUBJECT#SEQ"). Posts are appended to dst.Posts, each owning its
// slices. An error means the whole message is unusable (no reader
// recognises it, a limit was hit); the caller counts it and acknowledges
// the message anyway (BadMessage).
func (p *Pipeline) Decode(ctx context.Context, name string, payload []byte, dst *Decoded) error {
	start := len(dst.Posts)
	var untimed int64
	st, err := ingest.ReadBytes(ctx, name, payload, p.readOpts, func(q *model.Post) error {
		if q.Time.IsZero() {
			untimed++ // cannot be placed in the horizon
			return nil
		}
		var c model.Post
		c.CopyFrom(q)
		dst.Posts = append(dst.Posts, c)
		return nil
	})
	p.messages.Add(1)
	dst.Skipped += st.Skipped + untimed
	p.skipped.Add(st.Skipped + untimed)
	if err != nil {
		dst.Posts = dst.Posts[:start]
		return err
	}
	if dst.Format == "" {
		dst.Format = st.Format
	}
	p.decoded.Add(int64(len(dst.Posts) - start))
	return nil
}

// BadMessage counts and logs (throttled) a message that could not be
// decoded. The transports acknowledge it so that it does not block the
// stream.
func (p *Pipeline) BadMessage(source string, err error) {
	n := p.badMessages.Add(1)
	if p.badLog.allow(p.now()) {
		p.log.Warn("live: bad message skipped (acknowledged)", "source", source, "err", err, "bad_messages", n)
	}
}

// Counts is what Record did with one batch.
type Counts struct {
	New, Duplicates, Stale int64
}

// Record records posts exactly once: in one store transaction it inserts
// the posts whose key was not recorded before, then feeds those to the
// detector. When it returns nil the new posts are durable, and the caller
// may acknowledge the messages they came from; when it returns an error
// nothing was recorded and the caller must not acknowledge them (they
// will be redelivered). posts must not be modified afterwards (the
// detector may keep them).
func (p *Pipeline) Record(ctx context.Context, posts []model.Post) (Counts, error) {
	var c Counts
	if len(posts) == 0 {
		return c, nil
	}
	rows := make([]store.LivePost, len(posts))
	ends := make([][2]int, len(posts))
	keyBuf := make([]byte, 0, 48*len(posts))
	dataBuf := make([]byte, 0, 320*len(posts))
	for i := range posts {
		keyBuf = appendKey(keyBuf, &posts[i])
		dataBuf = appendPost(dataBuf, &posts[i])
		ends[i] = [2]int{len(keyBuf), len(dataBuf)}
	}
	var k0, d0 int
	for i := range posts {
		k1, d1 := ends[i][0], ends[i][1]
		rows[i] = store.LivePost{Key: keyBuf[k0:k1], Time: posts[i].Time.UnixMilli(), Data: dataBuf[d0:d1]}
		k0, d0 = k1, d1
	}
	out := make([]store.LiveOutcome, len(rows))
	if err := p.store.RecordLivePosts(ctx, rows, out); err != nil {
		return c, fmt.Errorf("live: %w", err)
	}
	fresh := make([]model.Post, 0, len(posts))
	var newest int64
	for i, o := range out {
		switch o {
		case store.LiveNew:
			fresh = append(fresh, posts[i])
			newest = max(newest, rows[i].Time)
			c.New++
		case store.LiveDuplicate:
			c.Duplicates++
		case store.LiveStale:
			c.Stale++
		}
	}
	p.fresh.Add(c.New)
	p.duplicates.Add(c.Duplicates)
	p.stale.Add(c.Stale)
	newest = min(newest, p.now().Add(futureSlack).UnixMilli())
	for {
		old := p.newest.Load()
		if newest <= old || p.newest.CompareAndSwap(old, newest) {
			break
		}
	}
	if len(fresh) > 0 {
		p.det.Add(fresh)
	}
	return c, nil
}

// Ingest implements server.LiveFeed: decode body, record it, count.
func (p *Pipeline) Ingest(ctx context.Context, name string, body []byte) (res server.LiveIngestResult, err error) {
	var d Decoded
	if err := p.Decode(ctx, name, body, &d); err != nil {
		p.badMessages.Add(1)
		return res, err
	}
	c, err := p.Record(ctx, d.Posts)
	if err != nil {
		return res, err
	}
	res.Format = d.Format
	res.Posts, res.Skipped = int64(len(d.Posts)), d.Skipped
	res.New, res.Duplicates, res.Stale = c.New, c.Duplicates, c.Stale
	return res, nil
}

// prune releases the stored data of posts older than the horizon and
// deletes keys older than the key retention, both measured back from the
// newest recorded post.
func (p *Pipeline) prune(ctx context.Context) error {
	newest := p.newest.Load()
	if newest == 0 {
		return nil
	}
	r, err := p.store.PruneLivePosts(ctx, newest-p.cfg.Live.Horizon.Milliseconds(), newest-p.retention.Milliseconds())
	if err != nil {
		return fmt.Errorf("live: %w", err)
	}
	if _, err := p.store.PruneLiveAlerts(ctx, p.now().Add(-p.retention).UnixMilli()); err != nil {
		return fmt.Errorf("live: %w", err)
	}
	if r.Released > 0 || r.Deleted > 0 {
		p.log.Debug("live: store pruned", "released", r.Released, "deleted_keys", r.Deleted)
	}
	return nil
}

// throttle lets one event through per period (noisy warnings).
type throttle struct {
	mu    sync.Mutex
	every time.Duration
	last  time.Time
}

func (t *throttle) allow(now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.last.IsZero() && now.Sub(t.last) < t.every {
		return false
	}
	t.last = now
	return true
}
