package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// errCSVRecordTooLong is returned by csvFeed when one record grows past
// Limits.MaxRecordBytes; the record is skipped and reading resumes.
var errCSVRecordTooLong = errors.New("CSV record too long")

// csvFeedBufSize is the size of the bufio.Reader that encoding/csv reads
// from (it uses a *bufio.Reader of 4096 bytes or more as is).
const csvFeedBufSize = 64 << 10

// csvFeed sits under encoding/csv. It serves replayed bytes first and then
// the stream, keeps a copy of every byte handed out since the current
// record started (so that after a parse error the lines the bad record
// swallowed can be parsed again), and fails once one record has consumed
// more than max bytes, so that an unterminated quote cannot make
// encoding/csv buffer the rest of the file.
//
// Offsets are stream offsets: n is the offset of the next byte handed out.
type csvFeed struct {
	src     io.Reader
	pending []byte // replay bytes, served before src
	hist    []byte // hist[histOff:] holds the bytes from histStart to n
	histOff int
	// histStart is the stream offset of hist[histOff].
	histStart int64
	n         int64
	// srcRead counts bytes read from src (for the replay budget).
	srcRead int64
	// br is the bufio.Reader above the feed; consumed = n - br.Buffered().
	br       *bufio.Reader
	recStart int64
	max      int64
}

func (f *csvFeed) Read(p []byte) (int, error) {
	if f.br != nil && f.n-int64(f.br.Buffered())-f.recStart > f.max {
		return 0, errCSVRecordTooLong
	}
	var n int
	var err error
	if len(f.pending) > 0 {
		n = copy(p, f.pending)
		f.pending = f.pending[n:]
	} else {
		n, err = f.src.Read(p)
		f.srcRead += int64(n)
	}
	f.hist = append(f.hist, p[:n]...)
	f.n += int64(n)
	return n, err
}

// held returns the bytes handed out since histStart.
func (f *csvFeed) held() []byte { return f.hist[f.histOff:] }

// trim forgets the bytes before stream offset off (a record start),
// compacting the buffer only when that frees at least half of it.
func (f *csvFeed) trim(off int64) {
	k := int(off - f.histStart)
	if k <= 0 {
		return
	}
	f.histOff += k
	f.histStart = off
	if f.histOff > 32<<10 && f.histOff > len(f.hist)/2 {
		m := copy(f.hist, f.hist[f.histOff:])
		f.hist = f.hist[:m]
		f.histOff = 0
	}
}

// csvRecords reads a CSV stream record by record with encoding/csv in
// strict RFC 4180 mode (ReuseRecord on). It owns the header (looked up by
// lower-cased name once per file) and the recovery from malformed records:
//
//   - a record whose quoting is broken (csv.ParseError) is skipped and
//     counted; parsing restarts with a fresh csv.Reader at the line after
//     the record's first line, replaying from a copy of the bytes the bad
//     record swallowed, so one stray quote loses one line, not every record
//     up to the next quote character;
//   - a record longer than Limits.MaxRecordBytes is skipped the same way;
//   - a record whose field count differs from the header's, or that has
//     more than Limits.MaxCSVFields fields, is skipped.
//
// Replays are budgeted (total replayed bytes stay below the bytes read plus
// replayAllowance), so hostile input cannot make the reader quadratic; past
// the budget, reading resumes where encoding/csv stopped.
//
// Each record yields its 1-based line number and the byte offset of its
// first byte in the decompressed stream.
type csvRecords struct {
	rc   *readCtx
	feed *csvFeed
	br   *bufio.Reader
	cr   *csv.Reader
	// base is the stream offset where cr started.
	base int64
	// line is the 1-based line number at stream offset feed.histStart (the
	// start of the next record, before any blank lines).
	line int64

	delim rune
	// header holds the lower-cased, trimmed column names; raw as written.
	header []string
	raw    []string

	// Rec is the current record (valid until the next call to next).
	Rec []string
	// Line and Offset locate the current record's first byte.
	Line   int64
	Offset int64
	// RecBytes is the current record's size in bytes.
	RecBytes int

	replayed int64
}

// replayAllowance is the replay budget beyond the bytes read so far.
func (r *csvRecords) replayAllowance() int64 {
	return max(64<<20, 2*int64(r.rc.lim.MaxRecordBytes))
}

