package pipeline

import (
	"strings"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/model"
)

// maxLabelRunes bounds object labels taken from post text.
const maxLabelRunes = 120

// ObjectLabel describes object obj of a layer for people, using post (one
// of the posts that acted on it) where the layer's objects have no
// dictionary (texts, near-duplicate clusters, hashtag sequences).
func ObjectLabel(c *corpus.Corpus, l model.Layer, obj, post uint32) string {
	switch l {
	case model.LayerRepost:
		return "repost of " + c.Reposted.Key(obj)
	case model.LayerHashtag:
		return "#" + c.TagDisplay[obj]
	case model.LayerHashtagSeq:
		tags := c.PostTags(int(post))
		parts := make([]string, len(tags))
		for i, t := range tags {
			parts[i] = "#" + c.TagDisplay[t]
		}
		return strings.Join(parts, " ")
	case model.LayerURL:
		return c.URLs.Key(obj)
	case model.LayerDomain:
		return c.Domains.Key(obj)
	case model.LayerText, model.LayerStaggered, model.LayerNearText:
		return truncateRunes(c.Text.At(int(post)), maxLabelRunes)
	case model.LayerImage:
		// Image objects are groups of near-identical media; name the
		// post's first image.
		if m := c.PostMedia(int(post)); len(m) > 0 {
			return c.Media.Key(m[0])
		}
		return ""
	case model.LayerReply:
		return "reply to " + c.Replied.Key(obj)
	case model.LayerMention:
		return "@" + c.Mentions.Key(obj)
	}
	return ""
}

func truncateRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos] + "…"
		}
		i++
	}
	return s
}
