package indicators

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Hashtag statuses.
const (
	TagNew     = "new"     // first seen at or after T0 (and at no past event)
	TagRevived = "revived" // dormant for dormant-gap before T0, or seen at a past event
	TagOngoing = "ongoing" // in use within dormant-gap before T0
)

// Hashtags is the hashtag indicator.
type Hashtags struct {
	// RankWindow is the adoption window the lists are ranked by.
	RankWindow string `json:"rank_window"`
	// Counts of hashtags used at or after T0, by status.
	Counts map[string]int `json:"counts"`
	// Tags are the top hashtags of any status; TopNew and TopRevived the
	// top new and revived ones. All are ranked by adopters in RankWindow.
	Tags       []TagStat `json:"tags"`
	TopNew     []TagStat `json:"top_new"`
	TopRevived []TagStat `json:"top_revived"`
	// EcosystemSource says which accounts EcosystemShare refers to
	// ("watch_list" or "clusters"; empty when neither exists).
	EcosystemSource string        `json:"ecosystem_source"`
	Params          HashtagParams `json:"params"`
	Notes           []string      `json:"notes"`
}

// TagStat describes one hashtag.
type TagStat struct {
	Hashtag          string     `json:"hashtag"`
	Key              string     `json:"key"`
	Status           string     `json:"status"`
	FirstSeen        time.Time  `json:"first_seen"`
	FirstSeenOffsetS float64    `json:"first_seen_offset_s"`
	LastBeforeT0     *time.Time `json:"last_before_t0"`
	PostsBeforeT0    int        `json:"posts_before_t0"`
	PostsAfterT0     int        `json:"posts_after_t0"`
	// PastEvents counts library events listing the tag among their top tags.
	PastEvents int `json:"past_events"`
	// Adoption is the cumulative number of distinct accounts using the tag
	// in [T0, T0+offset), per lift window.
	Adoption []Adoption `json:"adoption"`
	// Adopters is Adoption at the rank window.
	Adopters int `json:"adopters"`
	// EcosystemShare is the share of Adopters inside the ecosystem.
	EcosystemShare   *float64  `json:"ecosystem_share"`
	EcosystemShareCI []float64 `json:"ecosystem_share_ci95"`

	id uint32
}

// Adoption is the adopter count at one offset.
type Adoption struct {
	Offset   string `json:"offset"`
	Accounts int    `json:"accounts"`
}

