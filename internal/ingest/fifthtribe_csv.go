package ingest

import (
	"fmt"

	"github.com/chorus-osint/chorus/internal/model"
)

// readFifthTribeCSV reads the Fifth Tribe "How ISIS uses Twitter" table
// (name, username, description, location, followers, numberstatuses, time,
// tweets) and its IsisFanboy variant (name, username, tweetid, time,
// tweets).
//
// Neither has tweet or user ids: the post id is left empty (the corpus
// derives file#line) and the account is the handle. IsisFanboy's tweetid
// is a spreadsheet row number, not a status id, and is deliberately not
// used as one. time is "M/D/YYYY H:MM" without zone, read in --tz.
// Hashtags, mentions and URLs come from the text (there are no entity
// columns); "RT @x:" texts become inferred reposts of @x.
func readFifthTribeCSV(rc *readCtx) error {
	r, err := newCSVRecords(rc)
	if err != nil {
		return err
	}
	cUser, cTime, cText := r.col("username"), r.col("time"), r.col("tweets", "tweet", "text")
	if cUser < 0 || cTime < 0 || cText < 0 {
		return missingColumnsError(r, "fifthtribe-csv", "username", "time", "tweets")
	}
	var p model.Post
	for {
		ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		p.Reset()
		p.Platform = model.PlatformTwitter
		p.Handle = r.f(cUser)
		if p.Handle == "" {
			if err := rc.sink.skip(r.Line, r.Offset, "missing account", fmt.Errorf("empty username")); err != nil {
				return err
			}
			continue
		}
		ts := r.f(cTime)
		t, ok := parseUSMinute(ts, rc.tz)
		if !ok {
			if t, err = ParseTime(ts, rc.tz); err != nil {
				if err := rc.sink.skip(r.Line, r.Offset, "bad time", err); err != nil {
					return err
				}
				continue
			}
		}
		p.Time = t
		p.Text = unescapeTwitter(r.f(cText))
		scanTextEntities(&p, p.Text, entHashtags|entMentions|entURLs)
		inferRepost(&p)
		if err := emitCSVPost(rc, r, &p); err != nil {
			return err
		}
	}
}
