package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/chorus-osint/chorus/internal/model"
)

// Telegram Desktop "Export chat history" JSON (result.json): a single chat
// {name, type, id, messages[]} or a full export whose chats sit under
// chats.list[] and left_chats.list[]. The document is streamed: only one
// message is held at a time (bounded by MaxRecordBytes), and the document
// as a whole is bounded by MaxDocumentBytes.
//
// Decisions:
//   - Post ids are "<chat id>/<message id>", unique across the chats of a
//     full export; replies point at "<chat id>/<reply id>" (or the
//     reply_to_peer_id's chat).
//   - Service messages (create_channel, pin_message, …) and "unsupported"
//     ones are not posts: they are passed over without being counted.
//   - The author is from_id/from; a message without them (channel posts
//     in old exports) is attributed to the chat ("channel<id>", name).
//   - forwarded_from carries a display name only: RepostOf{Handle: name}
//     (plus forwarded_from_id when a newer client wrote one).
//   - Media paths are relative to the export folder. A path that is
//     absolute, has a ".." element, or resolves (through symlinks, when the
//     file or a parent folder exists) outside the folder is not followed:
//     the media is kept with an empty Ref and the raw path is counted as a
//     skipped "unsafe media path" (with ErrUnsafePath in the detail; fatal
//     with --strict). Placeholders such as "(File not included. …)" are not
//     paths: the media is kept with an empty Ref.

// tgScalar is a string or number kept as text (ids, unix times).
type tgScalar string

func (s *tgScalar) UnmarshalJSON(b []byte) error {
	v, err := scalarString(b)
	*s = tgScalar(v)
	return err
}

// tgEntity is one rich-text run: an element of text_entities, or an object
// element of a text array.
type tgEntity struct {
	Type string `json:"type"`
	Text string `json:"text"`
	Href string `json:"href"`
}

// tgPart is an element of a text array: a plain string or an entity.
type tgPart struct{ tgEntity }

func (p *tgPart) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		p.Type = "plain"
		return json.Unmarshal(b, &p.Text)
	}
	return json.Unmarshal(b, &p.tgEntity)
}

// tgText is "text": a string or an array of strings and entities.
type tgText struct {
	Plain string
	Parts []tgPart
}

func (t *tgText) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	if b[0] == '"' {
		return json.Unmarshal(b, &t.Plain)
	}
	return json.Unmarshal(b, &t.Parts)
}

// String returns the plain text.
func (t *tgText) String() string {
	if t.Parts == nil {
		return t.Plain
	}
	var sb strings.Builder
	for i := range t.Parts {
		sb.WriteString(t.Parts[i].Text)
	}
	return sb.String()
}

type tgMessage struct {
	ID               tgScalar   `json:"id"`
	Type             string     `json:"type"`
	Date             string     `json:"date"`
	DateUnixtime     tgScalar   `json:"date_unixtime"`
	From             string     `json:"from"`
	FromID           tgScalar   `json:"from_id"`
	ForwardedFrom    string     `json:"forwarded_from"`
	ForwardedFromID  tgScalar   `json:"forwarded_from_id"`
	ReplyToMessageID tgScalar   `json:"reply_to_message_id"`
	ReplyToPeerID    tgScalar   `json:"reply_to_peer_id"`
	ViaBot           string     `json:"via_bot"`
	Photo            string     `json:"photo"`
	File             string     `json:"file"`
	MediaType        string     `json:"media_type"`
	MimeType         string     `json:"mime_type"`
	Text             tgText     `json:"text"`
	TextEntities     []tgEntity `json:"text_entities"`
}

// tgChat is the chat a message belongs to.
type tgChat struct {
	ID, Name, Type string
}

// account returns the id a post without from_id is attributed to.
func (c *tgChat) account() string {
	if c.ID == "" {
		return ""
	}
	if strings.Contains(c.Type, "channel") {
		return "channel" + c.ID
	}
	return "chat" + c.ID
}

// postID returns "<chat id>/<message id>".
func (c *tgChat) postID(chatID, msgID string) string {
	if chatID == "" {
		return msgID
	}
	return chatID + "/" + msgID
}

// tgMediaType maps media_type, then mime_type.
func tgMediaType(mediaType, mime string) model.MediaType {
	switch mediaType {
	case "sticker":
		return model.MediaSticker
	case "video_message", "video_file":
		return model.MediaVideo
	case "animation":
		return model.MediaAnimation
	case "voice_message", "audio_file":
		return model.MediaAudio
	}
	switch {
	case strings.HasPrefix(mime, "video/"):
		return model.MediaVideo
	case strings.HasPrefix(mime, "audio/"):
		return model.MediaAudio
	case mime == "image/gif":
		return model.MediaAnimation
	}
	return model.MediaDocument
}

// tgReader walks one export.
type tgReader struct {
	rc  *readCtx
	sc  *jsonScanner
	buf []byte
	rec int64 // messages seen, for Source.Line
	p   model.Post
	// baseDir is rc.dir with symlinks resolved ("" when unknown).
	baseDir string
}

