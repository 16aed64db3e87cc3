package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/store"
	"go.uber.org/goleak"
)

// TestEveryAPIRouteNeedsAuth: without credentials every /api route (the
// declared ones and unknown paths) answers 401; a wrong token, a
// malformed header and a forged cookie too.
func TestEveryAPIRouteNeedsAuth(t *testing.T) {
	ts := startServer(t)
	anon := ts.client()
	n := 0
	for _, rt := range ts.srv.routes {
		if rt.role == "" {
			continue // login
		}
		n++
		code, body := anon.do(rt.method, concretePath(rt.path), nil)
		if code != http.StatusUnauthorized || errCode(body) != "unauthenticated" {
			t.Errorf("%s %s without auth: %d %s, want 401 unauthenticated", rt.method, rt.path, code, body)
		}
	}
	if n < 30 {
		t.Fatalf("only %d protected routes walked", n)
	}
	for _, p := range []string{"/api/", "/api/nope", "/api/events/x/y/z"} {
		if code, _ := anon.do("GET", p, nil); code != http.StatusUnauthorized {
			t.Errorf("GET %s without auth: %d, want 401", p, code)
		}
	}
	bad := ts.client()
	for _, h := range []string{"Bearer chorus_forged", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer " + strings.Repeat("x", 300)} {
		bad.header.Set("Authorization", h)
		if code, _ := bad.do("GET", "/api/events", nil); code != http.StatusUnauthorized {
			t.Errorf("Authorization %.20q: %d, want 401", h, code)
		}
	}
	forged := ts.client()
	forged.header.Set("Cookie", sessionCookie+"=forged-session-value")
	if code, _ := forged.do("GET", "/api/events", nil); code != http.StatusUnauthorized {
		t.Errorf("forged session cookie: %d, want 401", code)
	}
	// The unauthenticated surface: health, metrics on loopback, the dashboard.
	for _, p := range []string{"/healthz", "/metrics", "/"} {
		if code, _ := anon.do("GET", p, nil); code != 200 {
			t.Errorf("GET %s: %d, want 200", p, code)
		}
	}
}

// TestRolesCanDoExactlyWhatTheyMay walks every route with each role's API
// token: a role below the route's answers 403 forbidden; a role at or
// above it gets past authorisation (any status but 401/403).
func TestRolesCanDoExactlyWhatTheyMay(t *testing.T) {
	ts := startServer(t)
	for _, role := range []store.Role{store.RoleViewer, store.RoleAnalyst, store.RoleAdmin} {
		c := ts.tokenClient(role)
		for _, rt := range ts.srv.routes {
			if rt.role == "" {
				continue
			}
			code, body := c.do(rt.method, concretePath(rt.path), nil)
			allowed := role.Rank() >= rt.role.Rank()
			switch {
			case !allowed && (code != http.StatusForbidden || errCode(body) != "forbidden"):
				t.Errorf("%s: %s %s = %d %s, want 403 forbidden", role, rt.method, rt.path, code, body)
			case allowed && (code == http.StatusUnauthorized || code == http.StatusForbidden):
				t.Errorf("%s: %s %s = %d %s, want it allowed", role, rt.method, rt.path, code, body)
			}
		}
	}
	// The same with session cookies for a state-changing route.
	for _, tc := range []struct {
		role store.Role
		want int
	}{{store.RoleViewer, 403}, {store.RoleAnalyst, 201}, {store.RoleAdmin, 409}} {
		c := ts.client()
		c.login(string(tc.role))
		code, body := c.do("POST", "/api/events", map[string]string{"name": "ev-by-session", "t0": "2016-03-22T06:58:00Z"})
		if code != tc.want {
			t.Errorf("%s session: POST /api/events = %d %s, want %d", tc.role, code, body, tc.want)
		}
	}
}

