package synth

import (
	"slices"
	"sort"
	"strconv"
)

var classNames = [...]string{"chatter", "reaction", "repost", "campaign", "copypasta", "automation", "outlet", "archival", "hijack", "echo", "source"}

// liftWindows are the volume-lift windows.
var liftWindows = []struct {
	name string
	sec  int64
}{{"1h", 3600}, {"6h", 6 * 3600}, {"24h", 24 * 3600}, {"72h", 72 * 3600}}

func postID(rank int32) string { return strconv.FormatInt(postIDBase+int64(rank), 10) }

// labels builds the ground truth from the sorted posts. rank maps
// generation indexes to file positions.
func (g *generator) labels(rank []int32, hyper, hijackers, outletAccts []int32, special int) *Labels {
	p := g.p
	l := &Labels{
		Version: 1, Generator: "chorus synth", Seed: p.Seed,
		Params: ParamsOut{Posts: p.Posts, Accounts: p.Accounts, PreDays: p.PreDays, PostDays: p.PostDays,
			Density: p.Density, Jitter: p.Jitter, Overlap: p.Overlap, Noise: p.Noise, Groups: p.Groups,
			Actions: p.Actions, GroupMax: g.groupSizeMax(), AssertBefore: p.AssertBefore, AssertAfter: p.AssertAfter,
			Hyperactive: len(hyper)},
		T0: unixUTC(g.t0), TClaim: unixUTC(g.tclaim), Start: unixUTC(g.start), End: unixUTC(g.end),
		Place: g.place.en, Posts: len(g.recs), Accounts: g.acc.n,
		AccountIDs:      IDRange{First: accountIDBase, Count: g.acc.n},
		PostIDs:         IDRange{First: postIDBase, Count: len(g.recs)},
		PlantedAccounts: map[string]PlantedAccount{},
		Groups:          []Group{},
		Counts:          map[string]int{},
	}
	ids := func(a []int32) []string {
		s := slices.Clone(a)
		slices.Sort(s)
		out := make([]string, len(s))
		for i, v := range s {
			out[i] = accountID(v)
		}
		return out
	}
	l.Hyperactive = ids(hyper)
	l.Hijackers = ids(hijackers)
	l.Ignored = ids(outletAccts)

	for _, gs := range g.groups {
		gr := Group{ID: gs.id, Kind: gs.kind, Layer: kindLayer[gs.kind], WindowSeconds: gs.window,
			Language: langCodes[gs.lang], Orientation: orientNames[orSupportive], Members: ids(gs.members), Actions: gs.actions}
		for _, m := range gr.Members {
			l.PlantedAccounts[m] = PlantedAccount{Group: gs.id, Kind: gs.kind}
		}
		ob := &gr.Objects
		ob.Hashtags = append(slices.Clone(gs.tags), gs.waves...)
		for _, oi := range gs.objs {
			o := &g.objs[oi]
			switch o.kind {
			case objURL:
				ob.URLs = append(ob.URLs, o.url)
			case objImage:
				ob.ImageHashes = append(ob.ImageHashes, o.imgHash)
				ob.ImageRefs = append(ob.ImageRefs, o.imgRef)
			case objText:
				if o.url != "" {
					ob.Texts = append(ob.Texts, o.text+" "+o.url) // as posted
					ob.URLs = append(ob.URLs, o.url)
				} else {
					ob.Texts = append(ob.Texts, o.text)
				}
			case objQuote:
				ob.Texts = append(ob.Texts, g.fill(leaderQuotes[gs.lang][o.quote], gs.lang, 0))
			}
		}
		for _, s := range gs.sources {
			ob.PostIDs = append(ob.PostIDs, postID(rank[s]))
		}
		l.Groups = append(l.Groups, gr)
		if gs.kind == KindHashtagCampaign {
			l.Indicators.CampaignHashtags = append(l.Indicators.CampaignHashtags, ob.Hashtags...)
		}
	}

	for _, os := range g.outlets {
		on := outletNames[os.idx]
		out := Outlet{Name: on.name, Hashtag: on.tag, Prefix: "[" + on.name + "]", Accounts: []string{accountID(os.acct)},
			ReleasePosts: len(os.release), ImageHashes: os.hashes}
		if len(os.release) > 0 {
			first := g.recs[rank[os.release[0]]].t
			out.FirstRelease = unixUTC(first)
			out.LatencySeconds = float64(first - g.t0)
		}
		l.Outlets = append(l.Outlets, out)
	}

	// one pass over the sorted posts
	n := len(g.recs)
	attr := make([]byte, n)
	orient := make([]byte, n)
	type arch struct {
		first, firstAfter      int64
		before, after          int
		seenFirst, seenReshare bool
	}
	archByObj := map[int32]*arch{}
	for _, a := range g.archival {
		archByObj[a.obj] = &arch{}
	}
	type hij struct {
		sup, opp        int
		oppStart        int64
		overtake        int64
		launch          int64
		seenOpp, passed bool
	}
	hijByTag := map[string]*hij{}
	for _, h := range g.hijackTags {
		hijByTag[h.tag] = &hij{launch: h.launch}
	}
	onset := int64(-1)
	onsetGroup := -1
	var supBefore, supAfter, assertBefore, assertAfter int
	for i := range g.recs {
		r := &g.recs[i]
		attr[i] = attrCodes[r.attr]
		orient[i] = orientCodes[r.orient]
		l.Counts[classNames[r.class]]++
		if r.grp >= 0 && r.t >= g.t0 && onset < 0 {
			onset, onsetGroup = r.t, int(r.grp)
		}
		if r.orient == orSupportive && r.attr != attrNone && r.t >= g.t0 {
			if r.t < g.tclaim {
				supBefore++
				if r.attr == attrAsserts {
					assertBefore++
				}
			} else {
				supAfter++
				if r.attr == attrAsserts {
					assertAfter++
				}
			}
		}
		if r.obj < 0 {
			continue
		}
		if r.class == clsArchival {
			a := archByObj[r.obj]
			if !a.seenFirst {
				a.first, a.seenFirst = r.t, true
			}
			if r.t < g.t0 {
				a.before++
			} else {
				if !a.seenReshare {
					a.firstAfter, a.seenReshare = r.t, true
				}
				a.after++
			}
		}
		if r.class == clsCampaign || r.class == clsEcho || r.class == clsHijack {
			o := &g.objs[r.obj]
			if o.kind != objTags {
				continue
			}
			h := hijByTag[o.tags[0]]
			if h == nil {
				continue
			}
			switch r.orient {
			case orSupportive:
				h.sup++
			case orOpposing:
				h.opp++
				if !h.seenOpp {
					h.oppStart, h.seenOpp = r.t, true
				}
			}
			if !h.passed && h.opp > h.sup {
				h.overtake, h.passed = r.t, true
			}
		}
	}
	l.Stance = StanceLabels{
		PostIDFirst:      postIDBase,
		AttributionCodes: map[string]string{"n": "none", "a": "asserts", "s": "speculates", "d": "denies"},
		OrientationCodes: map[string]string{"0": "neutral", "+": "supportive", "-": "opposing"},
		Attribution:      string(attr),
		Orientation:      string(orient),
	}
	for _, a := range g.archival {
		s := archByObj[a.obj]
		l.Recirculated = append(l.Recirculated, RecircItem{Kind: a.kind, Key: a.key, FirstSeen: unixUTC(s.first),
			PostsBeforeT0: s.before, FirstReshare: unixUTC(s.firstAfter), ResharesAfterT0: s.after})
	}
	for _, hs := range g.hijackTags {
		h := hijByTag[hs.tag]
		hj := Hijack{Hashtag: hs.tag, Group: hs.group, Launch: unixUTC(h.launch), OpposingStart: unixUTC(h.oppStart),
			Supportive: h.sup, Opposing: h.opp}
		if h.passed {
			t := unixUTC(h.overtake)
			s := float64(h.overtake - g.t0)
			hj.Overtake, hj.OvertakeSeconds = &t, &s
		}
		l.Hijacks = append(l.Hijacks, hj)
	}
	tr := &l.Indicators
	if onset >= 0 {
		tr.OnsetLatencySeconds = float64(onset - g.t0)
		tr.FirstCoordinatedAction = unixUTC(onset)
		tr.FirstCoordinatedGroup = onsetGroup
	} else {
		tr.FirstCoordinatedGroup = -1
	}
	tr.StancePostsBefore, tr.StancePostsAfter = supBefore, supAfter
	if supBefore > 0 {
		v := float64(assertBefore) / float64(supBefore)
		tr.UnanimityBeforeClaim = &v
	}
	if supAfter > 0 {
		v := float64(assertAfter) / float64(supAfter)
		tr.UnanimityAfterClaim = &v
	}
	tr.VolumeLift = g.volumeLift()
	return l
}

