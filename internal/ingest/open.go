package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
)

// Compression magic numbers.
var (
	magicGzip = []byte{0x1f, 0x8b}
	magicZstd = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// countingReader counts bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// boundedReader enforces MaxDecompressed and MaxRatio on a decompressed
// stream whose compressed side is counted by raw.
type boundedReader struct {
	r        io.Reader
	raw      *countingReader // nil when not compressed
	n        int64
	maxBytes int64
	maxRatio int64
	after    int64
	path     string
}

func (b *boundedReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > b.maxBytes {
		return n, fmt.Errorf("%w: %s decompresses past %d bytes (raise --max-decompressed if the file is genuine)", ErrLimit, b.path, b.maxBytes)
	}
	if b.raw != nil && b.n > b.after && b.raw.n > 0 && b.n/b.raw.n > b.maxRatio {
		return n, fmt.Errorf("%w: %s expands more than %d:1 (a decompression bomb?); raise --max-ratio if the file is genuine", ErrLimit, b.path, b.maxRatio)
	}
	return n, err
}

// stream is an opened, decompressed input.
type stream struct {
	r       *bufio.Reader
	bounded *boundedReader
	closers []io.Closer
	// Compression is "", "gzip" or "zstd".
	Compression string
}

func (s *stream) Close() error {
	var first error
	for i := len(s.closers) - 1; i >= 0; i-- {
		if err := s.closers[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// streamBufSize is the buffered reader size; sniffing peeks into it.
const streamBufSize = 1 << 20

// openStream opens path ("-" is stdin) and transparently decompresses gzip
// (including concatenated members) and zstd, detected by magic bytes.
func openStream(path string, stdin io.Reader, lim Limits) (*stream, error) {
	s := &stream{}
	var src io.Reader
	if path == "-" {
		if stdin == nil {
			stdin = os.Stdin
		}
		src = stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		s.closers = append(s.closers, f)
		src = f
	}
	raw := &countingReader{r: src}
	br := bufio.NewReaderSize(raw, 64<<10)
	head, _ := br.Peek(4)
	var dec io.Reader = br
	compressed := false
	switch {
	case bytes.HasPrefix(head, magicGzip):
		zr, err := gzip.NewReader(br)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("%w: %s: bad gzip header: %v", ErrMalformed, path, err)
		}
		s.closers = append(s.closers, zr)
		dec, compressed, s.Compression = zr, true, "gzip"
	case bytes.HasPrefix(head, magicZstd):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(min(lim.MaxDecompressed, 1<<34))))
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("%w: %s: bad zstd header: %v", ErrMalformed, path, err)
		}
		s.closers = append(s.closers, zr.IOReadCloser())
		dec, compressed, s.Compression = zr, true, "zstd"
	}
	b := &boundedReader{r: dec, maxBytes: lim.MaxDecompressed, maxRatio: lim.MaxRatio, after: lim.RatioAfter, path: path}
	if compressed {
		b.raw = raw
	}
	s.bounded = b
	s.r = bufio.NewReaderSize(b, streamBufSize)
	return s, nil
}
