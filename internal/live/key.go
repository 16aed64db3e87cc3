package live

import (
	"encoding/binary"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/normalize"
)

// appendKey appends the de-duplication key of p: the corpus's (platform,
// post id, repost object), so that live mode counts a post once exactly
// when a batch analysis would. A post without an id (some CSV exports)
// gets a content key instead — account, post time and a hash of its text
// — since the corpus's derived "file#record" id means nothing across
// messages; two such posts are one when the same account posted the same
// text at the same millisecond.
//
//	platform byte, 'i', id, 0, repost object       (post with an id)
//	platform byte, 'c', account, 0, time, text hash (post without one)
func appendKey(dst []byte, p *model.Post) []byte {
	dst = append(dst, byte(p.Platform))
	if p.ID != "" {
		dst = append(dst, 'i')
		dst = append(dst, p.ID...)
		dst = append(dst, 0)
		if !p.RepostOf.IsZero() {
			dst = append(dst, corpus.RepostKey(p.Platform, p.RepostOf, p.Text)...)
		}
		return dst
	}
	dst = append(dst, 'c')
	if p.AccountID != "" {
		dst = append(dst, p.AccountID...)
	} else {
		dst = append(dst, '@')
		dst = normalize.AppendHandle(dst, p.Handle)
	}
	dst = append(dst, 0)
	dst = binary.BigEndian.AppendUint64(dst, uint64(p.Time.UnixMilli()))
	return binary.BigEndian.AppendUint64(dst, normalize.Hash64(p.Text))
}
