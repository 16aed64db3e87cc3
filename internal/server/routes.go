package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/store"
)

// handlerFunc is an API handler: it writes a response, or returns an
// error that the route wrapper writes through apiError.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p *principal) error

// bodyKind says how a route reads its request body.
type bodyKind int

const (
	bodyNone   bodyKind = iota // no body expected (limited to max-body-bytes anyway)
	bodyJSON                   // JSON, limited to max-body-bytes
	bodyUpload                 // a file, limited to max-upload-bytes and the upload timeout
)

// route is one entry of the API: the role it needs (empty: none) and how
// it reads its body. The table in buildRoutes is the single list of what
// each role may do; the auth test walks it.
type route struct {
	method  string
	path    string // ServeMux pattern path
	role    store.Role
	body    bodyKind
	handler handlerFunc
}

func (rt route) pattern() string { return rt.method + " " + rt.path }

// buildRoutes declares every route.
func (s *Server) buildRoutes() {
	const v, a, adm = store.RoleViewer, store.RoleAnalyst, store.RoleAdmin
	s.routes = []route{
		{"POST", "/api/login", "", bodyJSON, s.handleLogin},
		{"POST", "/api/logout", v, bodyNone, s.handleLogout},
		{"GET", "/api/session", v, bodyNone, s.handleSession},

		{"GET", "/api/events", v, bodyNone, s.handleListEvents},
		{"POST", "/api/events", a, bodyJSON, s.handleCreateEvent},
		{"GET", "/api/events/{name}", v, bodyNone, s.handleGetEvent},
		{"PUT", "/api/events/{name}", a, bodyJSON, s.handlePutEvent},
		{"DELETE", "/api/events/{name}", a, bodyNone, s.handleDeleteEvent},
		{"POST", "/api/events/{name}/analyses", a, bodyJSON, s.handleStartAnalysis},

		{"GET", "/api/uploads", v, bodyNone, s.handleListUploads},
		{"POST", "/api/uploads", a, bodyUpload, s.handleUpload},
		{"GET", "/api/uploads/{id}", v, bodyNone, s.handleGetUpload},
		{"DELETE", "/api/uploads/{id}", a, bodyNone, s.handleDeleteUpload},

		{"GET", "/api/jobs", v, bodyNone, s.handleListJobs},
		{"GET", "/api/jobs/{id}", v, bodyNone, s.handleGetJob},
		{"POST", "/api/jobs/{id}/cancel", a, bodyNone, s.handleCancelJob},

		{"GET", "/api/runs", v, bodyNone, s.handleListRuns},
		{"GET", "/api/runs/{id}", v, bodyNone, s.handleGetRun},
		{"GET", "/api/runs/{id}/results", v, bodyNone, s.handleResults},
		{"GET", "/api/runs/{id}/clusters", v, bodyNone, s.handleClusters},
		{"GET", "/api/runs/{id}/clusters/{cid}", v, bodyNone, s.handleCluster},
		{"GET", "/api/runs/{id}/clusters/{cid}/graph", v, bodyNone, s.handleClusterGraph},
		{"GET", "/api/runs/{id}/edges", v, bodyNone, s.handleEdges},
		{"GET", "/api/runs/{id}/accounts", v, bodyNone, s.handleAccounts},
		{"GET", "/api/runs/{id}/accounts/{account}", v, bodyNone, s.handleAccount},
		{"GET", "/api/runs/{id}/posts", v, bodyNone, s.handlePost},
		{"GET", "/api/runs/{id}/report", v, bodyNone, s.handleReport},
		{"POST", "/api/runs/{id}/report", a, bodyNone, s.handleRenderReport},

		{"GET", "/api/alerts", v, bodyNone, s.handleAlerts},
		{"GET", "/api/live", v, bodyNone, s.handleLiveStatus},
		{"POST", "/api/live/ingest", a, bodyJSON, s.handleLiveIngest},

		{"GET", "/api/users", adm, bodyNone, s.handleListUsers},
		{"POST", "/api/users", adm, bodyJSON, s.handleCreateUser},
		{"DELETE", "/api/users/{name}", adm, bodyNone, s.handleDeleteUser},
		{"POST", "/api/users/{name}/tokens", adm, bodyJSON, s.handleCreateToken},
		{"GET", "/api/tokens", adm, bodyNone, s.handleListTokens},
		{"DELETE", "/api/tokens/{id}", adm, bodyNone, s.handleRevokeToken},
	}
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.pattern(), s.wrap(rt))
	}
	// Unknown /api/ paths answer a JSON 404 after authentication, so that
	// the API's shape is not probed anonymously.
	mux.Handle("/api/", s.wrap(route{method: "", path: "/api/", role: store.RoleViewer, handler: func(w http.ResponseWriter, r *http.Request, _ *principal) error {
		return fmt.Errorf("%w: no route %s %s (docs/api.md lists them)", ErrNotFound, r.Method, r.URL.Path)
	}}))
	mux.Handle("GET /healthz", s.plain("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	}))
	metricsH := s.metrics.handler()
	mux.Handle("GET /metrics", s.plain("/metrics", func(w http.ResponseWriter, r *http.Request) {
		if !s.loopback && !s.cfg.NoAuth {
			// Off loopback, metrics need any authenticated user.
			if _, err := s.authenticate(r, route{method: "GET", role: store.RoleViewer}); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		metricsH.ServeHTTP(w, r)
	}))
	mux.Handle("/", s.plain("/", s.serveAssets))
	s.mux = mux
}

// statusWriter records the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.code, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.code, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush forwards to the underlying writer.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// plain wraps non-API handlers: security headers, host check, metrics,
// logs, panic recovery.
func (s *Server) plain(name string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer s.finish(sw, r, name, start, "")
		s.securityHeaders(sw.Header())
		if err := s.checkHost(r); err != nil {
			s.writeError(sw, r, err)
			return
		}
		h(sw, r)
	})
}

