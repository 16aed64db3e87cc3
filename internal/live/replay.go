package live

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
)

// Publisher sends one message (one or more records) to a stream.
type Publisher interface {
	// Publish sends payload; it returns once the stream has accepted it
	// (JetStream ack, Kafka produce ack, HTTP 2xx).
	Publish(ctx context.Context, payload []byte) error
	Close() error
}

// Replay defaults.
const (
	// DefaultReplayBatch is the most posts in one message.
	DefaultReplayBatch = 256
	// DefaultReplayBytes is the target largest message (a single larger
	// post is sent alone).
	DefaultReplayBytes = 256 << 10
	// DefaultReplayGap: posts due within this much wall time of the
	// first post of a message share that message.
	DefaultReplayGap = 20 * time.Millisecond
)

// ReplayOptions configure Replay.
type ReplayOptions struct {
	// Speed divides the posts' time gaps (60: an hour in a minute); 0
	// sends as fast as the stream accepts.
	Speed float64
	// MaxBatch, MaxBytes and Gap shape messages (defaults above).
	MaxBatch int
	MaxBytes int
	Gap      time.Duration
	// Log receives progress; nil is silent.
	Log *slog.Logger
	// OnPublish, when set, is called after each message is accepted with
	// its posts and the wall time it was sent (tests measure detection
	// latency from it).
	OnPublish func(posts []model.Post, sent time.Time)
}

// ReplayStats counts one replay.
type ReplayStats struct {
	// Sent posts in Messages messages.
	Sent, Messages int64
	// Bytes published.
	Bytes   int64
	Elapsed time.Duration
	// First and Last are the post times replayed.
	First, Last time.Time
}

// ParseSpeed reads --speed: "60x", "60", "0.5x", or "max" (0: as fast as
// possible).
func ParseSpeed(s string) (float64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "max" || t == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(t, "x"), 64)
	if err != nil || !(f > 0) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%w: --speed %q: want a positive factor such as 60x, or max", ErrConfig, s)
	}
	return f, nil
}

// LoadReplay reads files with chorus's readers and returns their posts
// sorted by post time (stable: equal times keep input order), the
// per-file stats, and the number of posts without a time (left out: they
// cannot be placed on the timeline). It holds every post in memory.
func LoadReplay(ctx context.Context, files []string, opts ingest.Options) ([]model.Post, []ingest.FileStats, int64, error) {
	var posts []model.Post
	var stats []ingest.FileStats
	var untimed int64
	for _, f := range files {
		st, err := ingest.ReadFile(ctx, f, opts, func(p *model.Post) error {
			if p.Time.IsZero() {
				untimed++
				return nil
			}
			var c model.Post
			c.CopyFrom(p)
			posts = append(posts, c)
			return nil
		})
		stats = append(stats, st)
		if err != nil {
			return nil, stats, untimed, err
		}
	}
	SortByTime(posts)
	return posts, stats, untimed, nil
}

// SortByTime sorts posts by post time, keeping the input order of equal
// times.
func SortByTime(posts []model.Post) {
	slices.SortStableFunc(posts, func(a, b model.Post) int { return a.Time.Compare(b.Time) })
}

// Replay publishes posts (sorted by time) through pub as generic JSONL
// messages, keeping the posts' time gaps divided by o.Speed (all at once
// when Speed is 0). It stops at the first publish error.
func Replay(ctx context.Context, posts []model.Post, pub Publisher, o ReplayOptions) (ReplayStats, error) {
	var st ReplayStats
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	o.MaxBatch = cmp.Or(max(o.MaxBatch, 0), DefaultReplayBatch)
	o.MaxBytes = cmp.Or(max(o.MaxBytes, 0), DefaultReplayBytes)
	o.Gap = cmp.Or(max(o.Gap, 0), DefaultReplayGap)
	if len(posts) == 0 {
		return st, nil
	}
	st.First, st.Last = posts[0].Time, posts[len(posts)-1].Time
	start := time.Now()
	t0 := posts[0].Time
	due := func(p *model.Post) time.Time {
		if o.Speed <= 0 {
			return time.Time{}
		}
		return start.Add(time.Duration(float64(p.Time.Sub(t0)) / o.Speed))
	}
	var buf []byte
	lastLog := start
	for i := 0; i < len(posts); {
		d := due(&posts[i])
		if !d.IsZero() {
			if wait := time.Until(d); wait > 0 && !sleepCtx(ctx, wait) {
				return st, ctx.Err()
			}
		}
		if err := ctx.Err(); err != nil {
			return st, err
		}
		buf = buf[:0]
		j := i
		for j < len(posts) && j-i < o.MaxBatch && (j == i || len(buf) < o.MaxBytes) {
			if dj := due(&posts[j]); !d.IsZero() && dj.Sub(d) > o.Gap {
				break
			}
			buf = appendGenericJSON(buf, &posts[j])
			j++
		}
		if err := pub.Publish(ctx, buf); err != nil {
			return st, fmt.Errorf("%w: message %d (posts %d–%d): %w", ErrPublish, st.Messages+1, i, j-1, err)
		}
		sent := time.Now()
		if o.OnPublish != nil {
			o.OnPublish(posts[i:j], sent)
		}
		st.Sent += int64(j - i)
		st.Messages++
		st.Bytes += int64(len(buf))
		i = j
		if sent.Sub(lastLog) >= 10*time.Second {
			lastLog = sent
			o.Log.Info("replay: progress", "sent", st.Sent, "of", len(posts), "post_time", posts[j-1].Time.UTC())
		}
	}
	st.Elapsed = time.Since(start)
	return st, nil
}
