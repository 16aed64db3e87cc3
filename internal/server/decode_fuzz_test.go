package server

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/store"
)

// One fuzz target per JSON request decoder: decoding and validating any
// body must not panic, and whatever is accepted must satisfy the
// invariants the handlers rely on. Seeds are the examples of docs/api.md
// and their near misses.

func FuzzLoginRequest(f *testing.F) {
	for _, s := range []string{`{"name":"ana","password":"correct horse battery"}`, `{"name":"","password":""}`, `{"name":1}`,
		`{"name":"a","password":"b","x":1}`, `{"name":"a","password":"b"} {}`, `[]`, `null`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var q loginRequest
		if err := decodeBody(bytes.NewReader(b), &q); err != nil {
			return
		}
		if err := q.validate(); err == nil && (q.Name == "" || q.Password == "" || len(q.Password) > MaxPasswordLen) {
			t.Fatalf("accepted login %+v", q)
		}
	})
}

func FuzzEventRequest(f *testing.F) {
	for _, s := range []string{
		`{"name":"brussels-2016","t0":"2016-03-22T06:58:00Z","t_claim":"2016-03-22T14:00:00Z","place":"Brussels","languages":["fr","ar"],` +
			`"watch":{"accounts":["amaqagency"],"media_outlets":["amaq"],"branding":["\\[Nashir\\]"],"quotes":["soldiers of the caliphate"],"hashes":["sha256:` + strings.Repeat("a", 64) + `"]}}`,
		`{"name":"x","t0":"2016-03-22 06:58"}`, `{"name":"x","t0":"yesterday"}`, `{"name":" ","t0":"2016-01-01T00:00:00Z"}`,
		`{"name":"x","t0":"2016-01-01T00:00:00Z","watch":{"branding":["("]}}`, `{"name":"x","t0":"2016-01-01T00:00:00Z","languages":["not a language"]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var q eventRequest
		if err := decodeBody(bytes.NewReader(b), &q); err != nil {
			return
		}
		ev, err := q.event()
		if err != nil {
			return
		}
		if ev.Name == "" || ev.T0.IsZero() {
			t.Fatalf("accepted event without name or T0: %+v", ev)
		}
		if _, _, err := ev.Normalized(); err != nil {
			t.Fatalf("accepted event the store refuses: %v", err)
		}
	})
}

func FuzzAnalysisRequest(f *testing.F) {
	for _, s := range []string{
		`{"uploads":["rlqbfmXf_CRYhq-G"],"params":{"permutations":5,"window":"60s","layers":"repost,hashtag","idf":true}}`,
		`{"uploads":["rlqbfmXf_CRYhq-G","2qmW4ILmJ5pOaRDt"]}`, `{"uploads":[]}`, `{"uploads":["../../etc/passwd"]}`,
		`{"uploads":["rlqbfmXf_CRYhq-G"],"params":{"db":"/tmp/x.db"}}`, `{"uploads":["rlqbfmXf_CRYhq-G"],"params":{"stance-model":"/etc/passwd"}}`,
		`{"uploads":["rlqbfmXf_CRYhq-G"],"params":{"permutations":1e9}}`, `{"uploads":["rlqbfmXf_CRYhq-G"],"params":{"window":null}}`,
		`{"uploads":["rlqbfmXf_CRYhq-G"],"params":{"tz":"Mars/Olympus"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var q analysisRequest
		if err := decodeBody(bytes.NewReader(b), &q); err != nil {
			return
		}
		cfg := config.Default()
		before := cfg.Snapshot()
		if err := q.apply(&cfg); err != nil {
			return
		}
		if len(q.Uploads) == 0 || len(q.Uploads) > maxAnalysisUploads {
			t.Fatalf("accepted %d uploads", len(q.Uploads))
		}
		for _, id := range q.Uploads {
			if !validUploadID(id) {
				t.Fatalf("accepted upload id %q", id)
			}
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("accepted params that fail validation: %v", err)
		}
		after := cfg.Snapshot()
		for _, p := range cfg.Params() {
			changed := before[p.Name] != after[p.Name]
			if changed && !analysisSections[p.Section] && !(p.Section == "ingest" && analysisIngestParams[p.Name]) {
				t.Fatalf("the API changed %s (section %s)", p.Name, p.Section)
			}
		}
		switch cfg.Stance.Model {
		case "auto", "rules", "default", "none":
		default:
			t.Fatalf("stance model %q accepted", cfg.Stance.Model)
		}
	})
}

func FuzzUserRequest(f *testing.F) {
	for _, s := range []string{`{"name":"ana","role":"analyst","password":"correct horse battery"}`, `{"name":"ana","role":"root","password":"correct horse battery"}`,
		`{"name":"../x","role":"viewer","password":"correct horse battery"}`, `{"name":"ana","role":"ADMIN","password":"short"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var q userRequest
		if err := decodeBody(bytes.NewReader(b), &q); err != nil {
			return
		}
		role, err := q.validate()
		if err != nil {
			return
		}
		if role.Rank() == 0 || store.ValidUserName(q.Name) != nil || len(q.Password) < MinPasswordLen {
			t.Fatalf("accepted user %+v role %q", q, role)
		}
	})
}

func FuzzTokenRequest(f *testing.F) {
	for _, s := range []string{`{"name":"nightly export"}`, `{}`, `{"name":"` + strings.Repeat("x", 200) + `"}`, `{"name":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var q tokenRequest
		if err := decodeBody(bytes.NewReader(b), &q); err != nil {
			return
		}
		if q.validate() == nil && len(q.Name) > 100 {
			t.Fatalf("accepted token name of %d bytes", len(q.Name))
		}
	})
}

// TestDecodeBodyRejects checks the decoder's refusals on fixed inputs.
func TestDecodeBodyRejects(t *testing.T) {
	for _, s := range []string{``, `{"name":"a","password":"b","extra":1}`, `{"name":"a","password":"b"}{"name":"c"}`, `{"name":`, `"str"`} {
		var q loginRequest
		if err := decodeBody(strings.NewReader(s), &q); err == nil {
			t.Errorf("decodeBody(%q) accepted", s)
		}
	}
	var q loginRequest
	if err := decodeBody(strings.NewReader(`  {"name":"a","password":"b"}  `), &q); err != nil || q.Name != "a" {
		t.Errorf("valid body refused: %v", err)
	}
}
