package ingest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chorus-osint/chorus/internal/model"
)

// genericCSVField is one field of the generic schema and the columns it is
// read from when --map does not name one.
type genericCSVField struct {
	name     string
	defaults []string
}

// genericCSVFields lists the generic schema (docs/formats.md). The
// index of each field is its slot in genericCSVCols.
var genericCSVFields = []genericCSVField{
	gID:              {"id", []string{"id"}},
	gPlatform:        {"platform", []string{"platform"}},
	gAccount:         {"account_id", []string{"account_id", "account"}},
	gHandle:          {"handle", []string{"handle"}},
	gTime:            {"time", []string{"time", "timestamp"}},
	gText:            {"text", []string{"text"}},
	gLang:            {"lang", []string{"lang"}},
	gHashtags:        {"hashtags", []string{"hashtags"}},
	gMentions:        {"mentions", []string{"mentions"}},
	gURLs:            {"urls", []string{"urls"}},
	gMedia:           {"media", []string{"media"}},
	gRepostOf:        {"repost_of", []string{"repost_of"}},
	gRepostOfAccount: {"repost_of_account", []string{"repost_of_account"}},
	gRepostOfHandle:  {"repost_of_handle", []string{"repost_of_handle"}},
	gQuoteOf:         {"quote_of", []string{"quote_of"}},
	gQuoteOfAccount:  {"quote_of_account", []string{"quote_of_account"}},
	gReplyTo:         {"reply_to", []string{"reply_to"}},
	gReplyToAccount:  {"reply_to_account", []string{"reply_to_account"}},
	gClient:          {"client", []string{"client"}},
}

const (
	gID = iota
	gPlatform
	gAccount
	gHandle
	gTime
	gText
	gLang
	gHashtags
	gMentions
	gURLs
	gMedia
	gRepostOf
	gRepostOfAccount
	gRepostOfHandle
	gQuoteOf
	gQuoteOfAccount
	gReplyTo
	gReplyToAccount
	gClient
	gNumFields
)

// genericMapAliases are --map keys accepted for a field besides its name.
var genericMapAliases = map[string]int{"account": gAccount, "timestamp": gTime}

// genericCSVColumns resolves every field to a column index (-1 when
// absent) from --map (field=column) and the default names.
func genericCSVColumns(r *csvRecords, m map[string]string) ([gNumFields]int, error) {
	var cols [gNumFields]int
	mapped := [gNumFields]string{}
	for k, v := range m {
		k = strings.ToLower(strings.TrimSpace(k))
		i, ok := genericMapAliases[k]
		if !ok {
			i = -1
			for j, f := range genericCSVFields {
				if f.name == k {
					i = j
				}
			}
		}
		if i < 0 {
			return cols, fmt.Errorf("%w: --map names an unknown field %q; the fields are %s (and the aliases account, timestamp)", ErrMalformed, k, strings.Join(genericCSVFieldNames(), ", "))
		}
		mapped[i] = strings.ToLower(strings.TrimSpace(v))
	}
	for i, f := range genericCSVFields {
		if mapped[i] != "" {
			if cols[i] = r.col(mapped[i]); cols[i] < 0 {
				return cols, fmt.Errorf("%w: --map %s=%s, but the header has no column %q; the header has: %s", ErrMalformed, f.name, mapped[i], mapped[i], strings.Join(r.raw, ", "))
			}
			continue
		}
		cols[i] = r.col(f.defaults...)
	}
	var missing []string
	if cols[gAccount] < 0 && cols[gHandle] < 0 {
		missing = append(missing, "an account (account_id, account or handle)")
	}
	if cols[gTime] < 0 {
		missing = append(missing, "a time (time or timestamp)")
	}
	if len(missing) > 0 {
		return cols, fmt.Errorf("%w: generic CSV needs %s column; the header has: %s; name yours with --map, e.g. --map account=user,time=date,text=body (fields: id, platform, account_id, handle, time, text, lang, hashtags, mentions, urls, media, repost_of, repost_of_account, repost_of_handle, quote_of, quote_of_account, reply_to, reply_to_account, client)",
			ErrMalformed, strings.Join(missing, " and "), strings.Join(r.raw, ", "))
	}
	return cols, nil
}

