package results

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestCSVTextRoundTrip(t *testing.T) {
	for _, s := range []string{"", "a", "=HYPERLINK(\"x\")", "+1", "-2.5", "@SUM(A1)", "\tx", "\rx", "'", "''", "'=x", "'hello", "＝1", "＠x", "ok=", "x'"} {
		g := CSVText(s)
		if UnCSVText(g) != s {
			t.Errorf("UnCSVText(CSVText(%q)) = %q via %q", s, UnCSVText(g), g)
		}
		if g != "" && strings.ContainsAny(g[:1], "=+-@\t\r") {
			t.Errorf("CSVText(%q) = %q starts with a formula character", s, g)
		}
	}
	// A quote written by an older version (which did not guard quotes) is
	// kept: it was the text's own.
	if got := UnCSVText("'hello"); got != "'hello" {
		t.Errorf("UnCSVText('hello) = %q", got)
	}
}

// FuzzCSVText: the guard round-trips and never leaves a formula start,
// also through a real CSV writer and reader.
func FuzzCSVText(f *testing.F) {
	for _, s := range []string{"=1+1", "'=x", "－1", "plain", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g := CSVText(s)
		if UnCSVText(g) != s {
			t.Fatalf("UnCSVText(CSVText(%q)) = %q", s, UnCSVText(g))
		}
		if strings.Contains(s, "\r") || strings.TrimSpace(s) == "" {
			// encoding/csv reads a carriage return in a quoted field as a
			// newline and skips blank lines: not the guard's business.
			return
		}
		var b strings.Builder
		w := csv.NewWriter(&b)
		w.Write([]string{"text"})
		w.Write([]string{g})
		w.Flush()
		tab, err := ReadTable(strings.NewReader(b.String()), "x.csv", "text")
		if err != nil {
			t.Fatal(err)
		}
		if err := tab.Next(); err != nil {
			t.Fatalf("%q: %v", g, err)
		}
		if tab.Text("text") != s {
			t.Fatalf("read back %q, want %q", tab.Text("text"), s)
		}
	})
}

func TestReadTable(t *testing.T) {
	in := "\ufeffsource, target ,weight\n" + // BOM and padded names
		"a,'=b,3\n" +
		"c\n" + // short row: missing cells read ""
		"\"bad,x,1\n" // unterminated quote
	tab, err := ReadTable(strings.NewReader(in), "edges.csv", "source", "target")
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Next(); err != nil {
		t.Fatal(err)
	}
	if tab.Raw("target") != "'=b" || tab.Text("target") != "=b" || tab.Raw("weight") != "3" || tab.Line() != 2 {
		t.Errorf("row 1: target %q/%q weight %q line %d", tab.Raw("target"), tab.Text("target"), tab.Raw("weight"), tab.Line())
	}
	if tab.Raw("nope") != "" || tab.Has("nope") || !tab.Has("weight") {
		t.Error("a missing column reads as present")
	}
	if err := tab.Next(); err != nil || tab.Raw("source") != "c" || tab.Raw("weight") != "" || tab.Line() != 3 {
		t.Errorf("short row: %v %q %q line %d", err, tab.Raw("source"), tab.Raw("weight"), tab.Line())
	}
	err = tab.Next()
	var pe *csv.ParseError
	if !errors.Is(err, ErrTable) || !errors.As(err, &pe) || !strings.Contains(err.Error(), "edges.csv") || tab.Line() != 4 {
		t.Errorf("malformed row: %v", err)
	}
	if err := tab.Next(); err != io.EOF {
		t.Errorf("after the last row: %v", err)
	}

	_, err = ReadTable(strings.NewReader("source,weight\n"), "edges.csv", "source", "target")
	if !errors.Is(err, ErrTable) || !strings.Contains(err.Error(), `"target"`) || !strings.Contains(err.Error(), "edges.csv") {
		t.Errorf("missing column: %v", err)
	}
	empty, err := ReadTable(strings.NewReader(""), "evidence.csv", "layer")
	if err != nil || empty.Next() != io.EOF {
		t.Errorf("empty file: %v", err)
	}
}
