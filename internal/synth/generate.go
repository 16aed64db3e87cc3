package synth

import (
	"math"
	"math/rand/v2"
	"time"
)

// Post kinds.
const (
	kindOriginal uint8 = iota
	kindRepost
	kindReply
	kindQuote
)

// Content classes: what template family renders a post's text.
const (
	clsChatter    uint8 = iota // organic daily chatter (neutral) or supporters' routine (supportive)
	clsReaction                // organic reaction to the event, stance-bearing
	clsRepost                  // "RT @h: <original text>"
	clsCampaign                // planted action post with its own text and the action's object
	clsCopypasta               // leader quote, lightly edited
	clsAutomation              // exact text of a staggered automation action
	clsOutlet                  // branded outlet release or routine post
	clsArchival                // archival item: first posts and re-shares
	clsHijack                  // opposing post flooding a campaign hashtag
	clsEcho                    // organic supporter using a campaign hashtag
	clsSource                  // original retweeted by a co_retweet group
)

// rec is one generated post in compact form; text and entities are
// rendered from it (and its seed) when the file is written.
type rec struct {
	t      int64  // unix seconds
	seed   uint64 // render randomness
	acct   int32
	ref    int32 // referenced post: generation index before sorting, rank after
	obj    int32 // index into generator.objs, -1
	grp    int16 // planted group whose coordinated action this post is, -1
	kind   uint8
	class  uint8
	lang   uint8
	attr   uint8
	orient uint8
}

// Object kinds.
const (
	objTags uint8 = iota
	objURL
	objImage
	objText
	objQuote
	objOutlet
)

// object is a planted or tracked item posts refer to.
type object struct {
	kind    uint8
	tags    []string
	url     string
	imgRef  string
	imgKey  string
	imgHash string
	text    string
	quote   int // leader quote index (objQuote)
	outlet  int // outlet index (objOutlet)
	series  int // part number in an outlet series
}

// generator holds the state of one generation run.
type generator struct {
	p       Params
	rng     *rand.Rand
	start   int64
	t0      int64
	tclaim  int64
	end     int64
	place   place
	acc     *accounts
	recs    []rec
	objs    []object
	all     *picker // organic posting accounts by weight
	support *picker // supportive organic (non-planted) accounts by weight
	suppAll *picker // supportive accounts incl. planted, for reposts of supportive posts
	bins    *picker // hour bins by organic rate
	binReac []float64

	// organic pools (rendering)
	tagNames  []string
	tagPick   *picker
	eventTags []string
	urlPick   *picker
	memePick  *picker

	groups     []*groupState
	outlets    []*outletState
	archival   []archState
	hijackTags []hijackState

	lab *Labels
}

func (g *generator) newRec(t int64, acct int32, kind, class, lang, attr, orient uint8) *rec {
	g.recs = append(g.recs, rec{t: t, seed: g.rng.Uint64(), acct: acct, ref: -1, obj: -1, grp: -1,
		kind: kind, class: class, lang: lang, attr: attr, orient: orient})
	return &g.recs[len(g.recs)-1]
}

func (g *generator) addObj(o object) int32 {
	g.objs = append(g.objs, o)
	return int32(len(g.objs) - 1)
}

// hourly UTC activity rhythm (evening peak, night trough).
var rhythm = [24]float64{0.35, 0.25, 0.2, 0.18, 0.2, 0.3, 0.45, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.9, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2, 1.15, 0.9, 0.6}

// Organic reaction to the event: an extra rate reactA*exp(-dt/reactTau)
// (relative to the mean rhythm) on top of an attention level raised by
// reactBase for the whole post-event period.
const (
	reactA    = 5.0
	reactTau  = 10 * 3600.0
	reactBase = 0.3
)

// setupBins builds the hour-bin sampler of organic post times.
func (g *generator) setupBins() {
	nb := int((g.end - g.start) / 3600)
	w := make([]float64, nb)
	g.binReac = make([]float64, nb)
	mean := 0.0
	for _, x := range rhythm {
		mean += x / 24
	}
	for b := range nb {
		bs := g.start + int64(b)*3600
		h := time.Unix(bs+1800, 0).UTC().Hour()
		base := rhythm[h]
		if bs < g.t0 {
			w[b] = base
			continue
		}
		dt := float64(bs + 1800 - g.t0)
		surge := reactA * mean * math.Exp(-dt/reactTau)
		w[b] = base*(1+reactBase) + surge
		// share of the bin's posts that are about the event
		g.binReac[b] = 1 - 0.75*base/w[b]
	}
	g.bins = newPicker(w, nil)
}

// organicTime draws a post time from the organic rate profile and reports
// the probability that a post at that time reacts to the event.
func (g *generator) organicTime() (int64, float64) {
	b := int(g.bins.pick(g.rng.Float64()))
	t := g.start + int64(b)*3600 + g.rng.Int64N(3600)
	return t, g.binReac[b]
}

// stance tables for organic reactions: [lean][before/after claim] ->
// cumulative probabilities of none, asserts, speculates (denies: rest).
var organicAttr = [numOrient][2][3]float64{
	orNeutral:    {{0.65, 0.68, 0.95}, {0.50, 0.90, 0.97}},
	orSupportive: {{0.15, 0.35, 0.95}, {0.12, 0.90, 0.95}},
	orOpposing:   {{0.55, 0.60, 0.95}, {0.45, 0.87, 0.95}},
}

