package export

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzXMLText checks that any handle or description, escaped by xmlText,
// is well-formed XML as element text and as an attribute value, and reads
// back as the input with only XML-invalid characters replaced.
func FuzzXMLText(f *testing.F) {
	for _, h := range hostileHandles {
		f.Add(h)
	}
	f.Add("a\r\nb\tc ]]> &amp; \"'\u0085\u2028\ufffe\U0010FFFF")
	f.Fuzz(func(t *testing.T, s string) {
		// What a conforming XML reader gives back: characters outside the
		// XML 1.0 Char production become U+FFFD, as does each invalid
		// UTF-8 byte (ranging over a string yields one RuneError per byte).
		var want strings.Builder
		for _, r := range s {
			if !isXMLChar(r) {
				r = utf8.RuneError
			}
			want.WriteRune(r)
		}
		esc := xmlText(s)
		var el struct {
			Attr string `xml:"a,attr"`
			Text string `xml:",chardata"`
		}
		doc := `<e a="` + esc + `">` + esc + `</e>`
		if err := xml.Unmarshal([]byte(doc), &el); err != nil {
			t.Fatalf("xmlText(%q) = %q is not well-formed XML: %v", s, esc, err)
		}
		if el.Text != want.String() || el.Attr != want.String() {
			t.Fatalf("xmlText(%q) reads back as text %q, attribute %q; want %q", s, el.Text, el.Attr, want.String())
		}
	})
}

// isXMLChar is the XML 1.0 Char production.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// BenchmarkWriteGraphMLAndGEXF writes both graph exports of the fixture
// analysis (11 accounts, 55 multi-layer edges); bytes are both files.
func BenchmarkWriteGraphMLAndGEXF(b *testing.B) {
	_, a := analyzeFixture(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := writeGraphML(&buf, a, 0); err != nil {
			b.Fatal(err)
		}
		if err := writeGEXF(&buf, a, 0); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}