// readTelegramJSON reads a Telegram Desktop export.
func readTelegramJSON(rc *readCtx) error {
	var start int64
	if head, _ := rc.r.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		rc.r.Discard(len(utf8BOM))
		start = int64(len(utf8BOM))
	}
	tr := &tgReader{rc: rc, sc: newJSONScanner(rc.r, start, rc.lim.MaxDepth)}
	if rc.dir != "" {
		if d, err := filepath.EvalSymlinks(rc.dir); err == nil {
			tr.baseDir = d
		} else {
			tr.baseDir = filepath.Clean(rc.dir)
		}
	}
	c, err := tr.sc.peek()
	if err == io.EOF {
		return nil
	}
	if err == nil && c != '{' {
		return fmt.Errorf("%w: a Telegram Desktop export is one JSON object (result.json), found %q at byte %d", ErrMalformed, c, tr.sc.off)
	}
	if err == nil {
		err = tr.chat(tr.sc, true)
	}
	if err != nil {
		return documentError(rc, tr.sc, tr.rec, err)
	}
	return nil
}

// chat reads a chat object (or, at top level, a full export, whose chats
// are under chats.list and left_chats.list).
func (tr *tgReader) chat(sc *jsonScanner, top bool) error {
	var ch tgChat
	var pending []byte // messages met before the chat's id
	var pendingOff int64
	err := sc.object(func(key string) (bool, error) {
		var err error
		switch key {
		case "id":
			ch.ID, err = sc.stringValue(maxKeyBytes)
		case "name":
			ch.Name, err = sc.stringValue(maxKeyBytes)
		case "type":
			ch.Type, err = sc.stringValue(maxKeyBytes)
		case "messages":
			if ch.ID == "" && pending == nil {
				// Keys out of the usual order: hold the array until the
				// chat's id is known, bounded by the document limit.
				c, err := sc.peek()
				if err != nil {
					return true, eofUnexpected(err)
				}
				pendingOff = sc.off
				if c != '[' {
					return false, nil
				}
				var tooLong bool
				pending, tooLong, err = sc.value(nil, int(min(tr.rc.lim.MaxDocumentBytes, 1<<40)))
				if err == nil && tooLong {
					err = fmt.Errorf("%w: messages array over %d bytes (raise --max-document if the file is genuine)", ErrLimit, tr.rc.lim.MaxDocumentBytes)
				}
				return true, err
			}
			err = tr.messages(sc, &ch)
		case "chats", "left_chats":
			if !top {
				return false, nil
			}
			err = sc.object(func(k string) (bool, error) {
				if k != "list" {
					return false, nil
				}
				return true, sc.array(func(int64) error {
					c, err := sc.peek()
					if err != nil {
						return eofUnexpected(err)
					}
					if c != '{' {
						return sc.skip()
					}
					return tr.chat(sc, false)
				})
			})
		default:
			return false, nil
		}
		return true, err
	})
	if err != nil || pending == nil {
		return err
	}
	sub := newJSONScanner(bufio.NewReader(bytes.NewReader(pending)), pendingOff, tr.rc.lim.MaxDepth)
	if err := tr.messages(sub, &ch); err != nil {
		if sub.ioErr == nil && sub.depthErr {
			sc.depthErr = true
		}
		return err
	}
	return nil
}

// messages reads a messages array.
func (tr *tgReader) messages(sc *jsonScanner, ch *tgChat) error {
	c, err := sc.peek()
	if err != nil {
		return eofUnexpected(err)
	}
	if c != '[' {
		return sc.skip()
	}
	return sc.array(func(off int64) error {
		tr.rec++
		if sc.off > tr.rc.lim.MaxDocumentBytes {
			return fmt.Errorf("%w: the export is larger than %d bytes (raise --max-document if the file is genuine)", ErrLimit, tr.rc.lim.MaxDocumentBytes)
		}
		var tooLong bool
		var err error
		tr.buf, tooLong, err = sc.value(tr.buf[:0], tr.rc.lim.MaxRecordBytes)
		if err != nil {
			return err
		}
		if tooLong {
			return tr.rc.sink.skip(tr.rec, off, "record too long", fmt.Errorf("message exceeds %d bytes", tr.rc.lim.MaxRecordBytes))
		}
		var m tgMessage
		if err := json.UnmarshalNoEscape(tr.buf, &m); err != nil {
			return tr.rc.sink.skip(tr.rec, off, "invalid JSON", err)
		}
		if m.Type != "" && m.Type != "message" {
			return nil // service and unsupported messages are not posts
		}
		tr.p.Reset()
		if err := tr.toPost(&m, ch, off); err != nil {
			var stop errStopSkip
			if errors.As(err, &stop) {
				return stop.err
			}
			return tr.rc.sink.skip(tr.rec, off, "missing or bad field", err)
		}
		tr.p.Source = model.SourcePos{Line: tr.rec, Offset: off}
		return tr.rc.sink.post(&tr.p)
	})
}

// peerChatID returns the chat id of a peer reference such as
// "channel123" or "user123" (the digits), or the input when it has none.
func peerChatID(s string) string {
	i := strings.IndexAny(s, "0123456789-")
	if i <= 0 {
		return s
	}
	return s[i:]
}

