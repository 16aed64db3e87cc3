package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"
)

// minBytesBuf is the smallest read buffer of ReadBytes.
const minBytesBuf = 4 << 10

// ReadBytes reads one in-memory payload (a live-mode message, an HTTP
// ingest body) holding one or more records in any supported format,
// sniffed as a file would be (or opts.Format), and streams its posts to
// emit. name labels the posts' Source.File and the errors (e.g.
// "nats:chorus.posts#42"). The payload is never resolved against a
// directory: Telegram media paths in it stay unresolved references. emit
// follows the Emit contract. An uncompressed payload is read through a
// buffer sized to it (a message costs no 1 MiB file buffer), within the
// same limits as a file.
func ReadBytes(ctx context.Context, name string, b []byte, opts Options, emit Emit) (FileStats, error) {
	st := FileStats{Path: name}
	lim := opts.Limits.withDefaults()
	var s *stream
	if bytes.HasPrefix(b, magicGzip) || bytes.HasPrefix(b, magicZstd) {
		var err error
		if s, err = openStream("-", bytes.NewReader(b), lim); err != nil {
			return st, fmt.Errorf("%s: %w", name, err)
		}
		defer s.Close()
	} else {
		bd := &boundedReader{r: bytes.NewReader(b), maxBytes: lim.MaxDecompressed, maxRatio: lim.MaxRatio, after: lim.RatioAfter, path: name}
		s = &stream{bounded: bd, r: bufio.NewReaderSize(bd, min(streamBufSize, max(len(b)+1, minBytesBuf)))}
	}
	format := opts.Format
	if format == "" {
		head, _ := s.r.Peek(64 << 10)
		res := sniff(head)
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
		ctx: ctx, path: name, dir: "", r: s.r, opts: &opts, lim: lim, tz: tz,
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
