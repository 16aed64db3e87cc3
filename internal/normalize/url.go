package normalize

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// ErrBadURL is wrapped by every error URL and AppendURL return: the input is
// not an http(s) URL chorus can key (empty, another scheme, a bad host or
// port, control characters, or longer than MaxURLLen).
var ErrBadURL = errors.New("bad URL")

// MaxURLLen is the longest input URL (in bytes, after trimming) URL accepts.
// Real links in posts stay far below it; anything longer is an attack or
// an encoded payload, not a link worth keying.
const MaxURLLen = 8192

// URLInfo is a canonicalised URL.
type URLInfo struct {
	// Canonical is the matching key: "https://host[:port]/path[?query]".
	Canonical string
	// Domain is the registrable domain of the host (eTLD+1 by the public
	// suffix list), or the host itself for IP literals and hosts that are
	// themselves public suffixes.
	Domain string
	// Shortener is true for link shorteners and wrappers (t.co, bit.ly…):
	// their key says nothing about the target, which chorus never fetches.
	Shortener bool
}

// URL canonicalises raw; see AppendURL for the rules. Errors wrap ErrBadURL.
func URL(raw string) (URLInfo, error) {
	b, err := AppendURL(make([]byte, 0, len(raw)+8), raw)
	if err != nil {
		return URLInfo{}, err
	}
	c := unsafe.String(unsafe.SliceData(b), len(b)) // b is never written again
	host := CanonicalHost(c)
	return URLInfo{Canonical: c, Domain: DomainOf(host), Shortener: IsShortener(host)}, nil
}

// CanonicalHost returns the host part of a canonical URL as AppendURL
// writes it (IPv6 hosts keep their brackets; the port is not included). It
// returns "" when c does not start with "https://".
func CanonicalHost(c string) string {
	const p = "https://"
	if !strings.HasPrefix(c, p) {
		return ""
	}
	h := c[len(p):]
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i > 0 {
			return h[:i+1]
		}
		return ""
	}
	if i := strings.IndexAny(h, ":/"); i >= 0 {
		h = h[:i]
	}
	return h
}

// DomainOf returns the registrable domain (eTLD+1) of a canonical host. IP
// literals (IPv6 without brackets) and hosts that are public suffixes
// themselves are returned whole.
func DomainOf(host string) string {
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		return host[1 : len(host)-1]
	}
	if isIPv4Literal(host) {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

func isIPv4Literal(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		if !(h[i] == '.' || h[i] >= '0' && h[i] <= '9') {
			return false
		}
	}
	return true
}

