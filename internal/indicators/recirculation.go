package indicators

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/ids"
)

// Recirculation is the recirculation indicator: among the URLs, images
// and texts shared at or after T0, the share first seen well before T0.
type Recirculation struct {
	// Share is Revived / ItemsAfterT0.
	Share   *float64  `json:"share"`
	ShareCI []float64 `json:"share_ci95"`
	// ItemsAfterT0 counts distinct items shared at or after T0; Revived
	// those first seen at least recirc-min-age before T0 (or known from
	// the watch list).
	ItemsAfterT0 int `json:"items_after_t0"`
	Revived      int `json:"revived"`
	// MinAgeSeconds is recirc-min-age.
	MinAgeSeconds float64                 `json:"min_age_s"`
	ByKind        map[string]RecircCounts `json:"by_kind"`
	// Items are the revived items shared at least recirc-min-shares times
	// after T0, most revived first (by RateRatio).
	Items []RecircItem `json:"items"`
	Past  *Past        `json:"past"`
	Notes []string     `json:"notes"`
}

// RecircCounts are one item kind's counts.
type RecircCounts struct {
	ItemsAfterT0 int      `json:"items_after_t0"`
	Revived      int      `json:"revived"`
	Share        *float64 `json:"share"`
}

// RecircItem is one recirculated item.
type RecircItem struct {
	// Key is the canonical URL, the media key (given hash, else id), or
	// the text of the item's first post.
	Key           string     `json:"key"`
	Kind          string     `json:"kind"`
	FirstSeen     time.Time  `json:"first_seen"`
	FirstPost     string     `json:"first_post"`
	LastBeforeT0  *time.Time `json:"last_before_t0"`
	FirstAfterT0  time.Time  `json:"first_after_t0"`
	SharesBefore  int        `json:"shares_before_t0"`
	SharesAfterT0 int        `json:"shares_after_t0"`
	// RateRatio is the share rate after T0 (per hour, to the end of the
	// data) over the rate before (per hour since first seen).
	RateRatio *float64 `json:"rate_ratio"`
	Known     bool     `json:"known"`
}

// itemStat accumulates one item's sightings.
type itemStat struct {
	first, lastBefore, firstAfter int64
	before, after                 int32
	firstPost                     uint32
}

func newItemStats(n int) []itemStat {
	st := make([]itemStat, n)
	for i := range st {
		st[i].first = -1
		st[i].lastBefore = -1
		st[i].firstAfter = -1
	}
	return st
}

func (it *itemStat) see(t, t0 int64, post uint32) {
	if it.first < 0 {
		it.first, it.firstPost = t, post
	}
	if t < t0 {
		it.before++
		it.lastBefore = t
		return
	}
	if it.firstAfter < 0 {
		it.firstAfter = t
	}
	it.after++
}

func (s *state) recirculation() Recirculation {
	r := Recirculation{ByKind: map[string]RecircCounts{}, Items: []RecircItem{}, Notes: []string{}, MinAgeSeconds: s.p.RecircMinAge.Seconds()}
	c := s.c
	s.textIdentity()
	urls := newItemStats(c.URLs.Len())
	media := newItemStats(c.Media.Len())
	texts := newItemStats(s.numText)
	for i := 0; i < s.n; i++ {
		t := c.Time[i]
		for _, u := range c.PostURLs(i) {
			urls[u].see(t, s.t0, uint32(i))
		}
		for _, m := range c.PostMedia(i) {
			media[m].see(t, s.t0, uint32(i))
		}
		if k := s.textID[i]; k != ids.None {
			texts[k].see(t, s.t0, uint32(i))
		}
	}
	known := map[string]bool{}
	for _, h := range s.in.Watch.KnownHashes {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			known[h] = true
		}
	}
	cut := s.t0 - ms(s.p.RecircMinAge)
	_, covTo := s.coverage()
	afterH := max(float64(covTo-s.t0)/3.6e6, 1)
	var items []RecircItem
	kinds := []struct {
		name string
		st   []itemStat
		key  func(k int, it *itemStat) string
	}{
		{"url", urls, func(k int, _ *itemStat) string { return c.URLs.Key(uint32(k)) }},
		{"image", media, func(k int, _ *itemStat) string { return c.Media.Key(uint32(k)) }},
		{"text", texts, func(_ int, it *itemStat) string { return truncRunes(c.Text.At(int(it.firstPost)), 500) }},
	}
	for _, kd := range kinds {
		var rc RecircCounts
		for k := range kd.st {
			it := &kd.st[k]
			if it.after == 0 {
				continue
			}
			rc.ItemsAfterT0++
			isKnown := false
			if len(known) > 0 && kd.name != "text" {
				isKnown = known[strings.ToLower(kd.key(k, it))]
			}
			if it.first > cut && !isKnown {
				continue
			}
			rc.Revived++
			if int(it.after) < s.p.RecircMinShares {
				continue
			}
			ri := RecircItem{Key: kd.key(k, it), Kind: kd.name, FirstSeen: msTime(it.first), FirstPost: c.PostID.At(int(it.firstPost)),
				FirstAfterT0: msTime(it.firstAfter), SharesBefore: int(it.before), SharesAfterT0: int(it.after), Known: isKnown}
			if it.lastBefore >= 0 {
				ri.LastBeforeT0 = msTimePtr(it.lastBefore)
			}
			if it.before > 0 {
				beforeH := max(float64(s.t0-it.first)/3.6e6, 1)
				ri.RateRatio = fptr((float64(it.after) / afterH) / (float64(it.before) / beforeH))
			}
			items = append(items, ri)
		}
		if rc.ItemsAfterT0 > 0 {
			rc.Share = fptr(float64(rc.Revived) / float64(rc.ItemsAfterT0))
		}
		r.ByKind[kd.name] = rc
		r.ItemsAfterT0 += rc.ItemsAfterT0
		r.Revived += rc.Revived
	}
	if r.ItemsAfterT0 > 0 {
		r.Share = fptr(float64(r.Revived) / float64(r.ItemsAfterT0))
		r.ShareCI = wilson(r.Revived, r.ItemsAfterT0)
	} else {
		r.Notes = append(r.Notes, "no URL, image or text shared at or after T0")
	}
	if s.n > 0 && s.first > cut {
		r.Notes = append(r.Notes, "the data start less than recirc-min-age before T0: nothing can count as recirculated unless known from the watch list")
	}
	ratio := func(x *RecircItem) float64 {
		if x.RateRatio == nil {
			return -1
		}
		return *x.RateRatio
	}
	slices.SortFunc(items, func(a, b RecircItem) int {
		if ra, rb := ratio(&a), ratio(&b); ra != rb {
			return cmp.Compare(rb, ra)
		}
		if a.SharesAfterT0 != b.SharesAfterT0 {
			return b.SharesAfterT0 - a.SharesAfterT0
		}
		if !a.FirstSeen.Equal(b.FirstSeen) {
			return a.FirstSeen.Compare(b.FirstSeen)
		}
		return cmp.Compare(a.Kind+a.Key, b.Kind+b.Key)
	})
	if len(items) > s.p.TopItems {
		items = items[:s.p.TopItems]
	}
	if items != nil {
		r.Items = items
	}
	r.Past = pastStats(s.in.Past, "recirculation_share", r.Share)
	return r
}
