package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"
)

// ReadFile reads one input ("-" for stdin) and streams its posts to emit.
// The returned stats are valid even when err is non-nil (they count what
// was read before the error). Errors name the file and, where it applies,
// the line and byte offset, and say what to do.
func ReadFile(ctx context.Context, path string, opts Options, emit Emit) (FileStats, error) {
	return ReadStream(ctx, path, nil, opts, emit)
}

// ReadStream is ReadFile with an explicit reader for "-" (tests, servers).
// When stdin is nil and path is "-", os.Stdin is read.
func ReadStream(ctx context.Context, path string, stdin io.Reader, opts Options, emit Emit) (FileStats, error) {
	st := FileStats{Path: path}
	lim := opts.Limits.withDefaults()
	s, err := openStream(path, stdin, lim)
	if err != nil {
		return st, fmt.Errorf("open %s: %w", path, err)
	}
	defer s.Close()
	dir := ""
	if path != "-" {
		dir = filepath.Dir(path)
	}
	return readOpened(ctx, path, dir, s, lim, opts, emit)
}

// readOpened sniffs (unless opts.Format) and reads an opened stream; name
// labels errors and posts, dir resolves media paths ("" for none). Shared
// by ReadStream and ReadBytes.
func readOpened(ctx context.Context, name, dir string, s *stream, lim Limits, opts Options, emit Emit) (FileStats, error) {
	st := FileStats{Path: name}
	format := opts.Format
	if format == "" {
		head, _ := s.r.Peek(64 << 10)
		res := sniff(head)
		if res.Format == "" && len(opts.Map) > 0 {
			// --map only applies to the generic schema: an input no
			// reader claims is read as generic CSV or JSONL.
			res.Format = genericFallback(head)
		}
		if res.Format == "" {
			if res.Guess != "" {
				return st, fmt.Errorf("%s: %w: closest guess %s, but %s (or pass --format; `chorus formats` lists them)", name, ErrUnknownFormat, res.Guess, res.Why)
			}
			return st, fmt.Errorf("%s: %w: %s (`chorus formats` lists the supported formats)", name, ErrUnknownFormat, res.Why)
		}
		format = res.Format
	}
	spec, ok := lookupFormat(format)
	if !ok {
		return st, fmt.Errorf("%s: %w: no reader named %q (`chorus formats` lists them)", name, ErrUnknownFormat, format)
	}
	st.Format = format
	tz := opts.TZ
	if tz == nil {
		tz = time.UTC
	}
	rc := &readCtx{
		ctx: ctx, path: name, dir: dir, r: s.r, opts: &opts, lim: lim, tz: tz,
		sink: &recordSink{ctx: ctx, opts: &opts, stats: &st, emit: emit},
	}
	err := spec.read(rc)
	st.Bytes = s.bounded.n
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return st, err
		}
		return st, fmt.Errorf("%s (%s): %w", name, format, err)
	}
	return st, ctx.Err()
}

// genericFallback picks the generic reader for a head that no format
// sniffed: generic-jsonl for a JSON object, generic-csv for other text, ""
// for empty, binary or top-level-array input.
func genericFallback(head []byte) string {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	switch {
	case len(t) == 0 || t[0] == '[':
		return ""
	case t[0] == '{':
		return "generic-jsonl"
	case looksText(t):
		return "generic-csv"
	}
	return ""
}
