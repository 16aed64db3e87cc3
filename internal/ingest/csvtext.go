package ingest

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	json "github.com/goccy/go-json"

	"github.com/chorus-osint/chorus/internal/model"
)

// Helpers shared by the CSV readers: entities from plain text, list and
// number cells, and fast paths for the timestamp forms CSV exports use.

// Entity kinds for scanTextEntities.
const (
	entHashtags = 1 << iota
	entMentions
	entURLs
)

// maxHandleLen bounds a mention (Twitter allows 15, Telegram 32).
const maxHandleLen = 32

// scanTextEntities appends to p the hashtags, mentions and URLs of text
// (selected by kinds), for exports that carry no entity columns. Rules
// follow Twitter's: a hashtag is '#' not preceded by a letter, digit, '_'
// or '&', then Unicode letters, marks, digits, '_' or ZWNJ with at least
// one letter (Arabic and other scripts included); a mention is '@' not
// preceded by a letter, digit or '_' (so not an e-mail address), then 1-32
// ASCII letters, digits or '_'; a URL is an http:// or https:// token up
// to white space, without trailing punctuation. URLs cut off by a
// truncation ellipsis are dropped. Hashtags and mentions inside a URL are
// not taken.
func scanTextEntities(p *model.Post, text string, kinds int) {
	prev := rune(' ')
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case (c == 'h' || c == 'H') && !isWordRune(prev):
			if n := urlTokenLen(text[i:]); n > 0 {
				u := trimURL(text[i : i+n])
				if kinds&entURLs != 0 && u != "" {
					p.URLs = append(p.URLs, u)
				}
				i += n
				prev = ' '
				continue
			}
		case c == '#' && kinds&entHashtags != 0 && !isWordRune(prev) && prev != '&':
			if n := hashtagLen(text[i+1:]); n > 0 {
				p.Hashtags = append(p.Hashtags, text[i+1:i+1+n])
				i += 1 + n
				prev = 'a'
				continue
			}
		case c == '@' && kinds&entMentions != 0 && !isWordRune(prev):
			n := 0
			for i+1+n < len(text) && isHandleByte(text[i+1+n]) {
				n++
			}
			if n > 0 && n <= maxHandleLen {
				p.Mentions = append(p.Mentions, text[i+1:i+1+n])
			}
			if n > 0 {
				i += 1 + n
				prev = 'a'
				continue
			}
		}
		if c < utf8.RuneSelf {
			prev = rune(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		prev = r
		i += size
	}
}

func isHandleByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isHandleByte(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// hashtagLen returns the byte length of the hashtag body at the start of
// s, or 0 when there is none (empty, or no letter).
func hashtagLen(s string) int {
	n, letter := 0, false
	for n < len(s) {
		c := s[n]
		if c < utf8.RuneSelf {
			if !isHandleByte(c) {
				break
			}
			if c > '9' && c != '_' {
				letter = true
			}
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[n:])
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r), unicode.Is(unicode.Mn, r), unicode.Is(unicode.Mc, r), r == '\u200c':
		default:
			if letter {
				return n
			}
			return 0
		}
		n += size
	}
	if !letter {
		return 0
	}
	return n
}

// urlTokenLen returns the length of the http(s) URL token at the start of
// s (up to white space, a quote or angle bracket), or 0.
func urlTokenLen(s string) int {
	var rest string
	switch {
	case len(s) > 8 && strings.EqualFold(s[:8], "https://"):
		rest = s[8:]
	case len(s) > 7 && strings.EqualFold(s[:7], "http://"):
		rest = s[7:]
	default:
		return 0
	}
	n := len(s) - len(rest)
	for n < len(s) {
		c := s[n]
		if c <= ' ' || c == '"' || c == '<' || c == '>' || c == 0x7f {
			break
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[n:])
			if unicode.IsSpace(r) || r == utf8.RuneError || r == '\u200f' || r == '\u200e' || r == '\u200b' {
				break
			}
			n += size
			continue
		}
		n++
	}
	if n == len(s)-len(rest) {
		return 0
	}
	return n
}

// trimURL removes trailing punctuation from a URL token and returns "" for
// a URL cut off by a truncation ellipsis or without a host.
func trimURL(u string) string {
	if strings.HasSuffix(u, "…") {
		return ""
	}
	for len(u) > 0 {
		c := u[len(u)-1]
		if strings.IndexByte(".,;:!?'*", c) >= 0 || (c == ')' && !strings.Contains(u, "(")) || (c == ']' && !strings.Contains(u, "[")) {
			u = u[:len(u)-1]
			continue
		}
		if r, size := utf8.DecodeLastRuneInString(u); r == '»' || r == '”' || r == '’' || r == '،' || r == '۔' || r == '。' {
			u = u[:len(u)-size]
			continue
		}
		break
	}
	if i := strings.Index(u, "://"); i < 0 || i+3 >= len(u) || u[i+3] == '/' {
		return ""
	}
	return u
}

