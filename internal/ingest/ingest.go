// Package ingest reads exports (Twitter v1.1/v2 JSON, twarc CSV, Telegram
// Desktop JSON, Telethon/4CAT CSV, CooRTweet/QUT/Fifth Tribe CSV, generic
// CSV/JSONL) into model.Post values, streamed to a callback.
//
// Every reader is hostile-input safe: a malformed record is skipped and
// counted with its line and byte offset (fatal with Options.Strict), sizes
// and nesting are bounded by Limits, and no reader panics on any input (each
// is fuzzed).
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

// Sentinel errors. Callers match them with errors.Is; messages shown to
// users add the file, position and a fix-it note around them.
var (
	// ErrUnknownFormat: no reader recognises the input.
	ErrUnknownFormat = errors.New("unknown input format")
	// ErrMalformed: a record could not be parsed.
	ErrMalformed = errors.New("malformed record")
	// ErrLimit: an input exceeded a documented resource limit.
	ErrLimit = errors.New("input limit exceeded")
	// ErrStrict: a record was malformed and Options.Strict was set.
	ErrStrict = errors.New("malformed record in strict mode")
	// ErrUnsafePath: a path inside an export escapes the export folder.
	ErrUnsafePath = errors.New("path escapes the export folder")
)

// Emit receives each post a reader produces. The reader owns p and reuses
// it after Emit returns: the callee must copy what it keeps (strings are
// immutable and may be kept; slices must be copied). Emit is never called
// concurrently for one file. A non-nil error stops the read and is returned
// from ReadFile wrapped with the file name.
type Emit func(p *model.Post) error

// Options control how files are read. The zero value is usable: format
// sniffed, naive times in UTC, default limits.
type Options struct {
	// Format forces a reader by name (see Formats); empty sniffs.
	Format string
	// TZ is the zone of naive timestamps (no offset); nil means UTC.
	TZ *time.Location
	// Map maps generic-schema fields to column names / JSON keys for the
	// generic readers ("id" -> "tweet_id").
	Map map[string]string
	// Strict makes the first malformed record fatal.
	Strict bool
	// Limits bound resource use; zero fields take DefaultLimits.
	Limits Limits
	// Logger receives warnings; nil is silent.
	Logger *slog.Logger
}

// Skip records one skipped record.
type Skip struct {
	Line   int64  `json:"line"`
	Offset int64  `json:"offset"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

// maxSkipExamples is how many skipped records are kept per file for the
// summary; all are counted.
const maxSkipExamples = 5

// FileStats summarises one file's read.
type FileStats struct {
	Path        string         `json:"path"`
	Format      string         `json:"format"`
	Posts       int64          `json:"posts"`
	Skipped     int64          `json:"skipped"`
	SkipReasons map[string]int `json:"skip_reasons,omitempty"`
	SkipSamples []Skip         `json:"skip_examples,omitempty"`
	Reposts     int64          `json:"reposts"`
	Quotes      int64          `json:"quotes"`
	Replies     int64          `json:"replies"`
	// Inferred counts reposts inferred from "RT @x:" text prefixes.
	Inferred int64 `json:"reposts_inferred"`
	// First and Last span the posts' times; omitted when no post had one.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
	// Bytes is the decompressed size read.
	Bytes int64 `json:"bytes"`
}

// Reasons returns the skip reasons sorted by name, for stable output.
func (s *FileStats) Reasons() []string {
	out := make([]string, 0, len(s.SkipReasons))
	for r := range s.SkipReasons {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// skip counts a skipped record; in strict mode it returns an error.
func (s *FileStats) skip(strict bool, sk Skip) error {
	s.Skipped++
	if s.SkipReasons == nil {
		s.SkipReasons = map[string]int{}
	}
	s.SkipReasons[sk.Reason]++
	if len(s.SkipSamples) < maxSkipExamples {
		s.SkipSamples = append(s.SkipSamples, sk)
	}
	if strict {
		return fmt.Errorf("%w: line %d (byte %d): %s: %s", ErrStrict, sk.Line, sk.Offset, sk.Reason, sk.Detail)
	}
	return nil
}

// count updates the per-file tallies for an emitted post.
func (s *FileStats) count(p *model.Post) {
	s.Posts++
	if !p.RepostOf.IsZero() {
		s.Reposts++
		if p.RepostOf.Inferred {
			s.Inferred++
		}
	}
	if !p.QuoteOf.IsZero() {
		s.Quotes++
	}
	if !p.ReplyTo.IsZero() {
		s.Replies++
	}
	if !p.Time.IsZero() {
		if s.First.IsZero() || p.Time.Before(s.First) {
			s.First = p.Time
		}
		if p.Time.After(s.Last) {
			s.Last = p.Time
		}
	}
}

// ctxCheckEvery is how many records pass between context checks.
const ctxCheckEvery = 4096

// recordSink is what readers call: it stamps the source position, counts,
// forwards to the user's Emit, and handles skips and cancellation.
type recordSink struct {
	ctx   context.Context
	opts  *Options
	stats *FileStats
	emit  Emit
	n     int
}

// post emits p (whose Source.Line/Offset the reader has set).
func (s *recordSink) post(p *model.Post) error {
	if p.Source.File == "" {
		p.Source.File = s.stats.Path
	}
	s.stats.count(p)
	if err := s.emit(p); err != nil {
		return err
	}
	s.n++
	if s.n%ctxCheckEvery == 0 {
		if err := s.ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// skip records a malformed record.
func (s *recordSink) skip(line, offset int64, reason string, err error) error {
	detail := ""
	if err != nil {
		detail = err.Error()
		if len(detail) > 200 {
			detail = detail[:200] + "…"
		}
	}
	if s.opts.Logger != nil && s.stats.Skipped < maxSkipExamples {
		s.opts.Logger.Warn("skipped record", "file", s.stats.Path, "line", line, "offset", offset, "reason", reason, "detail", detail)
	}
	return s.stats.skip(s.opts.Strict, Skip{Line: line, Offset: offset, Reason: reason, Detail: detail})
}