// volumeLift computes posts and unique accounts in [T0, T0+W) and the
// pre-event baseline (see LiftTruth).
func (g *generator) volumeLift() []LiftTruth {
	stamp := make([]int32, g.acc.n)
	epoch := int32(0)
	count := func(from, to int64) (int, int) {
		lo := sort.Search(len(g.recs), func(i int) bool { return g.recs[i].t >= from })
		hi := sort.Search(len(g.recs), func(i int) bool { return g.recs[i].t >= to })
		epoch++
		u := 0
		for i := lo; i < hi; i++ {
			a := g.recs[i].acct
			if stamp[a] != epoch {
				stamp[a] = epoch
				u++
			}
		}
		return hi - lo, u
	}
	var out []LiftTruth
	for _, w := range liftWindows {
		if g.t0+w.sec > g.end {
			continue
		}
		lt := LiftTruth{Window: w.name, Seconds: int(w.sec)}
		lt.Posts, lt.Accounts = count(g.t0, g.t0+w.sec)
		dmin := int((w.sec + 86399) / 86400)
		days := 0
		var bp, ba float64
		for d := dmin; d <= g.p.PreDays; d++ {
			from := g.t0 - int64(d)*86400
			if from < g.start {
				break
			}
			np, na := count(from, from+w.sec)
			bp += float64(np)
			ba += float64(na)
			days++
		}
		if days > 0 {
			lt.BaselineDays = days
			lt.BaselinePosts = bp / float64(days)
			lt.BaselineAccounts = ba / float64(days)
			if lt.BaselinePosts > 0 {
				lt.LiftPosts = float64(lt.Posts) / lt.BaselinePosts
			}
			if lt.BaselineAccounts > 0 {
				lt.LiftAccounts = float64(lt.Accounts) / lt.BaselineAccounts
			}
		}
		out = append(out, lt)
	}
	return out
}
