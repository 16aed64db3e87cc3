package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// lineReader yields lines with their 1-based number and byte offset,
// bounding line length. A line longer than max is returned as tooLong (its
// bytes discarded) so the caller can skip and count it.
type lineReader struct {
	r      *bufio.Reader
	max    int
	buf    []byte
	line   int64
	offset int64 // offset of the next line
}

func newLineReader(r *bufio.Reader, max int) *lineReader {
	return &lineReader{r: r, max: max}
}

// next returns the next line without its terminator ("\n" or "\r\n"). The
// returned slice is valid until the next call. At the end it returns
// io.EOF. A final line without a newline is returned normally.
func (lr *lineReader) next() (b []byte, line, offset int64, tooLong bool, err error) {
	lr.buf = lr.buf[:0]
	start := lr.offset
	lr.line++
	for {
		chunk, e := lr.r.ReadSlice('\n')
		lr.offset += int64(len(chunk))
		if !tooLong {
			if len(lr.buf)+len(chunk) > lr.max+2 {
				tooLong = true
				lr.buf = lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		if e == nil {
			break
		}
		if errors.Is(e, bufio.ErrBufferFull) {
			continue
		}
		if e == io.EOF {
			if lr.offset == start {
				return nil, lr.line, start, false, io.EOF
			}
			break
		}
		return nil, lr.line, start, false, e
	}
	if tooLong {
		return nil, lr.line, start, true, nil
	}
	b = bytes.TrimSuffix(lr.buf, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	if len(b) > lr.max {
		return nil, lr.line, start, true, nil
	}
	if lr.line == 1 {
		b = bytes.TrimPrefix(b, utf8BOM)
	}
	return b, lr.line, start, false, nil
}

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// isBlank reports whether b holds only ASCII whitespace.
func isBlank(b []byte) bool {
	return len(bytes.TrimSpace(b)) == 0
}
