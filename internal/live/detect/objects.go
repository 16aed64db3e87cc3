package detect

import (
	"encoding/binary"
	"strings"
	"unicode/utf8"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/normalize"
)

// Object extraction mirrors corpus.Builder.Add and coord's collectActions
// exactly (same normalisation, same per-post de-duplication, same
// exclusions), so that the detector's objects are the batch engine's.

// supported reports whether the live detector computes layer l. near_text
// and image need corpus-wide clustering (MinHash/LSH, perceptual hash
// groups) that has no incremental form here.
func supported(l model.Layer) bool {
	switch l {
	case model.LayerRepost, model.LayerHashtag, model.LayerHashtagSeq, model.LayerURL, model.LayerDomain,
		model.LayerText, model.LayerReply, model.LayerMention, model.LayerStaggered:
		return true
	}
	return false
}

// objRef is one object key of a post, as a span of the extractor's arena.
type objRef struct {
	layer    model.Layer
	off, end uint32
}

// extractor turns a post into its object keys per layer. One per
// detector (used under its lock).
type extractor struct {
	want   [model.NumLayers]bool
	minSeq int
	arena  []byte
	refs   []objRef
	tags   []uint32 // offsets of this post's unique hashtag keys in arena (pairs)
	doms   []uint32
	buf    []byte
}

func (x *extractor) key(r objRef) []byte { return x.arena[r.off:r.end] }

// push appends the key just written at arena[start:] for layer l unless
// the post already has the same key in l.
func (x *extractor) push(l model.Layer, start int) {
	k := x.arena[start:]
	for _, r := range x.refs {
		if r.layer == l && string(x.arena[r.off:r.end]) == string(k) {
			x.arena = x.arena[:start]
			return
		}
	}
	x.refs = append(x.refs, objRef{layer: l, off: uint32(start), end: uint32(len(x.arena))})
}

// appendAccountKey is corpus's interning key of an account: platform,
// ":", then the id, or "@" and the normalized handle when there is none.
func appendAccountKey(dst []byte, pl model.Platform, id, handle string) []byte {
	dst = append(dst, pl.String()...)
	dst = append(dst, ':')
	if id == "" {
		dst = append(dst, '@')
		return normalize.AppendHandle(dst, handle)
	}
	return append(dst, id...)
}

// appendLinkKey is corpus's key of a linked post (repost, reply target).
func appendLinkKey(dst []byte, pl model.Platform, l model.Link) []byte {
	dst = append(dst, pl.String()...)
	dst = append(dst, ':')
	if l.PostID != "" {
		return append(dst, l.PostID...)
	}
	dst = append(dst, '@')
	return normalize.AppendHandle(dst, l.Handle)
}

