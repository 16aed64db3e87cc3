package server

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/chorus-osint/chorus/internal/store"
)

// Cookie and header names.
const (
	sessionCookie = "chorus_session"
	// csrfHeader carries the session's CSRF token on unsafe requests.
	csrfHeader = "X-CSRF-Token"
)

// principal is who a request acts as.
type principal struct {
	User    string
	Role    store.Role
	Via     string // "session", "token" or "no-auth"
	CSRF    string // the session's CSRF token
	session []byte // hash of the session cookie
}

func (p *principal) name() string {
	if p == nil {
		return ""
	}
	return p.User
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// authenticate finds the principal of r and checks that it may use rt:
//   - Authorization: Bearer TOKEN (API tokens): not ambient, so no CSRF check;
//   - the session cookie: unsafe methods must come from this origin and
//     carry the session's CSRF token in X-CSRF-Token;
//   - --no-auth: everyone is admin, but unsafe methods still need the
//     server's CSRF token (a page on another site must not drive a
//     loopback server).
func (s *Server) authenticate(r *http.Request, rt route) (*principal, error) {
	p, err := s.identify(r)
	if err != nil {
		return nil, err
	}
	if p.Via != "token" && !safeMethod(r.Method) {
		if err := s.checkCSRF(r, p); err != nil {
			return nil, err
		}
	}
	if p.Role.Rank() < rt.role.Rank() {
		return nil, fmt.Errorf("%w: %s needs the %s role, %s is %s", ErrForbidden, rt.pattern(), rt.role, p.User, p.Role)
	}
	return p, nil
}

func (s *Server) identify(r *http.Request) (*principal, error) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, tok, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" || len(tok) > 256 {
			return nil, fmt.Errorf("%w: malformed Authorization header (want Bearer TOKEN)", ErrUnauthenticated)
		}
		t, u, err := s.store.TokenUser(r.Context(), hashToken(strings.TrimSpace(tok)))
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("%w: unknown or revoked API token", ErrUnauthenticated)
		}
		if err != nil {
			return nil, err
		}
		_ = t
		return &principal{User: u.Name, Role: u.Role, Via: "token"}, nil
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" && len(c.Value) <= 256 {
		h := hashToken(c.Value)
		se, u, err := s.store.SessionUser(r.Context(), h, s.now())
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("%w: session expired or logged out; log in again", ErrUnauthenticated)
		}
		if err != nil {
			return nil, err
		}
		return &principal{User: u.Name, Role: u.Role, Via: "session", CSRF: se.CSRF, session: h}, nil
	}
	if s.cfg.NoAuth {
		return &principal{User: "local", Role: store.RoleAdmin, Via: "no-auth", CSRF: s.noAuthKey}, nil
	}
	return nil, fmt.Errorf("%w: log in (POST /api/login) or send Authorization: Bearer TOKEN", ErrUnauthenticated)
}

// checkCSRF refuses a cookie-authenticated unsafe request from another
// origin or without the session's CSRF token.
func (s *Server) checkCSRF(r *http.Request, p *principal) error {
	if err := s.checkOrigin(r); err != nil {
		return err
	}
	got := r.Header.Get(csrfHeader)
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.CSRF)) != 1 {
		return fmt.Errorf("%w: missing or wrong %s header (GET /api/session gives the token)", ErrCSRF, csrfHeader)
	}
	return nil
}

// checkOrigin refuses requests whose Origin (or, without one, whose
// Sec-Fetch-Site) shows they were sent by a page of another site.
func (s *Server) checkOrigin(r *http.Request) error {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || o == "null" || !strings.EqualFold(u.Host, r.Host) {
			return fmt.Errorf("%w: Origin %q is not this server (%s)", ErrCSRF, o, r.Host)
		}
		want := "http"
		if s.tls {
			want = "https"
		}
		if u.Scheme != want {
			return fmt.Errorf("%w: Origin %q is not this server (%s://%s)", ErrCSRF, o, want, r.Host)
		}
		return nil
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
		return nil
	}
	return fmt.Errorf("%w: cross-site request (Sec-Fetch-Site: %s)", ErrCSRF, r.Header.Get("Sec-Fetch-Site"))
}

// sessionView is what login and GET /api/session return.
type sessionView struct {
	User      string     `json:"user"`
	Role      store.Role `json:"role"`
	Via       string     `json:"via"`
	CSRFToken string     `json:"csrf_token,omitempty"`
	Expires   string     `json:"expires,omitempty"`
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, _ *principal) error {
	// Login CSRF: a foreign page must not log the browser in.
	if err := s.checkOrigin(r); err != nil {
		return err
	}
	var req loginRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := req.validate(); err != nil {
		return err
	}
	now := s.now()
	ip := remoteIP(r)
	if ok, wait := s.loginIP.allow(ip, now); !ok {
		s.metrics.logins.WithLabelValues("rate_limited").Inc()
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return fmt.Errorf("%w: too many login attempts from %s; retry in %ds", ErrRateLimited, ip, int(wait.Seconds())+1)
	}
	userKey := strings.ToLower(req.Name)
	if ok, wait := s.loginUser.allow(userKey, now); !ok {
		s.metrics.logins.WithLabelValues("rate_limited").Inc()
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return fmt.Errorf("%w: too many login attempts for this user; retry in %ds", ErrRateLimited, int(wait.Seconds())+1)
	}
	u, err := s.store.GetUser(r.Context(), req.Name)
	hash := u.PasswordHash
	if errors.Is(err, store.ErrNotFound) {
		hash = dummyHash()
	} else if err != nil {
		return err
	}
	// Bound concurrent argon2 work (19 MiB each).
	select {
	case s.hashSem <- struct{}{}:
	case <-r.Context().Done():
		return r.Context().Err()
	}
	ok := VerifyPassword(hash, req.Password)
	<-s.hashSem
	if err != nil || !ok {
		s.metrics.logins.WithLabelValues("failed").Inc()
		s.log.Warn("login failed", "user", req.Name, "remote", ip)
		return ErrLoginFailed
	}
	s.loginUser.reset(userKey)
	token := randomToken(32)
	se := store.Session{TokenHash: hashToken(token), UserID: u.ID, CSRF: randomToken(32), Created: now, Expires: now.Add(s.cfg.SessionTTL)}
	if err := s.store.AddSession(r.Context(), se); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.tls,
		SameSite: http.SameSiteStrictMode, Expires: se.Expires, MaxAge: int(s.cfg.SessionTTL.Seconds()),
	})
	s.metrics.logins.WithLabelValues("ok").Inc()
	s.log.Info("login", "user", u.Name, "role", u.Role, "remote", ip)
	writeJSON(w, http.StatusOK, sessionView{User: u.Name, Role: u.Role, Via: "session", CSRFToken: se.CSRF, Expires: se.Expires.UTC().Format("2006-01-02T15:04:05Z")})
	return nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, p *principal) error {
	if p.session != nil {
		if err := s.store.DeleteSession(r.Context(), p.session); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.tls, SameSite: http.SameSiteStrictMode, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleSession(w http.ResponseWriter, r *http.Request, p *principal) error {
	writeJSON(w, http.StatusOK, sessionView{User: p.User, Role: p.Role, Via: p.Via, CSRFToken: p.CSRF})
	return nil
}
