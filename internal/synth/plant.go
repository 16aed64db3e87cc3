package synth

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// groupState is a planted group while it is generated.
type groupState struct {
	id      int
	kind    string
	members []int32
	lang    uint8
	window  int
	tags    []string // hashtag_campaign base tags
	waves   []string // hashtag_campaign per-action wave tags
	tagObj  int32
	launch  int64
	actions []Action
	sources []int32 // generation indexes of co_retweet originals
	objs    []int32
	posts   []int32 // generation indexes of the action posts
}

var kindLayer = map[string]string{
	KindCoRetweet: "repost", KindHashtagCampaign: "hashtag", KindCoURL: "url",
	KindCoImage: "image", KindCopypasta: "near_text", KindAutomation: "staggered",
}

// expTrunc draws from + Exp(mean) that is below limit (redrawing, then
// clamping).
func (g *generator) expTrunc(from int64, mean float64, limit int64) int64 {
	for range 20 {
		t := from + int64(g.rng.ExpFloat64()*mean)
		if t < limit {
			return t
		}
	}
	return from + g.rng.Int64N(max(1, limit-from))
}

// participants draws the members taking part in one action: each with
// probability Density, at least two.
func (g *generator) participants(members []int32) []int32 {
	var out []int32
	for _, m := range members {
		if g.rng.Float64() < g.p.Density {
			out = append(out, m)
		}
	}
	for len(out) < 2 && len(out) < len(members) {
		m := members[g.rng.IntN(len(members))]
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// groupSizeMax is the largest planted group size.
func (g *generator) groupSizeMax() int {
	if g.p.GroupMax > 0 {
		return g.p.GroupMax
	}
	return min(200, max(8, g.acc.n/60))
}

// plantedStance is the stance of a planted supporter's own-text post.
func (g *generator) plantedStance(t int64) uint8 {
	if t < g.t0 {
		return attrNone
	}
	share := g.p.AssertBefore
	if t >= g.tclaim {
		share = g.p.AssertAfter
	}
	if g.rng.Float64() < share {
		return attrAsserts
	}
	return attrNone
}

// slug returns a random lowercase alphanumeric string.
func (g *generator) slug(n int) string {
	const al = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = al[g.rng.IntN(len(al))]
	}
	return string(b)
}

func (g *generator) hexHash() string {
	return "phash:" + strconv.FormatUint(g.rng.Uint64()|1<<63, 16)
}

// plantGroups draws the planted groups and their members from free; their
// actions are generated later by runGroup.
func (g *generator) plantGroups(free []int32) ([]int32, error) {
	p := g.p
	maxSize := g.groupSizeMax()
	gid := 0
	for gi := 0; gi < p.Groups; gi++ {
		for _, kind := range Kinds {
			hi := maxSize
			if kind == KindAutomation {
				hi = min(hi, 30)
			}
			size := int(math.Round(math.Exp(math.Log(5) + g.rng.Float64()*(math.Log(float64(hi))-math.Log(5)))))
			size = max(5, min(size, hi))
			if size > len(free) {
				return nil, errTooFewAccounts(g.acc.n)
			}
			gs := &groupState{id: gid, kind: kind, members: slices.Clone(free[:size]), tagObj: -1}
			free = free[size:]
			gid++
			langs := []uint8{langAR, langEN, langFR}
			gs.lang = langs[(gi+len(g.groups))%3]
			if kind == KindCopypasta {
				gs.lang = langs[gi%3]
			}
			for _, m := range gs.members {
				g.acc.role[m] = rolePlanted
				g.acc.group[m] = int16(gs.id)
				g.acc.lean[m] = orSupportive
				if kind == KindCopypasta || g.rng.Float64() < 0.7 {
					g.acc.lang[m] = gs.lang
				}
			}
			gs.window = max(60, int(math.Ceil(p.Jitter)))
			if kind == KindAutomation {
				gs.window = 1800
			}
			g.groups = append(g.groups, gs)
		}
	}
	return free, nil
}

func (g *generator) actionTime(gs *groupState, a int) int64 {
	limit := g.end - 2*3600
	switch gs.kind {
	case KindHashtagCampaign:
		if a == 0 {
			return g.t0 + 120 + g.rng.Int64N(780)
		}
		return g.expTrunc(gs.launch+600, 8*3600, limit)
	case KindCopypasta:
		return g.expTrunc(max(g.t0+900, g.tclaim-1800), 6*3600, limit)
	}
	if g.rng.Float64() < 0.25 {
		lo, hi := g.start+2*3600, g.t0-3600
		return lo + g.rng.Int64N(hi-lo)
	}
	return g.expTrunc(g.t0+300, 10*3600, limit)
}

// runGroup generates one group's actions.
func (g *generator) runGroup(gs *groupState) {
	p := g.p
	jit := func() int64 {
		if p.Jitter <= 0 {
			return 0
		}
		return int64(g.rng.Float64() * p.Jitter)
	}
	if gs.kind == KindHashtagCampaign {
		n := 2 + g.rng.IntN(2)
		for k := range n {
			pat := campaignTagPatterns[(gs.id*3+k)%len(campaignTagPatterns)]
			gs.tags = append(gs.tags, g.fill(pat, langEN, gs.id+k+10))
		}
		gs.tagObj = g.addObj(object{kind: objTags, tags: gs.tags})
	}
	interval := int64(180 + g.rng.IntN(300)) // automation spacing
	var prevURL int32 = -1
	for a := 0; a < p.Actions; a++ {
		ta := g.actionTime(gs, a)
		if a == 0 && gs.kind == KindHashtagCampaign {
			gs.launch = ta
		}
		part := g.participants(gs.members)
		act := Action{Posts: len(part)}
		lo, hi := int64(math.MaxInt64), int64(0)
		add := func(r *rec) {
			r.grp = int16(gs.id)
			gs.posts = append(gs.posts, int32(len(g.recs)-1))
			lo, hi = min(lo, r.t), max(hi, r.t)
		}
		switch gs.kind {
		case KindCoRetweet:
			src := g.support.pick(g.rng.Float64())
			st := ta - 60 - g.rng.Int64N(3540)
			s := g.newRec(st, src, kindOriginal, clsSource, g.acc.lang[src], g.plantedStance(st), orSupportive)
			si := int32(len(g.recs) - 1)
			_ = s
			gs.sources = append(gs.sources, si)
			for _, m := range part {
				r := g.newRec(ta+jit(), m, kindRepost, clsRepost, g.recs[si].lang, g.recs[si].attr, orSupportive)
				r.ref = si
				add(r)
			}
		case KindHashtagCampaign:
			// each wave adds a new tag next to the campaign's base tags
			wave := gs.tags[0] + strconv.Itoa(a+1)
			if a == 0 {
				wave = gs.tags[1]
			} else {
				gs.waves = append(gs.waves, wave)
			}
			tags := append([]string{gs.tags[0], wave}, gs.tags[1:]...)
			if a == 0 {
				tags = gs.tags
			}
			o := g.addObj(object{kind: objTags, tags: tags})
			gs.objs = append(gs.objs, o)
			for _, m := range part {
				t := ta + jit()
				r := g.newRec(t, m, kindOriginal, clsCampaign, g.acc.lang[m], g.plantedStance(t), orSupportive)
				r.obj = o
				add(r)
			}
		case KindCoURL:
			o := prevURL
			if o < 0 || g.rng.IntN(4) != 0 {
				u := campaignDomains[g.rng.IntN(len(campaignDomains))] + g.slug(8)
				o = g.addObj(object{kind: objURL, url: u})
				gs.objs = append(gs.objs, o)
			}
			prevURL = o
			for _, m := range part {
				t := ta + jit()
				r := g.newRec(t, m, kindOriginal, clsCampaign, g.acc.lang[m], g.plantedStance(t), orSupportive)
				r.obj = o
				add(r)
			}
		case KindCoImage:
			s := g.slug(15)
			o := g.addObj(object{kind: objImage, imgRef: "https://pbs.twimg.com/media/" + s + ".jpg",
				imgKey: "3_" + strconv.FormatUint(g.rng.Uint64()>>8, 10), imgHash: g.hexHash()})
			gs.objs = append(gs.objs, o)
			for _, m := range part {
				t := ta + jit()
				r := g.newRec(t, m, kindOriginal, clsCampaign, g.acc.lang[m], g.plantedStance(t), orSupportive)
				r.obj = o
				add(r)
			}
		case KindCopypasta:
			q := a % len(leaderQuotes[gs.lang])
			o := g.addObj(object{kind: objQuote, quote: q})
			gs.objs = append(gs.objs, o)
			for _, m := range part {
				r := g.newRec(ta+jit(), m, kindOriginal, clsCopypasta, gs.lang, leaderQuoteAttr[q], orSupportive)
				r.obj = o
				add(r)
			}
		case KindAutomation:
			lang := gs.lang
			attr := g.plantedStance(ta)
			txt := g.automationText(lang, attr)
			o := object{kind: objText, text: txt}
			if g.rng.IntN(2) == 0 {
				o.url = campaignDomains[g.rng.IntN(len(campaignDomains))] + g.slug(8)
			}
			oi := g.addObj(o)
			gs.objs = append(gs.objs, oi)
			g.rng.Shuffle(len(part), func(i, j int) { part[i], part[j] = part[j], part[i] })
			aj := min(p.Jitter, 30)
			for j, m := range part {
				t := ta + int64(j)*interval
				if aj > 0 {
					t += int64((g.rng.Float64()*2 - 1) * aj)
				}
				r := g.newRec(min(t, g.end-1), m, kindOriginal, clsAutomation, lang, attr, orSupportive)
				r.obj = oi
				add(r)
			}
		}
		act.Start, act.End = unixUTC(lo), unixUTC(hi)
		gs.actions = append(gs.actions, act)
	}
}

// automationText renders the fixed text of one automation action.
func (g *generator) automationText(lang, attr uint8) string {
	b := automationBank[lang][b2i(attr == attrAsserts)]
	s := b[g.rng.IntN(len(b))]
	return g.fill(strings.ReplaceAll(s, "{W}", provinces[g.rng.IntN(len(provinces))]), lang, 100+g.rng.IntN(900))
}

// echoAndHijack adds organic supporters' uses of campaign hashtags and the
// opponents' flood that overtakes them hours later.
func (g *generator) echoAndHijack(hijackers []int32) {
	for _, gs := range g.groups {
		if gs.kind != KindHashtagCampaign {
			continue
		}
		n := len(gs.posts)
		echo := max(3, int(0.3*float64(n)))
		for range echo {
			a := g.support.pick(g.rng.Float64())
			t := g.expTrunc(gs.launch+60, 6*3600, g.end-1)
			lang := g.acc.lang[a]
			r := g.newRec(t, a, kindOriginal, clsEcho, lang, g.drawAttr(orSupportive, t >= g.tclaim), orSupportive)
			r.obj = gs.tagObj
		}
		if len(hijackers) == 0 {
			continue
		}
		// opponents arrive 3-8 h after the launch, ramping up (Gamma(2) delays)
		hs := gs.launch + 3*3600 + g.rng.Int64N(5*3600)
		if hs >= g.end-3600 {
			continue
		}
		tag := g.addObj(object{kind: objTags, tags: gs.tags[:1]})
		h := int(2.5 * float64(n+echo))
		for range h {
			a := hijackers[g.rng.IntN(len(hijackers))]
			d := (g.rng.ExpFloat64() + g.rng.ExpFloat64()) * 3 * 3600
			t := hs + int64(d)
			if t >= g.end {
				t = hs + g.rng.Int64N(g.end-hs)
			}
			attr := g.drawAttr(orOpposing, t >= g.tclaim)
			r := g.newRec(t, a, kindOriginal, clsHijack, g.acc.lang[a], attr, orOpposing)
			r.obj = tag
		}
		g.hijackTags = append(g.hijackTags, hijackState{group: gs.id, tag: gs.tags[0], launch: gs.launch})
	}
}

type hijackState struct {
	group  int
	tag    string
	launch int64
}

// outletState is a media outlet while generated.
type outletState struct {
	idx     int
	acct    int32
	hashes  []string
	release []int32 // generation indexes of posts at or after T0
}

// plantOutlets creates 2-4 outlets with routine pre-event posts, a release
// series soon after T0, and organic reposts of the releases.
func (g *generator) plantOutlets(accts []int32) {
	for i, a := range accts {
		os := &outletState{idx: i, acct: a}
		g.acc.role[a] = roleOutlet
		g.acc.lean[a] = orSupportive
		g.acc.weight[a] = 0
		lang := g.acc.lang[a]
		// routine: one or two a day before T0
		for t := g.start + 3600 + g.rng.Int64N(12*3600); t < g.t0-3600; t += 12*3600 + g.rng.Int64N(18*3600) {
			o := g.addObj(object{kind: objOutlet, outlet: i, series: 1 + g.rng.IntN(9), imgHash: g.hexHash(),
				imgRef: "https://pbs.twimg.com/media/" + g.slug(15) + ".jpg"})
			g.newRec(t, a, kindOriginal, clsOutlet, lang, attrNone, orSupportive).obj = o
		}
		var lat int64
		if i == 0 {
			lat = 1200 + g.rng.Int64N(3*3600)
		} else {
			lat = 3600 + g.rng.Int64N(19*3600)
		}
		t := g.t0 + lat
		n := 4 + g.rng.IntN(5)
		for k := 0; k < n && t < g.end-3600; k++ {
			h := g.hexHash()
			os.hashes = append(os.hashes, h)
			o := g.addObj(object{kind: objOutlet, outlet: i, series: k + 1, imgHash: h,
				imgRef: "https://pbs.twimg.com/media/" + g.slug(15) + ".jpg"})
			attr := uint8(attrAsserts)
			if k > 0 && g.rng.IntN(3) == 0 {
				attr = attrNone
			}
			r := g.newRec(t, a, kindOriginal, clsOutlet, lang, attr, orSupportive)
			r.obj = o
			ri := int32(len(g.recs) - 1)
			os.release = append(os.release, ri)
			// supporters repost the release over the next hour or two
			for range 5 + g.rng.IntN(11) {
				b := g.suppAll.pick(g.rng.Float64())
				rt := g.expTrunc(t+30, 1500, g.end)
				rp := g.newRec(rt, b, kindRepost, clsRepost, lang, attr, orSupportive)
				rp.ref = ri
			}
			t += 180 + g.rng.Int64N(1020)
		}
		g.outlets = append(g.outlets, os)
	}
}

// archState is a recirculated archival item.
type archState struct {
	obj  int32
	kind string
	key  string
}

// plantArchival posts 4 archival items early in the pre-period and has
// supporters re-share them after T0, spread over hours.
func (g *generator) plantArchival() {
	kinds := []string{"url", "image", "text", "url"}
	if g.rng.IntN(2) == 0 {
		kinds[3] = "image"
	}
	for i, k := range kinds {
		var o object
		var key string
		switch k {
		case "url":
			o = object{kind: objURL, url: "https://archive.org/details/" + g.slug(10)}
			key = o.url
		case "image":
			o = object{kind: objImage, imgRef: "https://pbs.twimg.com/media/" + g.slug(15) + ".jpg",
				imgKey: "3_" + strconv.FormatUint(g.rng.Uint64()>>8, 10), imgHash: g.hexHash()}
			key = o.imgHash
		case "text":
			l := uint8(i % numLangs)
			o = object{kind: objText, text: archivalTexts[l][g.rng.IntN(len(archivalTexts[l]))]}
			key = o.text
		}
		oi := g.addObj(o)
		g.archival = append(g.archival, archState{obj: oi, kind: k, key: key})
		first := g.start + 600 + g.rng.Int64N(48*3600)
		a := g.support.pick(g.rng.Float64())
		g.newRec(first, a, kindOriginal, clsArchival, g.acc.lang[a], attrNone, orSupportive).obj = oi
		for range 1 + g.rng.IntN(3) {
			t := first + 3600 + g.rng.Int64N(g.t0-first-7200)
			b := g.support.pick(g.rng.Float64())
			g.newRec(t, b, kindOriginal, clsArchival, g.acc.lang[b], attrNone, orSupportive).obj = oi
		}
		for range 10 + g.rng.IntN(21) {
			t := g.expTrunc(g.t0+1200+g.rng.Int64N(3600), 10*3600, g.end)
			b := g.support.pick(g.rng.Float64())
			g.newRec(t, b, kindOriginal, clsArchival, g.acc.lang[b], attrNone, orSupportive).obj = oi
		}
	}
}
