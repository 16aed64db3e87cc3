package indicators

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/normalize"
)

// RelayOutlet is a known media outlet and the spellings under which
// supporters name it (one --relay-outlets entry).
type RelayOutlet struct {
	Name      string
	Spellings []string
}

// ParseRelayOutlets parses --relay-outlets entries ("Name=spelling/
// spelling", or "Name" alone). The name is a spelling only when listed
// (or when the entry lists none): "Dabiq" alone is also a town.
func ParseRelayOutlets(entries []string) ([]RelayOutlet, error) {
	out := make([]RelayOutlet, 0, len(entries))
	for _, e := range entries {
		name, sp, _ := strings.Cut(e, "=")
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, fmt.Errorf("%w: relay-outlets: %q is not Name=spelling/spelling (or Name)", ErrParams, e)
		}
		ro := RelayOutlet{Name: name}
		for _, s := range strings.Split(sp, "/") {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(ro.Spellings, s) {
				ro.Spellings = append(ro.Spellings, s)
			}
		}
		if len(ro.Spellings) == 0 {
			ro.Spellings = []string{name}
		}
		for _, s := range ro.Spellings {
			if len([]rune(normalize.MatchText(s))) < 4 {
				return nil, fmt.Errorf("%w: relay-outlets: spelling %q of %s is shorter than 4 letters (too ambiguous)", ErrParams, s, name)
			}
		}
		out = append(out, ro)
	}
	return out, nil
}

// Relays are posts by other accounts that name an outlet as the source of
// a release ("IS claims the attacks, as per Aamaq news agency", "RT …
// A'maq agency claims …"): the outlet's material as it reached the data,
// counted apart from the outlet's own posts. A relay's time is an upper
// bound on the release's.
type Relays struct {
	// Posts and Accounts count relays (originals and reposts) at or after
	// T0; PostsBeforeT0 those before.
	Posts         int `json:"posts"`
	Accounts      int `json:"accounts"`
	PostsBeforeT0 int `json:"posts_before_t0"`
	// FirstInData is the first relay in the data (any time); First the
	// first at or after T0, LatencySeconds its delay after T0.
	FirstInData    *time.Time `json:"first_in_data"`
	First          *time.Time `json:"first"`
	LatencySeconds *float64   `json:"latency_seconds"`
	Relays1h       int        `json:"relays_1h"`
	Relays24h      int        `json:"relays_24h"`
	// Evidence are the first relays at or after T0 (at most top-items).
	Evidence []RelayPost `json:"evidence"`
}

// RelayPost is one relay.
type RelayPost struct {
	PostID  string    `json:"post_id"`
	Account string    `json:"account"`
	Time    time.Time `json:"time"`
	Repost  bool      `json:"repost"`
	Text    string    `json:"text"`
	// Spelling is the spelling of the outlet the post used.
	Spelling string `json:"spelling"`
}

// relayCues are word starts that make a mention of an outlet a relay of
// its material (claims, statements, releases, attribution), in English,
// French and Arabic, in normalize.MatchText form.
var relayCues = matchForms("claim", "responsib", "statement", "release", "report", "according", "agency", "news", "publish", "video", "photo", "picture", "issue", "announc", "confirm", "breaking",
	"newspaper", "magazine", "bulletin", "infographic", "footage", "speech", "message",
	"revendi", "communiqu", "selon", "agence", "annonc", "publi", "vidéo",
	"بيان", "وكالة", "تبنى", "يتبنى", "تتبنى", "اصدار", "إصدار", "عاجل", "نشر", "مصدر", "صحيفة", "مجلة", "كلمة", "فيديو")

// relayCueWords are cues matched as whole words only.
var relayCueWords = matchForms("per", "via", "says", "said", "new", "source", "حسب", "عبر")

