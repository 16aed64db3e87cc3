package live

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

// The post codec is the compact binary form of a model.Post kept in the
// store's live_posts.post column, from which the detector is rebuilt after
// a restart. It is private to live mode (the store treats it as opaque
// bytes) and versioned by its first byte.
//
//	version byte (postCodecV1)
//	platform byte
//	time: varint Unix nanoseconds
//	strings (uvarint length + bytes): id, account id, handle, text, lang, client
//	lists (uvarint count, then strings): hashtags, mentions, urls
//	media (uvarint count, then per item: type byte, ref, key, hash)
//	links (repost, quote, reply; each: flags byte, post id, account id, handle)
//	source: file string, line varint, offset varint
const postCodecV1 = 1

// maxCodecString bounds one decoded string (a corrupt length cannot make
// the decoder allocate more than the input holds anyway; this is a sanity
// limit well above any real field).
const maxCodecString = 64 << 20

// appendPost appends p's encoding to dst.
func appendPost(dst []byte, p *model.Post) []byte {
	dst = append(dst, postCodecV1, byte(p.Platform))
	dst = binary.AppendVarint(dst, p.Time.UnixNano())
	for _, s := range [...]string{p.ID, p.AccountID, p.Handle, p.Text, p.Lang, p.Client} {
		dst = appendString(dst, s)
	}
	for _, l := range [...][]string{p.Hashtags, p.Mentions, p.URLs} {
		dst = binary.AppendUvarint(dst, uint64(len(l)))
		for _, s := range l {
			dst = appendString(dst, s)
		}
	}
	dst = binary.AppendUvarint(dst, uint64(len(p.Media)))
	for _, m := range p.Media {
		dst = append(dst, byte(m.Type))
		dst = appendString(dst, m.Ref)
		dst = appendString(dst, m.Key)
		dst = appendString(dst, m.Hash)
	}
	for _, l := range [...]*model.Link{&p.RepostOf, &p.QuoteOf, &p.ReplyTo} {
		var f byte
		if l.Inferred {
			f = 1
		}
		dst = append(dst, f)
		dst = appendString(dst, l.PostID)
		dst = appendString(dst, l.AccountID)
		dst = appendString(dst, l.Handle)
	}
	dst = appendString(dst, p.Source.File)
	dst = binary.AppendVarint(dst, p.Source.Line)
	dst = binary.AppendVarint(dst, p.Source.Offset)
	return dst
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// postDecoder reads the encoding of one post.
type postDecoder struct {
	b   []byte
	err error
}

func (d *postDecoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: encoded post: bad %s", ErrCorruptRecord, what)
	}
}

func (d *postDecoder) byte1(what string) byte {
	if d.err != nil || len(d.b) < 1 {
		d.fail(what)
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *postDecoder) varint(what string) int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *postDecoder) count(what string) int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	// Every element takes at least one byte, so a count above the bytes
	// left is corrupt (and cannot make us allocate much).
	if n <= 0 || v > uint64(len(d.b)-n) {
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *postDecoder) str(what string) string {
	if d.err != nil {
		return ""
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > uint64(len(d.b)-n) || v > maxCodecString {
		d.fail(what)
		return ""
	}
	s := string(d.b[n : n+int(v)])
	d.b = d.b[n+int(v):]
	return s
}

func (d *postDecoder) strs(dst []string, what string) []string {
	n := d.count(what)
	for range n {
		dst = append(dst, d.str(what))
	}
	return dst
}

// decodePost decodes b (made by appendPost) into p, reusing p's slices.
func decodePost(b []byte, p *model.Post) error {
	p.Reset()
	d := postDecoder{b: b}
	if v := d.byte1("version"); d.err == nil && v != postCodecV1 {
		return fmt.Errorf("%w: encoded post: version %d (this chorus reads %d)", ErrCorruptRecord, v, postCodecV1)
	}
	p.Platform = model.Platform(d.byte1("platform"))
	p.Time = time.Unix(0, d.varint("time")).UTC()
	p.ID = d.str("id")
	p.AccountID = d.str("account id")
	p.Handle = d.str("handle")
	p.Text = d.str("text")
	p.Lang = d.str("lang")
	p.Client = d.str("client")
	p.Hashtags = d.strs(p.Hashtags, "hashtags")
	p.Mentions = d.strs(p.Mentions, "mentions")
	p.URLs = d.strs(p.URLs, "urls")
	n := d.count("media")
	for range n {
		var m model.Media
		m.Type = model.MediaType(d.byte1("media type"))
		m.Ref, m.Key, m.Hash = d.str("media ref"), d.str("media key"), d.str("media hash")
		p.Media = append(p.Media, m)
	}
	for _, l := range [...]*model.Link{&p.RepostOf, &p.QuoteOf, &p.ReplyTo} {
		l.Inferred = d.byte1("link flags") == 1
		l.PostID, l.AccountID, l.Handle = d.str("link post id"), d.str("link account id"), d.str("link handle")
	}
	p.Source.File = d.str("source file")
	p.Source.Line = d.varint("source line")
	p.Source.Offset = d.varint("source offset")
	if d.err == nil && len(d.b) != 0 {
		d.fail("length (trailing bytes)")
	}
	return d.err
}
