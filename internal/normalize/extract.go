package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The extractors find entities in post text for exports that carry no
// entity fields (the Fifth Tribe CSV, Telegram text). Each appends
// substrings of text to dst (no copying) and returns it; the caller owns
// dst and may reuse it. Hashtags and mentions are returned without their
// '#'/'@'; URLs as written, for URL to canonicalise.

// MaxMentionLen is the longest handle ExtractMentions accepts (Telegram
// allows 32 characters, Twitter 15); longer runs are not handles.
const MaxMentionLen = 32

const fullwidthHash = "＃" // U+FF03
const fullwidthAt = "＠"   // U+FF20

// ExtractHashtags appends the hashtags of text to dst. A hashtag is '#' or
// '＃' followed by letters, digits, marks, '_' (any script, Arabic tatweel
// included) and ZWNJ/ZWJ, with at least one letter or mark, not preceded by
// a letter, digit, '_' or '&' (so "&#39;" and "a#b" are not hashtags). A
// hashtag cut by '…' (Twitter's truncation mark) is dropped, as Twitter
// drops it from the entities: "#Stopt…" is not the tag the author wrote.
func ExtractHashtags(text string, dst []string) []string {
	for i := 0; i < len(text); {
		j, n := nextSigil(text, i, '#', fullwidthHash)
		if j < 0 {
			break
		}
		i = j + n
		if j > 0 {
			prev, _ := utf8.DecodeLastRuneInString(text[:j])
			if prev == '&' || prev == '_' || isWordRune(prev) {
				continue
			}
		}
		end, hasLetter := i, false
		for end < len(text) {
			c := text[end]
			if c < utf8.RuneSelf {
				if c == '_' || isDigit(c) {
					end++
					continue
				}
				if isAlpha(c) {
					hasLetter = true
					end++
					continue
				}
				break
			}
			r, size := utf8.DecodeRuneInString(text[end:])
			switch {
			case unicode.IsLetter(r) || unicode.Is(unicode.M, r):
				hasLetter = true
			case unicode.IsDigit(r) || r == 0x200C || r == 0x200D:
			default:
				size = 0
			}
			if size == 0 {
				break
			}
			end += size
		}
		if hasLetter && !strings.HasPrefix(text[end:], "…") {
			dst = append(dst, text[i:end])
		}
		i = end
	}
	return dst
}

// ExtractMentions appends the handles mentioned in text: '@' or '＠'
// followed by 1–MaxMentionLen of [A-Za-z0-9_], not preceded by a letter,
// digit or one of _!#$%&*@ (which rules out e-mail addresses), and not
// followed by another '@' or cut by '…'.
func ExtractMentions(text string, dst []string) []string {
	for i := 0; i < len(text); {
		j, n := nextSigil(text, i, '@', fullwidthAt)
		if j < 0 {
			break
		}
		i = j + n
		if j > 0 {
			prev, _ := utf8.DecodeLastRuneInString(text[:j])
			if prev < utf8.RuneSelf && strings.IndexByte("_!#$%&*@", byte(prev)) >= 0 || isWordRune(prev) || prev == 0xFF20 {
				continue
			}
		}
		end := i
		for end < len(text) && isHandleByte(text[end]) {
			end++
		}
		if end == i || end-i > MaxMentionLen || end < len(text) && text[end] == '@' || strings.HasPrefix(text[end:], "…") {
			i = end
			continue
		}
		dst = append(dst, text[i:end])
		i = end
	}
	return dst
}

// ExtractURLs appends the http(s) URLs of text. A URL starts at "http://" or
// "https://" (any case) and runs to whitespace, '<', '>', '"', a guillemet
// or curly double quote, or '…'; trailing punctuation (. , ; : ! ? ' and the
// Arabic ، ؛ ؟) and unbalanced closing brackets are trimmed. A URL cut by
// '…' (Twitter's truncation mark) is dropped: its tail is missing, so it
// would key unrelated links together; t.co links are the exception when
// their 10-character id is whole, as t.co ids have a fixed length. URLs with
// nothing after "://" are dropped.
func ExtractURLs(text string, dst []string) []string {
	for i := 0; i < len(text); {
		j := indexHTTP(text, i)
		if j < 0 {
			break
		}
		k := j + len("http://")
		if text[j+4] == 's' || text[j+4] == 'S' {
			k++
		}
		end := k
		truncated := false
	scan:
		for end < len(text) {
			c := text[end]
			if c < utf8.RuneSelf {
				switch {
				case c <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7f:
					break scan
				}
				end++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[end:])
			switch {
			case r == '…':
				truncated = true
				break scan
			case r == '«' || r == '»' || r == '“' || r == '”' || unicode.IsSpace(r) || isInvisible(r):
				break scan
			}
			end += size
		}
		i = end
		if truncated && !isCompleteTCo(text[j:end]) {
			continue
		}
		u := trimURLTail(text[j:end], k-j)
		if len(u) > k-j {
			dst = append(dst, u)
		}
	}
	return dst
}

// isCompleteTCo reports whether u is a t.co link with a whole 10-character
// id ("https://t.co/CSYd70va6W").
func isCompleteTCo(u string) bool {
	i := strings.Index(u, "://")
	if i < 0 || !strings.EqualFold(u[i+3:min(len(u), i+8)], "t.co/") {
		return false
	}
	id := u[i+8:]
	if len(id) != 10 {
		return false
	}
	for k := 0; k < len(id); k++ {
		if !(isAlpha(id[k]) || isDigit(id[k])) {
			return false
		}
	}
	return true
}

// trimURLTail removes trailing punctuation and unbalanced closers from u,
// never cutting into the first min bytes ("https://").
func trimURLTail(u string, min int) string {
	for len(u) > min {
		r, size := utf8.DecodeLastRuneInString(u)
		switch r {
		case '.', ',', ';', ':', '!', '?', '\'', '’', '‘', '،', '؛', '؟', '*':
			u = u[:len(u)-size]
			continue
		case ')', ']', '}':
			open := byte('(')
			if r == ']' {
				open = '['
			} else if r == '}' {
				open = '{'
			}
			if strings.Count(u, string(open)) < strings.Count(u, string(byte(r))) {
				u = u[:len(u)-size]
				continue
			}
		}
		break
	}
	return u
}

// indexHTTP returns the index at or after from of the next "http://" or
// "https://" (ASCII case-insensitive), or -1.
func indexHTTP(s string, from int) int {
	for i := from; i+7 <= len(s); i++ {
		c := s[i]
		if c != 'h' && c != 'H' {
			k := strings.IndexAny(s[i:], "hH")
			if k < 0 {
				return -1
			}
			i += k - 1
			continue
		}
		rest := s[i:]
		if len(rest) >= 7 && strings.EqualFold(rest[:7], "http://") ||
			len(rest) >= 8 && strings.EqualFold(rest[:8], "https://") {
			return i
		}
	}
	return -1
}

// nextSigil returns the index and byte length of the next ASCII sigil or
// its fullwidth form at or after from, or -1.
func nextSigil(s string, from int, ascii byte, full string) (int, int) {
	rest := s[from:]
	a := strings.IndexByte(rest, ascii)
	f := -1
	if strings.IndexByte(rest, full[0]) >= 0 {
		f = strings.Index(rest, full)
	}
	switch {
	case a < 0 && f < 0:
		return -1, 0
	case f < 0 || a >= 0 && a < f:
		return from + a, 1
	default:
		return from + f, len(full)
	}
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return isAlpha(c) || isDigit(c)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}