// AppendURL appends the canonical form of raw to dst. The rules, in order
// (docs/normalization.md explains each):
//
//   - surrounding spaces and invisible controls are trimmed; tab, CR and LF
//     inside are removed; other control characters are an error;
//   - the scheme must be http or https (any case) or absent; an absent scheme
//     is accepted only when the text starts with a plausible host
//     ("example.com/x", "//example.com"); the canonical scheme is always
//     "https", so http and https links share a key;
//   - userinfo ("user:pass@") is removed; the host is lower-cased, converted
//     to punycode when it is Unicode (IDNA lookup rules), its trailing dot
//     and any leading "www." are removed, and a few mobile/rebranded hosts
//     are mapped (x.com and mobile.twitter.com → twitter.com, m.youtube.com
//     → youtube.com, m.facebook.com → facebook.com, telegram.me → t.me,
//     NAME.blogspot.CC → NAME.blogspot.com); other "m." hosts are kept;
//   - ports 80 and 443 are removed whatever the scheme;
//   - percent-encoding is normalised (unreserved characters decoded, other
//     escapes upper-cased, bytes outside the allowed set encoded), "\" in
//     the path becomes "/", empty and "." segments are removed and ".."
//     segments resolved, and a trailing "/" is removed (the root "/" stays);
//   - query parameters that only track (utm_*, fbclid, gclid, …, and per
//     site: s/t on twitter.com, si/feature on youtube.com, m on blogspot)
//     are removed; the rest are sorted by key then value, exact duplicates
//     removed;
//   - the fragment is dropped, except a "#!" route, which is kept (and on
//     twitter.com becomes the path: twitter.com/#!/a/status/1 → /a/status/1);
//   - twitter.com paths are lower-cased (screen names are case-insensitive);
//     youtu.be/ID and youtube.com/{embed,shorts,v,live}/ID become
//     youtube.com/watch?v=ID.
//
// Shorteners are canonicalised like any other host but never expanded.
// The canonical form is a fixed point: AppendURL of it returns it unchanged.
// On error dst is returned unchanged and the error wraps ErrBadURL.
func AppendURL(dst []byte, raw string) ([]byte, error) {
	s := trimURLSpace(raw)
	if s == "" {
		return dst, fmt.Errorf("%w: empty", ErrBadURL)
	}
	if len(s) > MaxURLLen {
		return dst, fmt.Errorf("%w: longer than %d bytes", ErrBadURL, MaxURLLen)
	}
	if strings.ContainsAny(s, "\t\r\n") {
		s = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return dst, fmt.Errorf("%w: control character at byte %d", ErrBadURL, i)
		}
	}
	rest, explicit, err := splitScheme(s)
	if err != nil {
		return dst, err
	}
	end := strings.IndexAny(rest, "/\\?#")
	if end < 0 {
		end = len(rest)
	}
	auth, tail := rest[:end], rest[end:]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		auth = auth[at+1:]
	}
	host, port, v6, err := splitHostPort(auth)
	if err != nil {
		return dst, err
	}
	out := append(dst, "https://"...)
	hostStart := len(out)
	out, err = appendHost(out, host, v6, explicit)
	if err != nil {
		return dst, err
	}
	kind := kindOf(out[hostStart:])
	if kind == hostYouTuBe {
		out = append(out[:hostStart], "youtube.com"...)
	}
	out, err = appendPort(out, port)
	if err != nil {
		return dst, err
	}

	path, query, frag := tail, "", ""
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path, frag = path[:i], path[i+1:]
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i+1:]
	}
	if kind == hostTwitter && strings.HasPrefix(frag, "!/") && (path == "" || path == "/") {
		path, frag = frag[1:], ""
		if i := strings.IndexByte(path, '?'); i >= 0 {
			if query == "" {
				query = path[i+1:]
			}
			path = path[:i]
		}
	}

	pathStart := len(out)
	out = appendPath(out, path)
	if kind == hostTwitter {
		lowerOutsideEscapes(out[pathStart:])
	}
	var video [64]byte
	nVideo := -1
	if kind == hostYouTube || kind == hostYouTuBe {
		// Only a real video id ([A-Za-z0-9_-]) is moved into the query: an
		// id holding '&', '=' or an escape would be split or re-encoded
		// when read back, and the canonical form would not be a fixed point.
		if id, ok := youTubeID(out[pathStart:], kind == hostYouTuBe); ok && len(id) <= len(video) && isVideoID(id) {
			nVideo = copy(video[:], id)
			out = append(out[:pathStart], "/watch"...)
		}
	}
	var extraBuf [2 + len(video)]byte
	var extra []byte
	if nVideo >= 0 {
		extra = append(extraBuf[:0], "v="...)
		extra = append(extra, video[:nVideo]...)
	}
	out = appendQuery(out, query, kind, extra)
	if frag != "" && frag[0] == '!' {
		out = append(out, '#')
		out = appendEscaped(out, frag, &queryAllowed, false)
	}
	// Percent-encoding can triple a byte: a canonical form over the limit
	// would be refused when read back, so refuse it here (the canonical
	// form must stay a fixed point).
	if len(out)-len(dst) > MaxURLLen {
		return dst, fmt.Errorf("%w: canonical form longer than %d bytes", ErrBadURL, MaxURLLen)
	}
	return out, nil
}

