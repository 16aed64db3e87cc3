package live

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chorus-osint/chorus/internal/server"
	"github.com/chorus-osint/chorus/internal/store"
)

// ingestServer is a chorus server with the live pipeline, an analyst and
// a viewer with API tokens.
type ingestServer struct {
	url     string
	db      *store.Store
	p       *Pipeline
	analyst string
	viewer  string
	srv     *httptest.Server
}

var hashOnce = sync.OnceValues(func() (string, error) { return server.HashPassword("correct horse battery") })

func startIngestServer(tb testing.TB, maxBody int64) *ingestServer {
	tb.Helper()
	dir := tb.TempDir()
	db := openStore(tb, filepath.Join(dir, "chorus.db"))
	ctx := context.Background()
	h, err := hashOnce()
	if err != nil {
		tb.Fatal(err)
	}
	is := &ingestServer{db: db}
	for _, u := range []struct {
		name string
		role store.Role
		tok  *string
	}{{"ana", store.RoleAnalyst, &is.analyst}, {"vic", store.RoleViewer, &is.viewer}} {
		if _, err := db.AddUser(ctx, store.User{Name: u.name, Role: u.role, PasswordHash: h}); err != nil {
			tb.Fatal(err)
		}
		tok, th := server.NewAPIToken()
		if _, err := db.AddToken(ctx, u.name, "test", th); err != nil {
			tb.Fatal(err)
		}
		*u.tok = tok
	}
	cfg := testConfig()
	cfg.Server.Addr = "127.0.0.1:0"
	cfg.Server.DataDir = filepath.Join(dir, "data")
	cfg.Server.MaxBodyBytes = maxBody
	is.p = newPipeline(tb, db, cfg, &countingDetector{})
	srv, err := server.New(ctx, server.Options{Config: cfg, Store: db, Live: is.p})
	if err != nil {
		tb.Fatal(err)
	}
	is.srv = httptest.NewServer(srv.Handler())
	tb.Cleanup(is.srv.Close)
	is.url = is.srv.URL
	return is
}

func (is *ingestServer) do(tb testing.TB, method, path, token, ctype string, body []byte) (int, []byte) {
	tb.Helper()
	req, err := http.NewRequest(method, is.url+path, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := is.srv.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func errCode(b []byte) string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(b, &e)
	return e.Error.Code
}

// TestHTTPIngest: the endpoint needs an analyst, enforces the body limit
// and the content type, maps unreadable bodies to bad_input, and counts a
// post sent twice once.
func TestHTTPIngest(t *testing.T) {
	is := startIngestServer(t, 64<<10)
	body, err := os.ReadFile("testdata/generic_posts.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	const nd = "application/x-ndjson"
	for _, c := range []struct {
		name, token, ctype string
		body               []byte
		status             int
		code               string
	}{
		{"anonymous", "", nd, body, 401, "unauthenticated"},
		{"forged token", "chorus_forged", nd, body, 401, "unauthenticated"},
		{"viewer", is.viewer, nd, body, 403, "forbidden"},
		{"no content type", is.analyst, "", body, 400, "invalid"},
		{"form post", is.analyst, "application/x-www-form-urlencoded", body, 400, "invalid"},
		{"text/plain", is.analyst, "text/plain", body, 400, "invalid"},
		{"too large", is.analyst, nd, bytes.Repeat(body, 64<<10/len(body)+1), 413, "too_large"},
		{"empty", is.analyst, nd, nil, 400, "invalid"},
		{"junk", is.analyst, nd, []byte("\x00\x01\x02\x03 nothing readable"), 422, "bad_input"},
	} {
		code, b := is.do(t, "POST", "/api/live/ingest", c.token, c.ctype, c.body)
		if code != c.status || errCode(b) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, code, b, c.status, c.code)
		}
	}
	if k := storeKeys(t, is.db); k != 0 {
		t.Fatalf("refused requests recorded %d posts", k)
	}
	var res server.LiveIngestResult
	for i, want := range []server.LiveIngestResult{
		{Format: "generic-jsonl", Posts: 6, New: 6},
		{Format: "generic-jsonl", Posts: 6, Duplicates: 6},
	} {
		code, b := is.do(t, "POST", "/api/live/ingest", is.analyst, nd, body)
		if code != 200 || json.Unmarshal(b, &res) != nil || res != want {
			t.Fatalf("ingest %d: %d %s, want %+v", i, code, b, want)
		}
	}
	// A body mixing new and known posts, with a malformed line.
	mixed := append([]byte(`{"id":"900","account_id":"9","time":"2015-11-13T21:00:00Z","text":"new"}`+"\n{broken\n"), body[:bytes.IndexByte(body, '\n')+1]...)
	code, b := is.do(t, "POST", "/api/live/ingest", is.analyst, nd, mixed)
	if code != 200 || json.Unmarshal(b, &res) != nil || res.New != 1 || res.Duplicates != 1 || res.Skipped != 1 {
		t.Fatalf("mixed body: %d %s", code, b)
	}
	if k := storeKeys(t, is.db); k != 7 {
		t.Fatalf("store holds %d posts, want 7", k)
	}
	det := is.p.det.(*countingDetector)
	if n, maxPer := det.counts(); n != 7 || maxPer != 1 {
		t.Fatalf("detector got %d posts (max %d per key), want 7 once each", n, maxPer)
	}

	// GET /api/live: viewers may read it, anonymous may not.
	if code, _ := is.do(t, "GET", "/api/live", "", "", nil); code != 401 {
		t.Fatalf("anonymous GET /api/live: %d", code)
	}
	code, b = is.do(t, "GET", "/api/live", is.viewer, "", nil)
	var st Status
	if code != 200 || json.Unmarshal(b, &st) != nil {
		t.Fatalf("GET /api/live: %d %s", code, b)
	}
	if st.Counters.New != 7 || st.Counters.Duplicates != 7 || st.Store.Keys != 7 || st.Counters.BadMessages != 1 || st.Horizon != "264h0m0s" {
		t.Fatalf("status %+v", st)
	}
	if !strings.Contains(string(b), `"posts_duplicate":7`) {
		t.Fatalf("status JSON names changed: %s", b)
	}
}

// FuzzHTTPIngest posts arbitrary bodies to the ingest endpoint: every
// answer is 200, 400, 413 or 422 (never a 5xx or a crash), and a 200
// records no more posts than it reports new.
func FuzzHTTPIngest(f *testing.F) {
	for _, name := range []string{"generic_posts.jsonl", "twitter_v2_two_tweets.jsonl", "twarc_v1_sample.csv", "telegram_result.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("{}\n"))
	is := startIngestServer(f, 64<<10)
	f.Fuzz(func(t *testing.T, body []byte) {
		before := storeKeys(t, is.db)
		code, b := is.do(t, "POST", "/api/live/ingest", is.analyst, "application/x-ndjson", body)
		switch code {
		case 200:
			var res server.LiveIngestResult
			if err := json.Unmarshal(b, &res); err != nil {
				t.Fatalf("200 with %s", b)
			}
			if after := storeKeys(t, is.db); after-before != res.New || res.New+res.Duplicates+res.Stale != res.Posts {
				t.Fatalf("reported %+v, store grew by %d", res, after-before)
			}
		case 400, 413, 422:
		default:
			t.Fatalf("status %d: %s", code, b)
		}
	})
}