// extract fills x.refs with p's objects in the wanted layers; acctKey is
// the post's account key (for the self-repost exclusion).
func (x *extractor) extract(p *model.Post, acctKey []byte) {
	x.arena, x.refs = x.arena[:0], x.refs[:0]
	pl := p.Platform
	repost := !p.RepostOf.IsZero()
	if repost && x.want[model.LayerRepost] {
		// A repost of one's own post is not a co-action (collectActions:
		// RepostAcc != Account; an unknown reposted account never equals).
		self := false
		if p.RepostOf.AccountID != "" || p.RepostOf.Handle != "" {
			x.buf = appendAccountKey(x.buf[:0], pl, p.RepostOf.AccountID, p.RepostOf.Handle)
			self = string(x.buf) == string(acctKey)
		}
		if !self {
			start := len(x.arena)
			if p.RepostOf.PostID != "" {
				x.arena = appendLinkKey(x.arena, pl, p.RepostOf)
			} else {
				x.arena = append(x.arena, corpus.RepostKey(pl, p.RepostOf, p.Text)...)
			}
			x.push(model.LayerRepost, start)
		}
	}
	if x.want[model.LayerHashtag] || x.want[model.LayerHashtagSeq] {
		x.tags = x.tags[:0]
		for _, h := range p.Hashtags {
			start := len(x.arena)
			x.arena = normalize.AppendHashtag(x.arena, h)
			if len(x.arena) == start {
				continue
			}
			dup := false
			for i := 0; i < len(x.tags); i += 2 {
				if string(x.arena[x.tags[i]:x.tags[i+1]]) == string(x.arena[start:]) {
					dup = true
					break
				}
			}
			if dup {
				x.arena = x.arena[:start]
				continue
			}
			x.tags = append(x.tags, uint32(start), uint32(len(x.arena)))
			if x.want[model.LayerHashtag] {
				x.refs = append(x.refs, objRef{layer: model.LayerHashtag, off: uint32(start), end: uint32(len(x.arena))})
			}
		}
		if x.want[model.LayerHashtagSeq] && len(x.tags)/2 >= x.minSeq && len(x.tags) > 0 {
			start := len(x.arena)
			for i := 0; i < len(x.tags); i += 2 {
				x.arena = append(x.arena, x.arena[x.tags[i]:x.tags[i+1]]...)
				x.arena = append(x.arena, 0)
			}
			x.refs = append(x.refs, objRef{layer: model.LayerHashtagSeq, off: uint32(start), end: uint32(len(x.arena))})
		}
	}
	if x.want[model.LayerURL] || x.want[model.LayerDomain] {
		x.doms = x.doms[:0]
		for _, u := range p.URLs {
			info, err := normalize.URL(u)
			if err != nil || info.Canonical == "" {
				continue
			}
			if x.want[model.LayerURL] {
				start := len(x.arena)
				x.arena = append(x.arena, info.Canonical...)
				x.push(model.LayerURL, start)
			}
			if x.want[model.LayerDomain] {
				start := len(x.arena)
				x.arena = append(x.arena, info.Domain...)
				x.push(model.LayerDomain, start)
			}
		}
	}
	if (x.want[model.LayerText] || x.want[model.LayerStaggered]) && !repost {
		x.buf = normalize.AppendMatchText(x.buf[:0], p.Text)
		if runesAtLeast(x.buf, corpus.MinMatchRunes) {
			h := normalize.Hash64(string(x.buf))
			if h == 0 {
				h = 1
			}
			for _, l := range [2]model.Layer{model.LayerText, model.LayerStaggered} {
				if x.want[l] {
					start := len(x.arena)
					x.arena = binary.LittleEndian.AppendUint64(x.arena, h)
					x.refs = append(x.refs, objRef{layer: l, off: uint32(start), end: uint32(len(x.arena))})
				}
			}
		}
	}
	if !p.ReplyTo.IsZero() && x.want[model.LayerReply] {
		start := len(x.arena)
		x.arena = appendLinkKey(x.arena, pl, p.ReplyTo)
		x.push(model.LayerReply, start)
	}
	if x.want[model.LayerMention] {
		for _, m := range p.Mentions {
			start := len(x.arena)
			x.arena = normalize.AppendHandle(x.arena, m)
			if len(x.arena) > start {
				x.push(model.LayerMention, start)
			}
		}
	}
}

// display returns the label of a new object of layer l for TopObjects.
func display(l model.Layer, key []byte, p *model.Post) string {
	switch l {
	case model.LayerText, model.LayerStaggered:
		return prefix(p.Text, 160) // whitespace is folded when shown (describe)
	case model.LayerHashtag:
		return "#" + string(key)
	case model.LayerHashtagSeq:
		parts := strings.Split(strings.TrimSuffix(string(key), "\x00"), "\x00")
		for i := range parts {
			parts[i] = "#" + parts[i]
		}
		return strings.Join(parts, " ")
	case model.LayerMention:
		return "@" + string(key)
	}
	return string(key)
}

// prefix returns s cut to at most n bytes at a rune boundary, without
// copying.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// runesAtLeast is corpus's rune count test (bytes that do not continue a
// UTF-8 sequence), kept identical so that the same texts get a key.
func runesAtLeast(b []byte, n int) bool {
	count := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			if count++; count >= n {
				return true
			}
		}
	}
	return false
}
