package ingest

import (
	"errors"
	"fmt"
	"time"

	json "github.com/goccy/go-json"

	"github.com/chorus-osint/chorus/internal/model"
)

// Twitter API v1.1 Tweet objects (REST, search, streaming), as JSONL, a
// top-level array or pretty-printed objects (see readJSONRecords). Only the
// fields chorus uses are decoded; ids are read from the *_str fields, with
// the numeric field kept as its literal text (never a float64) as fallback.

type v1User struct {
	ID         json.Number `json:"id"`
	IDStr      string      `json:"id_str"`
	ScreenName string      `json:"screen_name"`
}

func (u *v1User) id() string {
	if u.IDStr != "" {
		return u.IDStr
	}
	return u.ID.String()
}

// v1Ref is a retweeted or quoted tweet: only who and which.
type v1Ref struct {
	ID                json.Number `json:"id"`
	IDStr             string      `json:"id_str"`
	User              v1User      `json:"user"`
	QuotedStatusIDStr string      `json:"quoted_status_id_str"`
	QuotedStatus      *v1Ref      `json:"quoted_status"`
}

func (r *v1Ref) id() string {
	if r.IDStr != "" {
		return r.IDStr
	}
	return r.ID.String()
}

func (r *v1Ref) link() model.Link {
	return model.Link{PostID: r.id(), AccountID: r.User.id(), Handle: r.User.ScreenName}
}

type v1Hashtag struct {
	Text string `json:"text"`
}

type v1Mention struct {
	ScreenName string `json:"screen_name"`
}

type v1URL struct {
	URL         string `json:"url"`
	ExpandedURL string `json:"expanded_url"`
}

type v1Media struct {
	IDStr         string `json:"id_str"`
	MediaKey      string `json:"media_key"`
	Type          string `json:"type"`
	MediaURLHTTPS string `json:"media_url_https"`
	MediaURL      string `json:"media_url"`
}

type v1Entities struct {
	Hashtags     []v1Hashtag `json:"hashtags"`
	UserMentions []v1Mention `json:"user_mentions"`
	URLs         []v1URL     `json:"urls"`
	Media        []v1Media   `json:"media"`
}

func (e *v1Entities) empty() bool {
	return len(e.Hashtags) == 0 && len(e.UserMentions) == 0 && len(e.URLs) == 0 && len(e.Media) == 0
}

type v1ExtendedEntities struct {
	Media []v1Media `json:"media"`
}

// v1Extended is the streaming API's extended_tweet (tweets over 140
// characters).
type v1Extended struct {
	FullText         string              `json:"full_text"`
	Entities         v1Entities          `json:"entities"`
	ExtendedEntities *v1ExtendedEntities `json:"extended_entities"`
}

// noticeFlag records that a key of a stream notice was present.
type noticeFlag bool

func (f *noticeFlag) UnmarshalJSON(b []byte) error {
	*f = string(b) != "null"
	return nil
}

// v1Tweet holds the decoded fields of one v1.1 record.
type v1Tweet struct {
	ID                   json.Number         `json:"id"`
	IDStr                string              `json:"id_str"`
	CreatedAt            string              `json:"created_at"`
	TimestampMs          json.Number         `json:"timestamp_ms"`
	Text                 string              `json:"text"`
	FullText             string              `json:"full_text"`
	Lang                 string              `json:"lang"`
	Source               string              `json:"source"`
	User                 v1User              `json:"user"`
	Entities             v1Entities          `json:"entities"`
	ExtendedEntities     *v1ExtendedEntities `json:"extended_entities"`
	ExtendedTweet        *v1Extended         `json:"extended_tweet"`
	RetweetedStatus      *v1Ref              `json:"retweeted_status"`
	QuotedStatus         *v1Ref              `json:"quoted_status"`
	QuotedStatusIDStr    string              `json:"quoted_status_id_str"`
	InReplyToStatusIDStr string              `json:"in_reply_to_status_id_str"`
	InReplyToStatusID    json.Number         `json:"in_reply_to_status_id"`
	InReplyToUserIDStr   string              `json:"in_reply_to_user_id_str"`
	InReplyToUserID      json.Number         `json:"in_reply_to_user_id"`
	InReplyToScreenName  string              `json:"in_reply_to_screen_name"`

	// Statuses holds the tweets of a saved search API response
	// ({"statuses": [...], "search_metadata": {...}}).
	Statuses *[]v1Tweet `json:"statuses"`

	// Stream notices (not tweets).
	Delete         noticeFlag `json:"delete"`
	Limit          noticeFlag `json:"limit"`
	ScrubGeo       noticeFlag `json:"scrub_geo"`
	StatusWithheld noticeFlag `json:"status_withheld"`
	UserWithheld   noticeFlag `json:"user_withheld"`
	Disconnect     noticeFlag `json:"disconnect"`
	Warning        noticeFlag `json:"warning"`
	Event          noticeFlag `json:"event"`
	Friends        noticeFlag `json:"friends"`
}

