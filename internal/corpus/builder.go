package corpus

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/normalize"
)

// MinMatchRunes is the shortest normalized text (in runes) that gets a
// TextHash; shorter texts ("ok", a lone emoji) would match by chance.
const MinMatchRunes = 20

// Builder accumulates posts into a Corpus. Add is not safe for concurrent
// use; the pipeline reads files concurrently and feeds one Builder.
type Builder struct {
	c       *Corpus
	fileIdx map[string]uint16
	buf     []byte
	key     []byte
	tagBuf  []uint32
}

// NewBuilder returns a Builder with room for about n posts.
func NewBuilder(n int) *Builder {
	c := &Corpus{
		Accounts:   ids.NewDict(n / 20),
		Tags:       ids.NewDict(n / 50),
		URLs:       ids.NewDict(n / 20),
		Domains:    ids.NewDict(1024),
		Mentions:   ids.NewDict(n / 50),
		Reposted:   ids.NewDict(n / 10),
		Quoted:     ids.NewDict(n / 100),
		Replied:    ids.NewDict(n / 50),
		Media:      ids.NewDict(n / 50),
		Clients:    ids.NewDict(64),
		Langs:      ids.NewDict(64),
		TagOff:     make([]uint32, 1, n+1),
		URLOff:     make([]uint32, 1, n+1),
		MentionOff: make([]uint32, 1, n+1),
		MediaOff:   make([]uint32, 1, n+1),
	}
	return &Builder{c: c, fileIdx: map[string]uint16{}}
}

// Len returns the number of posts added so far.
func (b *Builder) Len() int { return len(b.c.Time) }

// appendAccountKey appends the interning key of an account: platform,
// ":", then the id, or "@" and the normalized handle when there is no id.
func appendAccountKey(dst []byte, pl model.Platform, id, handle string) []byte {
	dst = append(dst, pl.String()...)
	dst = append(dst, ':')
	if id == "" {
		dst = append(dst, '@')
		return normalize.AppendHandle(dst, handle)
	}
	return append(dst, id...)
}

// internAccount interns an account and records its handle and platform
// when it is new.
func (b *Builder) internAccount(pl model.Platform, id, handle string) uint32 {
	c := b.c
	b.key = appendAccountKey(b.key[:0], pl, id, handle)
	a := c.Accounts.InternBytes(b.key)
	if int(a) == len(c.AccountHandle) {
		if handle == "" {
			handle = id
		}
		c.AccountHandle = append(c.AccountHandle, strings.TrimPrefix(handle, "@"))
		c.AccountPlatform = append(c.AccountPlatform, pl)
	}
	return a
}

// RepostKey is the object key of a repost link: the original post id when
// given, else (inferred "RT @x:" reposts) the handle plus a hash of the
// normalized body text, so that every copy of one retweet shares a key.
func RepostKey(pl model.Platform, l model.Link, text string) string {
	if l.PostID != "" {
		return pl.String() + ":" + l.PostID
	}
	// For inferred reposts the text starts with "RT @handle:", which
	// MatchText drops, so every copy of one retweet gets the same key.
	h := normalize.Hash64(normalize.MatchText(text))
	return pl.String() + ":@" + normalize.Handle(l.Handle) + "#" + strconv.FormatUint(h, 16)
}

// appendLinkKey appends the key of a quote or reply target.
func appendLinkKey(dst []byte, pl model.Platform, l model.Link) []byte {
	dst = append(dst, pl.String()...)
	dst = append(dst, ':')
	if l.PostID != "" {
		return append(dst, l.PostID...)
	}
	dst = append(dst, '@')
	return normalize.AppendHandle(dst, l.Handle)
}