// trimFloatID turns an integer id that pandas wrote as a float
// ("1844373591.0") back into its digits. Anything else is returned as is
// (an id in exponent form, "5.17e+18", has lost digits and cannot be
// recovered).
func trimFloatID(s string) string {
	s = strings.TrimSpace(s)
	i := strings.IndexByte(s, '.')
	if i <= 0 {
		return s
	}
	for j := 0; j < i; j++ {
		if c := s[j]; (c < '0' || c > '9') && !(j == 0 && c == '-') {
			return s
		}
	}
	for j := i + 1; j < len(s); j++ {
		if s[j] != '0' {
			return s
		}
	}
	return s[:i]
}

// isNA reports whether a cell is empty or R/pandas' missing-value marker.
func isNA(s string) bool {
	switch s {
	case "", "NA", "NaN", "nan", "None", "null", "NULL":
		return true
	}
	return false
}

// parseUnixField parses a cell that is Unix seconds by contract (CooRTweet,
// QUT): a non-negative integer or decimal of any size, so that the tiny
// values of hand-made fixtures ("59") are read as given. ok is false for
// anything else.
func parseUnixField(s string) (time.Time, bool) {
	if s == "" || len(s) > 30 {
		return time.Time{}, false
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if intPart == "" || len(intPart) > 12 {
		return time.Time{}, false
	}
	var sec int64
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		sec = sec*10 + int64(c-'0')
	}
	var nanos int64
	if hasFrac {
		if frac == "" {
			return time.Time{}, false
		}
		for i := 0; i < len(frac); i++ {
			c := frac[i]
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			if i < 9 {
				nanos = nanos*10 + int64(c-'0')
			}
		}
		for i := len(frac); i < 9; i++ {
			nanos *= 10
		}
	}
	return time.Unix(sec, nanos).UTC(), true
}

// parseUSMinute parses "M/D/YYYY H:MM[:SS]" (Fifth Tribe) in tz without
// going through the layout list. ok is false for any other shape.
func parseUSMinute(s string, tz *time.Location) (time.Time, bool) {
	var v [6]int
	part, digits := 0, 0
	seps := "// ::"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			v[part] = v[part]*10 + int(c-'0')
			digits++
			if digits > 4 {
				return time.Time{}, false
			}
			continue
		}
		if digits == 0 || part >= 5 || c != seps[part] {
			return time.Time{}, false
		}
		part++
		digits = 0
	}
	if digits == 0 || part < 4 {
		return time.Time{}, false
	}
	mo, d, y, h, mi, sec := v[0], v[1], v[2], v[3], v[4], v[5]
	if mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1000 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, tz)
	if t.Day() != d { // 2/31 rolled over
		return time.Time{}, false
	}
	return t.UTC(), true
}

// parsePyList appends the strings of a Python list literal as written by
// str(list) ("['a', 'b']", with either quote style and backslash escapes)
// or a JSON array of strings. A cell without brackets is one item; an
// empty cell or "[]" none.
func parsePyList(s string, dst []string) []string {
	s = strings.TrimSpace(s)
	if s == "" || s == "[]" {
		return dst
	}
	if s[0] != '[' {
		return append(dst, s)
	}
	s = s[1:]
	for {
		s = strings.TrimLeft(s, " \t\r\n,")
		if s == "" || s[0] == ']' {
			return dst
		}
		q := s[0]
		if q != '\'' && q != '"' {
			// Unquoted item (numbers, None): up to the next comma.
			end := strings.IndexAny(s, ",]")
			if end < 0 {
				end = len(s)
			}
			if item := strings.TrimSpace(s[:end]); item != "" && item != "None" {
				dst = append(dst, item)
			}
			s = s[end:]
			continue
		}
		var b strings.Builder
		i, plain := 1, true
		for ; i < len(s); i++ {
			c := s[i]
			if c == '\\' && i+1 < len(s) {
				if plain {
					b.WriteString(s[1:i])
					plain = false
				}
				i++
				b.WriteByte(s[i])
				continue
			}
			if c == q {
				break
			}
			if !plain {
				b.WriteByte(c)
			}
		}
		if plain {
			dst = append(dst, s[1:min(i, len(s))])
		} else {
			dst = append(dst, b.String())
		}
		if i >= len(s) {
			return dst
		}
		s = s[i+1:]
	}
}