// relayNegations are whole words that, within relayNegationSpan words of
// the outlet's name, make the mention a denial ("Aamaq did not publish
// anything") rather than a relay.
var relayNegations = matchForms("not", "no", "didn", "doesn", "hasn", "haven", "isn", "wasn", "never", "fake", "false",
	"deny", "denies", "denied", "pas", "jamais", "faux", "لم", "لا", "ليس", "لن", "ينفي", "نفى", "كاذب", "مزور")

const relayNegationSpan = 4

func matchForms(words ...string) [][]byte {
	out := make([][]byte, 0, len(words))
	for _, w := range words {
		if m := normalize.MatchText(w); m != "" {
			out = append(out, []byte(m))
		}
	}
	return out
}

// relayMatcher finds relays of known outlets in posts.
type relayMatcher struct {
	outlets []RelayOutlet
	// forms are every spelling in MatchText form followed by a space,
	// found at word starts of the post's MatchText (padded with spaces);
	// first has a bit per two-byte start of a form (most words skip the
	// comparison), byStart the forms by that start.
	forms   []relayForm
	first   [1 << 13]byte
	byStart map[uint16][]int32
	// pre has a bit per (hashed) three-byte start of each spelling's
	// longest word (maybe's pre-test: "a'maq" is "a maq", and "a " starts
	// many words).
	pre [1 << 13]byte
	// tagForms[k] are outlet k's spellings without spaces; tagOutlet is
	// the outlet whose spelling starts hashtag t, or -1.
	tagForms  [][]string
	tagOutlet []int16
	buf       []byte
	// full skips the pre-test (FuzzRelayMatch checks it loses nothing).
	full bool
}

type relayForm struct {
	text     []byte
	outlet   int
	spelling string
}

// relayHit is a post's decision: the outlet relayed (-1: none) and the
// spelling used.
type relayHit struct {
	outlet   int
	spelling string
}

func bigram(a, b byte) uint16 { return uint16(a)<<8 | uint16(b) }

// trigram hashes three bytes to 16 bits.
func trigram(a, b, c byte) uint16 {
	return uint16((uint32(a)<<16 | uint32(b)<<8 | uint32(c)) * 0x9E3779B1 >> 16)
}

// asciiFold maps an ASCII byte as MatchText does: letters lower-cased,
// digits kept, everything else a space.
var asciiFold = func() (t [128]byte) {
	for i := range t {
		switch c := byte(i); {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			t[i] = c
		case c >= 'A' && c <= 'Z':
			t[i] = c + 'a' - 'A'
		default:
			t[i] = ' '
		}
	}
	return t
}()

// asciiDropped reports an ASCII control character that normalize.Text
// deletes (every one but the whitespace it turns into spaces).
func asciiDropped(c byte) bool {
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r') || c == 0x7f
}

// maybe reports whether text could contain a spelling: false only when
// no word start begins like a spelling's longest word. ASCII is folded as MatchText
// folds it; a word starting with a non-ASCII character always may (an
// Arabic spelling, or an accented letter normalization turns into a
// spelling's), a non-ASCII character inside a word is taken as a
// possible separator (an emoji becomes a space), and the ASCII controls
// Text deletes are skipped (FuzzRelayMatch found "DA\x03Biq").
func (m *relayMatcher) maybe(text string) bool {
	prev := byte(' ')
	for j := 0; j < len(text); j++ {
		c := text[j]
		if asciiDropped(c) {
			continue // Text deletes it: the letters around it join
		}
		if c >= 0x80 {
			if prev == ' ' && c >= 0xC0 {
				return true
			}
			prev = ' '
			continue
		}
		f := asciiFold[c]
		if prev == ' ' && f != ' ' {
			var nx [2]byte
			at := j + 1
			for k := range nx {
				nx[k] = ' '
				for at < len(text) && asciiDropped(text[at]) {
					at++
				}
				if at < len(text) {
					n := text[at]
					if n >= 0x80 {
						return true
					}
					nx[k] = asciiFold[n]
					at++
				}
			}
			if nx[0] == ' ' {
				nx[1] = ' '
			}
			h := trigram(f, nx[0], nx[1])
			if m.pre[h>>3]&(1<<(h&7)) != 0 {
				return true
			}
		}
		prev = f
	}
	return false
}

