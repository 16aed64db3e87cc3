package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrTable marks a result CSV (edges.csv, evidence.csv, …) that cannot be
// read: no header, a missing column, a broken row.
var ErrTable = errors.New("unreadable result table")

// CSVText neutralises a text cell against spreadsheet formula injection: a
// cell starting with = + - @, a tab or a carriage return is prefixed with a
// single quote (OWASP's recommendation), so Excel, LibreOffice and Google
// Sheets show it as text instead of evaluating it. Full-width variants,
// which some spreadsheets also evaluate, are guarded too, and so is a cell
// that already starts with a quote, so that UnCSVText gives back every
// text exactly (ids and posts round-trip through the CSV files).
func CSVText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\'':
		return "'" + s
	}
	if strings.HasPrefix(s, "＝") || strings.HasPrefix(s, "＋") || strings.HasPrefix(s, "－") || strings.HasPrefix(s, "＠") {
		return "'" + s
	}
	return s
}

// UnCSVText undoes CSVText: UnCSVText(CSVText(s)) == s for every s. A
// quote CSVText would not have added (files from older versions, which did
// not guard a leading quote) is kept.
func UnCSVText(s string) string {
	if len(s) > 1 && s[0] == '\'' && CSVText(s[1:]) == s {
		return s[1:]
	}
	return s
}

// Table reads one CSV table of a result directory row by row, cells by
// column name. Files are written by chorus, but a result directory is
// user input (moved, edited, produced by Beam or an older version), so
// every read is checked: a missing column is an error naming it, a row
// shorter than the header reads its missing cells as "".
type Table struct {
	name  string
	cr    *csv.Reader
	col   map[string]int
	rec   []string
	line  int  // of the row last read, or of the malformed row
	empty bool // no header: no rows either
}

// ReadTable reads the header of the table name (for messages: the file's
// base name) from r and checks that it has the columns need. An empty
// input is a table without rows. Cells read before the next Next stay
// valid (strings are immutable; only the row slice is reused).
func ReadTable(r io.Reader, name string, need ...string) (*Table, error) {
	t := &Table{name: name, cr: csv.NewReader(r), col: map[string]int{}}
	t.cr.ReuseRecord = true
	t.cr.FieldsPerRecord = -1
	head, err := t.cr.Read()
	if err == io.EOF {
		t.empty = true
		return t, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: header: %v", ErrTable, name, err)
	}
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := t.col[h]; !dup {
			t.col[h] = i
		}
	}
	for _, c := range need {
		if _, ok := t.col[c]; !ok {
			return nil, fmt.Errorf("%w: %s has no column %q (header: %s)", ErrTable, name, c, strings.Join(head, ","))
		}
	}
	return t, nil
}

// Next reads the next row: nil, io.EOF at the end, or an error wrapping
// ErrTable and the *csv.ParseError of a malformed row, after which Next
// may be called again to skip it.
func (t *Table) Next() error {
	if t.empty {
		return io.EOF
	}
	rec, err := t.cr.Read()
	if err == io.EOF {
		return io.EOF
	}
	if err != nil {
		t.rec = nil
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			t.line = pe.StartLine
		}
		return fmt.Errorf("%w: %s: %w", ErrTable, t.name, err)
	}
	t.rec = rec
	t.line, _ = t.cr.FieldPos(0)
	return nil
}

// Line is the line where the row last read (or the malformed row Next
// reported) starts; 1 is the header.
func (t *Table) Line() int { return t.line }

// Has reports whether the table has column c.
func (t *Table) Has(c string) bool {
	_, ok := t.col[c]
	return ok
}

// Raw returns the cell of column c as written ("" when the column or the
// cell is missing).
func (t *Table) Raw(c string) string {
	if i, ok := t.col[c]; ok && i < len(t.rec) {
		return t.rec[i]
	}
	return ""
}

// Text returns the text cell of column c with CSVText's guard undone.
func (t *Table) Text(c string) string { return UnCSVText(t.Raw(c)) }