// newCSVRecords strips a UTF-8 byte-order mark, detects the delimiter
// from the first line and reads the header. A missing or broken header is
// an error (the file cannot be read as this format).
func newCSVRecords(rc *readCtx) (*csvRecords, error) {
	r := &csvRecords{rc: rc, line: 1}
	if b, _ := rc.r.Peek(3); bytes.Equal(b, utf8BOM) {
		rc.r.Discard(3)
		r.base = 3
	}
	head, _ := rc.r.Peek(64 << 10)
	r.delim = detectDelimiter(head)
	r.feed = &csvFeed{src: rc.r, n: r.base, histStart: r.base, recStart: r.base, max: int64(rc.lim.MaxRecordBytes)}
	r.restartReader()
	ok, err := r.read(true)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: no CSV header (the input is empty)", ErrMalformed)
	}
	if len(r.Rec) > rc.lim.MaxCSVFields {
		return nil, fmt.Errorf("%w: CSV header has %d columns, more than %d (raise --max-csv-fields if the file is genuine)", ErrLimit, len(r.Rec), rc.lim.MaxCSVFields)
	}
	r.raw = make([]string, len(r.Rec))
	r.header = make([]string, len(r.Rec))
	for i, h := range r.Rec {
		r.raw[i] = strings.Clone(h)
		r.header[i] = strings.ToLower(strings.TrimSpace(h))
	}
	return r, nil
}

// restartReader starts a fresh bufio.Reader and csv.Reader at feed.n.
func (r *csvRecords) restartReader() {
	r.base = r.feed.n
	r.br = bufio.NewReaderSize(r.feed, csvFeedBufSize)
	r.feed.br = r.br
	r.cr = csv.NewReader(r.br)
	r.cr.Comma = r.delim
	r.cr.FieldsPerRecord = -1
	r.cr.ReuseRecord = true
}

// col returns the index of the first of names present in the header
// (names lower-case), or -1.
func (r *csvRecords) col(names ...string) int {
	for _, n := range names {
		for i, h := range r.header {
			if h == n {
				return i
			}
		}
	}
	return -1
}

// has reports whether every name is a header column.
func (r *csvRecords) has(names ...string) bool {
	for _, n := range names {
		if r.col(n) < 0 {
			return false
		}
	}
	return true
}

// f returns field i of the current record, "" when i < 0.
func (r *csvRecords) f(i int) string {
	if i < 0 || i >= len(r.Rec) {
		return ""
	}
	return r.Rec[i]
}

// next advances to the next well-formed record, skipping (and counting)
// malformed ones. It returns false at the end of the input; an error only
// when reading cannot continue (I/O, limits, strict mode).
func (r *csvRecords) next() (bool, error) { return r.read(false) }

func (r *csvRecords) read(header bool) (bool, error) {
	for {
		start := r.base + r.cr.InputOffset()
		r.feed.trim(start)
		r.feed.recStart = start
		rec, err := r.cr.Read()
		if err == nil {
			held := r.feed.held()
			end := int(r.base + r.cr.InputOffset() - r.feed.histStart)
			blank, blankLines := leadingBlankLines(held[:end])
			r.Rec = rec
			r.Line = r.line + blankLines
			r.Offset = start + int64(blank)
			r.RecBytes = end - blank
			r.line += int64(bytes.Count(held[:end], []byte{'\n'}))
			if r.RecBytes > r.rc.lim.MaxRecordBytes {
				// Parsed whole (the feed's guard is only as fine as its
				// buffer), but over the limit all the same.
				detail := fmt.Errorf("record of %d bytes exceeds %d (raise --max-record-bytes if the file is genuine)", r.RecBytes, r.rc.lim.MaxRecordBytes)
				if err := r.skipOrFail(header, r.Line, r.Offset, "record too long", detail); err != nil {
					return false, err
				}
				continue
			}
			if header {
				return true, nil
			}
			if len(rec) > r.rc.lim.MaxCSVFields {
				if err := r.rc.sink.skip(r.Line, r.Offset, "too many fields", fmt.Errorf("%d fields, more than %d", len(rec), r.rc.lim.MaxCSVFields)); err != nil {
					return false, err
				}
				continue
			}
			if len(rec) != len(r.header) {
				if err := r.rc.sink.skip(r.Line, r.Offset, "wrong field count", fmt.Errorf("record has %d fields, the header has %d", len(rec), len(r.header))); err != nil {
					return false, err
				}
				continue
			}
			return true, nil
		}
		if err == io.EOF {
			return false, nil
		}
		var pe *csv.ParseError
		tooLong := errors.Is(err, errCSVRecordTooLong)
		if !tooLong && !errors.As(err, &pe) {
			return false, err
		}
		held := r.feed.held()
		blank, blankLines := leadingBlankLines(held)
		recLine, recOff := r.line+blankLines, start+int64(blank)
		var skipErr error
		if tooLong {
			detail := fmt.Errorf("record exceeds %d bytes (an unterminated quote? raise --max-record-bytes if the file is genuine)", r.rc.lim.MaxRecordBytes)
			skipErr = r.skipOrFail(header, recLine, recOff, "record too long", detail)
		} else {
			// Report lines as absolute line numbers.
			detail := fmt.Errorf("%v (record from line %d, error at line %d column %d)", pe.Err, recLine, recLine+int64(pe.Line-pe.StartLine), pe.Column)
			skipErr = r.skipOrFail(header, recLine, recOff, "bad quoting", detail)
		}
		if skipErr != nil {
			return false, skipErr
		}
		if err := r.resync(blank, recLine, tooLong); err != nil {
			return false, err
		}
	}
}