func (m *relayMatcher) tagHit(s *state, i int) bool {
	for _, t := range s.c.PostTags(i) {
		if m.tagOutlet[t] >= 0 {
			return true
		}
	}
	return false
}

func newRelayMatcher(s *state, outlets []RelayOutlet) *relayMatcher {
	m := &relayMatcher{outlets: outlets, byStart: map[uint16][]int32{}}
	for k, o := range outlets {
		var ts []string
		for _, sp := range o.Spellings {
			f := normalize.MatchText(sp)
			if len(f) < 2 {
				continue
			}
			g := bigram(f[0], f[1])
			m.first[g>>3] |= 1 << (g & 7)
			m.byStart[g] = append(m.byStart[g], int32(len(m.forms)))
			long := ""
			for _, w := range strings.Fields(f) {
				if len(w) > len(long) {
					long = w
				}
			}
			long += "  "
			h := trigram(long[0], long[1], long[2])
			m.pre[h>>3] |= 1 << (h & 7)
			m.forms = append(m.forms, relayForm{text: []byte(f + " "), outlet: k, spelling: sp})
			ts = append(ts, strings.ReplaceAll(f, " ", ""))
		}
		m.tagForms = append(m.tagForms, ts)
	}
	c := s.c
	m.tagOutlet = make([]int16, c.Tags.Len())
	for t := range m.tagOutlet {
		m.tagOutlet[t] = -1
		key := strings.ReplaceAll(normalize.MatchText(c.Tags.Key(uint32(t))), " ", "")
	outlets:
		for k, ts := range m.tagForms {
			for _, f := range ts {
				if strings.HasPrefix(key, f) {
					m.tagOutlet[t] = int16(k)
					break outlets
				}
			}
		}
	}
	return m
}

// match returns the outlet post i relays and the spelling it used, or -1.
// (A cache by TextHash was slower: most texts are distinct.)
//
// maybe and tagHit are a cheap pre-test: most posts name no outlet.
func (m *relayMatcher) match(s *state, i int) (int, string) {
	r := m.decide(s, i)
	return r.outlet, r.spelling
}

func (m *relayMatcher) decide(s *state, i int) relayHit {
	c := s.c
	none := relayHit{outlet: -1}
	if !m.full && !m.maybe(c.Text.At(i)) && !m.tagHit(s, i) {
		return none
	}
	// " " + MatchText + " ": every word starts after a space.
	m.buf = append(m.buf[:0], ' ')
	m.buf = normalize.AppendMatchText(m.buf, c.Text.At(i))
	m.buf = append(m.buf, ' ')
	b := m.buf
	k, at, sp := -1, -1, ""
	for j := 1; j+1 < len(b) && k < 0; j++ {
		if b[j-1] != ' ' {
			continue
		}
		g := bigram(b[j], b[j+1])
		if m.first[g>>3]&(1<<(g&7)) == 0 {
			continue
		}
		for _, f := range m.byStart[g] {
			if bytes.HasPrefix(b[j:], m.forms[f].text) {
				k, at, sp = m.forms[f].outlet, j, m.forms[f].spelling
				break
			}
		}
	}
	if k < 0 {
		for _, t := range c.PostTags(i) {
			if o := m.tagOutlet[t]; o >= 0 {
				k, sp = int(o), "#"+c.TagDisplay[t]
				break
			}
		}
	}
	if k < 0 {
		return none
	}
	words := bytes.Fields(b)
	cue := false
	for _, w := range words {
		for _, q := range relayCues {
			if bytes.HasPrefix(w, q) {
				cue = true
				break
			}
		}
		for _, q := range relayCueWords {
			if bytes.Equal(w, q) {
				cue = true
				break
			}
		}
		if cue {
			break
		}
	}
	if !cue {
		return none
	}
	if at >= 0 {
		// word index of the outlet's name
		wi := bytes.Count(b[:at], []byte(" ")) - 1
		for j := max(0, wi-relayNegationSpan); j < min(len(words), wi+relayNegationSpan+1); j++ {
			for _, n := range relayNegations {
				if bytes.Equal(words[j], n) {
					return none
				}
			}
		}
	}
	return relayHit{outlet: k, spelling: sp}
}

