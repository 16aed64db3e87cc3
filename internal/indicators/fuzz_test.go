package indicators

import (
	"strings"
	"testing"
)

// FuzzLeadingBrand checks the prefix parser on arbitrary text: the brand
// is a trimmed substring of the text, one line, without brackets.
func FuzzLeadingBrand(f *testing.F) {
	for _, s := range []string{"[Amaq] report", "【Furat】 x", "[", "[]", "[ab", "\u200f[Nashir] x", "[a\nb] x", "[[x]] y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := leadingBrand(s)
		if b == "" {
			return
		}
		if !strings.Contains(s, b) || strings.ContainsAny(b, "\n[]") || len(b) > 40 {
			t.Fatalf("leadingBrand(%q) = %q", s, b)
		}
	})
}

// FuzzRelayMatch checks the relay matcher on arbitrary text: it never
// panics, and its cheap pre-test never drops a post that the full
// MatchText comparison would find.
func FuzzRelayMatch(f *testing.F) {
	for _, s := range []string{
		"#ISIS claims responsibility for #Brussels blasts, as per Aamaq news agency",
		"RT @p_v: IS linked A'maq agency claims the attacks",
		"@x That is not true. Aamaq did not publish anything",
		"وكالة أعماق: بيان حول الهجوم", "ÁMAQ agency claims", "📢Amaq statement", "a\u0301maq agency", "Ａｍａｑ agency claims",
		"Dabiq Issue 14 released", "al-Naba newspaper reports", "NASHIR news", "amaq", "",
	} {
		f.Add(s)
	}
	outlets, err := ParseRelayOutlets(DefaultParams().RelayOutlets)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var b posts
		b.add("a", t0, text)
		c := b.corpus()
		p := DefaultParams()
		s := newState(&Input{Corpus: c, Event: Event{T0: t0}}, &p)
		fast := newRelayMatcher(s, outlets)
		full := newRelayMatcher(s, outlets)
		full.full = true
		ko, so := fast.match(s, 0)
		kf, sf := full.match(s, 0)
		if ko != kf || so != sf {
			t.Fatalf("%q: pre-tested %d %q, full %d %q", text, ko, so, kf, sf)
		}
	})
}
