// Package normalize turns free text, hashtags, handles and URLs into the
// matching keys every chorus detector compares, and computes the
// near-duplicate fingerprints (shingles, SimHash, MinHash) over them.
//
// Every function is pure, deterministic across processes and platforms, and
// safe for concurrent use. The rules, with examples and reasons, are written
// down in docs/normalization.md; keep that file in step with this package.
package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text returns the matching form of free text: NFKC compatibility folding,
// Arabic orthographic normalisation, removal of diacritics (Latin and Arabic
// alike) and of invisible/bidi controls, full case folding, and whitespace
// collapsed to single spaces with both ends trimmed. It is idempotent:
// Text(Text(s)) == Text(s). Invalid UTF-8 bytes are dropped.
func Text(s string) string {
	if isTextKey(s) {
		return s
	}
	return string(AppendText(make([]byte, 0, len(s)), s))
}

// AppendText appends Text(s) to dst and returns the extended buffer. It does
// not allocate when dst has room (text in scripts whose marks chorus keeps,
// such as Devanagari or Hebrew points, takes a slower path that does).
func AppendText(dst []byte, s string) []byte {
	out, _ := appendText(dst, s)
	return out
}

// appendText is AppendText that also reports whether the exact path ran,
// i.e. whether the output may hold combining marks or jamo that removing
// characters between them could make composable.
func appendText(dst []byte, s string) ([]byte, bool) {
	w := textWriter{dst: dst, start: len(dst)}
	if w.fast(s) {
		return w.dst, false
	}
	// A rune needed canonical reordering or composition (a combining mark
	// chorus keeps, or Hangul jamo): run the exact path.
	w = textWriter{dst: dst[:w.start], start: w.start, keepMarks: true}
	// Invalid bytes are dropped first, as the fast path drops them: x/text
	// passes them through and may then skip decomposing what follows.
	w.decomposed(norm.NFKD.String(strings.ToValidUTF8(s, "")))
	if w.compose {
		composed := norm.NFC.Append(nil, w.dst[w.start:]...)
		w.dst = append(w.dst[:w.start], composed...)
	}
	return w.dst, true
}