// TestCSRF: a cookie-authenticated POST without the CSRF token, with a
// wrong one, from a forged Origin or a cross-site fetch is refused; the
// same request with the token from this origin passes; bearer tokens need
// no CSRF token; login from a foreign origin is refused.
func TestCSRF(t *testing.T) {
	ts := startServer(t)
	c := ts.client()
	c.login("analyst")
	good := c.csrf
	ev := func(name string) map[string]string {
		return map[string]string{"name": name, "t0": "2016-03-22T06:58:00Z"}
	}

	c.csrf = ""
	if code, body := c.do("POST", "/api/events", ev("a")); code != 403 || errCode(body) != "csrf" {
		t.Errorf("no CSRF token: %d %s, want 403 csrf", code, body)
	}
	c.csrf = "wrong" + good[5:]
	if code, body := c.do("POST", "/api/events", ev("a")); code != 403 || errCode(body) != "csrf" {
		t.Errorf("wrong CSRF token: %d %s, want 403 csrf", code, body)
	}
	c.csrf = good
	for _, origin := range []string{"http://evil.example", "null", "https://" + strings.TrimPrefix(ts.url, "http://"), "http://127.0.0.1.evil.example"} {
		c.header.Set("Origin", origin)
		if code, body := c.do("POST", "/api/events", ev("a")); code != 403 || errCode(body) != "csrf" {
			t.Errorf("Origin %s: %d %s, want 403 csrf", origin, code, body)
		}
		if code, _ := c.do("DELETE", "/api/events/a", nil); code != 403 {
			t.Errorf("DELETE with Origin %s: %d, want 403", origin, code)
		}
	}
	c.header.Del("Origin")
	c.header.Set("Sec-Fetch-Site", "cross-site")
	if code, body := c.do("POST", "/api/events", ev("a")); code != 403 || errCode(body) != "csrf" {
		t.Errorf("Sec-Fetch-Site cross-site: %d %s, want 403 csrf", code, body)
	}
	c.header.Del("Sec-Fetch-Site")
	c.header.Set("Origin", ts.url)
	if code, body := c.do("POST", "/api/events", ev("a")); code != 201 {
		t.Errorf("same origin with token: %d %s, want 201", code, body)
	}
	// A form post (not JSON) is refused even with the token.
	c.header.Set("Content-Type", "application/x-www-form-urlencoded")
	if code, body := c.do("POST", "/api/events", []byte(`name=b&t0=2016-03-22T06:58:00Z`)); code != 400 {
		t.Errorf("form-encoded POST: %d %s, want 400", code, body)
	}
	c.header.Del("Content-Type")
	// Bearer tokens are not ambient: no CSRF token needed.
	tc := ts.tokenClient(store.RoleAnalyst)
	if code, body := tc.do("POST", "/api/events", ev("b")); code != 201 {
		t.Errorf("bearer token POST: %d %s, want 201", code, body)
	}
	// Login CSRF.
	lc := ts.client()
	lc.header.Set("Origin", "http://evil.example")
	if code, body := lc.do("POST", "/api/login", map[string]string{"name": "viewer", "password": testPassword}); code != 403 {
		t.Errorf("login from a foreign origin: %d %s, want 403", code, body)
	}
	// DNS rebinding: a foreign Host on a loopback server.
	hc := ts.tokenClient(store.RoleAdmin)
	req, _ := http.NewRequest("GET", ts.url+"/api/events", nil)
	req.Host = "rebind.evil.example"
	req.Header.Set("Authorization", "Bearer "+hc.token)
	resp, err := hc.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("foreign Host header: %d, want 403", resp.StatusCode)
	}
}

