package ingest

import (
	"strings"

	"github.com/chorus-osint/chorus/internal/model"
)

// SplitRTPrefix splits a classic retweet text "RT @handle: body" into the
// handle and the body. ok is false when text has no such prefix.
func SplitRTPrefix(text string) (handle, body string, ok bool) {
	t := strings.TrimLeft(text, " \t\u200f\u200e")
	if len(t) < 5 || !(t[0] == 'R' || t[0] == 'r') || !(t[1] == 'T' || t[1] == 't') || t[2] != ' ' || t[3] != '@' {
		return "", "", false
	}
	rest := t[4:]
	end := 0
	for end < len(rest) {
		c := rest[end]
		if c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			end++
			continue
		}
		break
	}
	if end == 0 || end > 50 {
		return "", "", false
	}
	handle, rest = rest[:end], rest[end:]
	if !strings.HasPrefix(rest, ":") {
		return "", "", false
	}
	return handle, strings.TrimSpace(rest[1:]), true
}

// inferRepost marks p as a repost of @handle when its text starts with
// "RT @handle:" and the export carried no repost field. The link has no
// post id; the corpus keys the original by the handle and the normalized
// body text.
func inferRepost(p *model.Post) {
	if h, _, ok := SplitRTPrefix(p.Text); ok {
		p.RepostOf = model.Link{Handle: h, Inferred: true}
	}
}
