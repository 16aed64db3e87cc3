package report

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pseudonymizer replaces account ids and handles by stable pseudonyms:
// "acct-" plus the first 10 base32 characters of HMAC-SHA256(key, id).
// The same account always gets the same pseudonym within a report (a
// handle is mapped to its account's id first, so the id and the handle
// of one account agree); with a per-report random key that is never
// written, pseudonyms cannot be linked across reports or reversed by
// hashing candidate handles.
type pseudonymizer struct {
	key []byte
	// idOf maps a folded handle to its account id.
	idOf  map[string]string
	cache map[string]string
}

// newPseudonymizer returns a pseudonymizer with key, or with 32 random
// bytes when key is empty.
func newPseudonymizer(key []byte) (*pseudonymizer, error) {
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
	}
	return &pseudonymizer{key: key, idOf: map[string]string{}, cache: map[string]string{}}, nil
}

// foldHandle folds a handle for matching: no '@', lower case.
func foldHandle(h string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@"))
}

// learn records that handle belongs to the account id.
func (p *pseudonymizer) learn(id, handle string) {
	if p == nil || id == "" {
		return
	}
	if h := foldHandle(handle); h != "" {
		if _, ok := p.idOf[h]; !ok {
			p.idOf[h] = id
		}
	}
	// An id that looks like a handle (exports without ids) also maps.
	if h := foldHandle(id); h != "" {
		if _, ok := p.idOf[h]; !ok {
			p.idOf[h] = id
		}
	}
}

// id returns the pseudonym of an account id.
func (p *pseudonymizer) id(id string) string {
	if p == nil || id == "" {
		return id
	}
	if s, ok := p.cache[id]; ok {
		return s
	}
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(id))
	s := "acct-" + strings.ToLower(base32.StdEncoding.EncodeToString(m.Sum(nil))[:10])
	p.cache[id] = s
	return s
}

// handle returns the pseudonym of a handle: its account's pseudonym when
// the account is known, else the pseudonym of the folded handle.
func (p *pseudonymizer) handle(h string) string {
	if p == nil || h == "" {
		return h
	}
	f := foldHandle(h)
	if id, ok := p.idOf[f]; ok {
		return p.id(id)
	}
	return p.id("@" + f)
}

// text replaces @mentions and twitter.com / x.com / t.me profile paths
// in s by pseudonyms.
func (p *pseudonymizer) text(s string) string {
	if p == nil || s == "" {
		return s
	}
	if !strings.ContainsAny(s, "@/") {
		return s
	}
	var b strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '@' && (i == 0 || !isHandleByte(s[i-1])) {
			j := i + 1
			for j < len(s) && isHandleByte(s[j]) {
				j++
			}
			if j > i+1 {
				b.WriteByte('@')
				b.WriteString(p.handle(s[i+1 : j]))
				i = j
				continue
			}
		}
		if c == '/' {
			if k := profileHost(s[:i]); k {
				j := i + 1
				for j < len(s) && isHandleByte(s[j]) {
					j++
				}
				if j > i+1 && !reservedPath(s[i+1:j]) {
					b.WriteByte('/')
					b.WriteString(p.handle(s[i+1 : j]))
					i = j
					continue
				}
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func isHandleByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// profileHost reports whether prefix ends with a host whose first path
// segment is an account name.
func profileHost(prefix string) bool {
	l := strings.ToLower(prefix[max(0, len(prefix)-16):])
	for _, h := range []string{"twitter.com", "x.com", "t.me", "telegram.me"} {
		if strings.HasSuffix(l, h) {
			before := len(l) - len(h) - 1
			return before < 0 || l[before] == '/' || l[before] == '.'
		}
	}
	return false
}

// reservedPath lists first path segments that are not accounts.
func reservedPath(seg string) bool {
	switch strings.ToLower(seg) {
	case "i", "intent", "share", "search", "hashtag", "home", "account", "s", "joinchat", "addstickers", "settings":
		return true
	}
	return false
}

// redact returns the placeholder for a redacted text.
func redact(s string) string {
	return "[redacted: " + itoa(utf8.RuneCountInString(s)) + " characters]"
}

// isTextLayer reports whether a layer's object labels are post text.
func isTextLayer(layer string) bool {
	switch layer {
	case "text", "near_text", "staggered":
		return true
	}
	return false
}

// privacy applies the report's options to strings.
type privacy struct {
	ps     *pseudonymizer // nil: keep handles
	redact bool
}

// account returns what the report shows for an account id.
func (pv *privacy) account(id string) string { return pv.ps.id(id) }

// handle returns what the report shows for a handle.
func (pv *privacy) handle(h string) string {
	if pv.ps == nil {
		return h
	}
	return pv.ps.handle(h)
}

// postText returns what the report shows for a post text.
func (pv *privacy) postText(s string) string {
	if pv.redact {
		return redact(s)
	}
	return pv.ps.text(s)
}

// label returns what the report shows for an object label of layer.
func (pv *privacy) label(layer, s string) string {
	if pv.redact && isTextLayer(layer) {
		return redact(s)
	}
	return pv.ps.text(s)
}

// freeText applies pseudonymization to text that is not a post (notes,
// warnings, outlet names) but may name accounts.
func (pv *privacy) freeText(s string) string { return pv.ps.text(s) }

// hasControl reports whether s holds bidi controls or zero-width
// characters (the report isolates them, but flags their presence).
func hasControl(s string) bool {
	for _, r := range s {
		switch {
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
			return true
		case r >= 0x200B && r <= 0x200D, r == 0xFEFF, r == 0x2060:
			return true
		case unicode.Is(unicode.Cc, r) && r != '\n' && r != '\t':
			return true
		}
	}
	return false
}