// skipOrFail counts a malformed record, or fails when it is the header.
func (r *csvRecords) skipOrFail(header bool, line, off int64, reason string, detail error) error {
	if header {
		return fmt.Errorf("%w: CSV header (line %d): %s: %v", ErrMalformed, line, reason, detail)
	}
	return r.rc.sink.skip(line, off, reason, detail)
}

// resync restarts parsing after a malformed record whose first line starts
// at held()[blank:] (line recLine): at the next line when the replay budget
// allows, else where encoding/csv stopped.
func (r *csvRecords) resync(blank int, recLine int64, tooLong bool) error {
	held := r.feed.held()
	consumed := int(r.feed.n - int64(r.br.Buffered()) - r.feed.histStart)
	if nl := bytes.IndexByte(held[blank:], '\n'); nl >= 0 {
		idx := blank + nl + 1
		// Only the bytes encoding/csv parsed past the first line are
		// parsed again; the read-ahead after them is parsed once anyway.
		if n := int64(max(0, consumed-idx)); r.replayed+n <= r.feed.srcRead+r.replayAllowance() {
			r.replayed += n
			r.restartAt(idx, recLine+1)
			return nil
		}
	}
	// No replay: resume at the line start where encoding/csv stopped, or
	// for a too-long record at the end of the current line.
	idx := consumed
	if tooLong && (idx == 0 || held[idx-1] != '\n') {
		if nl := bytes.IndexByte(held[idx:], '\n'); nl >= 0 {
			idx += nl + 1
		} else {
			lines := int64(bytes.Count(held, []byte{'\n'}))
			r.restartAt(len(held), r.line+lines)
			return r.discardLine()
		}
	}
	r.restartAt(idx, r.line+int64(bytes.Count(held[:idx], []byte{'\n'})))
	return nil
}

// restartAt makes held()[idx:] (plus any pending replay bytes) the next
// input, at line number line, and starts a fresh csv.Reader there.
func (r *csvRecords) restartAt(idx int, line int64) {
	f := r.feed
	held := f.held()
	rest := held[idx:]
	np := make([]byte, 0, len(rest)+len(f.pending))
	np = append(append(np, rest...), f.pending...)
	f.pending = np
	f.n = f.histStart + int64(idx)
	f.hist, f.histOff, f.histStart = f.hist[:0], 0, f.n
	f.recStart = f.n
	r.line = line
	r.restartReader()
}

// discardLine skips input up to and including the next newline (the rest
// of a line too long to keep): pending replay bytes first, then the source.
func (r *csvRecords) discardLine() error {
	f := r.feed
	if nl := bytes.IndexByte(f.pending, '\n'); nl >= 0 {
		f.pending = f.pending[nl+1:]
		f.n += int64(nl + 1)
		r.line++
		f.histStart, f.recStart = f.n, f.n
		r.restartReader()
		return nil
	}
	f.n += int64(len(f.pending))
	f.pending = nil
	for {
		chunk, err := r.rc.r.ReadSlice('\n')
		f.n += int64(len(chunk))
		f.srcRead += int64(len(chunk))
		if err == nil {
			r.line++
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == io.EOF {
			break
		}
		return err
	}
	f.histStart, f.recStart = f.n, f.n
	r.restartReader()
	return nil
}

// leadingBlankLines returns the length and count of the empty lines
// ("\n" or "\r\n") at the start of b, which encoding/csv skips.
func leadingBlankLines(b []byte) (n int, lines int64) {
	for {
		switch {
		case n < len(b) && b[n] == '\n':
			n++
		case n+1 < len(b) && b[n] == '\r' && b[n+1] == '\n':
			n += 2
		default:
			return n, lines
		}
		lines++
	}
}

// detectDelimiter picks comma, tab or semicolon: whichever occurs most
// often outside quotes in the first line (comma on ties and by default).
func detectDelimiter(head []byte) rune {
	var commas, tabs, semis int
	inQ := false
	for _, c := range head {
		switch c {
		case '"':
			inQ = !inQ
		case '\n':
			if !inQ {
				goto done
			}
		case ',':
			if !inQ {
				commas++
			}
		case '\t':
			if !inQ {
				tabs++
			}
		case ';':
			if !inQ {
				semis++
			}
		}
	}
done:
	switch {
	case tabs > commas && tabs >= semis:
		return '\t'
	case semis > commas && semis > tabs:
		return ';'
	}
	return ','
}

// missingColumnsError explains which columns a layout needs and which the
// header has.
func missingColumnsError(r *csvRecords, format string, need ...string) error {
	var missing []string
	for _, n := range need {
		if r.col(n) < 0 {
			missing = append(missing, n)
		}
	}
	return fmt.Errorf("%w: %s needs the columns %s; missing %s; the header has: %s (use --format generic-csv --map field=COLUMN for other layouts)",
		ErrMalformed, format, strings.Join(need, ", "), strings.Join(missing, ", "), strings.Join(r.raw, ", "))
}
