package live

import (
	"time"
	"unicode/utf8"

	"github.com/chorus-osint/chorus/internal/model"
)

// appendGenericJSON appends p as one line of chorus's generic JSONL
// schema (docs/formats.md; internal/ingest reads it back to the same
// post), newline included. Replay publishes posts in this form, whatever
// format they were read from.
func appendGenericJSON(dst []byte, p *model.Post) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendJSONString(dst, p.ID)
	dst = append(dst, `,"platform":`...)
	dst = appendJSONString(dst, p.Platform.String())
	if p.AccountID != "" {
		dst = append(dst, `,"account_id":`...)
		dst = appendJSONString(dst, p.AccountID)
	}
	if p.Handle != "" {
		dst = append(dst, `,"handle":`...)
		dst = appendJSONString(dst, p.Handle)
	}
	dst = append(dst, `,"time":"`...)
	dst = p.Time.UTC().AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, `","text":`...)
	dst = appendJSONString(dst, p.Text)
	for _, f := range [...]struct {
		key string
		v   string
	}{{"lang", p.Lang}, {"client", p.Client}} {
		if f.v != "" {
			dst = append(dst, `,"`...)
			dst = append(dst, f.key...)
			dst = append(dst, `":`...)
			dst = appendJSONString(dst, f.v)
		}
	}
	for _, f := range [...]struct {
		key string
		v   []string
	}{{"hashtags", p.Hashtags}, {"mentions", p.Mentions}, {"urls", p.URLs}} {
		if len(f.v) == 0 {
			continue
		}
		dst = append(dst, `,"`...)
		dst = append(dst, f.key...)
		dst = append(dst, `":[`...)
		for i, s := range f.v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, s)
		}
		dst = append(dst, ']')
	}
	if len(p.Media) > 0 {
		dst = append(dst, `,"media":[`...)
		for i, m := range p.Media {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"type":`...)
			dst = appendJSONString(dst, m.Type.String())
			dst = append(dst, `,"ref":`...)
			dst = appendJSONString(dst, m.Ref)
			dst = append(dst, `,"key":`...)
			dst = appendJSONString(dst, m.Key)
			dst = append(dst, `,"hash":`...)
			dst = appendJSONString(dst, m.Hash)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	for _, f := range [...]struct {
		key string
		l   *model.Link
	}{{"repost_of", &p.RepostOf}, {"quote_of", &p.QuoteOf}, {"reply_to", &p.ReplyTo}} {
		if f.l.IsZero() {
			continue
		}
		dst = append(dst, `,"`...)
		dst = append(dst, f.key...)
		dst = append(dst, `":{"post_id":`...)
		dst = appendJSONString(dst, f.l.PostID)
		dst = append(dst, `,"account_id":`...)
		dst = appendJSONString(dst, f.l.AccountID)
		dst = append(dst, `,"handle":`...)
		dst = appendJSONString(dst, f.l.Handle)
		if f.l.Inferred {
			dst = append(dst, `,"inferred":true`...)
		}
		dst = append(dst, '}')
	}
	return append(dst, "}\n"...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes
// U+FFFD, control characters and the HTML-significant <, >, & are
// escaped.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}
