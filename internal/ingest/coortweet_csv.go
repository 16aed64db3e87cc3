package ingest

import (
	"fmt"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

// readCooRTweetCSV reads CooRTweet's co-share input (object_id,
// account_id, content_id, timestamp_share) as co-retweet data: each row is
// a post content_id by account_id at timestamp_share (Unix seconds) that
// reposts object_id. The format does not name a platform, so posts are
// PlatformGeneric. "NA" cells are missing values; a row without an object
// is a plain post.
func readCooRTweetCSV(rc *readCtx) error {
	r, err := newCSVRecords(rc)
	if err != nil {
		return err
	}
	cObj, cAcct, cID, cTime := r.col("object_id"), r.col("account_id"), r.col("content_id"), r.col("timestamp_share")
	if cObj < 0 || cAcct < 0 || cTime < 0 {
		return missingColumnsError(r, "coortweet-csv", "object_id", "account_id", "content_id", "timestamp_share")
	}
	var p model.Post
	for {
		ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		p.Reset()
		p.Platform = model.PlatformGeneric
		if p.AccountID = r.f(cAcct); isNA(p.AccountID) {
			if err := rc.sink.skip(r.Line, r.Offset, "missing account", fmt.Errorf("account_id is %q", p.AccountID)); err != nil {
				return err
			}
			continue
		}
		t, err := coortweetTime(r.f(cTime))
		if err != nil {
			if err := rc.sink.skip(r.Line, r.Offset, "bad time", err); err != nil {
				return err
			}
			continue
		}
		p.Time = t
		if id := r.f(cID); !isNA(id) {
			p.ID = id
		}
		if obj := r.f(cObj); !isNA(obj) {
			p.RepostOf = model.Link{PostID: obj}
		}
		if err := emitCSVPost(rc, r, &p); err != nil {
			return err
		}
	}
}

// coortweetTime parses CooRTweet's Unix-seconds timestamps (falling back
// to the general forms for hand-made files).
func coortweetTime(s string) (time.Time, error) {
	if t, ok := parseUnixField(s); ok {
		return t, nil
	}
	return ParseTime(s, time.UTC)
}

// Surrogate entities of the multi-modal CooRTweet layout. Its url_id,
// hashtag_id, domain_id and phash_id are integer ids of anonymised objects,
// not the objects. They are written into the Post so that the ordinary
// co-URL, co-domain, co-hashtag and co-image tests match on them, under
// the reserved .invalid top-level domain (RFC 2606) and distinctive
// prefixes so they can never collide with real data:
//
//	url_id U with domain_id D  -> URL  https://coortweet-dD.invalid/url/U
//	domain_id D without a URL  -> URL  https://coortweet-dD.invalid/
//	url_id U without a domain  -> URL  https://coortweet.invalid/url/U
//	hashtag_id H               -> hashtag coortweet_hH
//	phash_id P                 -> Media{Type: photo, Key: "coortweet-phash:P"}
//
// The host carries the domain id, so a detector that groups URLs by host
// or registrable domain sees CooRTweet's domains. (In german_elections
// every url_id maps to exactly one domain_id.) A domain-only row becomes
// the domain's root URL: co-URL on it means "linked the same domain".
// The phash id is a Key, not a Hash: it names a cluster of equal images,
// so there is no hash to compare by Hamming distance.
const (
	coortweetHostPrefix  = "https://coortweet-d"
	coortweetHostSuffix  = ".invalid/"
	coortweetTagPrefix   = "coortweet_h"
	coortweetPHashPrefix = "coortweet-phash:"
)

// ctPost is one post of the multi-modal layout while its rows are merged.
type ctPost struct {
	acct, id  string
	t         time.Time
	line, off int64
	urls      []string
	tags      []string
	phashes   []string
}

// ctGroupOverhead approximates the bytes one buffered post costs besides
// its strings, for the memory bound.
const ctGroupOverhead = 160

// readCooRTweetMultiCSV reads CooRTweet's multi-modal layout (account_id,
// post_id, url_id, hashtag_id, domain_id, phash_id, timestamp): one row per
// (post, object), "NA" for missing, the platform in the account prefix
// (fb_, tw_). Rows of one post are merged into one Post. They are not
// always adjacent (in german_elections 218,971 rows hold 194,326 posts in
// 216,926 runs, with a post's rows up to 40k rows apart), so the reader
// groups the whole file by (account_id, post_id) in memory, bounded by
// Limits.MaxDocumentBytes, and emits posts in order of first appearance,
// each located at its first row. Rows whose post_id is NA are posts of
// their own without an id.
func readCooRTweetMultiCSV(rc *readCtx) error {
	r, err := newCSVRecords(rc)
	if err != nil {
		return err
	}
	cAcct, cPost, cTime := r.col("account_id"), r.col("post_id"), r.col("timestamp")
	cURL, cTag, cDom, cPH := r.col("url_id"), r.col("hashtag_id"), r.col("domain_id"), r.col("phash_id")
	if cAcct < 0 || cPost < 0 || cTime < 0 {
		return missingColumnsError(r, "coortweet-multi-csv", "account_id", "post_id", "timestamp")
	}
	// Posts are kept in fixed-size chunks, so growing never copies them.
	const chunkBits = 12
	var (
		chunks [][]ctPost
		count  int
		index  = map[string]int32{}
		used   int64
		key    []byte
	)
	for {
		ok, err := r.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		acct := r.f(cAcct)
		if isNA(acct) {
			if err := rc.sink.skip(r.Line, r.Offset, "missing account", fmt.Errorf("account_id is %q", acct)); err != nil {
				return err
			}
			continue
		}
		t, err := coortweetTime(r.f(cTime))
		if err != nil {
			if err := rc.sink.skip(r.Line, r.Offset, "bad time", err); err != nil {
				return err
			}
			continue
		}
		id := r.f(cPost)
		var g *ctPost
		if !isNA(id) {
			key = append(append(append(key[:0], acct...), 0), id...)
			if i, ok := index[string(key)]; ok {
				g = &chunks[i>>chunkBits][i&(1<<chunkBits-1)]
			} else {
				index[string(key)] = int32(count)
			}
		} else {
			id = ""
		}
		if g == nil {
			acct, id = strings.Clone(acct), strings.Clone(id)
			if count>>chunkBits == len(chunks) {
				chunks = append(chunks, make([]ctPost, 0, 1<<chunkBits))
			}
			c := &chunks[len(chunks)-1]
			*c = append(*c, ctPost{acct: acct, id: id, t: t, line: r.Line, off: r.Offset})
			g = &(*c)[len(*c)-1]
			count++
			used += int64(ctGroupOverhead + 2*len(acct) + 2*len(id))
		}
		before := len(g.urls) + len(g.tags) + len(g.phashes)
		u, d := r.f(cURL), r.f(cDom)
		switch {
		case !isNA(u) && !isNA(d):
			g.urls = appendUnique(g.urls, coortweetHostPrefix+d+coortweetHostSuffix+"url/"+u)
		case !isNA(u):
			g.urls = appendUnique(g.urls, "https://coortweet.invalid/url/"+u)
		case !isNA(d):
			g.urls = appendUnique(g.urls, coortweetHostPrefix+d+coortweetHostSuffix)
		}
		if h := r.f(cTag); !isNA(h) {
			g.tags = appendUnique(g.tags, coortweetTagPrefix+h)
		}
		if ph := r.f(cPH); !isNA(ph) {
			g.phashes = appendUnique(g.phashes, strings.Clone(ph))
		}
		used += int64(48 * (len(g.urls) + len(g.tags) + len(g.phashes) - before))
		if used > rc.lim.MaxDocumentBytes {
			return fmt.Errorf("%w: coortweet-multi-csv posts are grouped in memory and passed %d bytes at line %d (the whole-document limit; split the file by account_id if it is genuine)", ErrLimit, rc.lim.MaxDocumentBytes, r.Line)
		}
	}
	index = nil
	var p model.Post
	for i := 0; i < count; i++ {
		g := &chunks[i>>chunkBits][i&(1<<chunkBits-1)]
		p.Reset()
		p.Platform = coortweetPlatform(g.acct)
		p.ID, p.AccountID, p.Time = g.id, g.acct, g.t
		p.URLs = append(p.URLs, g.urls...)
		p.Hashtags = append(p.Hashtags, g.tags...)
		for _, ph := range g.phashes {
			p.Media = append(p.Media, model.Media{Type: model.MediaPhoto, Key: coortweetPHashPrefix + ph})
		}
		p.Source = model.SourcePos{Line: g.line, Offset: g.off}
		*g = ctPost{}
		if err := rc.sink.post(&p); err != nil {
			return err
		}
	}
	return nil
}

// coortweetPlatform reads the platform from an account prefix.
func coortweetPlatform(acct string) model.Platform {
	switch {
	case strings.HasPrefix(acct, "tw_"):
		return model.PlatformTwitter
	case strings.HasPrefix(acct, "fb_"):
		return model.PlatformFacebook
	}
	return model.PlatformGeneric
}