// jsonEntity is one element of a JSON-encoded entity column: a bare string
// ("#tag", "@user", "https://…") or an object.
type jsonEntity struct {
	S           string
	Tag         string `json:"tag"`
	Username    string `json:"username"`
	URL         string `json:"url"`
	ExpandedURL string `json:"expanded_url"`
	UnwoundURL  string `json:"unwound_url"`
	MediaKey    string `json:"media_key"`
	Type        string `json:"type"`
	ID          string `json:"id"`
}

func (e *jsonEntity) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &e.S)
	}
	type plain jsonEntity
	return json.Unmarshal(b, (*plain)(e))
}

// parseJSONEntities decodes a JSON array cell of entities; an empty cell
// gives nil. maxDepth bounds nesting before decoding.
func parseJSONEntities(s string, maxDepth int) ([]jsonEntity, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "[]" {
		return nil, nil
	}
	b := []byte(s)
	if err := CheckDepth(b, maxDepth); err != nil {
		return nil, err
	}
	var out []jsonEntity
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// splitListCell splits a generic-schema list cell: a JSON array (or
// Python list) when it starts with '[', else items separated by white
// space, '|' or (when commas is true) ','. prefix ('#' or '@') is removed
// from each item.
func splitListCell(s string, dst []string, commas bool, prefix byte) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return dst
	}
	n := len(dst)
	if s[0] == '[' {
		dst = parsePyList(s, dst)
	} else {
		for len(s) > 0 {
			i := strings.IndexFunc(s, func(r rune) bool {
				return unicode.IsSpace(r) || r == '|' || (commas && r == ',')
			})
			if i < 0 {
				i = len(s)
			}
			if i > 0 {
				dst = append(dst, s[:i])
			}
			if i == len(s) {
				break
			}
			_, size := utf8.DecodeRuneInString(s[i:])
			s = s[i+size:]
		}
	}
	if prefix != 0 {
		for j := n; j < len(dst); j++ {
			dst[j] = strings.TrimPrefix(dst[j], string(prefix))
		}
	}
	// Drop items that were only the prefix.
	out := dst[:n]
	for _, v := range dst[n:] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// appendUnique appends v to list unless it is empty or already present.
func appendUnique(list []string, v string) []string {
	if v == "" {
		return list
	}
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// detachThreshold: records longer than this have the strings of their
// post cloned, so a kept id or handle does not pin the whole record (one
// string per record backs all fields; wide twarc2 records hold kilobytes
// of JSON the post never uses).
const detachThreshold = 1024

// detachPost clones every string of p.
func detachPost(p *model.Post) {
	c := strings.Clone
	p.ID, p.AccountID, p.Handle, p.Text, p.Lang, p.Client = c(p.ID), c(p.AccountID), c(p.Handle), c(p.Text), c(p.Lang), c(p.Client)
	for i := range p.Hashtags {
		p.Hashtags[i] = c(p.Hashtags[i])
	}
	for i := range p.Mentions {
		p.Mentions[i] = c(p.Mentions[i])
	}
	for i := range p.URLs {
		p.URLs[i] = c(p.URLs[i])
	}
	for i := range p.Media {
		m := &p.Media[i]
		m.Ref, m.Key, m.Hash = c(m.Ref), c(m.Key), c(m.Hash)
	}
	for _, l := range []*model.Link{&p.RepostOf, &p.QuoteOf, &p.ReplyTo} {
		l.PostID, l.AccountID, l.Handle = c(l.PostID), c(l.AccountID), c(l.Handle)
	}
}

// emitCSVPost stamps the record position on p, detaches it from a long
// record, and emits it.
func emitCSVPost(rc *readCtx, r *csvRecords, p *model.Post) error {
	p.Source = model.SourcePos{Line: r.Line, Offset: r.Offset}
	if r.RecBytes > detachThreshold {
		detachPost(p)
	}
	return rc.sink.post(p)
}

// parseIntPrefix returns the leading decimal digits of s as a string, ""
// when s does not start with a digit.
func parseIntPrefix(s string) string {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return s[:n]
}

// lastPathInt returns the last path segment of a URL when it is a decimal
// number ("https://t.me/chan/123" -> "123"), else "".
func lastPathInt(u string) string {
	u = strings.TrimRight(u, "/")
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	seg := u[strings.LastIndexByte(u, '/')+1:]
	if seg == "" || parseIntPrefix(seg) != seg {
		return ""
	}
	if _, err := strconv.ParseUint(seg, 10, 64); err != nil {
		return ""
	}
	return seg
}

// jsonUnmarshalString decodes a JSON string literal.
func jsonUnmarshalString(s string, out *string) error {
	return json.Unmarshal([]byte(s), out)
}
