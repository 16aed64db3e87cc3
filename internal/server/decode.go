package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/store"
)

// Request bodies. Each has a decoder (decodeJSON into it, then validate)
// and a fuzz target (decode_fuzz_test.go).

// decodeJSON reads exactly one JSON object from r's body (already limited
// to max-body-bytes) into v: the content type must be JSON (which also
// makes a cross-site form post impossible without a CORS preflight),
// unknown fields and trailing data are refused.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return badRequest("Content-Type must be application/json, not %q", ct)
		}
	} else {
		return badRequest("Content-Type must be application/json")
	}
	return decodeBody(r.Body, v)
}

// decodeBody decodes one JSON value from body into v.
func decodeBody(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return fmt.Errorf("%w: the limit is %d bytes (--max-body-bytes)", ErrTooLarge, mbe.Limit)
		}
		if errors.Is(err, io.EOF) {
			return badRequest("empty body: a JSON object is expected")
		}
		return badRequest("malformed JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequest("trailing data after the JSON object")
	}
	return nil
}

// loginRequest is POST /api/login.
type loginRequest struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

func (q *loginRequest) validate() error {
	if q.Name == "" || q.Password == "" {
		return badRequest("name and password are required")
	}
	if len(q.Name) > 64 || len(q.Password) > MaxPasswordLen {
		return ErrLoginFailed
	}
	return nil
}

// eventRequest is POST /api/events and PUT /api/events/{name}.
type eventRequest struct {
	Name      string      `json:"name"`
	T0        string      `json:"t0"`
	TClaim    string      `json:"t_claim"`
	Place     string      `json:"place"`
	Languages []string    `json:"languages"`
	Watch     store.Watch `json:"watch"`
}

// event converts the request into a library event (validated and
// normalised by the store).
func (q *eventRequest) event() (store.Event, error) {
	ev := store.Event{Name: strings.TrimSpace(q.Name), Place: q.Place, Languages: q.Languages, Watch: q.Watch}
	if ev.Name == "" {
		return ev, badRequest("name is required")
	}
	if q.T0 == "" {
		return ev, badRequest("t0 is required (RFC 3339, e.g. 2016-03-22T06:58:00Z)")
	}
	t0, err := ingest.ParseTime(q.T0, time.UTC)
	if err != nil {
		return ev, badRequest("t0: %v", err)
	}
	ev.T0 = t0
	if q.TClaim != "" {
		tc, err := ingest.ParseTime(q.TClaim, time.UTC)
		if err != nil {
			return ev, badRequest("t_claim: %v", err)
		}
		ev.TClaim = tc
	}
	if _, _, err := ev.Normalized(); err != nil {
		return ev, err
	}
	return ev, nil
}

// analysisRequest is POST /api/events/{name}/analyses.
type analysisRequest struct {
	// Uploads are the upload ids to analyse together.
	Uploads []string `json:"uploads"`
	// Params overrides analysis parameters by name (`chorus params`),
	// values as strings or numbers; only the analysis sections are
	// accepted (see analysisParams).
	Params map[string]json.RawMessage `json:"params"`
}

// maxAnalysisUploads bounds one analysis's inputs.
const maxAnalysisUploads = 1000

// analysisSections are the parameter sections an API client may set.
// The ingest limits, the store, the output and the server are the
// server's own; --stance-model may not name a file on the server.
var analysisSections = map[string]bool{"coord": true, "cluster": true, "indicators": true, "stance": true}

// analysisIngestParams are the ingest parameters a client may set.
var analysisIngestParams = map[string]bool{"format": true, "tz": true, "map": true, "strict": true}

// apply validates the request and applies its parameters to cfg.
func (q *analysisRequest) apply(cfg *config.Config) error {
	if len(q.Uploads) == 0 {
		return badRequest("uploads: give at least one upload id")
	}
	if len(q.Uploads) > maxAnalysisUploads {
		return badRequest("uploads: at most %d", maxAnalysisUploads)
	}
	seen := map[string]bool{}
	for _, id := range q.Uploads {
		if !validUploadID(id) {
			return badRequest("uploads: %q is not an upload id", clip(id, 40))
		}
		if seen[id] {
			return badRequest("uploads: %q given twice", id)
		}
		seen[id] = true
	}
	byName := map[string]config.Param{}
	for _, p := range cfg.Params() {
		byName[p.Name] = p
	}
	for name, raw := range q.Params {
		p, ok := byName[name]
		if !ok {
			return badRequest("params: unknown parameter %q (`chorus params` lists them)", clip(name, 40))
		}
		if !analysisSections[p.Section] && !(p.Section == "ingest" && analysisIngestParams[name]) {
			return badRequest("params: %q (section %s) cannot be set through the API", name, p.Section)
		}
		val, err := paramText(raw)
		if err != nil {
			return badRequest("params: %s: %v", name, err)
		}
		if name == "stance-model" {
			switch val {
			case "auto", "rules", "default", "none":
			default:
				return badRequest("params: stance-model must be auto, rules, default or none through the API")
			}
		}
		if err := p.Set(val); err != nil {
			return badRequest("params: %s: %v", name, err)
		}
	}
	if cfg.Coord.Permutations > 1000 {
		return badRequest("params: permutations at most 1000 through the API")
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	return nil
}

// paramText turns a JSON string, number or boolean into a parameter's
// text form.
func paramText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", errors.New("empty value")
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		if len(s) > 4096 {
			return "", errors.New("value too long")
		}
		return s, nil
	case 't', 'f':
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return "", err
		}
		return strconv.FormatBool(b), nil
	case '[', '{', 'n':
		return "", errors.New("want a string, number or boolean")
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", err
	}
	return n.String(), nil
}

// userRequest is POST /api/users.
type userRequest struct {
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

func (q *userRequest) validate() (store.Role, error) {
	if err := store.ValidUserName(q.Name); err != nil {
		return "", err
	}
	role, err := store.ParseRole(q.Role)
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(q.Password); n < MinPasswordLen || len(q.Password) > MaxPasswordLen {
		return "", badRequest("%v", ErrWeakPassword)
	}
	return role, nil
}

// tokenRequest is POST /api/users/{name}/tokens.
type tokenRequest struct {
	Name string `json:"name"`
}

func (q *tokenRequest) validate() error {
	if len(q.Name) > 100 || !utf8.ValidString(q.Name) {
		return badRequest("token name: at most 100 characters of UTF-8")
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
