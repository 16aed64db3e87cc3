package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	json "github.com/goccy/go-json"
)

// errJSONSyntax marks input whose JSON structure the scanner cannot follow
// (a stray ']' or ':', a missing ',' between array elements).
var errJSONSyntax = errors.New("JSON syntax error")

// jsonScanner walks JSON text on a buffered stream one value at a time, so
// that a huge document (a top-level array of tweets, a Telegram export) is
// never held whole: only the current element is copied out, bounded by the
// caller's limit. It validates only what it needs to find value ends
// (strings, escapes, bracket depth); the decoder validates the rest.
type jsonScanner struct {
	r        *bufio.Reader
	off      int64 // bytes consumed so far
	maxDepth int
	key      []byte // scratch for object keys
	// ioErr is the first read error of the underlying stream (not io.EOF):
	// the caller reports it as an I/O failure, not as malformed JSON.
	ioErr error
	// depthErr is set when a value nested deeper than maxDepth.
	depthErr bool
}

func newJSONScanner(r *bufio.Reader, off int64, maxDepth int) *jsonScanner {
	return &jsonScanner{r: r, off: off, maxDepth: maxDepth}
}

// buffered returns the bytes buffered in r, filling it when empty.
func (s *jsonScanner) buffered() ([]byte, error) {
	if s.r.Buffered() == 0 {
		if _, err := s.r.Peek(1); err != nil {
			if err != io.EOF && s.ioErr == nil {
				s.ioErr = err
			}
			return nil, err
		}
	}
	b, _ := s.r.Peek(s.r.Buffered())
	return b, nil
}

func (s *jsonScanner) discard(n int) {
	d, _ := s.r.Discard(n)
	s.off += int64(d)
}