// wrap builds the handler of an API route: security headers, host check,
// timeout, body limit, authentication, CSRF check, role check, then the
// route's handler; errors go through writeError.
func (s *Server) wrap(rt route) http.Handler {
	name := rt.path
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		var p *principal
		defer func() { s.finish(sw, r, name, start, p.name()) }()
		h := sw.Header()
		s.securityHeaders(h)
		h.Set("Cache-Control", "no-store")
		if err := s.checkHost(r); err != nil {
			s.writeError(sw, r, err)
			return
		}
		timeout, limit := s.cfg.RequestTimeout, s.cfg.MaxBodyBytes
		if rt.body == bodyUpload {
			timeout, limit = s.cfg.UploadTimeout, s.cfg.MaxUploadBytes
		}
		rc := http.NewResponseController(sw)
		_ = rc.SetReadDeadline(time.Now().Add(timeout))
		_ = rc.SetWriteDeadline(time.Now().Add(timeout + 5*time.Second))
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		r = r.WithContext(ctx)
		r.Body = http.MaxBytesReader(sw, r.Body, limit)
		if rt.role != "" {
			var err error
			if p, err = s.authenticate(r, rt); err != nil {
				s.writeError(sw, r, err)
				return
			}
		}
		if err := rt.handler(sw, r, p); err != nil {
			s.writeError(sw, r, err)
		}
	})
}

// finish logs a request, records its metrics and recovers a panic.
func (s *Server) finish(sw *statusWriter, r *http.Request, route string, start time.Time, user string) {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		s.log.Error("BUG: handler panicked", "method", r.Method, "path", r.URL.Path, "panic", v)
		if !sw.wrote {
			s.writeError(sw, r, fmt.Errorf("BUG: handler panicked"))
		}
	}
	code := sw.code
	if !sw.wrote {
		code = http.StatusOK
	}
	el := time.Since(start)
	s.metrics.observe(route, r.Method, code, el)
	lvl := slog.LevelInfo
	if code >= 500 {
		lvl = slog.LevelError
	}
	s.log.Log(r.Context(), lvl, "request", "method", r.Method, "route", route, "status", code, "ms", float64(el.Microseconds())/1000, "user", user, "remote", remoteIP(r))
}

// Content-Security-Policy of the dashboard: only its own scripts, styles
// and API; no inline script, no framing.
const dashboardCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// reportCSP is served with report.html: no script at all, inline styles
// (the report is one self-contained file), sandboxed.
const reportCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"

func (s *Server) securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", dashboardCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if s.tls {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// checkHost defends a loopback server against DNS rebinding: a page on
// another site whose name resolves to 127.0.0.1 sends its own name in
// Host, which is refused.
func (s *Server) checkHost(r *http.Request) error {
	if !s.loopback {
		return nil
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if isLoopbackHost(host) {
		return nil
	}
	return fmt.Errorf("%w: Host %q is not a loopback name (the server listens on loopback only)", ErrForbidden, r.Host)
}

// remoteIP is the client address (no proxy headers are trusted).
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// pathID returns a path value, refusing empty and oversized ones.
func pathValue(r *http.Request, name string) (string, error) {
	v := r.PathValue(name)
	if v == "" || len(v) > 512 || strings.ContainsRune(v, 0) {
		return "", badRequest("bad %s in the path", name)
	}
	return v, nil
}
