package normalize

import "bytes"

// Site-specific URL rules. Each table is small and read-only; see
// docs/normalization.md ("URLs") for the reason behind each entry.

// hostAliases maps hosts (after "www." is stripped) to the host that serves
// the same content, so mobile and rebranded links share a key.
var hostAliases = map[string]string{
	"x.com":                "twitter.com",
	"mobile.twitter.com":   "twitter.com",
	"m.twitter.com":        "twitter.com",
	"mobile.x.com":         "twitter.com",
	"m.youtube.com":        "youtube.com",
	"music.youtube.com":    "youtube.com",
	"youtube-nocookie.com": "youtube.com",
	"m.facebook.com":       "facebook.com",
	"mobile.facebook.com":  "facebook.com",
	"touch.facebook.com":   "facebook.com",
	"web.facebook.com":     "facebook.com",
	"mbasic.facebook.com":  "facebook.com",
	"telegram.me":          "t.me",
	"telegram.dog":         "t.me",
	"m.vk.com":             "vk.com",
	"m.wikipedia.org":      "wikipedia.org",
}

// shorteners are link-shortening and link-wrapping hosts. Links on them are
// kept as they are (chorus never fetches) and flagged, because their key
// says nothing about the target.
var shorteners = map[string]bool{
	"t.co": true, "bit.ly": true, "bitly.com": true, "j.mp": true, "goo.gl": true,
	"ow.ly": true, "tinyurl.com": true, "buff.ly": true, "dlvr.it": true, "is.gd": true,
	"v.gd": true, "tiny.cc": true, "fb.me": true, "lnkd.in": true, "trib.al": true,
	"wp.me": true, "ift.tt": true, "amzn.to": true, "shar.es": true, "cutt.ly": true,
	"rebrand.ly": true, "t.ly": true, "rb.gy": true, "shorturl.at": true, "linkis.com": true,
	"ln.is": true, "tr.im": true, "su.pr": true, "po.st": true, "bl.ink": true,
	"soo.gd": true, "qr.ae": true, "db.tt": true,
	// youtu.be is not here: it is rewritten to youtube.com/watch?v=ID.
}

// IsShortener reports whether host (lower-case, without "www.") is a known
// link shortener or wrapper.
func IsShortener(host string) bool { return shorteners[host] }

// trackingParams are query keys dropped on every host: they identify the
// campaign or the click, not the page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "msclkid": true,
	"yclid": true, "twclid": true, "igshid": true, "igsh": true, "mc_cid": true,
	"mc_eid": true, "ref_src": true, "ref_url": true, "_ga": true, "_gl": true,
	"mkt_tok": true, "__twitter_impression": true, "wt.mc_id": true, "oly_anon_id": true,
	"oly_enc_id": true, "vero_id": true, "_hsenc": true, "_hsmi": true, "rb_clickid": true,
}

// hostKind selects the site-specific rules for a canonical host.
type hostKind uint8

const (
	hostOther hostKind = iota
	hostTwitter
	hostYouTube
	hostYouTuBe // youtu.be: rewritten to youtube.com
	hostBlogspot
)

func kindOf(host []byte) hostKind {
	switch string(host) {
	case "twitter.com":
		return hostTwitter
	case "youtube.com":
		return hostYouTube
	case "youtu.be":
		return hostYouTuBe
	}
	if bytes.HasSuffix(host, []byte(".blogspot.com")) {
		return hostBlogspot
	}
	return hostOther
}

// isTrackingParam reports whether the query key (already percent-normalised)
// is dropped on a host of the given kind.
func isTrackingParam(kind hostKind, key []byte) bool {
	if hasPrefixFold(key, "utm_") {
		return true
	}
	var low [24]byte
	if len(key) > len(low) {
		return false
	}
	k := low[:len(key)]
	for i, c := range key {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		k[i] = c
	}
	if trackingParams[string(k)] {
		return true
	}
	switch kind {
	case hostTwitter:
		return string(k) == "s" || string(k) == "t" || string(k) == "ref" || string(k) == "lang"
	case hostYouTube, hostYouTuBe:
		return string(k) == "si" || string(k) == "feature" || string(k) == "pp" || string(k) == "ab_channel"
	case hostBlogspot:
		return string(k) == "m" // blogspot's mobile switch (?m=1)
	}
	return false
}