func (g *generator) drawAttr(lean uint8, after bool) uint8 {
	c := organicAttr[lean][b2i(after)]
	u := g.rng.Float64()
	switch {
	case u < c[0]:
		return attrNone
	case u < c[1]:
		return attrAsserts
	case u < c[2]:
		return attrSpeculates
	}
	return attrDenies
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// organicContent decides class and stance of an organic own-text post by
// account a at time t.
func (g *generator) organicContent(a int32, t int64, pReact float64) (class, lang, attr, orient uint8) {
	lean := g.acc.lean[a]
	lang = g.acc.lang[a]
	if g.rng.IntN(12) == 0 {
		lang = uint8(g.rng.IntN(numLangs))
	}
	if t < g.t0 || g.rng.Float64() >= pReact {
		if lean == orSupportive && g.rng.IntN(10) < 3 {
			return clsChatter, lang, attrNone, orSupportive
		}
		return clsChatter, lang, attrNone, orNeutral
	}
	orient = lean
	switch lean {
	case orSupportive:
		if g.rng.IntN(10) == 0 {
			orient = orNeutral
		}
	case orOpposing:
		if g.rng.Float64() < 0.15 {
			orient = orNeutral
		}
	default:
		if g.rng.Float64() < 0.15 {
			orient = orOpposing
		}
	}
	return clsReaction, lang, g.drawAttr(lean, t >= g.tclaim), orient
}

// Organic mix of post kinds.
const (
	shareRepost = 0.32
	shareReply  = 0.06
	shareQuote  = 0.04
)

// genOrganic generates n organic posts: originals first, then reposts,
// replies and quotes of earlier originals chosen by a heavy-tailed
// virality weight.
func (g *generator) genOrganic(n int) {
	nRep := int(math.Round(float64(n) * shareRepost))
	nReply := int(math.Round(float64(n) * shareReply))
	nQuote := int(math.Round(float64(n) * shareQuote))
	nOrig := n - nRep - nReply - nQuote
	first := len(g.recs)
	for range nOrig {
		a := g.all.pick(g.rng.Float64())
		t, pr := g.organicTime()
		cls, lang, attr, or := g.organicContent(a, t, pr)
		g.newRec(t, a, kindOriginal, cls, lang, attr, or)
	}
	last := len(g.recs)
	if last == first {
		return
	}
	// virality: Pareto(1.5); reactions travel further.
	vir := make([]float64, last-first)
	for i := range vir {
		v := 1 / math.Pow(1-g.rng.Float64(), 1/1.5)
		if g.recs[first+i].class == clsReaction {
			v *= 3
		}
		vir[i] = v
	}
	targets := newPicker(vir, nil)
	vir = nil
	for k := range nRep + nReply + nQuote {
		ti := first + int(targets.pick(g.rng.Float64()))
		tgt := g.recs[ti]
		pool := g.all
		if tgt.orient == orSupportive && !g.suppAll.empty() {
			pool = g.suppAll
		}
		a := pool.pick(g.rng.Float64())
		if a == tgt.acct {
			a = pool.pick(g.rng.Float64())
			if a == tgt.acct {
				continue
			}
		}
		t := g.reactionDelay(tgt.t)
		if t < 0 {
			continue
		}
		var r *rec
		switch {
		case k < nRep:
			r = g.newRec(t, a, kindRepost, clsRepost, tgt.lang, tgt.attr, tgt.orient)
		case k < nRep+nReply:
			cls, lang, attr, or := g.organicContent(a, t, g.pReactAt(t))
			r = g.newRec(t, a, kindReply, cls, lang, attr, or)
		default:
			cls, lang, attr, or := g.organicContent(a, t, g.pReactAt(t))
			r = g.newRec(t, a, kindQuote, cls, lang, attr, or)
		}
		r.ref = int32(ti)
	}
}

func (g *generator) pReactAt(t int64) float64 {
	b := int((t - g.start) / 3600)
	if b < 0 || b >= len(g.binReac) {
		return 0
	}
	return g.binReac[b]
}

// reactionDelay returns when a repost/reply of a post at t0 happens: a
// mixture of fast (Exp 2 min, 40 %) and slow (Exp 3 h) reactions, at least
// one second later and before the end; -1 if no room is left.
func (g *generator) reactionDelay(t0 int64) int64 {
	var d float64
	if g.rng.Float64() < 0.4 {
		d = g.rng.ExpFloat64() * 120
	} else {
		d = g.rng.ExpFloat64() * 10800
	}
	t := t0 + 1 + int64(d)
	if t >= g.end {
		room := g.end - t0 - 1
		if room <= 0 {
			return -1
		}
		t = t0 + 1 + g.rng.Int64N(room)
	}
	return t
}

// setupOrganicPools builds the Zipf pools of organic hashtags, URLs and
// meme images used when rendering.
func (g *generator) setupOrganicPools() {
	nt := 300
	g.tagNames = make([]string, nt)
	w := make([]float64, nt)
	for i := range nt {
		word := organicTagWords[i%len(organicTagWords)]
		if k := i / len(organicTagWords); k > 0 {
			word += itoa(k + 1)
		}
		g.tagNames[i] = word
		w[i] = 1 / float64(i+1)
	}
	g.tagPick = newPicker(w, nil)
	for _, pat := range eventTagPatterns {
		g.eventTags = append(g.eventTags, g.fill(pat, langEN, 0))
	}
	nu := max(400, g.acc.n/5)
	w = make([]float64, nu)
	for i := range w {
		w[i] = 1 / float64(i+1)
	}
	g.urlPick = newPicker(w, nil)
	w = make([]float64, 200)
	for i := range w {
		w[i] = 1 / math.Pow(float64(i+1), 1.2)
	}
	g.memePick = newPicker(w, nil)
}
