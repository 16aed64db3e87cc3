package indicators

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/ids"
)

// MediaReleases is the media-release indicator: official or branded
// outlets and how soon after T0 they released.
type MediaReleases struct {
	Outlets []Outlet    `json:"outlets"`
	Params  MediaParams `json:"params"`
	Notes   []string    `json:"notes"`
}

// Outlet is one media outlet.
type Outlet struct {
	Outlet string `json:"outlet"`
	// DetectedBy lists how the outlet was found: "watch_list" (handle),
	// "branding" (watch-list pattern), "prefix" (a repeated "[Name]" text
	// prefix), "hashtag_series" (a hashtag one account uses on a media
	// series over more than a day).
	DetectedBy []string `json:"detected_by"`
	Accounts   []string `json:"accounts"`
	Hashtag    string   `json:"hashtag,omitempty"`
	Prefix     string   `json:"prefix,omitempty"`
	// FirstRelease is the outlet's first original post at or after T0.
	FirstRelease    *time.Time `json:"first_release"`
	LatencySeconds  *float64   `json:"latency_seconds"`
	Releases1h      int        `json:"releases_1h"`
	Releases24h     int        `json:"releases_24h"`
	ReleasesAfterT0 int        `json:"releases_after_t0"`
	PostsBeforeT0   int        `json:"posts_before_t0"`
	// Past compares LatencySeconds with past events' media_latency_s
	// (their fastest outlet).
	Past *Past `json:"past"`
	// Relayed are other accounts' posts naming the outlet as the source
	// of a release (detected_by "relayed"); nil when there are none.
	Relayed *Relays `json:"relayed"`

	accts   []uint32
	prefix  string         // lower case
	pattern *regexp.Regexp // case-insensitive branding pattern
	tag     uint32
	dom     uint32 // a prefix outlet's most frequent poster
	hasDom  bool
}

// leadingBrand returns the text of a leading "[Name]" or "【Name】" prefix
// (2–40 bytes, one line), or "".
func leadingBrand(text string) string {
	t := strings.TrimLeft(text, " \t\u200f\u200e")
	var closer string
	switch {
	case strings.HasPrefix(t, "["):
		t, closer = t[1:], "]"
	case strings.HasPrefix(t, "【"):
		t, closer = t[len("【"):], "】"
	default:
		return ""
	}
	j := strings.Index(t, closer)
	if j < 2 || j > 40 || strings.ContainsAny(t[:j], "\n[]") {
		return ""
	}
	return strings.TrimSpace(t[:j])
}

