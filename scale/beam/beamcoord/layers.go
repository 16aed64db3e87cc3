package beamcoord

import (
	"encoding/binary"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/model"
)

// The objects of a post in each layer, as coord's collectActions defines
// them, keyed by strings instead of the corpus's dense IDs.

// layerDict is the corpus dictionary whose IDs are the layer's objects, or
// nil for layers whose objects are numbered in corpus order by the engine
// (hashtag_seq, text, staggered).
func layerDict(c *corpus.Corpus, l model.Layer) *ids.Dict {
	switch l {
	case model.LayerRepost:
		return c.Reposted
	case model.LayerHashtag:
		return c.Tags
	case model.LayerURL:
		return c.URLs
	case model.LayerDomain:
		return c.Domains
	case model.LayerImage:
		return c.Media
	case model.LayerReply:
		return c.Replied
	case model.LayerMention:
		return c.Mentions
	}
	return nil
}

// corpusOrdered reports whether the engine numbers the layer's objects in
// corpus order (the object's first post), not by a dictionary.
func corpusOrdered(l model.Layer) bool {
	return l == model.LayerHashtagSeq || l == model.LayerText || l == model.LayerStaggered
}

// postLabelled reports whether the layer's evidence label comes from the
// post rather than the object (pipeline.ObjectLabel).
func postLabelled(l model.Layer) bool {
	return corpusOrdered(l) || l == model.LayerImage
}

// objectKey is the shuffle key of an unsplit (layer, object).
func objectKey(l uint8, obj string) string { return string([]byte{l, 0}) + obj }

// appendObjects appends post i's objects in layer l.
func appendObjects(dst []Obj, c *corpus.Corpus, l model.Layer, i int, minSeq int) []Obj {
	add := func(k string) { dst = append(dst, Obj{Layer: uint8(l), Key: k}) }
	switch l {
	case model.LayerRepost:
		if o := c.Repost[i]; o != ids.None && c.RepostAcc[i] != c.Account[i] {
			add(c.Reposted.Key(o))
		}
	case model.LayerHashtag:
		for _, t := range c.PostTags(i) {
			add(c.Tags.Key(t))
		}
	case model.LayerHashtagSeq:
		tags := c.PostTags(i)
		if len(tags) < minSeq {
			break
		}
		var k []byte
		for _, t := range tags {
			k = binary.AppendUvarint(k, uint64(len(c.Tags.Key(t))))
			k = append(k, c.Tags.Key(t)...)
		}
		add(string(k))
	case model.LayerURL:
		for _, u := range c.PostURLs(i) {
			add(c.URLs.Key(u))
		}
	case model.LayerDomain:
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
				add(c.Domains.Key(d))
			}
		}
	case model.LayerText, model.LayerStaggered:
		if h := c.TextHash[i]; h != 0 && c.Repost[i] == ids.None {
			var b [8]byte
			binary.BigEndian.PutUint64(b[:], h)
			add(string(b[:]))
		}
	case model.LayerImage:
		for _, m := range c.PostMedia(i) {
			add(c.Media.Key(m))
		}
	case model.LayerReply:
		if o := c.Reply[i]; o != ids.None {
			add(c.Replied.Key(o))
		}
	case model.LayerMention:
		for _, m := range c.PostMentions(i) {
			add(c.Mentions.Key(m))
		}
	}
	return dst
}
