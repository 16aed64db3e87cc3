package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/store"
)

// testPassword is every test user's password.
const testPassword = "correct horse battery"

// clock is a settable clock for session-expiry tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// testServer is a real server on 127.0.0.1 with an ephemeral port.
type testServer struct {
	t      *testing.T
	srv    *Server
	db     *store.Store
	url    string
	dir    string
	clock  *clock
	cancel context.CancelFunc
	done   chan error
	tokens map[store.Role]string // an API token per role
}

type serverOpt func(*Options)

// startServer opens a store in a temp dir with a viewer, an analyst and an
// admin (named after their roles, each with an API token), starts the
// server and stops it at cleanup.
func startServer(t *testing.T, opts ...serverOpt) *testServer {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "chorus.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, db: db, dir: dir, clock: &clock{now: time.Now()}, tokens: map[store.Role]string{}}
	for _, r := range []store.Role{store.RoleViewer, store.RoleAnalyst, store.RoleAdmin} {
		addUser(t, db, string(r), r)
		tok, h := NewAPIToken()
		if _, err := db.AddToken(ctx, string(r), "test", h); err != nil {
			t.Fatal(err)
		}
		ts.tokens[r] = tok
	}
	cfg := config.Default()
	cfg.Server.Addr = "127.0.0.1:0"
	cfg.Server.DataDir = filepath.Join(dir, "data")
	cfg.Coord.Permutations = 5
	cfg.Indicators.Bootstrap = 50
	o := Options{Config: cfg, Store: db, Now: ts.clock.Now, ShutdownGrace: 2 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	ts.start(o)
	return ts
}

func (ts *testServer) start(o Options) {
	t := ts.t
	t.Helper()
	srv, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts.srv, ts.cancel, ts.done = srv, cancel, make(chan error, 1)
	ts.url = "http://" + ln.Addr().String()
	go func() { ts.done <- srv.Serve(ctx, ln) }()
	t.Cleanup(ts.stop)
}

// stop shuts the server down (once) and closes the store.
func (ts *testServer) stop() {
	if ts.cancel == nil {
		return
	}
	ts.cancel()
	ts.cancel = nil
	select {
	case err := <-ts.done:
		if err != nil {
			ts.t.Errorf("Serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		ts.t.Error("server did not stop within 30 s")
	}
	ts.db.Close()
}

// testHash is testPassword's hash, computed once (argon2id is slow under
// the race detector).
var testHash = sync.OnceValues(func() (string, error) { return HashPassword(testPassword) })

func addUser(t *testing.T, db *store.Store, name string, role store.Role) {
	t.Helper()
	h, err := testHash()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddUser(context.Background(), store.User{Name: name, Role: role, PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
}

// client is an HTTP client with a cookie jar; token, when set, is sent
// as a bearer token; csrf, when set, as X-CSRF-Token.
type client struct {
	t      *testing.T
	base   string
	hc     *http.Client
	token  string
	csrf   string
	header http.Header
}

func (ts *testServer) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: ts.t, base: ts.url, hc: &http.Client{Jar: jar, Timeout: 60 * time.Second, Transport: &http.Transport{}}, header: http.Header{}}
}

func (ts *testServer) tokenClient(r store.Role) *client {
	c := ts.client()
	c.token = ts.tokens[r]
	return c
}

// login logs c in as name and keeps the CSRF token.
func (c *client) login(name string) {
	c.t.Helper()
	code, body := c.do("POST", "/api/login", map[string]string{"name": name, "password": testPassword})
	if code != 200 {
		c.t.Fatalf("login %s: %d %s", name, code, body)
	}
	var v sessionView
	if err := json.Unmarshal(body, &v); err != nil {
		c.t.Fatal(err)
	}
	c.csrf = v.CSRFToken
}

// do sends a request; body is JSON-encoded unless it is an io.Reader or
// []byte (sent raw).
func (c *client) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	resp := c.raw(method, path, body)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp.StatusCode, b
}

func (c *client) raw(method, path string, body any) *http.Response {
	c.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case io.Reader:
		rd, ctype = b, "application/octet-stream"
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.csrf != "" {
		req.Header.Set(csrfHeader, c.csrf)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp
}

// getJSON GETs path, requires 200 and decodes into v.
func (c *client) getJSON(path string, v any) {
	c.t.Helper()
	code, body := c.do("GET", path, nil)
	if code != 200 {
		c.t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		c.t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

// errCode returns the error code of an error body.
func errCode(body []byte) string {
	var e errorBody
	_ = json.Unmarshal(body, &e)
	return e.Error.Code
}

// waitJob polls a job until it finishes and returns its final view.
func (c *client) waitJob(id string, timeout time.Duration) JobView {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var v JobView
		c.getJSON("/api/jobs/"+id, &v)
		if v.State.done() {
			return v
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("job %s still %s after %v", id, v.State, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// concretePath fills a route's wildcards with values that name nothing.
func concretePath(p string) string {
	r := strings.NewReplacer("{name}", "no-such-thing", "{id}", "999999", "{cid}", "999999", "{account}", "nobody")
	return r.Replace(p)
}

var jsonUnmarshal = json.Unmarshal

type httpResponse = http.Response

// fakeIngester stands in for a live-mode ingester.
type fakeIngester struct {
	started chan struct{}
	stopped atomic.Bool
}

func (f *fakeIngester) Name() string { return "fake" }

func (f *fakeIngester) Run(ctx context.Context, s Sink) error {
	s.Posts(42)
	s.Alert(Alert{Cluster: 3, Accounts: []string{"a", "b", "c"}, Message: "new significant cluster after T0"})
	close(f.started)
	<-ctx.Done()
	f.stopped.Store(true)
	return nil
}

func runtimeProcs() int { return goruntime.GOMAXPROCS(0) }
