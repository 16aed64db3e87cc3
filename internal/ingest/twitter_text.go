package ingest

import "strings"

// twitterUnescaper undoes the HTML escaping Twitter applies to tweet text:
// only &amp; &lt; &gt; are escaped by the platform, so only they are
// undone (a user who typed "&quot;" keeps it). The replacement is one
// pass, so "&amp;lt;" becomes "&lt;", as typed.
var twitterUnescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// unescapeTwitter returns s with Twitter's HTML escaping undone.
func unescapeTwitter(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	return twitterUnescaper.Replace(s)
}

// sourceName returns the client name of a v1.1 "source" field, which is an
// HTML anchor (`<a href="…" rel="nofollow">Twitter for Android</a>`); a
// plain name (v2, old exports) is returned as is.
func sourceName(s string) string {
	if !strings.HasPrefix(s, "<a") && !strings.HasPrefix(s, "<A") {
		return unescapeTwitter(s)
	}
	gt := strings.IndexByte(s, '>')
	if gt < 0 {
		return unescapeTwitter(s)
	}
	inner := s[gt+1:]
	if end := strings.LastIndex(inner, "</"); end >= 0 {
		inner = inner[:end]
	}
	return unescapeTwitter(strings.TrimSpace(inner))
}
