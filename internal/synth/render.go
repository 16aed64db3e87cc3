package synth

import (
	"strconv"
	"strings"
	"time"
)

// splitmix is the per-post render randomness: a splitmix64 stream seeded
// from the post's seed, so a post renders identically wherever it is
// rendered (its own line, or inside a repost of it).
type splitmix struct{ s uint64 }

func (x *splitmix) next() uint64 {
	x.s += 0x9e3779b97f4a7c15
	z := x.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (x *splitmix) n(k int) int { return int(x.next() % uint64(k)) }

func (x *splitmix) f() float64 { return float64(x.next()>>11) / (1 << 53) }

func pickS(x *splitmix, s []string) string { return s[x.n(len(s))] }

// entities collects a post's hashtags, URLs, mentions and media while its
// text is rendered.
type entities struct {
	tags     []string
	urls     []string
	mentions []string
	media    []mediaOut
}

type mediaOut struct{ ref, key, hash string }

func (e *entities) reset() {
	e.tags, e.urls, e.mentions, e.media = e.tags[:0], e.urls[:0], e.mentions[:0], e.media[:0]
}

func itoa(i int) string { return strconv.Itoa(i) }

// fill expands placeholders: {P} place in lang, {T} place tag, {A} Arabic
// place, {N} and {K} the number k, {W} a province.
func (g *generator) fill(s string, lang uint8, k int) string {
	if !strings.Contains(s, "{") {
		return s
	}
	return string(g.appendFill(nil, s, lang, k, ""))
}

func (g *generator) appendFill(dst []byte, s string, lang uint8, k int, outlet string) []byte {
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 || i+2 >= len(s) || s[i+2] != '}' {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		switch s[i+1] {
		case 'P':
			switch lang {
			case langAR:
				dst = append(dst, g.place.ar...)
			case langFR:
				dst = append(dst, g.place.fr...)
			default:
				dst = append(dst, g.place.en...)
			}
		case 'T':
			dst = append(dst, g.place.tag...)
		case 'A':
			dst = append(dst, strings.ReplaceAll(g.place.ar, " ", "_")...)
		case 'N', 'K':
			dst = strconv.AppendInt(dst, int64(k), 10)
		case 'W':
			dst = append(dst, provinces[k%len(provinces)]...)
		case 'O':
			dst = append(dst, outlet...)
		default:
			dst = append(dst, s[i:i+3]...)
		}
		s = s[i+3:]
	}
}

// appendStance renders an opener, a core sentence of the stance cell and a
// closer. Supportive posts without attribution before T0 use the routine bank.
func (g *generator) appendStance(dst []byte, lang, attr, orient uint8, t int64, x *splitmix) []byte {
	if orient == orSupportive && attr == attrNone && t < g.t0 {
		return g.appendFill(dst, pickS(x, supportChatter[lang]), lang, x.n(len(provinces)), "")
	}
	if op := pickS(x, openers[lang]); op != "" {
		dst = append(dst, op...)
		dst = append(dst, ' ')
	}
	dst = g.appendFill(dst, pickS(x, stanceBank[lang][attr][orient]), lang, 0, "")
	return append(dst, pickS(x, closers[orient])...)
}

func (g *generator) appendChatter(dst []byte, lang uint8, x *splitmix) []byte {
	if x.n(4) == 0 {
		if op := pickS(x, openers[lang]); op != "" {
			dst = append(dst, op...)
			dst = append(dst, ' ')
		}
	}
	dst = append(dst, pickS(x, chatterSubj[lang])...)
	dst = append(dst, ' ')
	dst = append(dst, pickS(x, chatterPred[lang])...)
	if x.n(10) < 6 {
		dst = append(dst, ' ')
		dst = append(dst, pickS(x, contextBank[lang])...)
	}
	return append(dst, pickS(x, chatterTail[lang])...)
}

// appendCopypasta renders a lightly edited leader quote.
func (g *generator) appendCopypasta(dst []byte, lang uint8, q int, x *splitmix) []byte {
	dst = append(dst, pickS(x, quotePrefix[lang])...)
	base := string(g.appendFill(nil, leaderQuotes[lang][q], lang, 0, ""))
	if x.n(10) < 3 {
		base = strings.Replace(base, ", ", " - ", 1)
	}
	if x.n(10) < 3 { // drop one word (not among the first three)
		words := strings.Fields(base)
		if len(words) > 6 {
			k := 3 + x.n(len(words)-3)
			words = append(words[:k], words[k+1:]...)
			base = strings.Join(words, " ")
		}
	}
	dst = append(dst, base...)
	return append(dst, pickS(x, []string{"", "", " 🦁", " ☝️", "!", " 🏴"})...)
}

// organicEntities draws organic hashtags, URLs, media and mentions.
func (g *generator) organicEntities(r *rec, x *splitmix, e *entities) {
	if r.class == clsReaction && x.n(100) < 55 {
		// supporters do not use the solidarity tags (#PrayFor…,
		// #JeSuis…, #Solidarity…): only the descriptive ones
		k := x.n(len(g.eventTags))
		if r.orient == orSupportive {
			k = neutralEventTags[k%len(neutralEventTags)]
		}
		e.tags = append(e.tags, g.eventTags[k])
	}
	u := x.n(100)
	nt := 0
	switch {
	case u < 50:
	case u < 80:
		nt = 1
	case u < 95:
		nt = 2
	default:
		nt = 3
	}
	for range nt {
		t := g.tagNames[g.tagPick.pick(x.f())]
		dup := false
		for _, s := range e.tags {
			dup = dup || s == t
		}
		if !dup {
			e.tags = append(e.tags, t)
		}
	}
	// hyperactive accounts are news-aggregator-like: mostly links and images
	hyper := g.acc.role[r.acct] == roleHyper
	pURL, pImg := 22, 8
	if hyper {
		pURL, pImg = 65, 20
	}
	if x.n(100) < pURL {
		i := int(g.urlPick.pick(x.f()))
		e.urls = append(e.urls, organicDomains[i%len(organicDomains)]+strconv.Itoa(1000003+17*i))
	}
	if x.n(100) < pImg {
		if hyper || x.n(4) == 0 { // a popular meme image
			i := g.memePick.pick(x.f())
			h := strconv.FormatUint(uint64(i)*0x9e3779b97f4a7c15|1<<63, 16)
			e.media = append(e.media, mediaOut{ref: "https://pbs.twimg.com/media/meme" + strconv.Itoa(int(i)) + ".jpg", key: "3_" + strconv.Itoa(9000+int(i)), hash: "phash:" + h})
		} else {
			v := x.next()
			e.media = append(e.media, mediaOut{ref: "https://pbs.twimg.com/media/o" + strconv.FormatUint(v>>20, 36) + ".jpg",
				key: "3_" + strconv.FormatUint(v>>12, 10), hash: "phash:" + strconv.FormatUint(v|1<<63, 16)})
		}
	}
	if x.n(100) < 10 {
		e.mentions = append(e.mentions, g.acc.handle[x.n(g.acc.n)])
	}
}

// appendText renders the text of recs[i] (own text, or "RT @h: ..." for a
// repost) and collects its entities into e (nil: do not collect).
func (g *generator) appendText(dst []byte, i int32, e *entities) []byte {
	r := &g.recs[i]
	x := splitmix{s: r.seed}
	if r.kind == kindRepost {
		o := &g.recs[r.ref]
		dst = append(dst, "RT @"...)
		dst = append(dst, g.acc.handle[o.acct]...)
		dst = append(dst, ": "...)
		return g.appendText(dst, r.ref, nil)
	}
	var scratch entities
	if e == nil {
		e = &scratch
	}
	pre := len(e.mentions)
	if r.kind == kindReply {
		h := g.acc.handle[g.recs[r.ref].acct]
		e.mentions = append(e.mentions, h)
		dst = append(dst, '@')
		dst = append(dst, h...)
		dst = append(dst, ' ')
		pre++
	}
	var o *object
	if r.obj >= 0 {
		o = &g.objs[r.obj]
	}
	lang := r.lang
	switch r.class {
	case clsChatter:
		if r.orient == orSupportive {
			dst = g.appendFill(dst, pickS(&x, supportChatter[lang]), lang, x.n(len(provinces)), "")
		} else {
			dst = g.appendChatter(dst, lang, &x)
		}
		g.organicEntities(r, &x, e)
	case clsReaction, clsSource:
		dst = g.appendStance(dst, lang, r.attr, r.orient, r.t, &x)
		if r.class == clsReaction && x.n(10) < 4 {
			dst = append(dst, " ("...)
			dst = append(dst, pickS(&x, contextBank[lang])...)
			dst = append(dst, ')')
		}
		g.organicEntities(r, &x, e)
	case clsEcho, clsHijack, clsCampaign:
		dst = g.appendStance(dst, lang, r.attr, r.orient, r.t, &x)
		switch {
		case r.class == clsCampaign && x.n(3) != 0:
			dst = append(dst, ' ')
			dst = append(dst, pickS(&x, callBank[lang])...)
		case r.class == clsHijack && x.n(5) != 0:
			dst = append(dst, ' ')
			dst = append(dst, pickS(&x, counterBank[lang])...)
			if x.n(2) == 0 {
				dst = append(dst, ' ')
				dst = append(dst, pickS(&x, chatterTail[lang])...)
			}
		}
		switch o.kind {
		case objTags:
			// the primary tag always; a campaign wave tag (second) always;
			// other base tags half the time
			e.tags = append(e.tags, o.tags[0])
			for k, t := range o.tags[1:] {
				if k == 0 && r.class == clsCampaign || x.n(2) == 0 {
					e.tags = append(e.tags, t)
				}
			}
			if r.class == clsHijack && x.n(2) == 0 {
				e.tags = append(e.tags, counterTags[lang])
			}
		case objURL:
			e.urls = append(e.urls, o.url)
		case objImage:
			if x.n(10) < 6 {
				e.media = append(e.media, mediaOut{ref: o.imgRef, key: o.imgKey, hash: o.imgHash})
			} else { // re-upload: new ref and key, same content hash
				v := x.next()
				e.media = append(e.media, mediaOut{ref: "https://pbs.twimg.com/media/r" + strconv.FormatUint(v>>20, 36) + ".jpg",
					key: "3_" + strconv.FormatUint(v>>12, 10), hash: o.imgHash})
			}
		}
		if r.class == clsCampaign && x.n(10) < 3 {
			e.tags = append(e.tags, g.tagNames[g.tagPick.pick(x.f())])
		}
	case clsCopypasta:
		dst = g.appendCopypasta(dst, lang, o.quote, &x)
	case clsAutomation:
		dst = append(dst, o.text...)
		if o.url != "" {
			e.urls = append(e.urls, o.url)
		}
	case clsOutlet:
		on := outletNames[o.outlet]
		dst = append(dst, '[')
		dst = append(dst, on.name...)
		dst = append(dst, "] "...)
		bank := outletReleaseBank[lang]
		switch {
		case r.t < g.t0:
			bank = outletRoutineBank[lang]
		case r.attr == attrNone:
			bank = outletFollowBank[lang]
		}
		dst = g.appendFill(dst, pickS(&x, bank), lang, o.series, on.name)
		e.tags = append(e.tags, on.tag)
		e.media = append(e.media, mediaOut{ref: o.imgRef, key: "3_" + strconv.FormatUint(x.next()>>12, 10), hash: o.imgHash})
	case clsArchival:
		switch o.kind {
		case objText:
			dst = append(dst, o.text...)
		default:
			dst = g.appendFill(dst, pickS(&x, supportChatter[lang]), lang, x.n(len(provinces)), "")
			if o.kind == objURL {
				e.urls = append(e.urls, o.url)
			} else {
				e.media = append(e.media, mediaOut{ref: o.imgRef, key: o.imgKey, hash: o.imgHash})
			}
		}
	}
	for _, m := range e.mentions[pre:] {
		dst = append(dst, " @"...)
		dst = append(dst, m...)
	}
	for _, t := range e.tags {
		dst = append(dst, " #"...)
		dst = append(dst, t...)
	}
	for _, u := range e.urls {
		dst = append(dst, ' ')
		dst = append(dst, u...)
	}
	return dst
}

// render holds one worker's scratch buffers.
type render struct {
	text []byte
	e    entities
}

// appendPost appends the JSONL line of the post at rank i.
func (g *generator) appendPost(dst []byte, i int32, rs *render) []byte {
	r := &g.recs[i]
	rs.e.reset()
	rs.text = g.appendText(rs.text[:0], i, &rs.e)
	dst = append(dst, `{"id":"`...)
	dst = strconv.AppendInt(dst, postIDBase+int64(i), 10)
	dst = append(dst, `","platform":"twitter","account_id":"`...)
	dst = appendAccountID(dst, r.acct)
	dst = append(dst, `","handle":`...)
	dst = appendJSONString(dst, g.acc.handle[r.acct])
	dst = append(dst, `,"time":"`...)
	dst = time.Unix(r.t, 0).UTC().AppendFormat(dst, "2006-01-02T15:04:05Z")
	dst = append(dst, `","text":`...)
	dst = appendJSONString(dst, rs.text)
	dst = append(dst, `,"lang":"`...)
	dst = append(dst, langCodes[r.lang]...)
	dst = append(dst, '"')
	dst = appendStrings(dst, "hashtags", rs.e.tags)
	dst = appendStrings(dst, "mentions", rs.e.mentions)
	dst = appendStrings(dst, "urls", rs.e.urls)
	if len(rs.e.media) > 0 {
		dst = append(dst, `,"media":[`...)
		for k, m := range rs.e.media {
			if k > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"type":"photo","ref":`...)
			dst = appendJSONString(dst, m.ref)
			dst = append(dst, `,"key":`...)
			dst = appendJSONString(dst, m.key)
			dst = append(dst, `,"hash":`...)
			dst = appendJSONString(dst, m.hash)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if r.ref >= 0 {
		switch r.kind {
		case kindRepost:
			dst = append(dst, `,"repost_of":`...)
		case kindQuote:
			dst = append(dst, `,"quote_of":`...)
		default:
			dst = append(dst, `,"reply_to":`...)
		}
		o := &g.recs[r.ref]
		dst = append(dst, `{"post_id":"`...)
		dst = strconv.AppendInt(dst, postIDBase+int64(r.ref), 10)
		dst = append(dst, `","account_id":"`...)
		dst = appendAccountID(dst, o.acct)
		dst = append(dst, `","handle":`...)
		dst = appendJSONString(dst, g.acc.handle[o.acct])
		dst = append(dst, '}')
	}
	dst = append(dst, `,"client":`...)
	dst = appendJSONString(dst, clients[g.acc.client[r.acct]])
	return append(dst, "}\n"...)
}

func appendStrings(dst []byte, key string, ss []string) []byte {
	if len(ss) == 0 {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, key...)
	dst = append(dst, `":[`...)
	for k, s := range ss {
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, s)
	}
	return append(dst, ']')
}

// appendJSONString appends s as a JSON string. s must be valid UTF-8 (all
// generated text is: it comes from the template banks); bytes >= 0x80 are
// copied through.
func appendJSONString[S ~string | ~[]byte](dst []byte, s S) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
