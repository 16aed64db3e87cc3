package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	json "github.com/goccy/go-json"

	"github.com/chorus-osint/chorus/internal/model"
)

// readTelethonCSV reads flat Telegram CSVs in two layouts, told apart by
// the header:
//
//   - the Telethon-derived layout of the far-right ecosystem dataset
//     (channel_id, channel_name, msg_id, message, cleaned_message, date,
//     is_forward, forward_msg_from_peer_id, forward_msg_link, …);
//   - 4CAT's Telegram export (id, thread_id, chat, author, author_username,
//     body, reply_to, unix_timestamp, author_forwarded_from_*, …).
func readTelethonCSV(rc *readCtx) error {
	r, err := newCSVRecords(rc)
	if err != nil {
		return err
	}
	if r.col("channel_id") < 0 && r.has("thread_id", "body") {
		return readTelegram4CAT(rc, r)
	}
	return readTelethonFlat(rc, r)
}

// telethonCols are the column indexes of the Telethon layout.
type telethonCols struct {
	chanID, chanName, msgID, message, cleaned, date, fromID                  int
	isFwd, fwdPeerID, fwdPeerName, fwdDate, fwdLink, replyTo, url, mediaType int
	docID, docType, docFile                                                  int
}

// readTelethonFlat maps the Telethon layout: post id "channel_id/msg_id";
// account channel_id (or msg_from_id when a group message names its
// sender), handle channel_name; text message, or cleaned_message when
// message is blank; time date. Ids that pandas wrote as floats
// ("1844373591.0") are turned back into integers.
//
// A forward (is_forward = 1) reposts "<forward_msg_from_peer_id>/<message
// number from forward_msg_link>", the same form as the post ids, so a
// forwarded original that is in the data joins; with no peer id the link
// itself is the id. A forward from a hidden sender (no peer, no link) gets
// the id "hidden-forward@<unix seconds of forward_msg_date>": channels
// forwarding the same hidden original share its date, and an empty link
// would not count as a repost at all. Replies point to
// "channel_id/reply_to_msg_id". URLs come from the text and the url
// column; media from media_type/document_type, keyed by document_id when
// it is an exact integer (pandas' exponent form has lost digits and would
// make different documents collide).
func readTelethonFlat(rc *readCtx, r *csvRecords) error {
	c := telethonCols{
		chanID: r.col("channel_id"), chanName: r.col("channel_name"), msgID: r.col("msg_id"),
		message: r.col("message"), cleaned: r.col("cleaned_message"), date: r.col("date"), fromID: r.col("msg_from_id"),
		isFwd: r.col("is_forward"), fwdPeerID: r.col("forward_msg_from_peer_id"), fwdPeerName: r.col("forward_msg_from_peer_name"),
		fwdDate: r.col("forward_msg_date"), fwdLink: r.col("forward_msg_link"), replyTo: r.col("reply_to_msg_id"),
		url: r.col("url"), mediaType: r.col("media_type"), docID: r.col("document_id"), docType: r.col("document_type"),
		docFile: r.col("document_filename"),
	}
	if c.chanID < 0 || c.msgID < 0 || c.date < 0 {
		return missingColumnsError(r, "telethon-csv", "channel_id", "msg_id", "date")
	}
	var p model.Post
	for {
		ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		p.Reset()
		p.Platform = model.PlatformTelegram
		chanID, msgID := trimFloatID(r.f(c.chanID)), trimFloatID(r.f(c.msgID))
		if chanID == "" {
			if err := rc.sink.skip(r.Line, r.Offset, "missing account", fmt.Errorf("empty channel_id")); err != nil {
				return err
			}
			continue
		}
		t, err := ParseTime(r.f(c.date), rc.tz)
		if err != nil {
			if err := rc.sink.skip(r.Line, r.Offset, "bad time", err); err != nil {
				return err
			}
			continue
		}
		p.Time = t
		if msgID != "" {
			p.ID = chanID + "/" + msgID
		}
		if from := trimFloatID(r.f(c.fromID)); from != "" && from != chanID {
			p.AccountID = from
		} else {
			p.AccountID, p.Handle = chanID, r.f(c.chanName)
		}
		p.Text = strings.TrimSpace(r.f(c.message))
		if p.Text == "" {
			p.Text = strings.TrimSpace(r.f(c.cleaned))
		}
		scanTextEntities(&p, p.Text, entHashtags|entMentions|entURLs)
		p.URLs = appendUnique(p.URLs, strings.TrimSpace(r.f(c.url)))

		if fwd := r.f(c.isFwd); fwd == "1" || strings.EqualFold(fwd, "true") || r.f(c.fwdPeerID) != "" || r.f(c.fwdLink) != "" {
			peer, link := trimFloatID(r.f(c.fwdPeerID)), strings.TrimSpace(r.f(c.fwdLink))
			l := model.Link{AccountID: peer, Handle: r.f(c.fwdPeerName)}
			switch n := lastPathInt(link); {
			case peer != "" && n != "":
				l.PostID = peer + "/" + n
			case link != "":
				l.PostID = link
			case peer == "" && l.Handle == "":
				if ft, err := ParseTime(r.f(c.fwdDate), time.UTC); err == nil {
					l.PostID = hiddenForwardID(ft)
				}
			}
			p.RepostOf = l
		}
		if rep := trimFloatID(r.f(c.replyTo)); rep != "" {
			p.ReplyTo = model.Link{PostID: chanID + "/" + rep, AccountID: chanID}
		}
		if m, ok := telethonMedia(r.f(c.mediaType), r.f(c.docType)); ok {
			if id := trimFloatID(r.f(c.docID)); csvAllDigits(id) {
				m.Key = id
			}
			m.Ref = r.f(c.docFile)
			p.Media = append(p.Media, m)
		}
		if err := emitCSVPost(rc, r, &p); err != nil {
			return err
		}
	}
}

