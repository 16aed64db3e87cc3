// Package server is `chorus serve`: the JSON API over the embedded store
// and the analysis pipeline, the dashboard (package web), authentication,
// background jobs and the seam for live ingesters. docs/api.md documents
// every route; apiError (errors.go) is the one errors→HTTP mapping.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/store"
)

// Options configure a Server.
type Options struct {
	// Config supplies the server section and the defaults of analyses.
	Config config.Config
	// Store is the open embedded store; the caller closes it after Serve
	// returns.
	Store *store.Store
	// Log receives structured logs; nil discards them.
	Log *slog.Logger
	// Assets is the built dashboard (web.Dist()); nil serves a note that
	// the dashboard is not built.
	Assets fs.FS
	// Ingesters are live-mode sources run for the server's lifetime
	// (live.go).
	Ingesters []Ingester
	// Live is the live-mode pipeline behind POST /api/live/ingest and
	// GET /api/live (live_http.go); nil answers them with not_found.
	Live LiveFeed
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// ShutdownGrace is how long in-flight requests may take to finish
	// after shutdown starts (default 10 s); then they are cancelled.
	ShutdownGrace time.Duration
}

// Server is the chorus HTTP server. Create it with New and run it with
// Serve or ListenAndServe.
type Server struct {
	opts      Options
	cfg       config.Server
	store     *store.Store
	log       *slog.Logger
	now       func() time.Time
	metrics   *metrics
	jobs      *jobManager
	uploads   *uploadStore
	runs      *runCache
	alerts    alerts
	loginIP   *limiter
	loginUser *limiter
	hashSem   chan struct{}
	noAuthKey string // CSRF token of --no-auth mode
	loopback  bool
	tls       bool
	mux       *http.ServeMux
	routes    []route
}

// New checks the configuration (refusing to expose an unauthenticated
// server on a network interface), creates the data directory and builds
// the handler. It does not listen.
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.Store == nil {
		return nil, fmt.Errorf("%w: server needs a store", config.ErrInvalid)
	}
	if opts.Log == nil {
		opts.Log = discardLogger()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ShutdownGrace <= 0 {
		opts.ShutdownGrace = 10 * time.Second
	}
	cfg := opts.Config.Server
	if err := validate(&cfg); err != nil {
		return nil, err
	}
	users, err := opts.Store.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	loop, err := checkExposure(cfg.Addr, cfg.NoAuth, users)
	if err != nil {
		return nil, err
	}
	if cfg.DataDir == "" {
		cfg.DataDir = filepath.Join(filepath.Dir(opts.Store.Path()), "chorus-data")
	}
	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	cfg.DataDir = dataDir
	s := &Server{
		opts:      opts,
		cfg:       cfg,
		store:     opts.Store,
		log:       opts.Log,
		now:       opts.Now,
		metrics:   newMetrics(),
		loginIP:   newLimiter(cfg.LoginPerIP, time.Minute, 100000),
		loginUser: newLimiter(cfg.LoginPerUser, time.Minute, 100000),
		hashSem:   make(chan struct{}, max(1, runtime.GOMAXPROCS(0))),
		noAuthKey: randomToken(32),
		loopback:  loop,
		tls:       cfg.TLSCert != "",
	}
	if s.uploads, err = openUploads(filepath.Join(dataDir, "uploads")); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dataDir, "results"), 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	s.runs = newRunCache(4)
	s.jobs = newJobManager(cfg.MaxJobs, s.metrics, s.now, s.jobFinished)
	if users == 0 && !cfg.NoAuth {
		s.log.Warn("no users: nobody can log in; create one with `chorus users add NAME --role admin` (same --db)")
	}
	if cfg.NoAuth {
		s.log.Warn("authentication is OFF (--no-auth): every request acts as admin; loopback only")
	}
	s.buildRoutes()
	return s, nil
}