// relays attaches relays of known outlets to outs (an existing outlet
// whose name, prefix, hashtag or handle carries a spelling of the known
// outlet; else a new outlet detected by "relayed"). own[i] is the set of
// outlets post i is a release of (its own posts are never relays).
func (s *state) relays(outs []*Outlet, own func(i int, k int) bool) []*Outlet {
	known, err := ParseRelayOutlets(s.p.RelayOutlets)
	if err != nil || len(known) == 0 || s.n == 0 {
		return outs
	}
	m := newRelayMatcher(s, known)
	c := s.c
	// Which outlet of outs each known outlet is.
	target := make([]int, len(known))
	for k := range known {
		target[k] = -1
	outs:
		for j, o := range outs {
			names := []string{o.Outlet, o.Prefix, o.Hashtag}
			for _, a := range o.accts {
				names = append(names, c.AccountHandle[a])
			}
			for _, n := range names {
				nm := normalize.MatchText(n)
				if nm == "" {
					continue
				}
				padded := " " + nm + " "
				joined := strings.ReplaceAll(nm, " ", "")
				for _, f := range m.forms {
					if f.outlet == k && strings.Contains(padded, " "+string(f.text)) {
						target[k] = j
						break outs
					}
				}
				for _, f := range m.tagForms[k] {
					if strings.HasPrefix(joined, f) {
						target[k] = j
						break outs
					}
				}
			}
		}
	}
	type agg struct {
		r     Relays
		accts []uint32
	}
	aggs := make([]*agg, len(known))
	h1, h24 := s.t0+ms(time.Hour), s.t0+ms(24*time.Hour)
	for i := 0; i < s.n; i++ {
		k, sp := m.match(s, i)
		if k < 0 {
			continue
		}
		if target[k] >= 0 && own(i, target[k]) {
			continue
		}
		a := aggs[k]
		if a == nil {
			a = &agg{r: Relays{Evidence: []RelayPost{}}}
			aggs[k] = a
		}
		t := c.Time[i]
		if a.r.FirstInData == nil {
			a.r.FirstInData = msTimePtr(t)
		}
		if t < s.t0 {
			a.r.PostsBeforeT0++
			continue
		}
		a.r.Posts++
		a.accts = append(a.accts, c.Account[i])
		if a.r.First == nil {
			a.r.First = msTimePtr(t)
			a.r.LatencySeconds = fptr(secs(t - s.t0))
		}
		if t < h1 {
			a.r.Relays1h++
		}
		if t < h24 {
			a.r.Relays24h++
		}
		if len(a.r.Evidence) < s.p.TopItems {
			a.r.Evidence = append(a.r.Evidence, RelayPost{PostID: c.PostID.At(i), Account: c.AccountHandle[c.Account[i]], Time: msTime(t),
				Repost: c.Repost[i] != ids.None, Text: truncRunes(c.Text.At(i), 500), Spelling: sp})
		}
	}
	for k, a := range aggs {
		if a == nil {
			continue
		}
		slices.Sort(a.accts)
		a.r.Accounts = len(slices.Compact(a.accts))
		var o *Outlet
		if target[k] >= 0 {
			o = outs[target[k]]
			o.DetectedBy = append(o.DetectedBy, "relayed")
		} else {
			o = &Outlet{Outlet: known[k].Name, DetectedBy: []string{"relayed"}, tag: ids.None}
			outs = append(outs, o)
		}
		r := a.r
		o.Relayed = &r
	}
	return outs
}