func (s *state) hashtags() Hashtags {
	h := Hashtags{Counts: map[string]int{TagNew: 0, TagRevived: 0, TagOngoing: 0}, Tags: []TagStat{}, TopNew: []TagStat{}, TopRevived: []TagStat{},
		Params: HashtagParams{TopHashtags: s.p.TopHashtags, DormantGapS: s.p.DormantGap.Seconds(), Windows: s.p.windowNames()}, Notes: []string{}}
	c := s.c
	nt := c.Tags.Len()
	rank := len(s.p.Windows) - 1
	for k, w := range s.p.Windows {
		if w == 24*time.Hour {
			rank = k
		}
	}
	h.RankWindow = windowName(s.p.Windows[rank])
	if s.i0 >= s.n {
		h.Notes = append(h.Notes, "no posts at or after T0")
	}
	if nt == 0 {
		h.Notes = append(h.Notes, "no hashtags in the data")
		return h
	}
	if len(s.in.Past) == 0 {
		h.Notes = append(h.Notes, "event library empty: revived means dormant in this data only")
	}
	first := make([]int64, nt)
	lastBefore := make([]int64, nt)
	before := make([]int32, nt)
	after := make([]int32, nt)
	for i := range first {
		first[i], lastBefore[i] = -1, -1
	}
	for i := 0; i < s.n; i++ {
		t := c.Time[i]
		for _, tag := range c.PostTags(i) {
			if first[tag] < 0 {
				first[tag] = t
			}
			if t < s.t0 {
				lastBefore[tag] = t
				before[tag]++
			} else {
				after[tag]++
			}
		}
	}
	pastCount := make(map[uint32]int)
	for _, e := range s.in.Past {
		seen := map[uint32]bool{}
		for _, k := range e.TopTags {
			if id, ok := c.Tags.Lookup(tagKey(k)); ok && !seen[id] {
				seen[id] = true
				pastCount[id]++
			}
		}
	}
	gap := ms(s.p.DormantGap)
	status := func(tag uint32) string {
		switch {
		case pastCount[tag] > 0 || before[tag] > 0 && lastBefore[tag] <= s.t0-gap:
			return TagRevived
		case before[tag] == 0:
			return TagNew
		}
		return TagOngoing
	}
	for tag := range nt {
		if after[tag] > 0 {
			h.Counts[status(uint32(tag))]++
		}
	}

	// Adoption: first use of each (tag, account) in [T0, T0+max window).
	maxW := int64(0)
	for _, w := range s.p.Windows {
		maxW = max(maxW, ms(w))
	}
	type use struct {
		key uint64 // tag<<32 | account
		t   int64
	}
	lo, hi := s.postsIn(s.t0, s.t0+maxW)
	uses := make([]use, 0, int(c.TagOff[hi]-c.TagOff[lo]))
	for i := lo; i < hi; i++ {
		for _, tag := range c.PostTags(i) {
			uses = append(uses, use{uint64(tag)<<32 | uint64(c.Account[i]), c.Time[i]})
		}
	}
	slices.SortFunc(uses, func(a, b use) int {
		if a.key != b.key {
			return cmp.Compare(a.key, b.key)
		}
		return cmp.Compare(a.t, b.t)
	})
	eco, ecoSrc := s.ecosystem()
	h.EcosystemSource = ecoSrc
	var stats []TagStat
	for j := 0; j < len(uses); {
		tag := uint32(uses[j].key >> 32)
		st := TagStat{id: tag, Adoption: make([]Adoption, len(s.p.Windows))}
		for k, w := range s.p.Windows {
			st.Adoption[k].Offset = windowName(w)
		}
		ecoN := 0
		for j < len(uses) && uint32(uses[j].key>>32) == tag {
			u := uses[j]
			for k, w := range s.p.Windows {
				if u.t < s.t0+ms(w) {
					st.Adoption[k].Accounts++
				}
			}
			if eco != nil && u.t < s.t0+ms(s.p.Windows[rank]) && eco[uint32(u.key)] {
				ecoN++
			}
			for k := uses[j].key; j < len(uses) && uses[j].key == k; j++ {
			}
		}
		st.Adopters = st.Adoption[rank].Accounts
		if eco != nil && st.Adopters > 0 {
			st.EcosystemShare = fptr(float64(ecoN) / float64(st.Adopters))
			st.EcosystemShareCI = wilson(ecoN, st.Adopters)
		}
		stats = append(stats, st)
	}
	slices.SortFunc(stats, func(a, b TagStat) int {
		if a.Adopters != b.Adopters {
			return b.Adopters - a.Adopters
		}
		if after[a.id] != after[b.id] {
			return int(after[b.id]) - int(after[a.id])
		}
		return cmp.Compare(a.id, b.id)
	})
	fill := func(st *TagStat) {
		tag := st.id
		st.Hashtag = c.TagDisplay[tag]
		st.Key = c.Tags.Key(tag)
		st.Status = status(tag)
		st.FirstSeen = msTime(first[tag])
		st.FirstSeenOffsetS = secs(first[tag] - s.t0)
		if lastBefore[tag] >= 0 {
			st.LastBeforeT0 = msTimePtr(lastBefore[tag])
		}
		st.PostsBeforeT0, st.PostsAfterT0 = int(before[tag]), int(after[tag])
		st.PastEvents = pastCount[tag]
	}
	top := s.p.TopHashtags
	for i := range stats {
		st := &stats[i]
		fill(st)
		if len(h.Tags) < top {
			h.Tags = append(h.Tags, *st)
		}
		switch {
		case st.Status == TagNew && len(h.TopNew) < top:
			h.TopNew = append(h.TopNew, *st)
		case st.Status == TagRevived && len(h.TopRevived) < top:
			h.TopRevived = append(h.TopRevived, *st)
		}
	}
	if len(stats) == 0 && s.i0 < s.n {
		h.Notes = append(h.Notes, fmt.Sprintf("no hashtags used in [T0, T0+%s)", windowName(time.Duration(maxW)*time.Millisecond)))
	}
	return h
}
