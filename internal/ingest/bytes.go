package ingest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
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
	return readOpened(ctx, name, "", s, lim, opts, emit)
}