// notice names the stream notice t is, or "" for none.
func (t *v1Tweet) notice() string {
	for _, n := range [...]struct {
		set  noticeFlag
		name string
	}{
		{t.Delete, "delete"}, {t.Limit, "limit"}, {t.ScrubGeo, "scrub_geo"},
		{t.StatusWithheld, "status_withheld"}, {t.UserWithheld, "user_withheld"},
		{t.Disconnect, "disconnect"}, {t.Warning, "warning"}, {t.Event, "event"},
		{t.Friends, "friends"},
	} {
		if n.set {
			return n.name
		}
	}
	return ""
}

// errNotTweet marks a record that is valid JSON but not a tweet (a stream
// notice): counted under its own reason, not as malformed.
var errNotTweet = errors.New("not a tweet")

// v1MediaType maps extended_entities.media[].type.
func v1MediaType(s string) model.MediaType {
	switch s {
	case "photo":
		return model.MediaPhoto
	case "video":
		return model.MediaVideo
	case "animated_gif":
		return model.MediaAnimation
	}
	return model.MediaUnknown
}

// v1MediaKey returns the v2-style media_key ("3_<id>" photo, "7_<id>"
// video, "16_<id>" GIF) so that keys from v1.1 and v2 exports of the same
// media agree; v1.1 payloads that carry media_key keep it.
func v1MediaKey(m *v1Media) string {
	if m.MediaKey != "" || m.IDStr == "" {
		return m.MediaKey
	}
	switch m.Type {
	case "photo":
		return "3_" + m.IDStr
	case "video":
		return "7_" + m.IDStr
	case "animated_gif":
		return "16_" + m.IDStr
	}
	return m.IDStr
}

// parseV1Time parses created_at (RubyDate) on a fast path, falling back to
// the general parser.
func parseV1Time(s string, tz *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RubyDate, s); err == nil {
		return t.UTC(), nil
	}
	return ParseTime(s, tz)
}

