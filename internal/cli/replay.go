package cli

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/live"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
)

// envToken is the API token `chorus replay` sends to an HTTP target (a
// token on the command line would show in the process list).
const envToken = "CHORUS_TOKEN"

func runReplay(e *env, args []string) int {
	cfg := config.Default()
	fs := newFlagSet(e, "replay", "--to nats://host:port[/subject] | kafka://broker[,broker]/topic | http(s)://host/api/live/ingest [--speed 60x|max] FILE...")
	cfg.BindFlags(fs, "ingest")
	to := fs.String("to", "", "destination: nats://host:port[/subject], kafka://broker[,broker]/topic, or http(s)://host/api/live/ingest (token in $"+envToken+")")
	speedText := fs.String("speed", "max", "replay speed: 60x plays an hour of posts in a minute; max sends as fast as the stream accepts")
	stream := fs.String("nats-stream", cfg.Live.NATSStream, "JetStream stream created (capturing the subject) if missing")
	since := fs.String("since", "", "replay only posts at or after this time (RFC 3339)")
	until := fs.String("until", "", "replay only posts before this time (RFC 3339)")
	batch := fs.Int("batch", live.DefaultReplayBatch, "most posts in one message")
	files, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(files) == 0 {
		fmt.Fprintln(e.stderr, "chorus replay: no input files (give one or more paths, or '-' for stdin)")
		return exitUsage
	}
	if *to == "" {
		fmt.Fprintln(e.stderr, "chorus replay: --to is required (nats://host:port[/subject], kafka://broker/topic or http(s)://host/api/live/ingest)")
		return exitUsage
	}
	if err := cfg.Validate(); err != nil {
		return fail(e, "replay", err)
	}
	speed, err := live.ParseSpeed(*speedText)
	if err != nil {
		return fail(e, "replay", err)
	}
	target, err := live.ParseTarget(*to, cfg.Live)
	if err != nil {
		return fail(e, "replay", err)
	}
	var from, end time.Time
	for _, f := range []struct {
		name string
		v    string
		t    *time.Time
	}{{"since", *since, &from}, {"until", *until, &end}} {
		if f.v == "" {
			continue
		}
		if *f.t, err = time.Parse(time.RFC3339, f.v); err != nil {
			return fail(e, "replay", fmt.Errorf("%w: --%s %q: want RFC 3339, e.g. 2015-11-13T20:00:00Z", config.ErrInvalid, f.name, f.v))
		}
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	opts, err := pipeline.IngestOptions(&cfg, log)
	if err != nil {
		return fail(e, "replay", err)
	}
	if len(files) > opts.Limits.MaxFiles && opts.Limits.MaxFiles > 0 {
		return fail(e, "replay", fmt.Errorf("%w: %d input files, more than --max-files %d", ingest.ErrLimit, len(files), opts.Limits.MaxFiles))
	}
	posts, stats, untimed, err := loadReplay(e, files, opts)
	if err != nil {
		return fail(e, "replay", err)
	}
	var malformed int64
	for _, st := range stats {
		malformed += st.Skipped
	}
	kept := posts[:0]
	for _, p := range posts {
		if (!from.IsZero() && p.Time.Before(from)) || (!end.IsZero() && !p.Time.Before(end)) {
			continue
		}
		kept = append(kept, p)
	}
	filtered := int64(len(posts) - len(kept))
	pub, err := live.OpenPublisher(e.ctx, target, *stream, strings.TrimSpace(os.Getenv(envToken)))
	if err != nil {
		return fail(e, "replay", err)
	}
	rs, err := live.Replay(e.ctx, kept, pub, live.ReplayOptions{Speed: speed, MaxBatch: *batch, Log: log})
	if cerr := pub.Close(); err == nil && cerr != nil {
		err = cerr
	}
	skipped := malformed + untimed + filtered
	fmt.Fprintf(e.stdout, "replay: sent %d posts in %d messages (%d bytes) to %s in %s; skipped %d (%d malformed records, %d without a time, %d outside --since/--until)\n",
		rs.Sent, rs.Messages, rs.Bytes, *to, rs.Elapsed.Round(time.Millisecond), skipped, malformed, untimed, filtered)
	if err != nil {
		fmt.Fprintf(e.stderr, "chorus replay: stopped after %d of %d posts\n", rs.Sent, len(kept))
		return fail(e, "replay", err)
	}
	return exitOK
}

// loadReplay reads the inputs ("-" is stdin) sorted by post time.
func loadReplay(e *env, files []string, opts ingest.Options) ([]model.Post, []ingest.FileStats, int64, error) {
	if len(files) == 1 && files[0] == "-" {
		var posts []model.Post
		var untimed int64
		st, err := ingest.ReadStream(e.ctx, "-", e.stdin, opts, func(p *model.Post) error {
			if p.Time.IsZero() {
				untimed++
				return nil
			}
			var c model.Post
			c.CopyFrom(p)
			posts = append(posts, c)
			return nil
		})
		if err != nil {
			return nil, nil, 0, err
		}
		live.SortByTime(posts)
		return posts, []ingest.FileStats{st}, untimed, nil
	}
	return live.LoadReplay(e.ctx, files, opts)
}