// hiddenForwardID names the original of a forward whose sender is hidden.
func hiddenForwardID(t time.Time) string {
	return "hidden-forward@" + strconv.FormatInt(t.Unix(), 10)
}

func csvAllDigits(s string) bool {
	return s != "" && parseIntPrefix(s) == s
}

// telethonMedia maps Telethon's media class and a document's MIME type to
// a media type; ok is false for no media, web page previews and polls.
func telethonMedia(mediaType, mime string) (model.Media, bool) {
	switch mediaType {
	case "MessageMediaPhoto", "photo":
		return model.Media{Type: model.MediaPhoto}, true
	case "MessageMediaDocument", "document", "video", "audio", "image", "application":
		return model.Media{Type: telethonMIMEType(mime, mediaType)}, true
	case "", "MessageMediaWebPage", "MessageMediaPoll", "MessageMediaEmpty", "url", "poll":
		return model.Media{}, false
	}
	return model.Media{Type: model.MediaOther}, true
}

// telethonMIMEType classifies a document by MIME type (or 4CAT's major type).
func telethonMIMEType(mime, major string) model.MediaType {
	switch {
	case mime == "image/gif" || mime == "video/gif":
		return model.MediaAnimation
	case mime == "image/webp" || mime == "application/x-tgsticker":
		return model.MediaSticker
	case strings.HasPrefix(mime, "video/") || major == "video":
		return model.MediaVideo
	case strings.HasPrefix(mime, "audio/") || major == "audio":
		return model.MediaAudio
	case strings.HasPrefix(mime, "image/") || major == "image":
		return model.MediaPhoto
	}
	return model.MediaDocument
}