func (s *state) mediaReleases() MediaReleases {
	m := MediaReleases{Outlets: []Outlet{}, Params: s.p.mediaParams(), Notes: []string{}}
	c := s.c
	var outs []*Outlet
	byAcct := map[uint32]*Outlet{}
	// 1. Watch-list outlets (handles).
	for _, h := range s.in.Watch.MediaOutlets {
		accts := s.matchAccounts([]string{h})
		if len(accts) == 0 {
			m.Notes = append(m.Notes, "watch-list outlet "+h+" does not occur in the data")
			continue
		}
		o := &Outlet{Outlet: strings.TrimPrefix(strings.TrimSpace(h), "@"), DetectedBy: []string{"watch_list"}, accts: accts, tag: ids.None}
		outs = append(outs, o)
		for _, a := range accts {
			byAcct[a] = o
		}
	}
	// 2. Watch-list branding patterns.
	// They are RE2 regular expressions (the event library validates them;
	// one that does not compile is matched as plain text).
	for _, pat := range s.in.Watch.BrandingPatterns {
		p := strings.TrimSpace(pat)
		if p == "" {
			continue
		}
		re, err := regexp.Compile("(?i)" + p)
		if err != nil {
			re = regexp.MustCompile("(?i)" + regexp.QuoteMeta(p))
		}
		outs = append(outs, &Outlet{Outlet: p, DetectedBy: []string{"branding"}, pattern: re, tag: ids.None})
	}
	// 3. Repeated leading "[Name]" prefixes on original posts.
	type brandAgg struct {
		name  string
		posts int
		by    map[uint32]int
	}
	brands := map[string]*brandAgg{}
	for i := 0; i < s.n; i++ {
		if c.Repost[i] != ids.None {
			continue
		}
		b := leadingBrand(c.Text.At(i))
		if b == "" {
			continue
		}
		k := strings.ToLower(b)
		ag := brands[k]
		if ag == nil {
			ag = &brandAgg{name: b, by: map[uint32]int{}}
			brands[k] = ag
		}
		ag.posts++
		ag.by[c.Account[i]]++
	}
	bkeys := make([]string, 0, len(brands))
	for k, ag := range brands {
		if ag.posts >= s.p.OutletMinPosts {
			bkeys = append(bkeys, k)
		}
	}
	slices.Sort(bkeys)
	for _, k := range bkeys {
		ag := brands[k]
		dom, domN := uint32(0), -1
		for a, n := range ag.by {
			if n > domN || n == domN && a < dom {
				dom, domN = a, n
			}
		}
		if o := byAcct[dom]; o != nil && o.prefix == "" {
			o.prefix, o.Prefix = k, "["+ag.name+"]"
			o.DetectedBy = append(o.DetectedBy, "prefix")
			o.Outlet = ag.name
			continue
		}
		o := &Outlet{Outlet: ag.name, DetectedBy: []string{"prefix"}, Prefix: "[" + ag.name + "]", prefix: k, tag: ids.None}
		outs = append(outs, o)
		if byAcct[dom] == nil {
			byAcct[dom] = o
			o.dom = dom
			o.hasDom = true
		}
	}
	// 4. Hashtag series: one account posts most of a tag's original uses,
	// mostly with media, over more than a day.
	s.hashtagSeries(func(tag, acct uint32) {
		if o := byAcct[acct]; o != nil {
			if o.Hashtag == "" {
				o.Hashtag, o.tag = c.TagDisplay[tag], tag
				o.DetectedBy = append(o.DetectedBy, "hashtag_series")
				if o.hasDom && !slices.Contains(o.accts, acct) {
					o.accts = append(o.accts, acct)
				}
			}
			return
		}
		o := &Outlet{Outlet: c.TagDisplay[tag], DetectedBy: []string{"hashtag_series"}, Hashtag: c.TagDisplay[tag], accts: []uint32{acct}, tag: tag}
		outs = append(outs, o)
		byAcct[acct] = o
	})
	// Releases: original posts by an outlet's accounts, or carrying its
	// prefix or branding pattern.
	acctOut := map[uint32][]int{}
	prefOut := map[string]int{}
	for k, o := range outs {
		for _, a := range o.accts {
			acctOut[a] = append(acctOut[a], k)
		}
		if o.prefix != "" {
			prefOut[o.prefix] = k
		}
	}
	var pats []int
	for k, o := range outs {
		if o.pattern != nil {
			pats = append(pats, k)
		}
	}
	// ownHits appends to hit the outlets post i is a release of (sorted,
	// distinct).
	ownHits := func(i int, hit []int) []int {
		if c.Repost[i] != ids.None {
			return hit
		}
		hit = append(hit, acctOut[c.Account[i]]...)
		if len(prefOut) > 0 {
			if b := leadingBrand(c.Text.At(i)); b != "" {
				if k, ok := prefOut[strings.ToLower(b)]; ok {
					hit = append(hit, k)
				}
			}
		}
		for _, k := range pats {
			if outs[k].pattern.MatchString(c.Text.At(i)) {
				hit = append(hit, k)
			}
		}
		slices.Sort(hit)
		return slices.Compact(hit)
	}
	firstAfter := make([]int64, len(outs))
	for k := range firstAfter {
		firstAfter[k] = -1
	}
	hit := make([]int, 0, 4)
	h1, h24 := s.t0+ms(time.Hour), s.t0+ms(24*time.Hour)
	for i := 0; i < s.n; i++ {
		hit = ownHits(i, hit[:0])
		if len(hit) == 0 {
			continue
		}
		t := c.Time[i]
		for _, k := range hit {
			o := outs[k]
			if t < s.t0 {
				o.PostsBeforeT0++
				continue
			}
			o.ReleasesAfterT0++
			if firstAfter[k] < 0 {
				firstAfter[k] = t
			}
			if t < h1 {
				o.Releases1h++
			}
			if t < h24 {
				o.Releases24h++
			}
		}
	}
	// Relays of known outlets by other accounts (never the outlet's own
	// releases).
	nOwn := len(outs)
	outs = s.relays(outs, func(i, k int) bool {
		hit = ownHits(i, hit[:0])
		return slices.Contains(hit, k)
	})
	for len(firstAfter) < len(outs) {
		firstAfter = append(firstAfter, -1)
	}
	if len(outs) == 0 {
		m.Notes = append(m.Notes, "no media outlets: none on the watch list, no branded series detected, and no relays of the known outlets (--relay-outlets)")
		return m
	}
	if nOwn == 0 {
		m.Notes = append(m.Notes, "no outlet's own posts are in the data (none on the watch list, no branded series): the outlets listed are known only from relays by other accounts")
	}
	for k, o := range outs {
		o.Accounts = []string{}
		slices.Sort(o.accts)
		for _, a := range o.accts {
			o.Accounts = append(o.Accounts, c.AccountID(a))
		}
		if firstAfter[k] >= 0 {
			o.FirstRelease = msTimePtr(firstAfter[k])
			o.LatencySeconds = fptr(secs(firstAfter[k] - s.t0))
		}
		o.Past = pastStats(s.in.Past, "media_latency_s", o.LatencySeconds)
		m.Outlets = append(m.Outlets, *o)
	}
	slices.SortFunc(m.Outlets, func(a, b Outlet) int {
		switch {
		case a.LatencySeconds != nil && b.LatencySeconds == nil:
			return -1
		case a.LatencySeconds == nil && b.LatencySeconds != nil:
			return 1
		case a.LatencySeconds != nil && *a.LatencySeconds != *b.LatencySeconds:
			return cmp.Compare(*a.LatencySeconds, *b.LatencySeconds)
		}
		return cmp.Compare(a.Outlet, b.Outlet)
	})
	if s.i0 >= s.n {
		m.Notes = append(m.Notes, "no posts at or after T0: no releases")
	}
	return m
}