// isTextKey reports whether s is already its own Text form and is plain
// ASCII, so Text can return it without allocating.
func isTextKey(s string) bool {
	if len(s) == 0 {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || asciiClass[c] != asciiKeep {
			if c != ' ' || prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return true
}

// ASCII byte classes for the fast path.
const (
	asciiKeep uint8 = iota
	asciiUpper
	asciiSpace
	asciiDrop
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch {
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ' ':
			t[c] = asciiSpace
		case c < 0x20 || c == 0x7f:
			t[c] = asciiDrop
		case c >= 'A' && c <= 'Z':
			t[c] = asciiUpper
		}
	}
	return t
}()

// Special values in arabicMap; any other non-zero value is the replacement
// rune, zero means "keep as is".
const (
	arDrop    rune = -1
	arGeneric rune = -2 // decomposable letter: take the general path
)

// arabicMap maps the Arabic block U+0600–U+06FF. See docs/normalization.md
// ("Arabic") for why each letter folds the way it does.
var arabicMap = func() (t [0x100]rune) {
	set := func(from, to rune, v rune) {
		for r := from; r <= to; r++ {
			t[r-0x600] = v
		}
	}
	set(0x0600, 0x0605, arDrop) // number signs (format controls)
	set(0x0610, 0x061A, arDrop) // honorific and Quranic signs above
	set(0x061C, 0x061C, arDrop) // ARABIC LETTER MARK (bidi control)
	set(0x0622, 0x0623, 'ا')    // آ أ
	set(0x0625, 0x0625, 'ا')    // إ
	set(0x0624, 0x0624, 'و')    // ؤ: hamza seat dropped like أ's
	set(0x0626, 0x0626, 'ي')    // ئ
	set(0x0629, 0x0629, 'ه')    // ة teh marbuta
	set(0x0640, 0x0640, arDrop) // ـ tatweel
	set(0x0649, 0x0649, 'ي')    // ى alef maksura
	set(0x064B, 0x065F, arDrop) // harakat, shadda, sukun, hamza/madda marks
	set(0x0670, 0x0670, arDrop) // superscript alef
	set(0x0671, 0x0673, 'ا')    // ٱ alef wasla, wavy-hamza alefs
	set(0x0675, 0x0678, arGeneric)
	set(0x06A9, 0x06A9, 'ك') // ک keheh (Persian/Urdu kaf)
	set(0x06BE, 0x06BE, 'ه') // ھ heh doachashmee
	set(0x06C0, 0x06C0, arGeneric)
	set(0x06C1, 0x06C1, 'ه') // ہ heh goal
	set(0x06C2, 0x06C2, 'ه') // ۂ heh goal with hamza
	set(0x06C3, 0x06C3, 'ه') // ۃ teh marbuta goal
	set(0x06CC, 0x06CC, 'ي') // ی Farsi yeh
	set(0x06D3, 0x06D3, arGeneric)
	set(0x06D6, 0x06ED, arDrop) // Quranic annotation marks
	for d := rune(0); d < 10; d++ {
		t[0x0660+d-0x600] = '0' + d // Arabic-Indic digits
		t[0x06F0+d-0x600] = '0' + d // Extended (Persian/Urdu) digits
	}
	return t
}()

// isStripMark reports whether r is a combining mark Text removes: Latin,
// Greek and Cyrillic diacritics and Arabic vowel/Quranic marks, plus
// variation selectors. Other scripts' marks are kept (they carry vowels).
func isStripMark(r rune) bool {
	switch {
	case r < 0x0300:
		return false
	case r <= 0x036F, // combining diacritical marks
		r >= 0x0483 && r <= 0x0489, // Cyrillic combining marks
		r >= 0x0610 && r <= 0x061A,
		r >= 0x064B && r <= 0x065F,
		r == 0x0670,
		r >= 0x06D6 && r <= 0x06ED,
		r >= 0x08CA && r <= 0x08FF && r != 0x08E2, // Arabic extended-A marks
		r >= 0x1AB0 && r <= 0x1AFF,
		r >= 0x1DC0 && r <= 0x1DFF,
		r >= 0x20D0 && r <= 0x20FF,
		r >= 0xFE00 && r <= 0xFE0F, // variation selectors
		r >= 0xFE20 && r <= 0xFE2F,
		r >= 0xE0100 && r <= 0xE01EF: // variation selectors supplement
		return true
	}
	return false
}

// isInvisible reports whether r is a zero-width, bidi or other format
// control that Text removes. Every Cf rune is removed; the common ones are
// listed so the check is cheap.
func isInvisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F, // ZWSP, ZWNJ, ZWJ, LRM, RLM
		r >= 0x202A && r <= 0x202E, // LRE RLE PDF LRO RLO
		r >= 0x2060 && r <= 0x206F, // word joiner, invisible operators, LRI RLI FSI PDI, deprecated
		r == 0xFEFF, r == 0x00AD, r == 0x180E, r == 0x034F,
		r >= 0xE0000 && r <= 0xE007F: // tags
		return true
	}
	return false
}

func isJamo(r rune) bool {
	return r >= 0x1100 && r <= 0x11FF || r >= 0xA960 && r <= 0xA97F || r >= 0xD7B0 && r <= 0xD7FF
}

type textWriter struct {
	dst     []byte
	start   int
	pending bool // a space is owed before the next emitted rune
	// keepMarks is set on the exact path: marks outside the strip set are
	// emitted (in NFKD order) instead of aborting the fast path.
	keepMarks bool
	compose   bool // a kept mark or jamo was emitted: NFC the result
}

func (w *textWriter) space() {
	if len(w.dst) > w.start {
		w.pending = true
	}
}

func (w *textWriter) byte1(c byte) {
	if w.pending {
		w.dst = append(w.dst, ' ')
		w.pending = false
	}
	w.dst = append(w.dst, c)
}