// trimURLSpace trims spaces and invisible controls from both ends.
func trimURLSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == 0x85 || r == 0xA0 || isInvisible(r) || r == 0x3000 || r >= 0x2000 && r <= 0x200A
	})
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// splitScheme removes an http(s) scheme and the slashes after it. explicit
// reports whether a scheme was present.
func splitScheme(s string) (rest string, explicit bool, err error) {
	i := 0
	for i < len(s) && (isAlpha(s[i]) || i > 0 && (isDigit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
		i++
	}
	if i > 0 && i < len(s) && s[i] == ':' {
		scheme := s[:i]
		isHTTP := strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https")
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		hostPort := j > i+1 && (j == len(s) || s[j] == '/' || s[j] == '?' || s[j] == '#')
		if !(hostPort && !isHTTP) {
			if !isHTTP {
				return "", false, fmt.Errorf("%w: scheme %q is not http or https", ErrBadURL, truncate(scheme, 32))
			}
			return strings.TrimLeft(s[i+1:], "/\\"), true, nil
		}
	}
	return strings.TrimLeft(s, "/\\"), false, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// splitHostPort splits an authority without userinfo.
func splitHostPort(a string) (host, port string, v6 bool, err error) {
	if strings.HasPrefix(a, "[") {
		i := strings.IndexByte(a, ']')
		if i < 0 {
			return "", "", false, fmt.Errorf("%w: unclosed '[' in host", ErrBadURL)
		}
		host, rest := a[1:i], a[i+1:]
		switch {
		case rest == "":
		case rest[0] == ':':
			port = rest[1:]
		default:
			return "", "", false, fmt.Errorf("%w: text after IPv6 host", ErrBadURL)
		}
		return host, port, true, nil
	}
	if i := strings.LastIndexByte(a, ':'); i >= 0 {
		a, port = a[:i], a[i+1:]
	}
	return a, port, false, nil
}

// appendHost writes the canonical host.
func appendHost(out []byte, host string, v6, explicit bool) ([]byte, error) {
	if v6 {
		addr, err := netip.ParseAddr(host)
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return out, fmt.Errorf("%w: bad IPv6 host %q", ErrBadURL, truncate(host, 64))
		}
		out = append(out, '[')
		out = addr.AppendTo(out)
		return append(out, ']'), nil
	}
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			a, err := idna.Lookup.ToASCII(host)
			if err != nil {
				return out, fmt.Errorf("%w: bad international host %q: %v", ErrBadURL, truncate(host, 64), err)
			}
			host = a
			break
		}
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return out, fmt.Errorf("%w: empty host", ErrBadURL)
	}
	if len(host) > 253 {
		return out, fmt.Errorf("%w: host longer than 253 bytes", ErrBadURL)
	}
	start := len(out)
	label := 0
	for i := 0; i < len(host); i++ {
		c := host[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z' || isDigit(c) || c == '-' || c == '_':
		case c == '.':
			if label == 0 {
				return out[:start], fmt.Errorf("%w: empty label in host %q", ErrBadURL, truncate(host, 64))
			}
			label = -1
		default:
			return out[:start], fmt.Errorf("%w: character %q in host", ErrBadURL, rune(c))
		}
		label++
		if label > 63 {
			return out[:start], fmt.Errorf("%w: host label longer than 63 bytes", ErrBadURL)
		}
		out = append(out, c)
	}
	if label == 0 {
		return out[:start], fmt.Errorf("%w: empty label in host %q", ErrBadURL, truncate(host, 64))
	}
	h := out[start:]
	for len(h) > 4 && string(h[:4]) == "www." && bytes.IndexByte(h[4:], '.') >= 0 {
		h = h[4:]
	}
	n := copy(out[start:], h)
	out = out[:start+n]
	h = out[start:]
	const blogspot = ".blogspot."
	if a, ok := hostAliases[string(h)]; ok {
		out = append(out[:start], a...)
	} else if i := bytes.Index(h, []byte(blogspot)); i > 0 && string(h[i+len(blogspot):]) != "com" {
		out = append(out[:start+i+len(blogspot)], "com"...)
	}
	if !explicit && !looksLikeHost(string(out[start:])) {
		return out[:start], fmt.Errorf("%w: no scheme and %q is not a host name", ErrBadURL, truncate(string(out[start:]), 64))
	}
	return out, nil
}

// looksLikeHost accepts IPv4 literals and names under a known public suffix.
func looksLikeHost(h string) bool {
	if isIPv4Literal(h) {
		_, err := netip.ParseAddr(h)
		return err == nil
	}
	ps, icann := publicsuffix.PublicSuffix(h)
	return ps != h && (icann || strings.IndexByte(ps, '.') >= 0)
}

func appendPort(out []byte, port string) ([]byte, error) {
	if port == "" {
		return out, nil
	}
	for i := 0; i < len(port); i++ {
		if !isDigit(port[i]) {
			return out, fmt.Errorf("%w: port %q is not a number", ErrBadURL, truncate(port, 16))
		}
	}
	p := strings.TrimLeft(port, "0")
	if len(p) > 5 {
		return out, fmt.Errorf("%w: port %q out of range", ErrBadURL, truncate(port, 16))
	}
	n, _ := strconv.Atoi(p)
	if n > 65535 {
		return out, fmt.Errorf("%w: port %d out of range", ErrBadURL, n)
	}
	if n == 80 || n == 443 {
		return out, nil
	}
	out = append(out, ':')
	return strconv.AppendInt(out, int64(n), 10), nil
}

// Byte classes allowed unescaped (RFC 3986 pchar; the query and fragment
// also allow '/' and '?').
var pathAllowed, queryAllowed = func() (p, q [256]bool) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		ok := isAlpha(b) || isDigit(b) || strings.IndexByte("-._~!$&'()*+,;=:@", b) >= 0
		p[c] = ok || b == '/'
		q[c] = ok || b == '/' || b == '?'
	}
	return p, q
}()