// hashtagSeries calls found(tag, account) for every hashtag whose original
// (non-repost) uses come at least 80% from one account, which used it at
// least outlet-min-posts times, at least half of them with media, over
// more than 24 hours. The dominant account is found by a majority vote
// (Boyer–Moore) in one pass, then checked in a second.
func (s *state) hashtagSeries(found func(tag, acct uint32)) {
	c := s.c
	nt := c.Tags.Len()
	if nt == 0 {
		return
	}
	cand := make([]uint32, nt)
	vote := make([]int32, nt)
	total := make([]int32, nt)
	for i := 0; i < s.n; i++ {
		if c.Repost[i] != ids.None {
			continue
		}
		a := c.Account[i]
		for _, t := range c.PostTags(i) {
			total[t]++
			switch {
			case vote[t] == 0:
				cand[t], vote[t] = a, 1
			case cand[t] == a:
				vote[t]++
			default:
				vote[t]--
			}
		}
	}
	minPosts := int32(s.p.OutletMinPosts)
	dom := make([]int32, nt)
	media := make([]int32, nt)
	firstT := make([]int64, nt)
	lastT := make([]int64, nt)
	for i := 0; i < s.n; i++ {
		if c.Repost[i] != ids.None {
			continue
		}
		a := c.Account[i]
		hasMedia := c.MediaOff[i+1] > c.MediaOff[i]
		for _, t := range c.PostTags(i) {
			if total[t] < minPosts || cand[t] != a {
				continue
			}
			if dom[t] == 0 {
				firstT[t] = c.Time[i]
			}
			dom[t]++
			lastT[t] = c.Time[i]
			if hasMedia {
				media[t]++
			}
		}
	}
	for t := range nt {
		d := dom[t]
		if d >= minPosts && 5*d >= 4*total[t] && 2*media[t] >= d && lastT[t]-firstT[t] > day {
			found(uint32(t), cand[t])
		}
	}
}