// TestSessionCookieAndExpiry: the cookie is HttpOnly and SameSite=Strict;
// a session stops working after its TTL; logout ends it at once; a
// password change ends every session of the user.
func TestSessionCookieAndExpiry(t *testing.T) {
	ts := startServer(t, func(o *Options) { o.Config.Server.SessionTTL = time.Hour })
	c := ts.client()
	resp := c.raw("POST", "/api/login", map[string]string{"name": "viewer", "password": testPassword})
	resp.Body.Close()
	var ck *http.Cookie
	for _, x := range resp.Cookies() {
		if x.Name == sessionCookie {
			ck = x
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || len(ck.Value) < 40 {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/, 256-bit value", ck)
	}
	if code, _ := c.do("GET", "/api/session", nil); code != 200 {
		t.Fatalf("fresh session: %d", code)
	}
	ts.clock.Advance(59 * time.Minute)
	if code, _ := c.do("GET", "/api/session", nil); code != 200 {
		t.Errorf("session after 59 min of a 1 h TTL: %d, want 200", code)
	}
	ts.clock.Advance(2 * time.Minute)
	if code, body := c.do("GET", "/api/session", nil); code != 401 {
		t.Errorf("session after its TTL: %d %s, want 401", code, body)
	}
	if n, err := ts.db.DeleteExpiredSessions(context.Background(), ts.clock.Now()); err != nil || n != 1 {
		t.Errorf("expired sessions swept: %d, %v; want 1", n, err)
	}

	c2 := ts.client()
	c2.login("viewer")
	c2.csrf = ""
	if code, _ := c2.do("POST", "/api/logout", nil); code != 403 {
		t.Errorf("logout without CSRF token: %d, want 403", code)
	}
	c2.login("viewer")
	if code, _ := c2.do("POST", "/api/logout", nil); code != 204 {
		t.Errorf("logout: %d, want 204", code)
	}
	// The old cookie value no longer works even if replayed.
	c3 := ts.client()
	c3.header.Set("Cookie", sessionCookie+"="+ck.Value)
	if code, _ := c3.do("GET", "/api/session", nil); code != 401 {
		t.Errorf("replayed expired cookie: %d, want 401", code)
	}

	c4 := ts.client()
	c4.login("analyst")
	u, _ := ts.db.GetUser(context.Background(), "analyst")
	u.PasswordHash, _ = HashPassword("a new long password")
	if err := ts.db.UpdateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if code, _ := c4.do("GET", "/api/session", nil); code != 401 {
		t.Errorf("session after password change: %d, want 401", code)
	}
}

// TestTokenRevocation: an admin creates a token through the API, it
// works, the admin revokes it, it is refused; the store holds only its
// hash.
func TestTokenRevocation(t *testing.T) {
	ts := startServer(t)
	adm := ts.tokenClient(store.RoleAdmin)
	var created struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	code, body := adm.do("POST", "/api/users/viewer/tokens", map[string]string{"name": "script"})
	if code != 201 {
		t.Fatalf("create token: %d %s", code, body)
	}
	if err := jsonUnmarshal(body, &created); err != nil || !strings.HasPrefix(created.Token, APITokenPrefix) {
		t.Fatalf("token response %s", body)
	}
	c := ts.client()
	c.token = created.Token
	if code, _ := c.do("GET", "/api/events", nil); code != 200 {
		t.Fatalf("new token: %d, want 200", code)
	}
	if code, _ := c.do("POST", "/api/events", map[string]string{"name": "x", "t0": "2016-01-01T00:00:00Z"}); code != 403 {
		t.Errorf("viewer token POST: %d, want 403", code)
	}
	toks, _ := ts.db.ListTokens(context.Background(), "viewer")
	for _, tk := range toks {
		if strings.Contains(string(tk.TokenHash), created.Token) {
			t.Error("token stored in clear")
		}
	}
	if code, body := adm.do("DELETE", fmt.Sprintf("/api/tokens/%d", created.ID), nil); code != 204 {
		t.Fatalf("revoke: %d %s", code, body)
	}
	if code, _ := c.do("GET", "/api/events", nil); code != 401 {
		t.Errorf("revoked token: %d, want 401", code)
	}
	if code, _ := adm.do("DELETE", fmt.Sprintf("/api/tokens/%d", created.ID), nil); code != 404 {
		t.Errorf("revoking twice: %d, want 404", code)
	}
	// Deleting a user kills their tokens.
	if code, _ := adm.do("DELETE", "/api/users/analyst", nil); code != 204 {
		t.Fatal("delete analyst")
	}
	if code, _ := ts.tokenClient(store.RoleAnalyst).do("GET", "/api/events", nil); code != 401 {
		t.Errorf("token of a deleted user: %d, want 401", code)
	}
}

// TestLoginRateLimit: per user name, then per client address.
func TestLoginRateLimit(t *testing.T) {
	ts := startServer(t, func(o *Options) { o.Config.Server.LoginPerUser = 3; o.Config.Server.LoginPerIP = 6 })
	c := ts.client()
	try := func(name, pw string) (int, string) {
		resp := c.raw("POST", "/api/login", map[string]string{"name": name, "password": pw})
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}
	for i := 0; i < 3; i++ {
		if code, _ := try("admin", "wrong password!"); code != 401 {
			t.Fatalf("attempt %d: %d, want 401", i+1, code)
		}
	}
	code, retry := try("admin", testPassword)
	if code != 429 || retry == "" {
		t.Errorf("4th attempt for admin (right password): %d Retry-After %q, want 429 with Retry-After", code, retry)
	}
	// Another user from the same address still has attempts left…
	if code, _ := try("viewer", testPassword); code != 200 {
		t.Errorf("viewer login: %d, want 200", code)
	}
	// …until the address's budget (6) is spent.
	try("nobody1", "x")
	try("nobody2", "x")
	if code, _ := try("analyst", testPassword); code != 429 {
		t.Errorf("7th attempt from one address: %d, want 429", code)
	}
	// Time refills the buckets.
	ts.clock.Advance(time.Minute)
	if code, _ := try("admin", testPassword); code != 200 {
		t.Errorf("admin after a minute: %d, want 200", code)
	}
}

// TestRefusesNetworkWithoutAuth: a non-loopback address without users, or
// with --no-auth, refuses to start (before listening); loopback is fine.
func TestRefusesNetworkWithoutAuth(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(dir, "c.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mk := func(addr string, noAuth bool) error {
		cfg := config.Default()
		cfg.Server.Addr, cfg.Server.NoAuth, cfg.Server.DataDir = addr, noAuth, filepath.Join(dir, "data")
		_, err := New(context.Background(), Options{Config: cfg, Store: db})
		return err
	}
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "[::]:8080", "192.0.2.10:8080", "example.org:80"} {
		err := mk(addr, false)
		if !errors.Is(err, ErrNoAuthRefused) || !strings.Contains(err.Error(), "chorus users add") {
			t.Errorf("%s without users: %v, want ErrNoAuthRefused naming `chorus users add`", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0", "127.0.0.2:0"} {
		if err := mk(addr, false); err != nil {
			t.Errorf("%s: %v, want it allowed", addr, err)
		}
		if err := mk(addr, true); err != nil {
			t.Errorf("%s --no-auth: %v, want it allowed", addr, err)
		}
	}
	addUser(t, db, "admin", store.RoleAdmin)
	if err := mk("0.0.0.0:8080", false); err != nil {
		t.Errorf("0.0.0.0 with a user: %v, want allowed", err)
	}
	if err := mk("0.0.0.0:8080", true); !errors.Is(err, ErrNoAuthRefused) || !strings.Contains(err.Error(), "--no-auth") {
		t.Errorf("0.0.0.0 --no-auth with users: %v, want refused", err)
	}
}

// TestNoAuthModeStillNeedsCSRF: --no-auth on loopback makes everyone
// admin, but unsafe requests still need the server's CSRF token, so a
// page on another site cannot drive it.
func TestNoAuthModeStillNeedsCSRF(t *testing.T) {
	ts := startServer(t, func(o *Options) { o.Config.Server.NoAuth = true })
	c := ts.client()
	var sv sessionView
	c.getJSON("/api/session", &sv)
	if sv.Role != store.RoleAdmin || sv.CSRFToken == "" {
		t.Fatalf("no-auth session %+v", sv)
	}
	ev := map[string]string{"name": "x", "t0": "2016-01-01T00:00:00Z"}
	if code, _ := c.do("POST", "/api/events", ev); code != 403 {
		t.Errorf("no-auth POST without token: %d, want 403", code)
	}
	c.csrf = sv.CSRFToken
	if code, body := c.do("POST", "/api/events", ev); code != 201 {
		t.Errorf("no-auth POST with token: %d %s, want 201", code, body)
	}
}

// TestSecurityHeaders: the dashboard and the API carry the CSP without
// inline script and the other headers; reports carry their own CSP.
func TestSecurityHeaders(t *testing.T) {
	ts := startServer(t)
	c := ts.tokenClient(store.RoleViewer)
	for _, p := range []string{"/", "/api/events", "/healthz"} {
		resp := c.raw("GET", p, nil)
		resp.Body.Close()
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", p, k, h.Get(k), v)
			}
		}
	}
	// Body limits: a JSON body over the limit is refused with 413.
	big := `{"name":"` + strings.Repeat("a", 2<<20) + `","t0":"2016-01-01T00:00:00Z"}`
	a := ts.tokenClient(store.RoleAnalyst)
	if code, body := a.do("POST", "/api/events", []byte(big)); code != 413 || errCode(body) != "too_large" {
		t.Errorf("2 MiB JSON body: %d %.100s, want 413 too_large", code, body)
	}
}

// TestServerStopsWithoutLeaks starts and stops a server around real
// requests, a live ingester and a running job, and checks that no
// goroutine is left.
func TestServerStopsWithoutLeaks(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	func() {
		ing := &fakeIngester{started: make(chan struct{})}
		ts := startServer(t, func(o *Options) { o.Ingesters = []Ingester{ing} })
		c := ts.tokenClient(store.RoleAnalyst)
		defer c.hc.CloseIdleConnections()
		<-ing.started
		if code, _ := c.do("GET", "/api/events", nil); code != 200 {
			t.Errorf("events: %d", code)
		}
		var al struct{ Alerts []Alert }
		c.getJSON("/api/alerts", &al)
		if len(al.Alerts) != 1 || al.Alerts[0].Source != "fake" {
			t.Errorf("alerts %+v, want the fake ingester's one", al.Alerts)
		}
		code, body := c.do("GET", "/metrics", nil)
		if code != 200 || !strings.Contains(string(body), `chorus_ingested_posts_total{source="live"} 42`) {
			t.Errorf("metrics lack the live posts: %d", code)
		}
		ts.stop()
		if !ing.stopped.Load() {
			t.Error("ingester not stopped at shutdown")
		}
	}()
}
