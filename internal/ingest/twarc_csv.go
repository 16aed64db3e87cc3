package ingest

import (
	"fmt"
	"strings"

	"github.com/chorus-osint/chorus/internal/model"
)

// readTwarcCSV reads twarc v1's json2csv output (37 columns: id,
// tweet_url, created_at, parsed_created_at, user_screen_name, text,
// tweet_type, …). Multi-valued columns (hashtags, urls, media) are space
// separated. retweet_or_quote_* (spelt reweet_or_quote_id by some twarc
// versions) describe the retweeted or quoted tweet: a retweet when
// tweet_type is "retweet", otherwise a quote (json2csv calls a reply that
// quotes a "reply", so the quote is kept for replies too). Text is
// HTML-unescaped; json2csv already replaced its newlines by spaces.
func readTwarcCSV(rc *readCtx) error {
	r, err := newCSVRecords(rc)
	if err != nil {
		return err
	}
	cID, cCreated, cParsed := r.col("id", "id_str"), r.col("created_at"), r.col("parsed_created_at")
	cUser, cUserID, cText, cType := r.col("user_screen_name"), r.col("user_id"), r.col("text"), r.col("tweet_type")
	cTags, cURLs, cMedia, cLang, cSource := r.col("hashtags"), r.col("urls"), r.col("media"), r.col("lang"), r.col("source")
	cReplyName, cReplyID, cReplyUser := r.col("in_reply_to_screen_name"), r.col("in_reply_to_status_id"), r.col("in_reply_to_user_id")
	cRQID, cRQName, cRQUser := r.col("retweet_or_quote_id", "reweet_or_quote_id"), r.col("retweet_or_quote_screen_name"), r.col("retweet_or_quote_user_id")
	if cID < 0 || (cCreated < 0 && cParsed < 0) || (cUser < 0 && cUserID < 0) {
		return missingColumnsError(r, "twarc-csv", "id", "created_at", "user_screen_name", "text")
	}
	var p model.Post
	for {
		ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		p.Reset()
		p.Platform = model.PlatformTwitter
		p.ID = r.f(cID)
		p.AccountID, p.Handle = r.f(cUserID), r.f(cUser)
		if p.AccountID == "" && p.Handle == "" {
			if err := rc.sink.skip(r.Line, r.Offset, "missing account", fmt.Errorf("empty user_id and user_screen_name")); err != nil {
				return err
			}
			continue
		}
		ts := r.f(cCreated)
		if ts == "" {
			ts = r.f(cParsed)
		}
		if p.Time, err = ParseTime(ts, rc.tz); err != nil {
			if err := rc.sink.skip(r.Line, r.Offset, "bad time", err); err != nil {
				return err
			}
			continue
		}
		p.Text = unescapeTwitter(r.f(cText))
		p.Lang = r.f(cLang)
		p.Client = sourceName(r.f(cSource))
		p.Hashtags = splitListCell(r.f(cTags), p.Hashtags, false, '#')
		p.URLs = splitListCell(r.f(cURLs), p.URLs, false, 0)
		for _, m := range strings.Fields(r.f(cMedia)) {
			p.Media = append(p.Media, model.Media{Type: twitterMediaURLType(m), Ref: m})
		}
		scanTextEntities(&p, p.Text, entMentions)
		if id := r.f(cRQID); id != "" {
			l := model.Link{PostID: id, AccountID: r.f(cRQUser), Handle: r.f(cRQName)}
			if r.f(cType) == "retweet" {
				p.RepostOf = l
			} else {
				p.QuoteOf = l
			}
		}
		if p.RepostOf.IsZero() {
			inferRepost(&p)
		}
		if id := r.f(cReplyID); id != "" {
			p.ReplyTo = model.Link{PostID: id, AccountID: r.f(cReplyUser), Handle: r.f(cReplyName)}
		}
		if err := emitCSVPost(rc, r, &p); err != nil {
			return err
		}
	}
}

