package ingest

import (
	"errors"
	"fmt"

	json "github.com/goccy/go-json"

	"github.com/chorus-osint/chorus/internal/model"
)

// Twitter API v2 as written by twarc2. Each record (line, array element
// or pretty-printed document) is one of:
//
//   - a response page: {"data": [tweet…], "includes": {users, tweets,
//     media}, "meta", "errors", "__twarc"};
//   - a filtered-stream line: the same with "data" a single tweet and
//     "matching_rules" added;
//   - a flattened tweet (twarc2 flatten): the tweet itself, with "author",
//     expanded "referenced_tweets[]" (each with its own "author") and
//     expanded "attachments.media".
//
// Only the tweets under "data" (or the flattened tweet) are posts of the
// collection. includes.tweets are the originals that those tweets retweet,
// quote or reply to: they were not matched by the query or stream rule, so
// they are used only to name the referenced author, never emitted. (A
// retweet's original is therefore counted once per retweet, through
// RepostOf, and not as a post of its own.)

type v2User struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

type v2Media struct {
	MediaKey        string `json:"media_key"`
	Type            string `json:"type"`
	URL             string `json:"url"`
	PreviewImageURL string `json:"preview_image_url"`
}

type v2Hashtag struct {
	Tag string `json:"tag"`
}

type v2Mention struct {
	Username string `json:"username"`
}

type v2URL struct {
	URL         string `json:"url"`
	ExpandedURL string `json:"expanded_url"`
	UnwoundURL  string `json:"unwound_url"`
	MediaKey    string `json:"media_key"`
}

type v2Entities struct {
	Hashtags []v2Hashtag `json:"hashtags"`
	Mentions []v2Mention `json:"mentions"`
	URLs     []v2URL     `json:"urls"`
}

type v2RefTweet struct {
	Type     string  `json:"type"`
	ID       string  `json:"id"`
	AuthorID string  `json:"author_id"`
	Author   *v2User `json:"author"`
}

type v2Attachments struct {
	MediaKeys []string  `json:"media_keys"`
	Media     []v2Media `json:"media"` // flattened lines
}

type v2NoteTweet struct {
	Text     string      `json:"text"`
	Entities *v2Entities `json:"entities"`
}

// v2Tweet holds the decoded fields of one v2 tweet.
type v2Tweet struct {
	ID               string        `json:"id"`
	Text             string        `json:"text"`
	CreatedAt        string        `json:"created_at"`
	AuthorID         string        `json:"author_id"`
	Author           *v2User       `json:"author"`
	Lang             string        `json:"lang"`
	Source           string        `json:"source"`
	InReplyToUserID  string        `json:"in_reply_to_user_id"`
	InReplyToUser    *v2User       `json:"in_reply_to_user"`
	ReferencedTweets []v2RefTweet  `json:"referenced_tweets"`
	Entities         v2Entities    `json:"entities"`
	Attachments      v2Attachments `json:"attachments"`
	NoteTweet        *v2NoteTweet  `json:"note_tweet"`
}

// v2IncludedTweet is a referenced original in includes.tweets.
type v2IncludedTweet struct {
	ID       string `json:"id"`
	AuthorID string `json:"author_id"`
}

type v2Includes struct {
	Users  []v2User          `json:"users"`
	Tweets []v2IncludedTweet `json:"tweets"`
	Media  []v2Media         `json:"media"`
}

// v2Data is "data": an array of tweets (page) or one tweet (stream line).
type v2Data struct {
	Tweets  []v2Tweet
	present bool
}

func (d *v2Data) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	d.present = true
	if b[0] == '{' {
		d.Tweets = append(d.Tweets[:0], v2Tweet{})
		return json.UnmarshalNoEscape(b, &d.Tweets[0])
	}
	return json.UnmarshalNoEscape(b, &d.Tweets)
}

// v2Record is any of the three record shapes; the embedded tweet is filled
// for flattened lines.
type v2Record struct {
	Data     v2Data      `json:"data"`
	Includes v2Includes  `json:"includes"`
	Meta     *noticeFlag `json:"meta"`
	v2Tweet
}

// v2Reader holds per-record lookups, reused across records.
type v2Reader struct {
	rc     *readCtx
	users  map[string]string // user id -> username
	author map[string]string // tweet id -> author id
	media  map[string]int    // media key -> index in includes.media
	inc    *v2Includes
}

// index builds the lookups of one page.
func (r *v2Reader) index(rec *v2Record) {
	clear(r.users)
	clear(r.author)
	clear(r.media)
	r.inc = &rec.Includes
	for _, u := range rec.Includes.Users {
		if u.ID != "" {
			r.users[u.ID] = u.Username
		}
	}
	for _, t := range rec.Includes.Tweets {
		if t.ID != "" {
			r.author[t.ID] = t.AuthorID
		}
	}
	for i := range rec.Data.Tweets {
		t := &rec.Data.Tweets[i]
		if t.ID != "" {
			r.author[t.ID] = t.AuthorID
		}
	}
	for i, m := range rec.Includes.Media {
		if m.MediaKey != "" {
			r.media[m.MediaKey] = i
		}
	}
}

func v2MediaType(s string) model.MediaType {
	return v1MediaType(s) // same names: photo, video, animated_gif
}

func (r *v2Reader) appendMedia(p *model.Post, m *v2Media) {
	ref := m.URL
	if ref == "" {
		ref = m.PreviewImageURL
	}
	p.Media = append(p.Media, model.Media{Type: v2MediaType(m.Type), Ref: ref, Key: m.MediaKey})
}

