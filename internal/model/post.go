// Package model holds the plain types shared by every stage of chorus:
// posts as read from exports, and (in later files) edges, evidence and
// clusters. It does no I/O.
package model

import "time"

// Platform is the network a post was published on.
type Platform uint8

// Platforms chorus reads. Generic is used when an export does not say.
const (
	PlatformUnknown Platform = iota
	PlatformTwitter
	PlatformTelegram
	PlatformFacebook
	PlatformGeneric
)

var platformNames = [...]string{"unknown", "twitter", "telegram", "facebook", "generic"}

// String returns the lower-case platform name used in outputs.
func (p Platform) String() string {
	if int(p) < len(platformNames) {
		return platformNames[p]
	}
	return "unknown"
}

// ParsePlatform maps a name (as written by String) back to a Platform.
func ParsePlatform(s string) Platform {
	for i, n := range platformNames {
		if n == s {
			return Platform(i)
		}
	}
	return PlatformUnknown
}

// MediaType is the kind of attached media.
type MediaType uint8

// Media types; Other covers documents, voice messages and the like.
const (
	MediaUnknown MediaType = iota
	MediaPhoto
	MediaVideo
	MediaAnimation
	MediaAudio
	MediaDocument
	MediaSticker
	MediaOther
)

var mediaNames = [...]string{"unknown", "photo", "video", "animation", "audio", "document", "sticker", "other"}

// String returns the lower-case media type name used in outputs.
func (m MediaType) String() string {
	if int(m) < len(mediaNames) {
		return mediaNames[m]
	}
	return "unknown"
}

// ParseMediaType maps a name (as written by String) back to a MediaType.
func ParseMediaType(s string) MediaType {
	for i, n := range mediaNames {
		if n == s {
			return MediaType(i)
		}
	}
	return MediaUnknown
}

// Media is one attachment of a post.
type Media struct {
	Type MediaType
	// Ref is a file path (relative to the export folder, already checked not
	// to escape it) or a URL, as the export gives it.
	Ref string
	// Key is a stable identifier of the media object when the export gives
	// one (Twitter media_key, Telegram document id, CooRTweet phash_id).
	Key string
	// Hash is a content hash given by the input ("sha256:…", "phash:…",
	// "pdq:…"); empty when none was given.
	Hash string
}

// Link is a reference from a post to another post: a repost (retweet,
// forward), a quote or a reply.
type Link struct {
	// PostID is the referenced post's id as given; may be empty when only
	// the account is known (Telegram Desktop forwards carry a name only).
	PostID string
	// AccountID is the referenced post's author id or handle, when known.
	AccountID string
	// Handle is the referenced author's handle or display name, when known.
	Handle string
	// Inferred is true when the link was not in the export but inferred
	// (e.g. from an "RT @handle:" text prefix).
	Inferred bool
}

// IsZero reports whether the link is absent.
func (l Link) IsZero() bool { return l.PostID == "" && l.AccountID == "" && l.Handle == "" }

// SourcePos locates the record a post came from, for evidence.
type SourcePos struct {
	// File is the input path as the user gave it.
	File string
	// Line is the 1-based line (JSONL, CSV record start) or record number
	// (JSON arrays, Telegram messages); 0 when unknown.
	Line int64
	// Offset is the byte offset of the record in the decompressed stream;
	// -1 when unknown.
	Offset int64
}

// Post is one post as read from an export, with strings as given. Readers
// fill it; the corpus package interns it into columnar, integer form.
type Post struct {
	Platform Platform
	// ID is the post id as given (never parsed through float64). When the
	// export has none, the reader leaves it empty and the corpus derives
	// "file#record" from Source.
	ID string
	// AccountID is the author's stable id; Handle the screen name or display
	// name. Readers set at least one; the corpus falls back from one to the
	// other.
	AccountID string
	Handle    string
	// Time is the post's publication time in UTC.
	Time time.Time
	// Text is the original text, HTML-unescaped where the platform escapes
	// it, kept verbatim for evidence. Normalized forms are derived from it.
	Text string
	// Lang is the language code if the export gives one.
	Lang string
	// Hashtags without the leading '#', original spelling.
	Hashtags []string
	// Mentions are handles without '@'.
	Mentions []string
	// URLs, expanded where the export gives the expansion.
	URLs  []string
	Media []Media
	// RepostOf is set for retweets and Telegram forwards.
	RepostOf Link
	// QuoteOf is set for quote posts.
	QuoteOf Link
	// ReplyTo is set for replies.
	ReplyTo Link
	// Client is the posting client / source app, when given.
	Client string
	Source SourcePos
}

// Reset clears p for reuse, keeping slice capacity.
func (p *Post) Reset() {
	*p = Post{
		Hashtags: p.Hashtags[:0],
		Mentions: p.Mentions[:0],
		URLs:     p.URLs[:0],
		Media:    p.Media[:0],
	}
}

// CopyFrom makes p a deep copy of src, reusing p's slice capacity.
func (p *Post) CopyFrom(src *Post) {
	h, m, u, md := p.Hashtags[:0], p.Mentions[:0], p.URLs[:0], p.Media[:0]
	*p = *src
	p.Hashtags = append(h, src.Hashtags...)
	p.Mentions = append(m, src.Mentions...)
	p.URLs = append(u, src.URLs...)
	p.Media = append(md, src.Media...)
}
