package indicators

import (
	"cmp"
	"slices"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

// Hijacking is the hashtag-hijacking indicator: for campaign hashtags, the
// orientation of the posts carrying them over time and when opponents
// overtake supporters.
type Hijacking struct {
	BinSeconds float64     `json:"bin_s"`
	Hashtags   []HijackTag `json:"hashtags"`
	Notes      []string    `json:"notes"`
}

// HijackTag is one campaign hashtag.
type HijackTag struct {
	Hashtag string `json:"hashtag"`
	Key     string `json:"key"`
	// CoordinatedAccounts is the number of accounts with a significant
	// co-hashtag edge whose evidence names the tag (0: the tag is listed
	// because it is among the top new hashtags).
	CoordinatedAccounts int `json:"coordinated_accounts"`
	Posts               int `json:"posts"`
	Supportive          int `json:"supportive"`
	Opposing            int `json:"opposing"`
	Neutral             int `json:"neutral"`
	// CampaignAccounts and CampaignPosts count supporters only.
	CampaignAccounts int `json:"campaign_accounts"`
	CampaignPosts    int `json:"campaign_posts"`
	OpposingAccounts int `json:"opposing_accounts"`
	// Overtake is the first post time at which the cumulative count of
	// opposing posts exceeds that of supportive posts (null: never).
	Overtake        *time.Time `json:"overtake"`
	OvertakeOffsetS *float64   `json:"overtake_offset_s"`
	// OpposingShare is opposing / (supportive + opposing), with its
	// Wilson interval.
	OpposingShare   *float64    `json:"opposing_share"`
	OpposingShareCI []float64   `json:"opposing_share_ci95"`
	Series          []HijackBin `json:"series"`
}

// HijackBin is one time bin of a hashtag's orientation counts.
type HijackBin struct {
	Start      time.Time `json:"start"`
	Supportive int       `json:"supportive"`
	Opposing   int       `json:"opposing"`
	Neutral    int       `json:"neutral"`
}

// campaignTags returns hashtags named by the evidence of significant
// co-hashtag edges, with the number of distinct accounts on those edges.
func (s *state) campaignTags() map[uint32]int {
	out := map[uint32]int{}
	if s.in.Coord == nil {
		return out
	}
	type ta struct{ tag, acct uint32 }
	var pairs []ta
	for li := range s.in.Coord.Layers {
		lr := &s.in.Coord.Layers[li]
		if lr.Layer != model.LayerHashtag {
			continue
		}
		for ei := range lr.Edges {
			e := &lr.Edges[ei]
			if e.Q > s.p.Alpha {
				continue
			}
			for _, ev := range e.Evidence {
				pairs = append(pairs, ta{ev.Object, e.A}, ta{ev.Object, e.B})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b ta) int {
		if a.tag != b.tag {
			return cmp.Compare(a.tag, b.tag)
		}
		return cmp.Compare(a.acct, b.acct)
	})
	pairs = slices.Compact(pairs)
	for _, p := range pairs {
		if int(p.tag) < s.c.Tags.Len() {
			out[p.tag]++
		}
	}
	return out
}

func (s *state) hijacking(topNew []TagStat) Hijacking {
	h := Hijacking{BinSeconds: s.p.HijackBin.Seconds(), Hashtags: []HijackTag{}, Notes: []string{}}
	if s.in.Stance == nil {
		h.Notes = append(h.Notes, "no stance labels: hijacking needs post orientation")
		return h
	}
	coordAcc := s.campaignTags()
	if s.in.Coord == nil {
		h.Notes = append(h.Notes, "no coordination result: campaign hashtags are the top new hashtags only")
	}
	cand := map[uint32]int{} // tag -> slot
	var tags []uint32
	addTag := func(t uint32) {
		if _, ok := cand[t]; !ok {
			cand[t] = len(tags)
			tags = append(tags, t)
		}
	}
	for t := range coordAcc {
		addTag(t)
	}
	for _, st := range topNew {
		addTag(st.id)
	}
	slices.Sort(tags)
	for k, t := range tags {
		cand[t] = k
	}
	if len(tags) == 0 {
		h.Notes = append(h.Notes, "no campaign hashtags (no significant co-hashtag edges and no new hashtags)")
		return h
	}
	posts := make([][]uint32, len(tags))
	for i := 0; i < s.n; i++ {
		for _, t := range s.c.PostTags(i) {
			if k, ok := cand[t]; ok {
				posts[k] = append(posts[k], uint32(i))
			}
		}
	}
	bin := ms(s.p.HijackBin)
	serFrom, serTo := s.t0-ms(s.p.SeriesBefore), s.t0+ms(s.p.SeriesAfter)
	var out []HijackTag
	for k, t := range tags {
		ht := HijackTag{Hashtag: s.c.TagDisplay[t], Key: s.c.Tags.Key(t), CoordinatedAccounts: coordAcc[t], Posts: len(posts[k]), Series: []HijackBin{}}
		labelled := 0
		var sup, opp int
		supSeen := map[uint32]bool{}
		oppSeen := map[uint32]bool{}
		var ser []HijackBin
		var serStart int64
		for _, i := range posts[k] {
			o := s.in.Stance[i].Orientation
			if o == OrientUnknown {
				continue
			}
			labelled++
			t := s.c.Time[i]
			switch o {
			case OrientSupportive:
				sup++
				supSeen[s.c.Account[i]] = true
			case OrientOpposing:
				opp++
				oppSeen[s.c.Account[i]] = true
			default:
				ht.Neutral++
			}
			if ht.Overtake == nil && opp > sup {
				ht.Overtake = msTimePtr(t)
				ht.OvertakeOffsetS = fptr(secs(t - s.t0))
			}
			if t < serFrom || t >= serTo {
				continue
			}
			if ser == nil {
				serStart = s.t0 + floorDiv(t-s.t0, bin)*bin
			}
			b := int((t - serStart) / bin)
			for len(ser) <= b {
				ser = append(ser, HijackBin{Start: msTime(serStart + int64(len(ser))*bin)})
			}
			switch o {
			case OrientSupportive:
				ser[b].Supportive++
			case OrientOpposing:
				ser[b].Opposing++
			default:
				ser[b].Neutral++
			}
		}
		if labelled < s.p.HijackMinPosts {
			continue
		}
		ht.Supportive, ht.Opposing = sup, opp
		ht.CampaignPosts, ht.CampaignAccounts, ht.OpposingAccounts = sup, len(supSeen), len(oppSeen)
		if sup+opp > 0 {
			ht.OpposingShare = fptr(float64(opp) / float64(sup+opp))
			ht.OpposingShareCI = wilson(opp, sup+opp)
		}
		if ser != nil {
			ht.Series = ser
		}
		out = append(out, ht)
	}
	slices.SortFunc(out, func(a, b HijackTag) int {
		if a.CoordinatedAccounts != b.CoordinatedAccounts {
			return b.CoordinatedAccounts - a.CoordinatedAccounts
		}
		if a.Posts != b.Posts {
			return b.Posts - a.Posts
		}
		return cmp.Compare(a.Key, b.Key)
	})
	if len(out) > s.p.TopHashtags {
		out = out[:s.p.TopHashtags]
	}
	if len(out) == 0 {
		h.Notes = append(h.Notes, "no campaign hashtag has enough stance-labelled posts")
	} else {
		h.Hashtags = out
	}
	return h
}