func isUnreserved(b byte) bool {
	return isAlpha(b) || isDigit(b) || b == '-' || b == '.' || b == '_' || b == '~'
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

const upperHex = "0123456789ABCDEF"

// appendEscaped writes s with normalised percent-encoding.
func appendEscaped(out []byte, s string, allowed *[256]bool, backslashIsSlash bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 < len(s) {
				hi, ok1 := unhex(s[i+1])
				lo, ok2 := unhex(s[i+2])
				if ok1 && ok2 {
					v := hi<<4 | lo
					if isUnreserved(v) {
						out = append(out, v)
					} else {
						out = append(out, '%', upperHex[v>>4], upperHex[v&15])
					}
					i += 2
					continue
				}
			}
			out = append(out, '%', '2', '5')
			continue
		}
		if c == '\\' && backslashIsSlash {
			c = '/'
		}
		if allowed[c] {
			out = append(out, c)
		} else {
			out = append(out, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return out
}

// appendPath writes the normalised path: escapes, then segments rebuilt
// without empty or "." segments, ".." resolved, no trailing slash.
func appendPath(out []byte, path string) []byte {
	start := len(out)
	if path != "" && path[0] != '/' && path[0] != '\\' {
		out = append(out, '/')
	}
	out = appendEscaped(out, path, &pathAllowed, true)
	p := out[start:]
	w := 0 // write offset in p; p[:w] is the rebuilt path
	for r := 0; r < len(p); {
		for r < len(p) && p[r] == '/' {
			r++
		}
		e := r
		for e < len(p) && p[e] != '/' {
			e++
		}
		seg := p[r:e]
		switch {
		case len(seg) == 0 || string(seg) == ".":
		case string(seg) == "..":
			for w > 0 && p[w-1] != '/' {
				w--
			}
			if w > 0 {
				w-- // drop the '/' too
			}
		default:
			p[w] = '/'
			w++
			w += copy(p[w:], seg)
		}
		r = e
	}
	if w == 0 {
		return append(out[:start], '/')
	}
	return out[:start+w]
}

// lowerOutsideEscapes lower-cases ASCII letters that are not the hex digits
// of a %XX escape.
func lowerOutsideEscapes(p []byte) {
	for i := 0; i < len(p); i++ {
		if p[i] == '%' {
			i += 2
			continue
		}
		if p[i] >= 'A' && p[i] <= 'Z' {
			p[i] += 'a' - 'A'
		}
	}
}

// youTubeID returns the video id of a youtu.be ("/ID") or youtube.com
// ("/embed/ID", "/shorts/ID", "/v/ID", "/live/ID") canonical path.
func youTubeID(p []byte, short bool) ([]byte, bool) {
	if len(p) < 2 || p[0] != '/' {
		return nil, false
	}
	rest := p[1:]
	first, second, two := bytes.Cut(rest, []byte{'/'})
	if short {
		if !two && len(first) > 0 {
			return first, true
		}
		return nil, false
	}
	if two && len(second) > 0 && bytes.IndexByte(second, '/') < 0 {
		switch string(first) {
		case "embed", "shorts", "v", "live":
			return second, true
		}
	}
	return nil, false
}

type paramSpan struct{ start, keyEnd, end int }

// appendQuery writes "?k=v&…" with tracking parameters removed, the rest
// sorted and deduplicated; extra is one more parameter to include.
func appendQuery(out []byte, query string, kind hostKind, extra []byte) []byte {
	if query == "" && extra == nil {
		return out
	}
	base := len(out)
	var stack [32]paramSpan
	spans := stack[:0]
	add := func(from int) {
		kEnd := bytes.IndexByte(out[from:], '=')
		if kEnd < 0 {
			kEnd = len(out) - from
		}
		if len(out) == from || isTrackingParam(kind, out[from:from+kEnd]) {
			out = out[:from]
			return
		}
		spans = append(spans, paramSpan{from, from + kEnd, len(out)})
	}
	for query != "" {
		var param string
		if i := strings.IndexByte(query, '&'); i >= 0 {
			param, query = query[:i], query[i+1:]
		} else {
			param, query = query, ""
		}
		from := len(out)
		out = appendEscaped(out, param, &queryAllowed, false)
		add(from)
	}
	if extra != nil {
		from := len(out)
		out = append(out, extra...)
		add(from)
	}
	if len(spans) == 0 {
		return out[:base]
	}
	less := func(a, b paramSpan) bool {
		if c := bytes.Compare(out[a.start:a.keyEnd], out[b.start:b.keyEnd]); c != 0 {
			return c < 0
		}
		return bytes.Compare(out[a.keyEnd:a.end], out[b.keyEnd:b.end]) < 0
	}
	for i := 1; i < len(spans); i++ { // insertion sort: queries are short
		for j := i; j > 0 && less(spans[j], spans[j-1]); j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	scratchEnd := len(out)
	out = append(out, '?')
	var prev paramSpan
	for i, sp := range spans {
		if i > 0 && bytes.Equal(out[sp.start:sp.end], out[prev.start:prev.end]) {
			continue
		}
		if i > 0 {
			out = append(out, '&')
		}
		out = append(out, out[sp.start:sp.end]...)
		prev = sp
	}
	n := copy(out[base:], out[scratchEnd:])
	return out[:base+n]
}

// isVideoID reports whether id uses only YouTube's video-id alphabet.
func isVideoID(id []byte) bool {
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return len(id) > 0
}
