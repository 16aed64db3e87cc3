package normalize

import (
	"unicode"
	"unicode/utf8"
)

// Hashtag returns the key of a hashtag: Text of the tag with every '#', '＃',
// space, connector ('_', '‿', …), dash ('-', '–', …) and middle dot ('·',
// '・', '‧') removed. So "#Caliphate_State_Strikes_France" and
// "#caliphatestatestrikesfrance" share a key, as do "#الدولة_الإسلامية" and
// "#الدوله_الاسلاميه". It is idempotent.
func Hashtag(s string) string {
	if isHashtagKey(s) {
		return s
	}
	return string(AppendHashtag(make([]byte, 0, len(s)), s))
}

// AppendHashtag appends Hashtag(s) to dst without allocating when dst has
// room for Text(s).
func AppendHashtag(dst []byte, s string) []byte {
	start := len(dst)
	dst, exact := appendText(dst, s)
	dst, removed := removeTagSeparators(dst, start)
	// Removing a separator can bring a kept combining mark next to a base it
	// composes with ("ち ゙" → "ぢ"); only text from the exact path has such
	// marks. Fold again until nothing changes.
	for i := 0; exact && removed && i < 4; i++ {
		again := string(dst[start:])
		dst, exact = appendText(dst[:start], again)
		dst, removed = removeTagSeparators(dst, start)
	}
	return dst
}

// removeTagSeparators compacts dst[start:] in place, dropping separators.
func removeTagSeparators(dst []byte, start int) ([]byte, bool) {
	t := dst[start:]
	w := 0
	for r := 0; r < len(t); {
		c := t[r]
		if c < utf8.RuneSelf {
			r++
			if c == '#' || c == '_' || c == '-' || c == ' ' {
				continue
			}
			t[w] = c
			w++
			continue
		}
		ru, size := utf8.DecodeRune(t[r:])
		if !isTagSeparator(ru) {
			w += copy(t[w:], t[r:r+size])
		}
		r += size
	}
	return dst[:start+w], w < len(t)
}

func isTagSeparator(r rune) bool {
	if r >= 0x0600 && r <= 0x08FF { // Arabic blocks hold no connector, dash or space
		return false
	}
	switch r {
	case 0x00B7, 0x0387, 0x2027, 0x30FB, 0xFF65, 0x2219, 0x22C5: // middle dots
		return true
	}
	return unicode.In(r, unicode.Pc, unicode.Pd) || unicode.IsSpace(r)
}

// isHashtagKey reports whether s is already a plain-ASCII hashtag key.
func isHashtagKey(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Handle returns the key of an account handle or display name: Text of s
// with leading '@' signs (and spaces after them) removed. For ASCII screen
// names this is lower-casing, '@' stripping and trimming; display names
// (Telegram forwards carry only a name) get the full Text treatment.
func Handle(s string) string {
	if isHandleKey(s) {
		return s
	}
	return string(AppendHandle(make([]byte, 0, len(s)), s))
}

// AppendHandle appends Handle(s) to dst.
func AppendHandle(dst []byte, s string) []byte {
	start := len(dst)
	dst = AppendText(dst, s)
	t := dst[start:]
	n := 0
	for n < len(t) && (t[n] == '@' || t[n] == ' ') {
		n++
	}
	if n == 0 {
		return dst
	}
	m := copy(t, t[n:])
	return dst[:start+m]
}

func isHandleKey(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
