// Package corpus holds ingested posts in columnar, interned form: one slice
// per field indexed by post number, dense uint32 IDs for accounts, hashtags,
// URLs, domains and shared objects, and CSR-style offset arrays for the
// variable-length fields. Posts are sorted by time. Every analysis stage
// reads a *Corpus; nothing downstream holds strings per post except the
// original text kept for evidence.
package corpus

import (
	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/model"
)

// Post flags.
const (
	// FlagRepostInferred: the repost link was inferred from "RT @x:".
	FlagRepostInferred uint8 = 1 << iota
	// FlagDerivedID: the export had no post id; PostID is "file#line".
	FlagDerivedID
)

// Corpus is the columnar store of one analysis's posts.
type Corpus struct {
	// Files are the input paths, indexed by SrcFile.
	Files []string

	// Dictionaries.
	Accounts        *ids.Dict // key: platform + ":" + account id (or "@"+handle)
	AccountHandle   []string  // display handle per account
	AccountPlatform []model.Platform
	Tags            *ids.Dict // normalized hashtag key
	TagDisplay      []string  // first-seen original spelling per tag
	URLs            *ids.Dict // canonical URL
	URLDomain       []uint32  // domain ID per URL
	URLShortener    []bool    // unresolved short link per URL
	Domains         *ids.Dict
	Mentions        *ids.Dict // normalized handle
	Reposted        *ids.Dict // repost object key (see RepostKey)
	Quoted          *ids.Dict // quoted post key
	Replied         *ids.Dict // replied-to post key
	Media           *ids.Dict // media key: given hash, else key, else ref
	Clients         *ids.Dict
	Langs           *ids.Dict

	// Per-post columns, all of length Len().
	PostID    ids.Strings
	Platform  []model.Platform
	Time      []int64 // unix milliseconds, UTC
	Account   []uint32
	Text      ids.Strings // original text, for evidence
	TextHash  []uint64    // hash of normalize.MatchText; 0 when too short to match
	Lang      []uint32    // ids.None when absent
	Client    []uint32    // ids.None when absent
	Repost    []uint32    // Reposted ID or ids.None
	RepostAcc []uint32    // account of the reposted post when known, else ids.None
	Quote     []uint32    // Quoted ID or ids.None
	Reply     []uint32    // Replied ID or ids.None
	Flags     []uint8
	SrcFile   []uint16
	SrcLine   []int64
	SrcOffset []int64

	// Variable-length fields: the IDs of post i are X[XOff[i]:XOff[i+1]].
	TagOff, TagIDs         []uint32
	URLOff, URLIDs         []uint32
	MentionOff, MentionIDs []uint32
	MediaOff, MediaIDs     []uint32

	// Duplicates is the number of posts dropped because the same
	// (platform, post id) was seen before (overlapping exports,
	// redelivery).
	Duplicates int64
}

// Len returns the number of posts.
func (c *Corpus) Len() int { return len(c.Time) }

// PostTags returns the tag IDs of post i.
func (c *Corpus) PostTags(i int) []uint32 { return c.TagIDs[c.TagOff[i]:c.TagOff[i+1]] }

// PostURLs returns the URL IDs of post i.
func (c *Corpus) PostURLs(i int) []uint32 { return c.URLIDs[c.URLOff[i]:c.URLOff[i+1]] }

// PostMentions returns the mention IDs of post i.
func (c *Corpus) PostMentions(i int) []uint32 {
	return c.MentionIDs[c.MentionOff[i]:c.MentionOff[i+1]]
}

// PostMedia returns the media IDs of post i.
func (c *Corpus) PostMedia(i int) []uint32 { return c.MediaIDs[c.MediaOff[i]:c.MediaOff[i+1]] }

// NumAccounts returns the number of distinct accounts.
func (c *Corpus) NumAccounts() int { return c.Accounts.Len() }

// AccountID returns the account's id as given in the input, or its
// normalized handle when the export has no ids (without the platform prefix
// and the "@" marker used for interning).
func (c *Corpus) AccountID(a uint32) string {
	k := c.Accounts.Key(a)
	for i := 0; i < len(k); i++ {
		if k[i] == ':' {
			k = k[i+1:]
			break
		}
	}
	if len(k) > 1 && k[0] == '@' {
		return k[1:]
	}
	return k
}
