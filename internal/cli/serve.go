package cli

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/live"
	"github.com/chorus-osint/chorus/internal/server"
	"github.com/chorus-osint/chorus/internal/store"
	"github.com/chorus-osint/chorus/web"
)

// serveSections are the config sections `chorus serve` binds: the server
// and the store, the defaults of the analyses it runs, and live mode (its
// streams and the event whose T0 gates live alerts).
var serveSections = []string{"server", "store", "ingest", "coord", "cluster", "indicators", "stance", "live", "event"}

// envWebDir serves the dashboard from a directory instead of the embedded
// build (dashboard development: `npm run build -- --watch`).
const envWebDir = "CHORUS_WEB_DIR"

func runServe(e *env, args []string) int {
	cfg := config.Default()
	fs := newFlagSet(e, "serve", "[--db chorus.db] [--addr 127.0.0.1:8080] [--data-dir DIR] [--tls-cert FILE --tls-key FILE] [--nats URL | --nats-embedded] [--kafka BROKERS] [--config chorus.yaml]")
	fs.String("config", "", "YAML config file (keys are the flag names); flags override it")
	jsonLog := fs.Bool("json-log", false, "structured JSON logs on stderr (default: text)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	cfg.BindFlags(fs, serveSections...)
	if p := findFlag(args, "config"); p != "" {
		if err := cfg.LoadFile(p); err != nil {
			return fail(e, "serve", err)
		}
	}
	rest, code := parseFlags(fs, args)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "chorus serve: unexpected arguments %q (uploads go through the API or the dashboard)\n", rest)
		return exitUsage
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(e.stderr, "chorus serve: --log-level %q: want debug, info, warn or error\n", *logLevel)
		return exitUsage
	}
	opts := &slog.HandlerOptions{Level: level}
	var log *slog.Logger
	if *jsonLog {
		log = slog.New(slog.NewJSONHandler(e.stderr, opts))
	} else {
		log = slog.New(slog.NewTextHandler(e.stderr, opts))
	}
	db, err := store.Open(e.ctx, store.ResolvePath(cfg.Store.DB, os.Getenv), log)
	if err != nil {
		return fail(e, "serve", err)
	}
	defer db.Close()
	assets := web.Dist()
	if dir := strings.TrimSpace(os.Getenv(envWebDir)); dir != "" {
		assets = os.DirFS(dir)
		log.Info("dashboard served from disk", "dir", dir)
	}
	lv, err := live.Start(e.ctx, cfg, db, log)
	if err != nil {
		return fail(e, "serve", err)
	}
	defer lv.Close()
	srv, err := server.New(e.ctx, server.Options{Config: cfg, Store: db, Log: log, Assets: assets,
		Ingesters: lv.Ingesters, Live: lv.Pipeline})
	if err != nil {
		return fail(e, "serve", err)
	}
	if err := srv.ListenAndServe(e.ctx); err != nil {
		return fail(e, "serve", err)
	}
	return exitOK
}