// peek skips whitespace and returns the next byte without consuming it;
// io.EOF at the end of the stream.
func (s *jsonScanner) peek() (byte, error) {
	for {
		b, err := s.buffered()
		if err != nil {
			return 0, err
		}
		i := 0
		for i < len(b) && isJSONSpace(b[i]) {
			i++
		}
		s.discard(i)
		if i < len(b) {
			return b[i], nil
		}
	}
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// expect consumes the byte c (after whitespace) or fails.
func (s *jsonScanner) expect(c byte) error {
	got, err := s.peek()
	if err != nil {
		return eofUnexpected(err)
	}
	if got != c {
		return fmt.Errorf("%w: expected %q, found %q at byte %d", errJSONSyntax, c, got, s.off)
	}
	s.discard(1)
	return nil
}

// eofUnexpected turns io.EOF into io.ErrUnexpectedEOF (the document ended
// inside a value).
func eofUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// value consumes the next JSON value and appends its raw bytes to dst. A
// value longer than max bytes is consumed but not copied: tooLong is set
// and dst is returned unchanged, so the caller can count a skip and go on
// in sync. Nesting deeper than maxDepth is an ErrLimit error (the stream is
// then abandoned: no decoder ever sees it). At the end of the stream err
// is io.EOF before a value starts and io.ErrUnexpectedEOF inside one.
func (s *jsonScanner) value(dst []byte, max int) (out []byte, tooLong bool, err error) {
	c, err := s.peek()
	if err != nil {
		return dst, false, err
	}
	switch c {
	case ']', '}', ',', ':':
		return dst, false, fmt.Errorf("%w: unexpected %q at byte %d", errJSONSyntax, c, s.off)
	}
	scalar := c != '{' && c != '[' && c != '"'
	start := len(dst)
	n := 0
	depth := 0
	inStr, esc := false, false
	for {
		b, err := s.buffered()
		if err != nil {
			if err == io.EOF && scalar && n > 0 {
				return dst, tooLong, nil
			}
			return dst, tooLong, eofUnexpected(err)
		}
		i, done := 0, false
		quote := -1 // index in b of the next '"' while in a string; -1 unknown
		for i < len(b) && !done {
			switch {
			case scalar:
				for i < len(b) && !isScalarEnd(b[i]) {
					i++
				}
				done = i < len(b)
			case inStr:
				if esc {
					esc = false
					i++
					continue
				}
				// String bodies are skipped with vectorised searches: find
				// the next quote once, then any backslash before it.
				if quote < i {
					quote = -1
					if j := bytes.IndexByte(b[i:], '"'); j >= 0 {
						quote = i + j
					}
				}
				end := len(b)
				if quote >= 0 {
					end = quote
				}
				if k := bytes.IndexByte(b[i:end], '\\'); k >= 0 {
					i += k + 1
					esc = true
					continue
				}
				if quote < 0 {
					i = len(b)
					continue
				}
				i = quote + 1
				inStr = false
				done = depth == 0
			default:
				ch := b[i]
				i++
				switch ch {
				case '"':
					inStr = true
				case '{', '[':
					depth++
					if depth > s.maxDepth {
						s.depthErr = true
						return dst[:start], false, fmt.Errorf("%w: JSON nesting deeper than %d at byte %d (raise --max-depth if the file is genuine)", ErrLimit, s.maxDepth, s.off+int64(i-1))
					}
				case '}', ']':
					depth--
					done = depth <= 0
				}
			}
		}
		if !tooLong {
			if n+i > max {
				tooLong = true
				dst = dst[:start]
			} else {
				dst = append(dst, b[:i]...)
			}
		}
		n += i
		s.discard(i)
		if done {
			return dst, tooLong, nil
		}
	}
}

// isScalarEnd reports whether c ends a number or literal.
func isScalarEnd(c byte) bool {
	switch c {
	case ',', ']', '}', ':', '{', '[', '"', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// skip consumes the next value without keeping it.
func (s *jsonScanner) skip() error {
	_, _, err := s.value(nil, -1)
	return eofUnexpected(err)
}

// stringValue consumes a JSON string of at most max bytes and decodes it;
// any other value is consumed and returned as its raw text (numbers, so
// that ids keep every digit).
func (s *jsonScanner) stringValue(max int) (string, error) {
	raw, tooLong, err := s.value(s.key[:0], max)
	s.key = raw[:0]
	if err != nil {
		return "", eofUnexpected(err)
	}
	if tooLong {
		return "", fmt.Errorf("%w: a key or scalar longer than %d bytes at byte %d", ErrLimit, max, s.off)
	}
	if len(raw) > 0 && raw[0] == '"' {
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", fmt.Errorf("%w: bad string at byte %d: %v", errJSONSyntax, s.off, err)
		}
		return v, nil
	}
	if bytes.Equal(raw, []byte("null")) {
		return "", nil
	}
	return string(raw), nil
}

// maxKeyBytes bounds object keys and the small scalars read by
// stringValue (chat names, ids).
const maxKeyBytes = 64 << 10

// object consumes an object, calling fn for each key with the scanner on
// the value. fn consumes the value and returns true, or returns false to
// have it skipped.
func (s *jsonScanner) object(fn func(key string) (bool, error)) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	first := true
	for {
		c, err := s.peek()
		if err != nil {
			return eofUnexpected(err)
		}
		if c == '}' {
			s.discard(1)
			return nil
		}
		if !first {
			if c != ',' {
				return fmt.Errorf("%w: expected ',' or '}', found %q at byte %d", errJSONSyntax, c, s.off)
			}
			s.discard(1)
			if c, err = s.peek(); err != nil {
				return eofUnexpected(err)
			}
		}
		first = false
		if c != '"' {
			return fmt.Errorf("%w: expected an object key, found %q at byte %d", errJSONSyntax, c, s.off)
		}
		key, err := s.stringValue(maxKeyBytes)
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		done, err := fn(key)
		if err != nil {
			return err
		}
		if !done {
			if err := s.skip(); err != nil {
				return err
			}
		}
	}
}

// array consumes an array, calling fn for each element with the scanner
// on it; fn must consume the element. off is the element's byte offset.
func (s *jsonScanner) array(fn func(off int64) error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	first := true
	for {
		c, err := s.peek()
		if err != nil {
			return eofUnexpected(err)
		}
		if c == ']' {
			s.discard(1)
			return nil
		}
		if !first {
			if c != ',' {
				return fmt.Errorf("%w: expected ',' or ']', found %q at byte %d", errJSONSyntax, c, s.off)
			}
			s.discard(1)
			if c, err = s.peek(); err != nil {
				return eofUnexpected(err)
			}
			if c == ']' { // tolerate a trailing comma
				s.discard(1)
				return nil
			}
		}
		first = false
		if err := fn(s.off); err != nil {
			return err
		}
	}
}