// link resolves a referenced tweet's author through the expanded tweet
// (flattened) or the page's includes.
func (r *v2Reader) link(ref *v2RefTweet) model.Link {
	l := model.Link{PostID: ref.ID, AccountID: ref.AuthorID}
	if ref.Author != nil {
		if l.AccountID == "" {
			l.AccountID = ref.Author.ID
		}
		l.Handle = ref.Author.Username
	}
	if l.AccountID == "" {
		l.AccountID = r.author[ref.ID]
	}
	if l.Handle == "" && l.AccountID != "" {
		l.Handle = r.users[l.AccountID]
	}
	return l
}

// toPost fills p from t. Text is note_tweet.text for long posts, else
// text, HTML-unescaped; entities follow the text they index. URLs prefer
// unwound_url, then expanded_url, then the t.co url; links to the tweet's
// own media (url entities with a media_key) are media, not URLs, as in
// v1.1.
func (r *v2Reader) toPost(t *v2Tweet, p *model.Post) error {
	if t.ID == "" {
		return errors.New("tweet without id")
	}
	p.Platform = model.PlatformTwitter
	p.ID = t.ID
	p.AccountID = t.AuthorID
	if t.Author != nil {
		if p.AccountID == "" {
			p.AccountID = t.Author.ID
		}
		p.Handle = t.Author.Username
	}
	if p.Handle == "" && p.AccountID != "" {
		p.Handle = r.users[p.AccountID]
	}
	if p.AccountID == "" && p.Handle == "" {
		return errors.New("tweet without author_id")
	}
	if t.CreatedAt == "" {
		return errors.New("tweet without created_at (request tweet.fields=created_at)")
	}
	var err error
	if p.Time, err = ParseTime(t.CreatedAt, r.rc.tz); err != nil {
		return fmt.Errorf("created_at: %w", err)
	}
	text, ents := t.Text, &t.Entities
	if nt := t.NoteTweet; nt != nil && nt.Text != "" {
		text = nt.Text
		if nt.Entities != nil {
			ents = nt.Entities
		}
	}
	p.Text = unescapeTwitter(text)
	p.Lang = t.Lang
	p.Client = sourceName(t.Source)
	for i := range ents.Hashtags {
		if h := ents.Hashtags[i].Tag; h != "" {
			p.Hashtags = append(p.Hashtags, h)
		}
	}
	for i := range ents.Mentions {
		if m := ents.Mentions[i].Username; m != "" {
			p.Mentions = append(p.Mentions, m)
		}
	}
	for i := range ents.URLs {
		u := &ents.URLs[i]
		if u.MediaKey != "" {
			continue
		}
		s := u.UnwoundURL
		if s == "" {
			s = u.ExpandedURL
		}
		if s == "" {
			s = u.URL
		}
		if s != "" {
			p.URLs = append(p.URLs, s)
		}
	}
	if len(t.Attachments.Media) > 0 {
		for i := range t.Attachments.Media {
			r.appendMedia(p, &t.Attachments.Media[i])
		}
	} else {
		for _, k := range t.Attachments.MediaKeys {
			if i, ok := r.media[k]; ok && r.inc != nil {
				r.appendMedia(p, &r.inc.Media[i])
			} else {
				p.Media = append(p.Media, model.Media{Key: k})
			}
		}
	}
	for i := range t.ReferencedTweets {
		ref := &t.ReferencedTweets[i]
		switch ref.Type {
		case "retweeted":
			p.RepostOf = r.link(ref)
			if p.RepostOf.Handle == "" {
				if h, _, ok := SplitRTPrefix(p.Text); ok {
					p.RepostOf.Handle = h
				}
			}
		case "quoted":
			p.QuoteOf = r.link(ref)
		case "replied_to":
			p.ReplyTo = r.link(ref)
		}
	}
	if t.InReplyToUserID != "" || t.InReplyToUser != nil {
		if p.ReplyTo.AccountID == "" {
			p.ReplyTo.AccountID = t.InReplyToUserID
		}
		if p.ReplyTo.Handle == "" && t.InReplyToUser != nil {
			p.ReplyTo.Handle = t.InReplyToUser.Username
		}
		if p.ReplyTo.AccountID == "" && t.InReplyToUser != nil {
			p.ReplyTo.AccountID = t.InReplyToUser.ID
		}
		if p.ReplyTo.Handle == "" && p.ReplyTo.AccountID != "" {
			p.ReplyTo.Handle = r.users[p.ReplyTo.AccountID]
		}
	}
	return nil
}

// readTwitterV2 reads twarc2 output. A record that is neither a page nor
// a tweet (an error-only response, a stray object) is counted as skipped
// under "not a tweet"; a tweet that lacks its id, author or time is
// skipped as "missing or bad field" with the record's position.
func readTwitterV2(rc *readCtx) error {
	r := &v2Reader{rc: rc, users: map[string]string{}, author: map[string]string{}, media: map[string]int{}}
	var p model.Post
	return readJSONRecords(rc, func(b []byte, line, off int64) error {
		var rec v2Record
		if err := json.UnmarshalNoEscape(b, &rec); err != nil {
			return rc.sink.skip(line, off, "invalid JSON", err)
		}
		r.index(&rec)
		var tweets []v2Tweet
		switch {
		case rec.Data.present || rec.Meta != nil:
			tweets = rec.Data.Tweets
		case rec.ID != "" || rec.Text != "":
			tweets = []v2Tweet{rec.v2Tweet}
		default:
			return rc.sink.skip(line, off, "not a tweet", errors.New("neither a response page (data) nor a tweet (id, text)"))
		}
		for i := range tweets {
			p.Reset()
			if err := r.toPost(&tweets[i], &p); err != nil {
				if err := rc.sink.skip(line, off, "missing or bad field", err); err != nil {
					return err
				}
				continue
			}
			p.Source = model.SourcePos{Line: line, Offset: off}
			if err := rc.sink.post(&p); err != nil {
				return err
			}
		}
		return nil
	})
}