// readGenericCSV reads the generic CSV schema (docs/formats.md): columns
// named after the fields, or renamed with --map field=column. An account
// (account_id/account or handle) and a time (time/timestamp) are required;
// everything else is optional, the post id included (the corpus derives
// file#line). List cells (hashtags, mentions, urls, media) are a JSON
// array, or items separated by white space or '|' (and ',' for hashtags
// and mentions, whose items cannot contain one; URLs can). A media item
// "sha256:…", "phash:…" or "pdq:…" is a content hash, anything else a
// reference (URL or path). Text without a repost_of becomes an inferred
// repost when it starts "RT @x:".
func readGenericCSV(rc *readCtx) error {
	r, err := newCSVRecords(rc)
	if err != nil {
		return err
	}
	c, err := genericCSVColumns(r, rc.opts.Map)
	if err != nil {
		return err
	}
	var p model.Post
	for {
		ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		p.Reset()
		p.ID = r.f(c[gID])
		p.AccountID, p.Handle = r.f(c[gAccount]), strings.TrimPrefix(r.f(c[gHandle]), "@")
		if p.AccountID == "" && p.Handle == "" {
			if err := rc.sink.skip(r.Line, r.Offset, "missing account", fmt.Errorf("empty account and handle")); err != nil {
				return err
			}
			continue
		}
		if p.Time, err = ParseTime(r.f(c[gTime]), rc.tz); err != nil {
			if err := rc.sink.skip(r.Line, r.Offset, "bad time", err); err != nil {
				return err
			}
			continue
		}
		p.Platform = model.ParsePlatform(strings.ToLower(strings.TrimSpace(r.f(c[gPlatform]))))
		if p.Platform == model.PlatformUnknown {
			p.Platform = model.PlatformGeneric
		}
		p.Text, p.Lang, p.Client = r.f(c[gText]), r.f(c[gLang]), r.f(c[gClient])
		p.Hashtags = splitListCell(r.f(c[gHashtags]), p.Hashtags, true, '#')
		p.Mentions = splitListCell(r.f(c[gMentions]), p.Mentions, true, '@')
		p.URLs = splitListCell(r.f(c[gURLs]), p.URLs, false, 0)
		var refs [8]string
		for _, m := range splitListCell(r.f(c[gMedia]), refs[:0], false, 0) {
			if strings.HasPrefix(m, "sha256:") || strings.HasPrefix(m, "phash:") || strings.HasPrefix(m, "pdq:") {
				p.Media = append(p.Media, model.Media{Hash: m})
			} else {
				p.Media = append(p.Media, model.Media{Ref: m})
			}
		}
		p.RepostOf = model.Link{PostID: r.f(c[gRepostOf]), AccountID: r.f(c[gRepostOfAccount]), Handle: r.f(c[gRepostOfHandle])}
		p.QuoteOf = model.Link{PostID: r.f(c[gQuoteOf]), AccountID: r.f(c[gQuoteOfAccount])}
		p.ReplyTo = model.Link{PostID: r.f(c[gReplyTo]), AccountID: r.f(c[gReplyToAccount])}
		if p.RepostOf.IsZero() {
			inferRepost(&p)
		}
		if err := emitCSVPost(rc, r, &p); err != nil {
			return err
		}
	}
}

// genericCSVFieldNames returns the schema's field names, sorted.
func genericCSVFieldNames() []string {
	out := make([]string, 0, len(genericCSVFields))
	for _, f := range genericCSVFields {
		out = append(out, f.name)
	}
	sort.Strings(out)
	return out
}