// twitterMediaURLType types a media expanded_url by its path
// (".../photo/1", ".../video/1").
func twitterMediaURLType(u string) model.MediaType {
	switch {
	case strings.Contains(u, "/photo/"):
		return model.MediaPhoto
	case strings.Contains(u, "/video/"):
		return model.MediaVideo
	}
	return model.MediaUnknown
}

// readTwarc2CSV reads twarc-csv (v2) output: dotted column names from the
// flattened v2 tweet (referenced_tweets.retweeted.id, author.username,
// entities.hashtags, …). Entity columns hold JSON arrays, either of
// strings ("#tag", "@user", expanded URLs: twarc-csv's default since 0.5)
// or of the API's objects (older versions); both are read. Older versions
// also wrote a single referenced_tweets column ([{"type": "quoted", "id":
// …}]), read when the dotted id columns are absent. twarc-csv escapes
// newlines in text as a literal "\n", undone here; a text cell that is a
// JSON string (--json-encode-text) is decoded. By default twarc-csv
// replaces a retweet's "RT @x: …" text by the original's full text, so
// retweets are known from referenced_tweets.retweeted.id, not the text.
func readTwarc2CSV(rc *readCtx) error {
	r, err := newCSVRecords(rc)
	if err != nil {
		return err
	}
	cID, cAuthor, cUser, cTime, cText := r.col("id"), r.col("author_id", "author.id"), r.col("author.username"), r.col("created_at"), r.col("text")
	cLang, cSource := r.col("lang"), r.col("source")
	cRT, cQT, cRep := r.col("referenced_tweets.retweeted.id"), r.col("referenced_tweets.quoted.id"), r.col("referenced_tweets.replied_to.id")
	cRTUser, cRTName := r.col("retweeted_user_id"), r.col("retweeted_username")
	cQTUser, cQTName := r.col("quoted_user_id"), r.col("quoted_username")
	cRepUser, cRepName := r.col("in_reply_to_user_id"), r.col("in_reply_to_username")
	cRefs := r.col("referenced_tweets")
	cTags, cMentions, cURLs := r.col("entities.hashtags"), r.col("entities.mentions"), r.col("entities.urls")
	cMedia, cMediaKeys := r.col("attachments.media"), r.col("attachments.media_keys")
	if cID < 0 || cTime < 0 || (cAuthor < 0 && cUser < 0) {
		return missingColumnsError(r, "twarc2-csv", "id", "author_id", "created_at", "text")
	}
	maxDepth := rc.lim.MaxDepth
	var p model.Post
	for {
		ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		p.Reset()
		p.Platform = model.PlatformTwitter
		p.ID = r.f(cID)
		p.AccountID, p.Handle = r.f(cAuthor), r.f(cUser)
		if p.AccountID == "" && p.Handle == "" {
			if err := rc.sink.skip(r.Line, r.Offset, "missing account", fmt.Errorf("empty author_id and author.username")); err != nil {
				return err
			}
			continue
		}
		if p.Time, err = ParseTime(r.f(cTime), rc.tz); err != nil {
			if err := rc.sink.skip(r.Line, r.Offset, "bad time", err); err != nil {
				return err
			}
			continue
		}
		p.Text = unescapeTwitter(twarc2Text(r.f(cText)))
		p.Lang = r.f(cLang)
		p.Client = sourceName(r.f(cSource))
		if err := twarc2Entities(&p, r.f(cTags), r.f(cMentions), r.f(cURLs), r.f(cMedia), r.f(cMediaKeys), maxDepth); err != nil {
			if err := rc.sink.skip(r.Line, r.Offset, "bad entity column", err); err != nil {
				return err
			}
			continue
		}
		if id := r.f(cRT); id != "" {
			p.RepostOf = model.Link{PostID: id, AccountID: r.f(cRTUser), Handle: r.f(cRTName)}
		}
		if id := r.f(cQT); id != "" {
			p.QuoteOf = model.Link{PostID: id, AccountID: r.f(cQTUser), Handle: r.f(cQTName)}
		}
		if id := r.f(cRep); id != "" {
			p.ReplyTo = model.Link{PostID: id, AccountID: r.f(cRepUser), Handle: r.f(cRepName)}
		}
		if cRT < 0 && cRefs >= 0 {
			refs, err := parseJSONEntities(r.f(cRefs), maxDepth)
			if err != nil {
				if err := rc.sink.skip(r.Line, r.Offset, "bad entity column", fmt.Errorf("referenced_tweets: %w", err)); err != nil {
					return err
				}
				continue
			}
			for _, ref := range refs {
				switch ref.Type {
				case "retweeted":
					p.RepostOf.PostID = ref.ID
				case "quoted":
					p.QuoteOf.PostID = ref.ID
				case "replied_to":
					p.ReplyTo.PostID = ref.ID
				}
			}
		}
		if p.ReplyTo.IsZero() && r.f(cRepUser) != "" {
			p.ReplyTo = model.Link{AccountID: r.f(cRepUser), Handle: r.f(cRepName)}
		}
		if p.RepostOf.IsZero() {
			inferRepost(&p)
		}
		if err := emitCSVPost(rc, r, &p); err != nil {
			return err
		}
	}
}

