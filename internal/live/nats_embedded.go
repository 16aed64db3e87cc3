package live

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
)

// DefaultNATSURL is where the embedded server listens, and where the
// consumer connects, when --nats is empty.
const DefaultNATSURL = "nats://127.0.0.1:4222"

// EmbeddedNATS is a NATS server with JetStream running inside chorus
// (`chorus serve --nats-embedded`): a single-box setup with no separate
// broker. It listens on loopback only and has no authentication, so that
// only processes of this machine can publish.
type EmbeddedNATS struct {
	srv *natsserver.Server
	url string
}

// StartEmbeddedNATS starts the server on the host:port of rawURL (empty:
// DefaultNATSURL; port 0 picks a free one) with JetStream storage in dir
// (created 0700), and waits until it accepts connections.
func StartEmbeddedNATS(rawURL, dir string, log *slog.Logger) (*EmbeddedNATS, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if rawURL == "" {
		rawURL = DefaultNATSURL
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "nats" || u.Host == "" {
		return nil, fmt.Errorf("%w: --nats %q: want nats://127.0.0.1:PORT for the embedded server", ErrConfig, rawURL)
	}
	host, portText, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, portText = u.Host, "4222"
	}
	ip := net.ParseIP(host)
	if !(host == "localhost" || (ip != nil && ip.IsLoopback())) {
		return nil, fmt.Errorf("%w: --nats-embedded listens on loopback only (it has no authentication); got host %q: "+
			"use --nats nats://127.0.0.1:PORT, or run a NATS server with authentication and point --nats at it", ErrConfig, host)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 {
		return nil, fmt.Errorf("%w: --nats %q: bad port", ErrConfig, rawURL)
	}
	if port == 0 {
		port = -1 // nats-server's "random port"
	}
	if dir == "" {
		return nil, fmt.Errorf("%w: the embedded NATS server needs a storage directory (--nats-dir)", ErrConfig)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	opts := &natsserver.Options{
		ServerName: "chorus-embedded",
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   abs,
		NoSigs:     true,
	}
	s, err := natsserver.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	s.SetLoggerV2(natsLogger{log}, false, false, false)
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("embedded nats: not ready after 10 s (is %s:%s in use?)", host, portText)
	}
	e := &EmbeddedNATS{srv: s, url: s.ClientURL()}
	log.Info("live: embedded nats started", "url", e.url, "store_dir", abs)
	return e, nil
}

// URL is the client URL of the running server.
func (e *EmbeddedNATS) URL() string { return e.url }

// Shutdown stops the server and waits for it (JetStream flushes its
// storage).
func (e *EmbeddedNATS) Shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
}

// natsLogger forwards nats-server's log lines to slog (notices at debug:
// the server is chatty at start).
type natsLogger struct{ l *slog.Logger }

func (n natsLogger) Noticef(format string, v ...any) { n.l.Debug("nats: " + fmt.Sprintf(format, v...)) }
func (n natsLogger) Warnf(format string, v ...any)   { n.l.Warn("nats: " + fmt.Sprintf(format, v...)) }
func (n natsLogger) Fatalf(format string, v ...any)  { n.l.Error("nats: " + fmt.Sprintf(format, v...)) }
func (n natsLogger) Errorf(format string, v ...any)  { n.l.Error("nats: " + fmt.Sprintf(format, v...)) }
func (n natsLogger) Debugf(format string, v ...any)  { n.l.Debug("nats: " + fmt.Sprintf(format, v...)) }
func (n natsLogger) Tracef(format string, v ...any)  {}
