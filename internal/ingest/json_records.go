package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// recordHandler handles one JSON record of a Twitter file. line is the
// 1-based line (JSONL) or record number (array element, document); off is
// the record's byte offset in the decompressed stream. It reports
// malformed records through rc.sink.skip and returns an error only when the
// read must stop.
type recordHandler func(rec []byte, line, off int64) error

// readJSONRecords drives the Twitter readers over the three layouts seen
// in exports, chosen from the first bytes:
//
//   - JSONL, one object per line (the common case, and the fast path): a
//     malformed line is skipped and the next line read normally;
//   - a top-level array, possibly pretty-printed and huge: streamed one
//     element at a time, each bounded by MaxRecordBytes;
//   - one or more pretty-printed objects (a single tweet or v2 page saved
//     with indentation), each bounded by MaxRecordBytes.
//
// In the last two layouts a structural error cannot be resynchronised:
// it is counted as one skipped record and the rest of the file is not read.
func readJSONRecords(rc *readCtx, h recordHandler) error {
	head, _ := rc.r.Peek(rc.r.Size())
	var start int64
	if bytes.HasPrefix(head, utf8BOM) {
		head = head[len(utf8BOM):]
		start = int64(len(utf8BOM))
	}
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 {
		return nil
	}
	if t[0] == '[' || (t[0] == '{' && !lineStructured(t)) {
		if start > 0 {
			if _, err := rc.r.Discard(int(start)); err != nil {
				return err
			}
		}
		return readJSONDocument(rc, start, h)
	}
	return readJSONLines(rc, h)
}

// readJSONLines reads one record per line.
func readJSONLines(rc *readCtx, h recordHandler) error {
	lr := newLineReader(rc.r, rc.lim.MaxRecordBytes)
	for {
		line, ln, off, tooLong, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return streamError(err)
		}
		if tooLong {
			if err := rc.sink.skip(ln, off, "record too long", fmt.Errorf("line exceeds %d bytes (raise --max-record if the file is genuine)", rc.lim.MaxRecordBytes)); err != nil {
				return err
			}
			continue
		}
		if isBlank(line) {
			continue
		}
		if err := CheckDepth(line, rc.lim.MaxDepth); err != nil {
			if err := rc.sink.skip(ln, off, "nesting too deep", err); err != nil {
				return err
			}
			continue
		}
		if err := h(line, ln, off); err != nil {
			return err
		}
	}
}

// readJSONDocument reads top-level values; arrays are entered and their
// elements read as records.
func readJSONDocument(rc *readCtx, start int64, h recordHandler) error {
	sc := newJSONScanner(rc.r, start, rc.lim.MaxDepth)
	var buf []byte
	var rec int64
	one := func(off int64) error {
		rec++
		if off > rc.lim.MaxDocumentBytes {
			return fmt.Errorf("%w: the JSON document is larger than %d bytes (raise --max-document if the file is genuine)", ErrLimit, rc.lim.MaxDocumentBytes)
		}
		var tooLong bool
		var err error
		buf, tooLong, err = sc.value(buf[:0], rc.lim.MaxRecordBytes)
		if err != nil {
			return err
		}
		if tooLong {
			return rc.sink.skip(rec, off, "record too long", fmt.Errorf("JSON value exceeds %d bytes (raise --max-record if the file is genuine)", rc.lim.MaxRecordBytes))
		}
		return h(buf, rec, off)
	}
	for {
		c, err := sc.peek()
		if err == io.EOF {
			return nil
		}
		if err == nil {
			if c == '[' {
				err = sc.array(one)
			} else {
				err = one(sc.off)
			}
		}
		if err != nil {
			return documentError(rc, sc, rec, err)
		}
	}
}

// documentError sorts an error met while scanning a JSON document: read
// failures and limits stop the read; a structural error or truncation is
// counted as a skipped record (the rest of the document is not read).
func documentError(rc *readCtx, sc *jsonScanner, rec int64, err error) error {
	if sc.ioErr != nil {
		return streamError(sc.ioErr)
	}
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return rc.sink.skip(rec, sc.off, "truncated JSON", fmt.Errorf("the document ends inside a value at byte %d; the records before it were read", sc.off))
	case errors.Is(err, errJSONSyntax):
		return rc.sink.skip(rec, sc.off, "invalid JSON", fmt.Errorf("%v; the rest of the document was not read", err))
	case errors.Is(err, ErrLimit) && sc.depthErr:
		return rc.sink.skip(rec, sc.off, "nesting too deep", fmt.Errorf("%v; the rest of the document was not read", err))
	}
	return err
}

// streamError adds a fix-it note to read failures of the input stream.
func streamError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("read: %w (the file is truncated or its compression is damaged: was the download or copy complete?)", err)
	}
	return fmt.Errorf("read: %w", err)
}

// lineStructured reports whether JSON text starting with '{' is one
// object per line: the first line is a complete value, or (a damaged first
// record) the next non-blank line starts another object. A first line
// longer than the peeked head (a big v2 page) counts as line-structured:
// pretty-printed JSON breaks its first line early.
func lineStructured(t []byte) bool {
	nl := bytes.IndexByte(t, '\n')
	if nl < 0 {
		return true
	}
	if completeJSONValue(t[:nl]) {
		return true
	}
	first := bytes.TrimSpace(t[:nl])
	if len(first) <= 1 {
		return false // "{" alone: pretty-printed
	}
	rest := bytes.TrimLeft(t[nl+1:], " \t\r\n")
	return len(rest) > 0 && rest[0] == '{'
}

// completeJSONValue reports whether b (trimmed) is exactly one complete
// object or array, by bracket depth and string state only.
func completeJSONValue(b []byte) bool {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || (b[0] != '{' && b[0] != '[') {
		return false
	}
	depth := 0
	inStr, esc := false, false
	for i, c := range b {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i == len(b)-1
			}
		}
	}
	return false
}
