package ingest

import (
	"fmt"
	"strings"

	"github.com/chorus-osint/chorus/internal/model"
)

// readQUTCSV reads the QUT Digital Observatory coordination-network-toolkit
// input (message_id, user_id, username, repost_id, reply_id, message,
// timestamp, urls). timestamp is Unix seconds, integer or fractional, and
// taken as given however small (the toolkit's fixtures count from 0);
// other timestamp forms fall back to ParseTime. urls is a Python list
// literal ("['http://a', 'http://b']"). repost_id and reply_id become
// RepostOf and ReplyTo. Hashtags and mentions come from the message text.
// The toolkit is platform-neutral, so posts are PlatformGeneric.
func readQUTCSV(rc *readCtx) error {
	r, err := newCSVRecords(rc)
	if err != nil {
		return err
	}
	cID, cUser, cName := r.col("message_id"), r.col("user_id"), r.col("username")
	cRepost, cReply, cText := r.col("repost_id"), r.col("reply_id"), r.col("message")
	cTime, cURLs := r.col("timestamp"), r.col("urls")
	if cID < 0 || (cUser < 0 && cName < 0) || cTime < 0 {
		return missingColumnsError(r, "qut-csv", "message_id", "user_id", "username", "timestamp")
	}
	var p model.Post
	for {
		ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		p.Reset()
		p.Platform = model.PlatformGeneric
		p.ID = r.f(cID)
		p.AccountID, p.Handle = r.f(cUser), r.f(cName)
		if p.AccountID == "" && p.Handle == "" {
			if err := rc.sink.skip(r.Line, r.Offset, "missing account", fmt.Errorf("empty user_id and username")); err != nil {
				return err
			}
			continue
		}
		ts := strings.TrimSpace(r.f(cTime))
		t, ok := parseUnixField(ts)
		if !ok {
			if t, err = ParseTime(ts, rc.tz); err != nil {
				if err := rc.sink.skip(r.Line, r.Offset, "bad time", err); err != nil {
					return err
				}
				continue
			}
		}
		p.Time = t
		p.Text = r.f(cText)
		scanTextEntities(&p, p.Text, entHashtags|entMentions)
		p.URLs = parsePyList(r.f(cURLs), p.URLs)
		if id := r.f(cRepost); id != "" {
			p.RepostOf = model.Link{PostID: id}
		} else {
			inferRepost(&p)
		}
		if id := r.f(cReply); id != "" {
			p.ReplyTo = model.Link{PostID: id}
		}
		if err := emitCSVPost(rc, r, &p); err != nil {
			return err
		}
	}
}
