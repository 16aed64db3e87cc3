package normalize

import (
	"unicode"
	"unicode/utf8"
)

// MatchText returns the form the same-text and near-duplicate layers
// compare: Text(s), then a leading "RT @handle:" (repeated) is removed, URLs
// ("http://…", "https://…", "www.…" tokens) and @mentions are removed, and
// every run of characters that are not letters, digits or marks
// (punctuation, symbols, emoji, '#', '_') becomes one space. Two copies of
// one message with different t.co links, mentions or emoji therefore match.
// It is idempotent.
func MatchText(s string) string {
	return string(AppendMatchText(make([]byte, 0, len(s)), s))
}

// AppendMatchText appends MatchText(s) to dst. It works in place on the
// Text form, so it does not allocate when dst has room for Text(s).
func AppendMatchText(dst []byte, s string) []byte {
	start := len(dst)
	dst = AppendText(dst, s)
	t := dst[start:]
	r := skipRTPrefixes(t)
	w := 0
	pending := false
	for r < len(t) {
		c := t[r]
		atWordStart := r == 0 || t[r-1] == ' '
		switch {
		case c == ' ':
			r++
			pending = w > 0
			continue
		case atWordStart && (hasPrefixFold(t[r:], "http://") || hasPrefixFold(t[r:], "https://") || hasPrefixFold(t[r:], "www.")),
			c == 'h' && (hasPrefixFold(t[r:], "http://") || hasPrefixFold(t[r:], "https://")):
			for r < len(t) && t[r] != ' ' {
				r++
			}
			pending = w > 0
			continue
		case c == '@' && r+1 < len(t) && isHandleByte(t[r+1]) && (r == 0 || !isHandleByte(t[r-1])):
			r++
			for r < len(t) && isHandleByte(t[r]) {
				r++
			}
			pending = w > 0
			continue
		}
		var keep bool
		size := 1
		if c < utf8.RuneSelf {
			keep = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'
		} else {
			var ru rune
			if c >= 0xC2 && c < 0xE0 && r+1 < len(t) {
				ru, size = rune(c&0x1F)<<6|rune(t[r+1]&0x3F), 2 // Text output is valid UTF-8
			} else {
				ru, size = utf8.DecodeRune(t[r:])
			}
			if ru >= 0x0600 && ru <= 0x06FF {
				keep = arabicWord[ru-0x600]
			} else {
				keep = unicode.IsLetter(ru) || unicode.IsNumber(ru) || unicode.Is(unicode.M, ru)
			}
		}
		if !keep {
			r += size
			pending = w > 0
			continue
		}
		if pending {
			t[w] = ' '
			w++
			pending = false
		}
		w += copy(t[w:], t[r:r+size])
		r += size
	}
	return dst[:start+w]
}

// arabicWord marks the letters, digits and marks of the Arabic block.
var arabicWord = func() (t [0x100]bool) {
	for i := range t {
		r := rune(0x600 + i)
		t[i] = unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r)
	}
	return t
}()

// skipRTPrefixes returns the offset just past any leading "rt @handle:"
// prefixes (Text has already lower-cased them) and the space after each.
func skipRTPrefixes(t []byte) int {
	off := 0
	for {
		rest := t[off:]
		if len(rest) < 6 || rest[0] != 'r' || rest[1] != 't' || rest[2] != ' ' || rest[3] != '@' {
			return off
		}
		n := 4
		for n < len(rest) && isHandleByte(rest[n]) {
			n++
		}
		if n == 4 || n >= len(rest) || rest[n] != ':' {
			return off
		}
		n++
		if n < len(rest) && rest[n] == ' ' {
			n++
		}
		off += n
	}
}

func isHandleByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'
}

// hasPrefixFold reports whether b starts with the lower-case ASCII prefix p,
// ignoring ASCII case.
func hasPrefixFold(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}