// toPost fills p from t. Decisions:
//   - Text is the tweet's own text (extended_tweet.full_text, else
//     full_text, else text), HTML-unescaped. A retweet's own text is the
//     "RT @user: …" form, possibly cut at 140 characters; the link to the
//     original carries the identity.
//   - QuoteOf follows the API's is_quote_status: a retweet of a quote tweet
//     carries quoted_status_id_str at top level and is counted as quoting
//     it too. A quote whose target is unknown (is_quote_status with no id,
//     as in one sample tweet) has no link.
//   - Reposts are not inferred from "RT @x:" text: the API marks real
//     retweets, and a manual "RT" is a post of its own.
func (t *v1Tweet) toPost(rc *readCtx, p *model.Post) error {
	p.Platform = model.PlatformTwitter
	p.ID = t.IDStr
	if p.ID == "" {
		p.ID = t.ID.String()
	}
	if p.ID == "" {
		if n := t.notice(); n != "" {
			return fmt.Errorf("%w: %s notice", errNotTweet, n)
		}
		if t.CreatedAt == "" && t.User.id() == "" {
			return fmt.Errorf("%w: no id_str, user or created_at", errNotTweet)
		}
		return errors.New("no id_str or id")
	}
	p.AccountID, p.Handle = t.User.id(), t.User.ScreenName
	if p.AccountID == "" && p.Handle == "" {
		return errors.New("no user.id_str or user.screen_name")
	}
	var err error
	if t.CreatedAt != "" {
		p.Time, err = parseV1Time(t.CreatedAt, rc.tz)
	}
	if t.CreatedAt == "" || err != nil {
		if ms := t.TimestampMs.String(); ms != "" {
			p.Time, err = ParseTime(ms, rc.tz)
		} else if err == nil {
			err = errors.New("no created_at or timestamp_ms")
		}
	}
	if err != nil {
		return fmt.Errorf("created_at: %w", err)
	}

	text, ents := t.Text, &t.Entities
	media := t.Entities.Media
	if t.ExtendedEntities != nil && len(t.ExtendedEntities.Media) > 0 {
		media = t.ExtendedEntities.Media
	}
	if t.FullText != "" {
		text = t.FullText
	}
	if x := t.ExtendedTweet; x != nil {
		if x.FullText != "" {
			text = x.FullText
		}
		if !x.Entities.empty() {
			ents = &x.Entities
			media = x.Entities.Media
		}
		if x.ExtendedEntities != nil && len(x.ExtendedEntities.Media) > 0 {
			media = x.ExtendedEntities.Media
		}
	}
	p.Text = unescapeTwitter(text)
	p.Lang = t.Lang
	p.Client = sourceName(t.Source)
	for i := range ents.Hashtags {
		if h := ents.Hashtags[i].Text; h != "" {
			p.Hashtags = append(p.Hashtags, h)
		}
	}
	for i := range ents.UserMentions {
		if m := ents.UserMentions[i].ScreenName; m != "" {
			p.Mentions = append(p.Mentions, m)
		}
	}
	for i := range ents.URLs {
		u := ents.URLs[i].ExpandedURL
		if u == "" {
			u = ents.URLs[i].URL
		}
		if u != "" {
			p.URLs = append(p.URLs, u)
		}
	}
	for i := range media {
		m := &media[i]
		ref := m.MediaURLHTTPS
		if ref == "" {
			ref = m.MediaURL
		}
		p.Media = append(p.Media, model.Media{Type: v1MediaType(m.Type), Ref: ref, Key: v1MediaKey(m)})
	}

	rs := t.RetweetedStatus
	if rs != nil {
		p.RepostOf = rs.link()
	}
	qid, qs := t.QuotedStatusIDStr, t.QuotedStatus
	if rs != nil {
		if qid == "" {
			qid = rs.QuotedStatusIDStr
		}
		if qs == nil {
			qs = rs.QuotedStatus
		}
	}
	if qs != nil && (qid == "" || qid == qs.id()) {
		p.QuoteOf = qs.link()
	} else if qid != "" {
		p.QuoteOf = model.Link{PostID: qid}
	}
	rid := t.InReplyToStatusIDStr
	if rid == "" {
		rid = t.InReplyToStatusID.String()
	}
	ruid := t.InReplyToUserIDStr
	if ruid == "" {
		ruid = t.InReplyToUserID.String()
	}
	if rid != "" || ruid != "" {
		p.ReplyTo = model.Link{PostID: rid, AccountID: ruid, Handle: t.InReplyToScreenName}
	}
	return nil
}

// readTwitterV1 reads v1.1 tweets. Stream notices (delete, limit, …) are
// counted as skipped under "not a tweet", apart from malformed records. A
// saved search response ({"statuses": [...]}) yields its tweets, all at
// the position of the response.
func readTwitterV1(rc *readCtx) error {
	var p model.Post
	emit := func(t *v1Tweet, line, off int64) error {
		p.Reset()
		if err := t.toPost(rc, &p); err != nil {
			reason := "missing or bad field"
			if errors.Is(err, errNotTweet) {
				reason = "not a tweet"
			}
			return rc.sink.skip(line, off, reason, err)
		}
		p.Source = model.SourcePos{Line: line, Offset: off}
		return rc.sink.post(&p)
	}
	return readJSONRecords(rc, func(rec []byte, line, off int64) error {
		var t v1Tweet
		if err := json.UnmarshalNoEscape(rec, &t); err != nil {
			return rc.sink.skip(line, off, "invalid JSON", err)
		}
		if t.Statuses != nil && t.IDStr == "" && t.ID == "" {
			for i := range *t.Statuses {
				if err := emit(&(*t.Statuses)[i], line, off); err != nil {
					return err
				}
			}
			return nil
		}
		return emit(&t, line, off)
	})
}
