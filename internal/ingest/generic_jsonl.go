package ingest

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/chorus-osint/chorus/internal/model"
)

// genericLink is a reference in the generic schema: either a bare post id
// string or an object.
type genericLink struct {
	PostID    string `json:"post_id"`
	AccountID string `json:"account_id"`
	Handle    string `json:"handle"`
	Inferred  bool   `json:"inferred"`
}

func (l *genericLink) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &l.PostID)
	}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	type plain genericLink
	return json.Unmarshal(b, (*plain)(l))
}

func (l genericLink) link() model.Link {
	return model.Link{PostID: l.PostID, AccountID: l.AccountID, Handle: l.Handle, Inferred: l.Inferred}
}

type genericMedia struct {
	Type string `json:"type"`
	Ref  string `json:"ref"`
	Key  string `json:"key"`
	Hash string `json:"hash"`
}

// genericRecord is one post in the generic JSONL schema (docs/formats.md).
// chorus synth writes it; any tool can.
type genericRecord struct {
	ID        json.RawMessage `json:"id"`
	Platform  string          `json:"platform"`
	AccountID json.RawMessage `json:"account_id"`
	Account   json.RawMessage `json:"account"`
	Handle    string          `json:"handle"`
	Time      json.RawMessage `json:"time"`
	Timestamp json.RawMessage `json:"timestamp"`
	Text      string          `json:"text"`
	Lang      string          `json:"lang"`
	Hashtags  []string        `json:"hashtags"`
	Mentions  []string        `json:"mentions"`
	URLs      []string        `json:"urls"`
	Media     []genericMedia  `json:"media"`
	RepostOf  genericLink     `json:"repost_of"`
	QuoteOf   genericLink     `json:"quote_of"`
	ReplyTo   genericLink     `json:"reply_to"`
	Client    string          `json:"client"`
}

// scalarString returns a JSON string's value or a number's literal text, so
// that ids are never parsed through float64.
func scalarString(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	for _, c := range raw {
		if !(c >= '0' && c <= '9' || c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+') {
			return "", fmt.Errorf("expected a string or number, got %.20s", raw)
		}
	}
	return string(raw), nil
}

// toPost fills p from a decoded generic record.
func (g *genericRecord) toPost(rc *readCtx, p *model.Post) error {
	var err error
	if p.ID, err = scalarString(g.ID); err != nil {
		return fmt.Errorf("id: %w", err)
	}
	acct := g.AccountID
	if len(acct) == 0 {
		acct = g.Account
	}
	if p.AccountID, err = scalarString(acct); err != nil {
		return fmt.Errorf("account_id: %w", err)
	}
	p.Handle = g.Handle
	if p.AccountID == "" && p.Handle == "" {
		return fmt.Errorf("no account_id or handle")
	}
	ts := g.Time
	if len(ts) == 0 {
		ts = g.Timestamp
	}
	tsText, err := scalarString(ts)
	if err != nil {
		return fmt.Errorf("time: %w", err)
	}
	if p.Time, err = ParseTime(tsText, rc.tz); err != nil {
		return fmt.Errorf("time: %w", err)
	}
	p.Platform = model.ParsePlatform(g.Platform)
	if p.Platform == model.PlatformUnknown {
		p.Platform = model.PlatformGeneric
	}
	p.Text, p.Lang, p.Client = g.Text, g.Lang, g.Client
	p.Hashtags = append(p.Hashtags, g.Hashtags...)
	p.Mentions = append(p.Mentions, g.Mentions...)
	p.URLs = append(p.URLs, g.URLs...)
	for _, m := range g.Media {
		p.Media = append(p.Media, model.Media{Type: model.ParseMediaType(m.Type), Ref: m.Ref, Key: m.Key, Hash: m.Hash})
	}
	p.RepostOf, p.QuoteOf, p.ReplyTo = g.RepostOf.link(), g.QuoteOf.link(), g.ReplyTo.link()
	if p.RepostOf.IsZero() {
		inferRepost(p)
	}
	return nil
}

// genericJSONLKeys are the keys of genericRecord: the fields --map may
// name for generic-jsonl.
var genericJSONLKeys = []string{"id", "platform", "account_id", "account", "handle", "time", "timestamp", "text", "lang", "hashtags", "mentions", "urls", "media", "repost_of", "quote_of", "reply_to", "client"}

// genericJSONLMap checks --map for generic-jsonl and returns it with the
// field names lower-cased and trimmed. An unknown field (a typo would
// otherwise skip every record as "missing or bad field") or a CSV-only
// field is an error naming the fields, as for generic-csv.
func genericJSONLMap(m map[string]string) (map[string]string, error) {
	if len(m) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		field := strings.ToLower(strings.TrimSpace(k))
		if !slices.Contains(genericJSONLKeys, field) {
			why := "an unknown field"
			if slices.ContainsFunc(genericCSVFields, func(f genericCSVField) bool { return f.name == field }) {
				why = "a CSV-only field"
			}
			return nil, fmt.Errorf("%w: --map names %s %q; the generic-jsonl fields are %s (repost_of, quote_of and reply_to may be objects with post_id, account_id, handle)", ErrMalformed, why, k, strings.Join(genericJSONLKeys, ", "))
		}
		// The aliases land on the key toPost prefers, so a mapped column
		// wins over an unmapped account_id/time in the same record.
		switch field {
		case "account":
			field = "account_id"
		case "timestamp":
			field = "time"
		}
		out[field] = strings.TrimSpace(v)
	}
	return out, nil
}

// applyJSONMap renames keys of a JSON object line per opts.Map (field ->
// source key) and returns the re-encoded object.
func applyJSONMap(line []byte, m map[string]string) ([]byte, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(line, &obj); err != nil {
		return nil, err
	}
	for field, src := range m {
		if v, ok := obj[src]; ok {
			obj[field] = v
		}
	}
	return json.Marshal(obj)
}

// readGenericJSONL reads the generic schema, one object per line.
func readGenericJSONL(rc *readCtx) error {
	colMap, err := genericJSONLMap(rc.opts.Map)
	if err != nil {
		return err
	}
	lr := newLineReader(rc.r, rc.lim.MaxRecordBytes)
	var p model.Post
	for {
		line, ln, off, tooLong, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if tooLong {
			if err := rc.sink.skip(ln, off, "record too long", fmt.Errorf("line exceeds %d bytes", rc.lim.MaxRecordBytes)); err != nil {
				return err
			}
			continue
		}
		if isBlank(line) {
			continue
		}
		if err := CheckDepth(line, rc.lim.MaxDepth); err != nil {
			if err := rc.sink.skip(ln, off, "nesting too deep", err); err != nil {
				return err
			}
			continue
		}
		if len(colMap) > 0 {
			if line, err = applyJSONMap(line, colMap); err != nil {
				if err := rc.sink.skip(ln, off, "invalid JSON", err); err != nil {
					return err
				}
				continue
			}
		}
		var g genericRecord
		if err := json.Unmarshal(line, &g); err != nil {
			if err := rc.sink.skip(ln, off, "invalid JSON", err); err != nil {
				return err
			}
			continue
		}
		p.Reset()
		if err := g.toPost(rc, &p); err != nil {
			if err := rc.sink.skip(ln, off, "missing or bad field", err); err != nil {
				return err
			}
			continue
		}
		p.Source = model.SourcePos{Line: ln, Offset: off}
		if err := rc.sink.post(&p); err != nil {
			return err
		}
	}
}