func (w *textWriter) rune1(r rune) {
	if w.pending {
		w.dst = append(w.dst, ' ')
		w.pending = false
	}
	switch {
	case r < utf8.RuneSelf:
		w.dst = append(w.dst, byte(r))
		return
	case r < 0x800:
		w.dst = append(w.dst, byte(0xC0|r>>6), byte(0x80|r&0x3F))
		return
	}
	w.dst = utf8.AppendRune(w.dst, r)
}

// fast processes s rune by rune, decomposing through the NFKD tables one
// rune at a time. It returns false when s needs the exact path.
func (w *textWriter) fast(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch asciiClass[c] {
			case asciiKeep:
				w.byte1(c)
			case asciiUpper:
				w.byte1(c + 'a' - 'A')
			case asciiSpace:
				w.space()
			}
			i++
			continue
		}
		var r rune
		var size int
		if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 { // 2-byte: Arabic, Latin-1…
			r, size = rune(c&0x1F)<<6|rune(s[i+1]&0x3F), 2
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				i++ // invalid byte: dropped
				continue
			}
		}
		if !w.nonASCII(r, s[i:]) {
			return false
		}
		i += size
	}
	return true
}

// nonASCII handles one non-ASCII rune r found at the start of rest.
func (w *textWriter) nonASCII(r rune, rest string) bool {
	switch {
	case r >= 0x0600 && r <= 0x06FF:
		switch m := arabicMap[r-0x600]; m {
		case 0:
			w.rune1(r)
			return true
		case arDrop:
			return true
		case arGeneric:
		default:
			w.rune1(m)
			return true
		}
	case r >= 0x0300 && r <= 0x036F:
		return true
	case r >= 0x1F300 && r <= 0x1FAFF: // pictographs and emoji: inert, caseless
		w.rune1(r)
		return true
	case r >= 0xAC00 && r <= 0xD7A3: // Hangul syllables: NFKC recomposes them
		w.rune1(r)
		return true
	}
	p := norm.NFKD.PropertiesString(rest)
	d := p.Decomposition()
	if d == nil {
		return w.mapped(r)
	}
	for j := 0; j < len(d); {
		r2, n := utf8.DecodeRune(d[j:])
		if !w.mapped(r2) {
			return false
		}
		j += n
	}
	return true
}

// decomposed runs the exact path over an NFKD string.
func (w *textWriter) decomposed(s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			continue
		}
		w.mapped(r)
	}
}

// mapped folds one rune that is already in NFKD form. It returns false on
// the fast path when the rune needs reordering or composition.
func (w *textWriter) mapped(r rune) bool {
	if r < utf8.RuneSelf {
		switch asciiClass[r] {
		case asciiKeep:
			w.byte1(byte(r))
		case asciiUpper:
			w.byte1(byte(r) + 'a' - 'A')
		case asciiSpace:
			w.space()
		}
		return true
	}
	switch {
	case r >= 0x0600 && r <= 0x06FF:
		switch m := arabicMap[r-0x600]; m {
		case 0, arGeneric:
			w.rune1(r)
		case arDrop:
		default:
			w.rune1(m)
		}
		return true
	case r < 0xA0: // C1 controls; U+0085 NEL is a space
		if r == 0x85 {
			w.space()
		}
		return true
	case isStripMark(r), isInvisible(r):
		return true
	case unicode.IsSpace(r):
		w.space()
		return true
	case isJamo(r):
		if !w.keepMarks {
			return false
		}
		w.compose = true
		w.rune1(r)
		return true
	}
	if unicode.Is(unicode.Cf, r) {
		return true
	}
	if unicode.Is(unicode.M, r) {
		if !w.keepMarks {
			return false
		}
		w.compose = true
		w.rune1(r)
		return true
	}
	w.folded(r)
	return true
}

// folded emits the full case fold of r. Besides simple lower-casing, the
// folds that change length or differ from lower-casing are applied: ß/ẞ →
// "ss", final sigma → σ.
func (w *textWriter) folded(r rune) {
	switch r {
	case 'ß', 'ẞ':
		w.byte1('s')
		w.byte1('s')
		return
	case 'ς':
		w.rune1('σ')
		return
	}
	w.rune1(unicode.ToLower(r))
}
