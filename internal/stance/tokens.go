package stance

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/chorus-osint/chorus/internal/normalize"
)

// token is one word of the original text with its normalized hashes.
type token struct {
	start, end int32 // byte span in the original text
	ns, ne     int32 // span of the normalized word in tokenizer.all
	h1         uint64
	// h2 is the hash of an alternative form (Arabic token without a leading
	// conjunction و/ف), or 0.
	h2 uint64
	// upper: the original token is all upper case or follows '#', so "IS"
	// can be told from the English verb "is".
	upper bool
	// clause counts clause boundaries (. , ; : ! ? newline) before the
	// token; negation does not reach across them.
	clause int32
	// apostS: the word was followed by a dropped "'s" ("it's", "that's").
	apostS bool
	// tag: the word is part of a hashtag (#جنود_الخلافة: both words).
	tag bool
}

// maxTokenBytes: longer words (base64 blobs, URLs' paths) are skipped.
const maxTokenBytes = 96

// fnv64 is FNV-1a over b.
func fnv64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	if h == 0 {
		h = 1 // 0 means "no hash"
	}
	return h
}

// isWordRune reports whether r belongs inside a word: a letter, number or
// combining mark, or ZWNJ/ZWJ (inside Persian and Arabic words).
func isWordRune(r rune) bool {
	if r < rune(len(wordTable)) {
		return wordTable[r]
	}
	if r == 0x200C || r == 0x200D {
		return true
	}
	return isWordRuneSlow(r)
}

func isWordRuneSlow(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r)
}

// wordTable caches isWordRune below U+0700 (Latin, Greek, Cyrillic,
// Arabic), where most posts' runes are.
var wordTable = func() (t [0x700]bool) {
	for r := range t {
		t[r] = isWordRuneSlow(rune(r))
	}
	return t
}()

// isClauseBreak reports whether r ends a clause for negation scope.
func isClauseBreak(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '!', '?', '\n', '\r', 0x061F /* ؟ */, 0x060C /* ، */, 0x061B /* ؛ */, 0x06D4, '|':
		return true
	}
	return false
}

// contraction tails dropped after an apostrophe ("didn't" -> "didn").
func isContractionTail(b []byte) bool {
	switch string(b) {
	case "t", "s", "d", "ll", "re", "ve", "m":
		return true
	}
	return false
}

// Normalized Arabic prefixes stripped before hashing (longest first): the
// article with a preceding conjunction or preposition, then the article.
var arabicArticles = [][]byte{
	[]byte("وال"), []byte("فال"), []byte("بال"), []byte("كال"), []byte("لل"), []byte("ال"),
}

// stripArticle removes one leading article form when at least two letters
// remain.
func stripArticle(b []byte) []byte {
	for _, p := range arabicArticles {
		if bytes.HasPrefix(b, p) && len(b)-len(p) >= 4 {
			return b[len(p):]
		}
	}
	return b
}

// arabicHashes returns the hashes of an Arabic normalized word: h1 without
// the article; h2 also without a leading conjunction و or ف, or else
// without a leading preposition ل, ب or ك on a word of at least four
// letters (لتنظيم, لداعش, بهجوم); 0 if none.
func arabicHashes(b []byte) (uint64, uint64) {
	h1 := fnv64(stripArticle(b))
	var h2 uint64
	switch {
	case len(b) >= 8 && b[0] == 0xd9 && (b[1] == 0x88 || b[1] == 0x81): // و ف
		h2 = fnv64(stripArticle(b[2:]))
	case len(b) >= 8 && (b[0] == 0xd9 && (b[1] == 0x84 || b[1] == 0x83) || b[0] == 0xd8 && b[1] == 0xa8): // ل ك ب
		h2 = fnv64(b[2:])
	}
	return h1, h2
}

func isArabicLead(b []byte) bool {
	return len(b) >= 2 && (b[0] == 0xd8 || b[0] == 0xd9 || b[0] == 0xda || b[0] == 0xdb)
}

// tokenizer holds reusable buffers.
type tokenizer struct {
	toks []token
	norm []byte
	all  []byte // the normalized words, back to back
}

// normalizeWord returns normalize.Text(w) in a reused buffer.
func (tz *tokenizer) normalizeWord(w string) []byte {
	tz.norm = normalize.AppendText(tz.norm[:0], w)
	return tz.norm
}

// tokenize splits text into tokens, normalizing each with normalize.Text
// (via AppendText, into a reused buffer) and hashing the result. A word
// whose normalized form contains spaces (NFKC expansions such as ﷺ) gives
// several tokens that share the original span.
func (tz *tokenizer) tokenize(text string) []token {
	tz.toks = tz.toks[:0]
	tz.all = tz.all[:0]
	var clause int32
	inTag := false // inside a hashtag: from '#' to the first byte that is neither a word rune nor '_'
	i := 0
	for i < len(text) {
		c := text[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if !isWordRune(r) {
			if isClauseBreak(r) {
				clause++
			}
			inTag = c == '#' || inTag && c == '_'
			i += size
			continue
		}
		start := i
		for i < len(text) {
			c := text[i]
			if c < utf8.RuneSelf {
				if !isWordRune(rune(c)) {
					break
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				break
			}
			i += size
		}
		if i-start > maxTokenBytes {
			continue
		}
		word := text[start:i]
		afterApos := start > 0 && (text[start-1] == '\'' || start >= 3 && text[start-3:start] == "’")
		tz.norm = normalize.AppendText(tz.norm[:0], word)
		if afterApos && isContractionTail(tz.norm) {
			if len(tz.toks) > 0 && len(tz.norm) == 1 && tz.norm[0] == 's' {
				tz.toks[len(tz.toks)-1].apostS = true
			}
			continue
		}
		upper := start > 0 && text[start-1] == '#' || isUpperWord(word)
		n := tz.norm
		for len(n) > 0 {
			j := bytes.IndexByte(n, ' ')
			part := n
			if j >= 0 {
				part, n = n[:j], n[j+1:]
			} else {
				n = nil
			}
			if len(part) == 0 {
				continue
			}
			t := token{start: int32(start), end: int32(i), upper: upper, clause: clause, ns: int32(len(tz.all)), tag: inTag}
			tz.all = append(tz.all, part...)
			t.ne = int32(len(tz.all))
			if isArabicLead(part) {
				t.h1, t.h2 = arabicHashes(part)
			} else {
				t.h1 = fnv64(part)
			}
			tz.toks = append(tz.toks, t)
		}
	}
	return tz.toks
}

// isUpperWord reports whether an ASCII word has no lower-case letter and at
// least one upper-case one.
func isUpperWord(w string) bool {
	up := false
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'a' && c <= 'z' {
			return false
		}
		if c >= 'A' && c <= 'Z' {
			up = true
		}
	}
	return up
}
