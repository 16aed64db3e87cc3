// Package eventlib defines the entries of chorus's event library — an
// analysed event, its watch lists and its indicator vector — with their
// validation, and the library file format that `chorus events export` and
// `import` use (docs/store.md). It has no storage dependency, so the file
// parser can be fuzzed on its own; internal/store persists these values.
package eventlib

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Event is one entry of the event library: an analysed (or to be analysed)
// event, what to watch for in its data, and the indicators its analysis
// produced, so new events can be reported against past ones.
//
// The JSON form is the library file format (`chorus events export`,
// docs/store.md).
type Event struct {
	// Name identifies the event (unique, case-sensitive).
	Name string `json:"name"`
	// T0 is the event time; TClaim the official claim of responsibility
	// (zero: none). Both are stored in UTC to the millisecond.
	T0     time.Time `json:"t0"`
	TClaim time.Time `json:"t_claim,omitzero"`
	Place  string    `json:"place,omitempty"`
	// Languages are lower-case language codes (ISO 639-1/3, optionally
	// with a subtag: "ar", "fr", "pt-br").
	Languages []string `json:"languages,omitempty"`
	Watch     Watch    `json:"watch,omitzero"`
	// Indicators is the event's indicator vector (docs/indicators.md).
	// In store.PutEvent, nil keeps the stored vector and non-nil replaces it.
	Indicators map[string]float64 `json:"indicators,omitempty"`
	// Lists holds short named lists computed by an analysis, such as
	// "top_hashtags", in rank order. Same nil rule as Indicators.
	Lists map[string][]string `json:"lists,omitempty"`

	// Created and Updated are set by the store.
	Created time.Time `json:"-"`
	Updated time.Time `json:"-"`
}

// Watch lists what an analysis of the event should look for.
type Watch struct {
	// Accounts of interest (handles without "@", or numeric ids),
	// lower-cased.
	Accounts []string `json:"accounts,omitempty"`
	// MediaOutlets are accounts of media outlets (e.g. Amaq), lower-cased.
	MediaOutlets []string `json:"media_outlets,omitempty"`
	// Branding are regular expressions (Go syntax, RE2) matching a media
	// outlet's branding in post text; a plain name ("Amaq") is a valid
	// pattern, brackets must be escaped (`\[Nashir\]`).
	Branding []string `json:"branding,omitempty"`
	// Quotes are known quotes (claim texts, slogans) to find in posts.
	Quotes []string `json:"quotes,omitempty"`
	// Hashes identify known publications: content hashes in lower-case
	// hex, optionally prefixed by the algorithm ("sha256:…", "phash:…",
	// "pdq:…", as ingest gives media hashes), or http(s) URLs (kept as
	// given).
	Hashes []string `json:"hashes,omitempty"`
}

// IsZero reports whether every list is empty.
func (w Watch) IsZero() bool {
	return len(w.Accounts)+len(w.MediaOutlets)+len(w.Branding)+len(w.Quotes)+len(w.Hashes) == 0
}

// ErrInvalid marks a value that fails validation (empty name, zero T0,
// bad regular expression, malformed hash, malformed library file, …).
var ErrInvalid = errors.New("invalid")

// Limits on what one event may hold; they keep a hand-edited or hostile
// library file from filling the database.
const (
	maxNameBytes   = 200
	maxPlaceBytes  = 1000
	maxValueBytes  = 16 << 10
	maxKeyBytes    = 128
	maxListEntries = 100000
)