func (tr *tgReader) toPost(m *tgMessage, ch *tgChat, off int64) error {
	p := &tr.p
	if m.ID == "" {
		return errors.New("message without id")
	}
	p.Platform = model.PlatformTelegram
	p.ID = ch.postID(ch.ID, string(m.ID))
	p.AccountID, p.Handle = string(m.FromID), m.From
	if p.AccountID == "" && p.Handle == "" {
		p.AccountID, p.Handle = ch.account(), ch.Name
	}
	if p.AccountID == "" && p.Handle == "" {
		return errors.New("message without from_id or from, in a chat without id or name")
	}
	var err error
	switch {
	case m.DateUnixtime != "":
		p.Time, err = ParseTime(string(m.DateUnixtime), tr.rc.tz)
	case m.Date != "":
		p.Time, err = ParseTime(m.Date, tr.rc.tz)
	default:
		err = errors.New("no date or date_unixtime")
	}
	if err != nil {
		return fmt.Errorf("date: %w", err)
	}
	p.Text = m.Text.String()
	p.Client = m.ViaBot
	ents := m.TextEntities
	if ents == nil {
		for i := range m.Text.Parts {
			ents = append(ents, m.Text.Parts[i].tgEntity)
		}
	}
	for i := range ents {
		e := &ents[i]
		switch e.Type {
		case "hashtag":
			if h := strings.TrimPrefix(e.Text, "#"); h != "" {
				p.Hashtags = append(p.Hashtags, h)
			}
		case "mention":
			if h := strings.TrimPrefix(e.Text, "@"); h != "" {
				p.Mentions = append(p.Mentions, h)
			}
		case "link":
			if u := strings.TrimSpace(e.Text); u != "" {
				p.URLs = append(p.URLs, u)
			}
		case "text_link":
			if e.Href != "" {
				p.URLs = append(p.URLs, e.Href)
			}
		}
	}
	if m.Photo != "" {
		if err := tr.addMedia(model.MediaPhoto, m.Photo, off); err != nil {
			return err
		}
	}
	if m.File != "" {
		if err := tr.addMedia(tgMediaType(m.MediaType, m.MimeType), m.File, off); err != nil {
			return err
		}
	}
	if m.ForwardedFrom != "" || m.ForwardedFromID != "" {
		p.RepostOf = model.Link{AccountID: string(m.ForwardedFromID), Handle: m.ForwardedFrom}
	}
	if m.ReplyToMessageID != "" {
		chatID := ch.ID
		if m.ReplyToPeerID != "" {
			chatID = peerChatID(string(m.ReplyToPeerID))
		}
		p.ReplyTo = model.Link{PostID: ch.postID(chatID, string(m.ReplyToMessageID))}
	}
	return nil
}

// errStopSkip wraps an error from the sink (strict mode) so that toPost's
// caller returns it instead of counting a second skip.
type errStopSkip struct{ err error }

func (e errStopSkip) Error() string { return e.err.Error() }
func (e errStopSkip) Unwrap() error { return e.err }

// addMedia appends a media item whose file path is checked first.
func (tr *tgReader) addMedia(t model.MediaType, raw string, off int64) error {
	ref, err := exportPath(tr.baseDir, raw)
	if err != nil {
		if serr := tr.rc.sink.skip(tr.rec, off, "unsafe media path", err); serr != nil {
			return errStopSkip{serr}
		}
		ref = ""
	}
	tr.p.Media = append(tr.p.Media, model.Media{Type: t, Ref: ref})
	return nil
}

// exportPath checks a media path from an export against the export folder
// base (already symlink-resolved; "" when unknown, e.g. stdin). It returns
// the cleaned relative path, "" for placeholders such as "(File not
// included. …)", or an ErrUnsafePath error when the path is absolute, has
// a ".." element, or resolves through symlinks outside base.
func exportPath(base, raw string) (string, error) {
	if raw == "" || strings.HasPrefix(raw, "(") {
		return "", nil
	}
	s := strings.ReplaceAll(raw, `\`, "/")
	bad := strings.IndexByte(s, 0) >= 0 || strings.HasPrefix(s, "/") || filepath.IsAbs(raw) ||
		(len(s) >= 2 && s[1] == ':') || filepath.VolumeName(raw) != ""
	if !bad {
		for _, el := range strings.Split(s, "/") {
			if el == ".." {
				bad = true
				break
			}
		}
	}
	if bad {
		return "", fmt.Errorf("%w: %q", ErrUnsafePath, raw)
	}
	clean := path.Clean(s)
	if base == "" {
		return clean, nil
	}
	// Resolve the longest existing prefix: a symlinked file or folder
	// inside the export must not lead out of it.
	full := filepath.Join(base, filepath.FromSlash(clean))
	for p := full; len(p) > len(base); p = filepath.Dir(p) {
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			continue
		}
		rel, err := filepath.Rel(base, real)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			return "", fmt.Errorf("%w: %q resolves to %s", ErrUnsafePath, raw, real)
		}
		break
	}
	return clean, nil
}