func validate(c *config.Server) error {
	switch {
	case c.Addr == "":
		return fmt.Errorf("%w: --addr is empty", config.ErrInvalid)
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return fmt.Errorf("%w: --tls-cert and --tls-key go together", config.ErrInvalid)
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = 12 * time.Hour
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.UploadTimeout <= 0 {
		c.UploadTimeout = time.Hour
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.MaxUploadBytes <= 0 {
		c.MaxUploadBytes = 4 << 30
	}
	if c.LoginPerIP <= 0 {
		c.LoginPerIP = 10
	}
	if c.LoginPerUser <= 0 {
		c.LoginPerUser = 5
	}
	return nil
}

// checkExposure refuses an address reachable from other machines unless
// authentication is on and at least one user exists. It returns whether
// the address is loopback.
func checkExposure(addr string, noAuth bool, users int) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("%w: --addr %q: %v (want HOST:PORT, e.g. 127.0.0.1:8080)", config.ErrInvalid, addr, err)
	}
	if isLoopbackHost(host) {
		return true, nil
	}
	where := host
	if where == "" {
		where = "every interface"
	}
	if noAuth {
		return false, fmt.Errorf("%w: --addr %s listens on %s and --no-auth would let anyone who reaches it read and change everything; "+
			"use --addr 127.0.0.1:PORT with --no-auth, or drop --no-auth and create users with `chorus users add NAME --role admin`", ErrNoAuthRefused, addr, where)
	}
	if users == 0 {
		return false, fmt.Errorf("%w: --addr %s listens on %s but no user is configured; create one first with "+
			"`chorus users add NAME --role admin --db SAME.db` (the password is read from stdin), or listen on 127.0.0.1", ErrNoAuthRefused, addr, where)
	}
	return false, nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Handler returns the server's HTTP handler (tests use it with
// httptest; Serve uses it too).
func (s *Server) Handler() http.Handler { return s.mux }

// ListenAndServe listens on the configured address (TLS when configured)
// and serves until ctx is cancelled.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	if s.tls {
		cert, err := tls.LoadX509KeyPair(s.cfg.TLSCert, s.cfg.TLSKey)
		if err != nil {
			ln.Close()
			return fmt.Errorf("%w: load TLS certificate: %v", config.ErrInvalid, err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}})
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is cancelled, then shuts down gracefully:
// it stops accepting, cancels background jobs and live ingesters, gives
// in-flight requests ShutdownGrace to finish, cancels the rest and waits
// for every goroutine it started. The listener is closed on return.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if host, _, err := net.SplitHostPort(ln.Addr().String()); err == nil && !isLoopbackHost(host) && s.loopback {
		ln.Close()
		return fmt.Errorf("%w: configured for a loopback address but given a listener on %s", ErrNoAuthRefused, ln.Addr())
	}
	reqCtx, cancelReqs := context.WithCancel(context.Background())
	defer cancelReqs()
	srv := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return reqCtx },
	}
	var bg sync.WaitGroup
	bgCtx, stopBG := context.WithCancel(context.Background())
	s.runIngesters(bgCtx, &bg)
	bg.Add(1)
	go func() {
		defer bg.Done()
		s.sweepSessions(bgCtx)
	}()

	scheme := "http"
	if s.tls {
		scheme = "https"
	}
	s.log.Info("serving", "url", fmt.Sprintf("%s://%s/", scheme, ln.Addr()), "data_dir", s.cfg.DataDir, "auth", !s.cfg.NoAuth)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	s.log.Info("shutting down")
	// Jobs and ingesters first: they may run for minutes.
	stopBG()
	jobsDone := make(chan struct{})
	go func() { s.jobs.shutdown(); close(jobsDone) }()
	shCtx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownGrace)
	err := srv.Shutdown(shCtx)
	cancel()
	if err != nil {
		cancelReqs()
		err = errors.Join(err, srv.Close())
		s.log.Warn("in-flight requests cancelled at shutdown", "err", err)
	}
	if serveErr == nil {
		serveErr = <-errc
	}
	<-jobsDone
	bg.Wait()
	s.log.Info("stopped")
	if errors.Is(serveErr, http.ErrServerClosed) {
		return nil
	}
	return serveErr
}

// sweepSessions deletes expired sessions every ten minutes.
func (s *Server) sweepSessions(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.store.DeleteExpiredSessions(ctx, s.now()); err != nil && ctx.Err() == nil {
				s.log.Warn("delete expired sessions", "err", err)
			} else if n > 0 {
				s.log.Info("expired sessions deleted", "sessions", n)
			}
		}
	}
}