var (
	langRE = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{1,8})*$`)
	hashRE = regexp.MustCompile(`^([a-z][a-z0-9]{0,15}:)?[0-9a-f]{8,512}$`)
)

// Normalized returns a validated, canonical copy of ev: names and values
// trimmed, times in UTC truncated to the millisecond, languages, accounts
// and hashes lower-cased, "@" stripped from accounts, duplicates dropped
// (first occurrence kept), empty lists dropped. Indicator values that are
// not finite (NaN: not computable) are dropped and their names returned.
// ev is not modified. Errors wrap ErrInvalid.
func (ev *Event) Normalized() (Event, []string, error) {
	out := Event{Created: ev.Created, Updated: ev.Updated}
	name := strings.TrimSpace(ev.Name)
	if err := checkText("name", name, maxNameBytes, false); err != nil {
		return out, nil, err
	}
	if name == "" {
		return out, nil, fmt.Errorf("%w: event name is empty", ErrInvalid)
	}
	out.Name = name
	var err error
	if out.T0, err = checkTime(name, "t0", ev.T0); err != nil {
		return out, nil, err
	}
	if out.T0.IsZero() {
		return out, nil, fmt.Errorf("%w: event %q: t0 is required", ErrInvalid, name)
	}
	if out.TClaim, err = checkTime(name, "t_claim", ev.TClaim); err != nil {
		return out, nil, err
	}
	out.Place = strings.TrimSpace(ev.Place)
	if err := checkText(name+": place", out.Place, maxPlaceBytes, true); err != nil {
		return out, nil, err
	}
	if out.Languages, err = normList(name, "languages", ev.Languages, func(s string) (string, error) {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !langRE.MatchString(s) {
			return "", fmt.Errorf("%q is not a language code (e.g. ar, en, fr, pt-br)", s)
		}
		return s, nil
	}); err != nil {
		return out, nil, err
	}
	if out.Watch.Accounts, err = normList(name, "watch accounts", ev.Watch.Accounts, normAccount); err != nil {
		return out, nil, err
	}
	if out.Watch.MediaOutlets, err = normList(name, "media outlets", ev.Watch.MediaOutlets, normAccount); err != nil {
		return out, nil, err
	}
	if out.Watch.Branding, err = normList(name, "branding", ev.Watch.Branding, func(s string) (string, error) {
		s = strings.TrimSpace(s)
		if s == "" {
			return "", nil
		}
		if _, err := regexp.Compile(s); err != nil {
			return "", fmt.Errorf("regular expression %q: %v", s, err)
		}
		return s, nil
	}); err != nil {
		return out, nil, err
	}
	if out.Watch.Quotes, err = normList(name, "quotes", ev.Watch.Quotes, func(s string) (string, error) {
		return strings.TrimSpace(s), nil
	}); err != nil {
		return out, nil, err
	}
	if out.Watch.Hashes, err = normList(name, "hashes", ev.Watch.Hashes, normHash); err != nil {
		return out, nil, err
	}
	var dropped []string
	if out.Indicators, dropped, err = NormIndicators(name, ev.Indicators); err != nil {
		return out, nil, err
	}
	if out.Lists, err = NormLists(name, ev.Lists); err != nil {
		return out, nil, err
	}
	return out, dropped, nil
}

// normHash accepts a content hash (lower-cased) or an http(s) URL (kept
// as given).
func normHash(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if l := strings.ToLower(s); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
		if strings.IndexFunc(s, unicode.IsSpace) >= 0 || len(s) <= len("https://") {
			return "", fmt.Errorf("URL %q is malformed", clip(s, 60))
		}
		return s, nil
	}
	s = strings.ToLower(s)
	if !hashRE.MatchString(s) {
		return "", fmt.Errorf("%q is neither a hex hash (sha256:9f86d0…, phash:…, or bare hex of 8 to 512 digits) nor an http(s) URL", clip(s, 40))
	}
	return s, nil
}

func normAccount(s string) (string, error) {
	s = strings.ToLower(strings.TrimLeft(strings.TrimSpace(s), "@"))
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return "", fmt.Errorf("account %q contains white space", s)
	}
	return s, nil
}

// checkTime validates and canonicalises a time (zero passes).
func checkTime(event, field string, t time.Time) (time.Time, error) {
	if t.IsZero() {
		return t, nil
	}
	t = t.UTC().Truncate(time.Millisecond)
	if y := t.Year(); y < 1900 || y > 9999 {
		return t, fmt.Errorf("%w: event %q: %s %s is outside years 1900..9999", ErrInvalid, event, field, t.Format(time.RFC3339))
	}
	return t, nil
}

// checkText rejects invalid UTF-8, over-long values and (unless
// multiline) control characters.
func checkText(what, s string, maxBytes int, multiline bool) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalid, what)
	}
	if len(s) > maxBytes {
		return fmt.Errorf("%w: %s is %d bytes, more than %d", ErrInvalid, what, len(s), maxBytes)
	}
	for _, r := range s {
		if r == 0 || (!multiline && unicode.IsControl(r)) {
			return fmt.Errorf("%w: %s %q contains a control character", ErrInvalid, what, clip(s, 40))
		}
	}
	return nil
}

// normList applies f to every entry, drops empty results and duplicates,
// and returns nil for an empty list.
func normList(event, what string, in []string, f func(string) (string, error)) ([]string, error) {
	if len(in) > maxListEntries {
		return nil, fmt.Errorf("%w: event %q: %s has %d entries, more than %d", ErrInvalid, event, what, len(in), maxListEntries)
	}
	var out []string
	for _, s := range in {
		if err := checkText(fmt.Sprintf("event %q: %s entry", event, what), s, maxValueBytes, true); err != nil {
			return nil, err
		}
		v, err := f(s)
		if err != nil {
			return nil, fmt.Errorf("%w: event %q: %s: %v", ErrInvalid, event, what, err)
		}
		if v == "" || slices.Contains(out, v) {
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

func checkKey(event, what, k string) error {
	if k == "" || strings.TrimSpace(k) != k {
		return fmt.Errorf("%w: event %q: %s name %q is empty or has surrounding spaces", ErrInvalid, event, what, k)
	}
	return checkText(fmt.Sprintf("event %q: %s name", event, what), k, maxKeyBytes, false)
}

// NormIndicators validates and copies the vector, dropping non-finite values (their
// names are returned, sorted). nil stays nil ("keep stored"); a non-nil
// vector stays non-nil even when empty ("clear").
func NormIndicators(event string, in map[string]float64) (map[string]float64, []string, error) {
	if in == nil {
		return nil, nil, nil
	}
	if len(in) > maxListEntries {
		return nil, nil, fmt.Errorf("%w: event %q: %d indicators, more than %d", ErrInvalid, event, len(in), maxListEntries)
	}
	out := make(map[string]float64, len(in))
	var dropped []string
	for k, v := range in {
		if err := checkKey(event, "indicator", k); err != nil {
			return nil, nil, err
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			dropped = append(dropped, k)
			continue
		}
		out[k] = v
	}
	slices.Sort(dropped)
	return out, dropped, nil
}

// NormLists validates and copies the lists; values are kept verbatim (rank order,
// duplicates allowed) but must be valid text; empty lists are dropped.
func NormLists(event string, in map[string][]string) (map[string][]string, error) {
	if in == nil {
		return nil, nil
	}
	out := make(map[string][]string, len(in))
	for k, vs := range in {
		if err := checkKey(event, "list", k); err != nil {
			return nil, err
		}
		if len(vs) > maxListEntries {
			return nil, fmt.Errorf("%w: event %q: list %q has %d entries, more than %d", ErrInvalid, event, k, len(vs), maxListEntries)
		}
		for _, v := range vs {
			if err := checkText(fmt.Sprintf("event %q: list %q entry", event, k), v, maxValueBytes, true); err != nil {
				return nil, err
			}
		}
		if len(vs) > 0 {
			out[k] = slices.Clone(vs)
		}
	}
	return out, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