// twarc2Text undoes twarc-csv's text encoding: a JSON string when the
// cell is one, else the literal "\n" escapes of newlines.
func twarc2Text(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		var out string
		if err := jsonUnmarshalString(s, &out); err == nil {
			return out
		}
	}
	if strings.Contains(s, `\n`) {
		return strings.ReplaceAll(s, `\n`, "\n")
	}
	return s
}

// twarc2Entities fills hashtags, mentions, URLs and media from the JSON
// entity columns.
func twarc2Entities(p *model.Post, tags, mentions, urls, media, mediaKeys string, maxDepth int) error {
	es, err := parseJSONEntities(tags, maxDepth)
	if err != nil {
		return fmt.Errorf("entities.hashtags: %w", err)
	}
	for _, e := range es {
		v := e.S
		if v == "" {
			v = e.Tag
		}
		if v = strings.TrimPrefix(v, "#"); v != "" {
			p.Hashtags = append(p.Hashtags, v)
		}
	}
	if es, err = parseJSONEntities(mentions, maxDepth); err != nil {
		return fmt.Errorf("entities.mentions: %w", err)
	}
	for _, e := range es {
		v := e.S
		if v == "" {
			v = e.Username
		}
		if v = strings.TrimPrefix(v, "@"); v != "" {
			p.Mentions = append(p.Mentions, v)
		}
	}
	if es, err = parseJSONEntities(urls, maxDepth); err != nil {
		return fmt.Errorf("entities.urls: %w", err)
	}
	for _, e := range es {
		v := e.S
		if v == "" && e.MediaKey == "" {
			v = e.UnwoundURL
			if v == "" {
				v = e.ExpandedURL
			}
			if v == "" {
				v = e.URL
			}
		}
		if v != "" && !strings.HasPrefix(v, "pic.twitter.com/") {
			p.URLs = append(p.URLs, v)
		}
	}
	if es, err = parseJSONEntities(media, maxDepth); err != nil {
		return fmt.Errorf("attachments.media: %w", err)
	}
	for _, e := range es {
		if e.MediaKey == "" && e.S == "" {
			continue
		}
		m := model.Media{Key: e.MediaKey, Ref: e.URL, Type: twarcMediaType(e.Type)}
		if m.Key == "" {
			m.Key = e.S
		}
		p.Media = append(p.Media, m)
	}
	if len(p.Media) == 0 {
		if es, err = parseJSONEntities(mediaKeys, maxDepth); err != nil {
			return fmt.Errorf("attachments.media_keys: %w", err)
		}
		for _, e := range es {
			if e.S != "" {
				p.Media = append(p.Media, model.Media{Key: e.S})
			}
		}
	}
	return nil
}

// twarcMediaType maps a v2 media type name.
func twarcMediaType(t string) model.MediaType {
	switch t {
	case "photo":
		return model.MediaPhoto
	case "video":
		return model.MediaVideo
	case "animated_gif":
		return model.MediaAnimation
	}
	return model.MediaUnknown
}
