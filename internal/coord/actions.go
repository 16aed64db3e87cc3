package coord

import (
	"hash/fnv"
	"slices"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/model"
)

// action is one account acting on one object of a layer at a time.
type action struct {
	Obj  uint32
	Acct uint32
	T    int64 // unix ms
	Post uint32
}

// actions is a layer's actions sorted by (Obj, T, Post), with ObjStart
// giving each object's run: the actions of the k-th object in order are
// A[ObjStart[k]:ObjStart[k+1]].
type actions struct {
	A        []action
	ObjStart []uint32
	// NumObjects is the size of the layer's object space.
	NumObjects int
}

// collectActions extracts the layer's actions from the corpus.
func collectActions(c *corpus.Corpus, layer model.Layer, p *Params) actions {
	n := c.Len()
	var out []action
	numObj := 0
	add := func(obj uint32, i int) {
		out = append(out, action{Obj: obj, Acct: c.Account[i], T: c.Time[i], Post: uint32(i)})
	}
	switch layer {
	case model.LayerRepost:
		numObj = c.Reposted.Len()
		for i := 0; i < n; i++ {
			if o := c.Repost[i]; o != ids.None && c.RepostAcc[i] != c.Account[i] {
				add(o, i)
			}
		}
	case model.LayerHashtag:
		numObj = c.Tags.Len()
		for i := 0; i < n; i++ {
			for _, t := range c.PostTags(i) {
				add(t, i)
			}
		}
	case model.LayerHashtagSeq:
		keys := map[uint64]uint32{}
		for i := 0; i < n; i++ {
			tags := c.PostTags(i)
			if len(tags) < p.MinHashtagSeq {
				continue
			}
			h := fnv.New64a()
			var b [4]byte
			for _, t := range tags {
				b[0], b[1], b[2], b[3] = byte(t), byte(t>>8), byte(t>>16), byte(t>>24)
				h.Write(b[:])
			}
			k := h.Sum64()
			o, ok := keys[k]
			if !ok {
				o = uint32(len(keys))
				keys[k] = o
			}
			add(o, i)
		}
		numObj = len(keys)
	case model.LayerURL:
		numObj = c.URLs.Len()
		for i := 0; i < n; i++ {
			for _, u := range c.PostURLs(i) {
				add(u, i)
			}
		}
	case model.LayerDomain:
		numObj = c.Domains.Len()
		for i := 0; i < n; i++ {
			urls := c.PostURLs(i)
			for j, u := range urls {
				d := c.URLDomain[u]
				dup := false
				for _, v := range urls[:j] {
					if c.URLDomain[v] == d {
						dup = true
						break
					}
				}
				if !dup {
					add(d, i)
				}
			}
		}
	case model.LayerText, model.LayerStaggered:
		keys := map[uint64]uint32{}
		for i := 0; i < n; i++ {
			h := c.TextHash[i]
			if h == 0 || c.Repost[i] != ids.None {
				continue // reposts are the repost layer's business
			}
			o, ok := keys[h]
			if !ok {
				o = uint32(len(keys))
				keys[h] = o
			}
			add(o, i)
		}
		numObj = len(keys)
	case model.LayerNearText:
		if p.nearDup == nil {
			return actions{}
		}
		numObj = p.nearDup.NumClusters
		for i := 0; i < n; i++ {
			if cl := p.nearDup.Cluster[i]; cl != ids.None {
				add(cl, i)
			}
		}
	case model.LayerImage:
		numObj = c.Media.Len()
		if p.imageObj != nil {
			numObj = p.numImageOb
		}
		for i := 0; i < n; i++ {
			media := c.PostMedia(i)
			for j, m := range media {
				o := m
				if p.imageObj != nil {
					o = p.imageObj[m]
					dup := false
					for _, prev := range media[:j] {
						if p.imageObj[prev] == o {
							dup = true
						}
					}
					if dup {
						continue // two near-identical images in one post act once
					}
				}
				add(o, i)
			}
		}
	case model.LayerReply:
		numObj = c.Replied.Len()
		for i := 0; i < n; i++ {
			if o := c.Reply[i]; o != ids.None {
				add(o, i)
			}
		}
	case model.LayerMention:
		numObj = c.Mentions.Len()
		for i := 0; i < n; i++ {
			for _, m := range c.PostMentions(i) {
				add(m, i)
			}
		}
	}
	return sortActions(out, numObj)
}

// sortActions sorts by (Obj, T, Post) with a counting sort on Obj (posts
// are already in time order, so a stable bucket pass keeps (T, Post) order)
// and builds ObjStart. Objects touched by a single post stay in the list:
// they cannot pair, but the null model draws accounts from every action.
func sortActions(in []action, numObj int) actions {
	if len(in) == 0 {
		return actions{NumObjects: numObj}
	}
	start := make([]uint32, numObj+1)
	for _, a := range in {
		start[a.Obj+1]++
	}
	for o := 1; o <= numObj; o++ {
		start[o] += start[o-1]
	}
	out := make([]action, len(in))
	fill := slices.Clone(start[:numObj])
	for _, a := range in {
		out[fill[a.Obj]] = a
		fill[a.Obj]++
	}
	return actions{A: out, ObjStart: start, NumObjects: numObj}
}