// readTelegram4CAT maps 4CAT's Telegram CSV (datasources/telegram,
// map_item): post id the id column ("chat-123"; older exports wrote the
// bare message number, which is prefixed with thread_id and '-' so ids
// stay unique across chats); account author, handle author_username or
// author_name (the chat when the author is empty); time unix_timestamp
// (timestamp is the 4CAT server's local time and is only a fallback, read
// in --tz); text body. A forward (any author_forwarded_from_* value)
// reposts the forwarding source's account; 4CAT keeps no original message
// id, so PostID is empty unless the source is hidden, where it is
// "hidden-forward@<unix_timestamp_forwarded_from>". reply_to becomes
// "<thread_id>-<reply_to>". URLs come from the text and link_attached;
// media from attachment_type, keyed by the id in attachment_data.
func readTelegram4CAT(rc *readCtx, r *csvRecords) error {
	cID, cThread, cChat := r.col("id"), r.col("thread_id"), r.col("chat")
	cAuthor, cUser, cName := r.col("author"), r.col("author_username"), r.col("author_name")
	cBody, cReply, cUnix, cTime := r.col("body"), r.col("reply_to"), r.col("unix_timestamp"), r.col("timestamp")
	cFName, cFUser, cFID := r.col("author_forwarded_from_name"), r.col("author_forwarded_from_username"), r.col("author_forwarded_from_id")
	cFUnix, cLink := r.col("unix_timestamp_forwarded_from"), r.col("link_attached")
	cAType, cAData, cAFile := r.col("attachment_type"), r.col("attachment_data"), r.col("attachment_filename")
	if cUnix < 0 && cTime < 0 {
		return missingColumnsError(r, "telethon-csv (4CAT layout)", "thread_id", "body", "unix_timestamp")
	}
	var p model.Post
	for {
		ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		p.Reset()
		p.Platform = model.PlatformTelegram
		thread := r.f(cThread)
		if thread == "" {
			thread = r.f(cChat)
		}
		p.AccountID = trimFloatID(r.f(cAuthor))
		p.Handle = r.f(cUser)
		if p.Handle == "" {
			p.Handle = r.f(cName)
		}
		if p.AccountID == "" && p.Handle == "" {
			p.Handle = thread
		}
		if p.AccountID == "" && p.Handle == "" {
			if err := rc.sink.skip(r.Line, r.Offset, "missing account", fmt.Errorf("empty author, author_username and chat")); err != nil {
				return err
			}
			continue
		}
		t, ok := parseUnixField(r.f(cUnix))
		if !ok {
			if t, err = ParseTime(r.f(cTime), rc.tz); err != nil {
				if err := rc.sink.skip(r.Line, r.Offset, "bad time", err); err != nil {
					return err
				}
				continue
			}
		}
		p.Time = t
		p.ID = r.f(cID)
		if csvAllDigits(p.ID) && thread != "" {
			p.ID = thread + "-" + p.ID
		}
		p.Text = r.f(cBody)
		scanTextEntities(&p, p.Text, entHashtags|entMentions|entURLs)
		p.URLs = appendUnique(p.URLs, strings.TrimSpace(r.f(cLink)))
		fid, fuser, fname, funix := trimFloatID(r.f(cFID)), r.f(cFUser), r.f(cFName), r.f(cFUnix)
		if fid != "" || fuser != "" || fname != "" {
			l := model.Link{AccountID: fid, Handle: fuser}
			if l.Handle == "" {
				l.Handle = fname
			}
			p.RepostOf = l
		} else if ft, ok := parseUnixField(funix); ok && funix != "0" {
			p.RepostOf = model.Link{PostID: hiddenForwardID(ft)}
		}
		if rep := trimFloatID(r.f(cReply)); rep != "" && rep != "0" {
			p.ReplyTo = model.Link{PostID: thread + "-" + rep}
		}
		if m, ok := telethonMedia(r.f(cAType), ""); ok {
			m.Ref = r.f(cAFile)
			m.Key = attachmentID(r.f(cAData))
			p.Media = append(p.Media, m)
		}
		if err := emitCSVPost(rc, r, &p); err != nil {
			return err
		}
	}
}

// attachmentID returns the "id" of 4CAT's attachment_data JSON, "" when
// absent.
func attachmentID(data string) string {
	if len(data) < 2 || data[0] != '{' {
		return ""
	}
	var v struct {
		ID json.Number `json:"id"`
	}
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		return ""
	}
	if s := v.ID.String(); csvAllDigits(s) {
		return s
	}
	return ""
}