// Add interns p and appends it. p may be reused by the caller afterwards.
func (b *Builder) Add(p *model.Post) {
	c := b.c
	fi, ok := b.fileIdx[p.Source.File]
	if !ok {
		fi = uint16(len(c.Files))
		if len(c.Files) < 1<<16-1 {
			c.Files = append(c.Files, p.Source.File)
		}
		b.fileIdx[p.Source.File] = fi
	}
	pl := p.Platform
	acct := b.internAccount(pl, p.AccountID, p.Handle)
	var flags uint8
	id := p.ID
	if id == "" {
		id = p.Source.File + "#" + strconv.FormatInt(p.Source.Line, 10)
		flags |= FlagDerivedID
	}
	c.PostID.Append(id)
	c.Platform = append(c.Platform, pl)
	c.Time = append(c.Time, p.Time.UnixMilli())
	c.Account = append(c.Account, acct)
	c.Text.Append(p.Text)

	b.buf = normalize.AppendMatchText(b.buf[:0], p.Text)
	var th uint64
	if runeCountAtLeast(b.buf, MinMatchRunes) {
		th = normalize.Hash64(string(b.buf))
		if th == 0 {
			th = 1
		}
	}
	c.TextHash = append(c.TextHash, th)
	c.Lang = append(c.Lang, internOpt(c.Langs, strings.ToLower(p.Lang)))
	c.Client = append(c.Client, internOpt(c.Clients, p.Client))

	rep, repAcc := ids.None, ids.None
	if !p.RepostOf.IsZero() {
		if p.RepostOf.PostID != "" {
			b.key = appendLinkKey(b.key[:0], pl, p.RepostOf)
			rep = c.Reposted.InternBytes(b.key)
		} else {
			rep = c.Reposted.Intern(RepostKey(pl, p.RepostOf, p.Text))
		}
		if p.RepostOf.AccountID != "" || p.RepostOf.Handle != "" {
			repAcc = b.internAccount(pl, p.RepostOf.AccountID, p.RepostOf.Handle)
		}
		if p.RepostOf.Inferred {
			flags |= FlagRepostInferred
		}
	}
	c.Repost = append(c.Repost, rep)
	c.RepostAcc = append(c.RepostAcc, repAcc)
	q := ids.None
	if !p.QuoteOf.IsZero() {
		b.key = appendLinkKey(b.key[:0], pl, p.QuoteOf)
		q = c.Quoted.InternBytes(b.key)
	}
	c.Quote = append(c.Quote, q)
	r := ids.None
	if !p.ReplyTo.IsZero() {
		b.key = appendLinkKey(b.key[:0], pl, p.ReplyTo)
		r = c.Replied.InternBytes(b.key)
	}
	c.Reply = append(c.Reply, r)
	c.Flags = append(c.Flags, flags)
	c.SrcFile = append(c.SrcFile, fi)
	c.SrcLine = append(c.SrcLine, p.Source.Line)
	c.SrcOffset = append(c.SrcOffset, p.Source.Offset)

	// Hashtags: normalized key, deduplicated within the post.
	b.tagBuf = b.tagBuf[:0]
	for _, h := range p.Hashtags {
		b.key = normalize.AppendHashtag(b.key[:0], h)
		if len(b.key) == 0 {
			continue
		}
		t := c.Tags.InternBytes(b.key)
		if int(t) == len(c.TagDisplay) {
			c.TagDisplay = append(c.TagDisplay, strings.TrimLeft(h, "#＃"))
		}
		b.tagBuf = appendUnique(b.tagBuf, t)
	}
	c.TagIDs = append(c.TagIDs, b.tagBuf...)
	c.TagOff = append(c.TagOff, uint32(len(c.TagIDs)))

	b.tagBuf = b.tagBuf[:0]
	for _, u := range p.URLs {
		info, err := normalize.URL(u)
		if err != nil || info.Canonical == "" {
			continue
		}
		uid := c.URLs.Intern(info.Canonical)
		if int(uid) == len(c.URLDomain) {
			c.URLDomain = append(c.URLDomain, c.Domains.Intern(info.Domain))
			c.URLShortener = append(c.URLShortener, info.Shortener)
		}
		b.tagBuf = appendUnique(b.tagBuf, uid)
	}
	c.URLIDs = append(c.URLIDs, b.tagBuf...)
	c.URLOff = append(c.URLOff, uint32(len(c.URLIDs)))

	b.tagBuf = b.tagBuf[:0]
	for _, m := range p.Mentions {
		if b.key = normalize.AppendHandle(b.key[:0], m); len(b.key) > 0 {
			b.tagBuf = appendUnique(b.tagBuf, c.Mentions.InternBytes(b.key))
		}
	}
	c.MentionIDs = append(c.MentionIDs, b.tagBuf...)
	c.MentionOff = append(c.MentionOff, uint32(len(c.MentionIDs)))

	b.tagBuf = b.tagBuf[:0]
	for _, m := range p.Media {
		k := mediaKey(&m, p.Source.File)
		if k == "" {
			continue
		}
		b.tagBuf = appendUnique(b.tagBuf, c.Media.Intern(k))
	}
	c.MediaIDs = append(c.MediaIDs, b.tagBuf...)
	c.MediaOff = append(c.MediaOff, uint32(len(c.MediaIDs)))
}

// mediaKey is a media item's object key: the given content hash, else the
// export's media key, else its reference. A relative file reference (a
// Telegram export's "photos/photo_1.jpg") is joined to the folder of the
// file it came from, so the same name in two exports stays two images and
// the file can be hashed later.
func mediaKey(m *model.Media, source string) string {
	switch {
	case m.Hash != "":
		return m.Hash
	case m.Key != "":
		return m.Key
	case m.Ref == "":
		return ""
	case strings.Contains(m.Ref, "://") || filepath.IsAbs(m.Ref) || source == "" || source == "-":
		return m.Ref
	}
	return filepath.Join(filepath.Dir(source), filepath.FromSlash(m.Ref))
}

func internOpt(d *ids.Dict, s string) uint32 {
	if s == "" {
		return ids.None
	}
	return d.Intern(s)
}

func appendUnique(dst []uint32, v uint32) []uint32 {
	if slices.Contains(dst, v) {
		return dst
	}
	return append(dst, v)
}

func runeCountAtLeast(b []byte, n int) bool {
	count := 0
	for i := 0; i < len(b); i++ {
		if b[i]&0xC0 != 0x80 {
			count++
			if count >= n {
				return true
			}
		}
	}
	return false
}
