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
