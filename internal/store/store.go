// Package store is chorus's embedded store: one SQLite file (pure Go,
// modernc.org/sqlite) holding the event library and the record of analysis
// runs. The schema, the durability settings and the crash-safety guarantees
// are described in docs/store.md.
//
// A Store has one writer connection (writes are serialised in-process and
// run in BEGIN IMMEDIATE transactions) and a small pool of reader
// connections (WAL readers see a consistent snapshot and never block the
// writer). Every method is safe for concurrent use.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/store/eventlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors returned by the store. Match them with errors.Is; the messages
// carry the context (event name, path).
var (
	// ErrNotFound: no event (or run) by that name or id.
	ErrNotFound = errors.New("not found")
	// ErrExists: an event by that name already exists (ImportEvents
	// without replace).
	ErrExists = errors.New("already exists")
	// ErrInvalid: a value does not pass validation (empty name, zero T0,
	// bad regular expression, malformed hash, …). It is eventlib's.
	ErrInvalid = eventlib.ErrInvalid
	// ErrCorrupt: the database file fails SQLite's integrity check or is
	// not a database at all. The message says how to recover.
	ErrCorrupt = errors.New("database is corrupt")
	// ErrSchemaTooNew: the file was written by a newer chorus whose schema
	// this binary does not know.
	ErrSchemaTooNew = errors.New("database schema is newer than this chorus")
	// ErrNotChorus: the file is a SQLite database of another program.
	ErrNotChorus = errors.New("not a chorus database")
	// ErrReadOnly: a write on a store opened with OpenSalvage.
	ErrReadOnly = errors.New("store opened read-only for salvage")
)

// Environment and defaults for the database path (see ResolvePath).
const (
	// DefaultPath is the database used when neither --db nor CHORUS_DB is
	// set: chorus.db in the current directory.
	DefaultPath = "chorus.db"
	// EnvPath names the environment variable that overrides DefaultPath.
	EnvPath = "CHORUS_DB"
)

// BusyTimeoutMs is how long a connection waits for another process's
// write lock before failing with "database is locked".
const BusyTimeoutMs = 10000

// applicationID marks the file as a chorus database ("CHOR"), so that
// `--db some-other.sqlite` is refused instead of being migrated.
const applicationID = 0x43484f52

// ResolvePath returns the database path: flagValue when set, else the
// CHORUS_DB environment variable (read through getenv; nil means
// os.Getenv), else DefaultPath.
func ResolvePath(flagValue string, getenv func(string) string) string {
	if flagValue != "" {
		return flagValue
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	if v := strings.TrimSpace(getenv(EnvPath)); v != "" {
		return v
	}
	return DefaultPath
}

// Event and Watch are the library entries (package eventlib, which also
// holds their validation and the library file format).
type (
	Event = eventlib.Event
	Watch = eventlib.Watch
)

// Watch-list kinds as stored in event_watch.kind.
const (
	kindAccount     = "account"
	kindMediaOutlet = "media_outlet"
	kindBranding    = "branding"
	kindQuote       = "quote"
	kindHash        = "hash"
)

// Store is an open chorus database.
type Store struct {
	path    string
	w       *sql.DB // one connection: all writes
	r       *sql.DB // reader pool
	log     *slog.Logger
	salvage bool
	version int // schema version after migrations
}

// Open creates or opens the database at path, checks its integrity
// (PRAGMA quick_check), refuses files of other programs and newer schema
// versions, and applies pending migrations, each in its own transaction.
// A corrupt file is reported as ErrCorrupt with a recovery path in the
// message; it is never silently used. A nil log discards messages.
func Open(ctx context.Context, path string, log *slog.Logger) (*Store, error) {
	return open(ctx, path, log, false)
}

// OpenSalvage opens an existing, possibly corrupt database for reading
// only: no integrity check, no migrations, every write returns
// ErrReadOnly. It exists so that `chorus events export --salvage` can copy
// what is still readable out of a damaged file; use it on a copy.
func OpenSalvage(ctx context.Context, path string, log *slog.Logger) (*Store, error) {
	return open(ctx, path, log, true)
}

func open(ctx context.Context, path string, log *slog.Logger, salvage bool) (_ *Store, err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if strings.TrimSpace(path) == "" {
		return nil, fmt.Errorf("open store: %w: empty database path", ErrInvalid)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := prepareFile(abs, salvage); err != nil {
		return nil, err
	}
	s := &Store{path: abs, log: log, salvage: salvage}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()

	s.w, err = sql.Open("sqlite", dsn(abs, true, salvage))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", abs, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	s.w.SetConnMaxIdleTime(0)
	if err := pingRetryBusy(ctx, s.w); err != nil {
		return nil, s.classify("open store", err)
	}
	if err := s.checkApplication(ctx); err != nil {
		return nil, err
	}
	if !salvage {
		if err := s.quickCheck(ctx); err != nil {
			return nil, err
		}
		if err := s.migrate(ctx); err != nil {
			return nil, err
		}
	} else {
		v, _, err := s.schemaVersion(ctx, s.w)
		if err != nil {
			return nil, s.classify("read schema version", err)
		}
		s.version = v
	}

	s.r, err = sql.Open("sqlite", dsn(abs, false, salvage))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", abs, err)
	}
	n := max(2, runtime.GOMAXPROCS(0))
	s.r.SetMaxOpenConns(n)
	s.r.SetMaxIdleConns(n)
	if err := s.r.PingContext(ctx); err != nil {
		return nil, s.classify("open store", err)
	}
	log.Debug("store opened", "path", abs, "schema", s.version, "salvage", salvage)
	return s, nil
}

// prepareFile makes sure the directory exists and creates a new database
// file with mode 0600 (the store will later hold accounts and tokens), so
// SQLite does not create it world-readable.
func prepareFile(abs string, salvage bool) error {
	dir := filepath.Dir(abs)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("open store %s: directory %s does not exist (create it, or pick another --db / %s)", abs, dir, EnvPath)
	}
	if salvage {
		if _, err := os.Stat(abs); err != nil {
			return fmt.Errorf("open store %s: %w", abs, err)
		}
		return nil
	}
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	return fmt.Errorf("open store %s: %w", abs, err)
}

// dsn builds the connection string. Durability settings (docs/store.md):
// WAL journal (readers never block the writer, a crash loses no committed
// transaction), synchronous=FULL (a commit is on disk when it returns,
// also across power loss), foreign keys on (child rows follow their event),
// a busy timeout for other processes holding the write lock, and
// BEGIN IMMEDIATE for write transactions so two writers never deadlock on
// a lock upgrade.
func dsn(abs string, writer, salvage bool) string {
	u := url.URL{Path: abs}
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(BusyTimeoutMs))
	q.Set("_foreign_keys", "1")
	if writer && !salvage {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "FULL")
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_txlock", "deferred")
	}
	if !writer || salvage {
		q.Set("_query_only", "1")
	}
	if salvage {
		// SQLite's own read-only open: no checkpoint on close, so the
		// damaged file (and its WAL) is left exactly as it was.
		q.Set("mode", "ro")
	}
	return "file:" + u.EscapedPath() + "?" + q.Encode()
}

// pingRetryBusy opens the first connection, retrying while SQLite answers
// SQLITE_BUSY. Setting journal_mode=WAL on a new file takes an exclusive
// lock and SQLite does not call the busy handler for it, so two processes
// creating the same database at once can see "database is locked" despite
// the busy timeout; the retry gives them the same patience
// (BusyTimeoutMs) the busy timeout gives every other statement.
func pingRetryBusy(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(BusyTimeoutMs * time.Millisecond)
	wait := 5 * time.Millisecond
	for {
		err := db.PingContext(ctx)
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}

// recoveryHint is appended to every corruption error.
func recoveryHint(path string) string {
	return fmt.Sprintf("to recover: (1) restore %s from a backup; or (2) copy it (with any -wal file beside it) and salvage what is readable: "+
		"`chorus events export --salvage --db COPY.db --out library.json`, then `chorus events import library.json --db NEW.db`; "+
		"or (3) `sqlite3 COPY.db .recover | sqlite3 NEW.db`. Do not keep writing to the damaged file", path)
}

// classify turns SQLite errors that mean "this file is damaged" into
// ErrCorrupt with the recovery hint; other errors are wrapped with op.
func (s *Store) classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			if s.salvage {
				return fmt.Errorf("%s %s: %w (%v)", op, s.path, ErrCorrupt, err)
			}
			return fmt.Errorf("%s %s: %w (%v); %s", op, s.path, ErrCorrupt, err, recoveryHint(s.path))
		}
	}
	return fmt.Errorf("%s %s: %w", op, s.path, err)
}

// quickCheck runs PRAGMA quick_check and reports any finding as
// ErrCorrupt. It reads every page (O(file size)) but skips the index
// cross-checks of integrity_check.
func (s *Store) quickCheck(ctx context.Context) error {
	rows, err := s.w.QueryContext(ctx, "PRAGMA quick_check(20)")
	if err != nil {
		return s.classify("integrity check", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return s.classify("integrity check", err)
		}
		if msg != "ok" {
			problems = append(problems, msg)
		}
	}
	if err := rows.Err(); err != nil {
		return s.classify("integrity check", err)
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = append(problems[:5], fmt.Sprintf("… (%d more)", len(problems)-5))
		}
		return fmt.Errorf("integrity check %s: %w: %s; %s", s.path, ErrCorrupt, strings.Join(problems, "; "), recoveryHint(s.path))
	}
	return nil
}

// checkApplication refuses SQLite files that belong to another program:
// a foreign application_id, or tables but no schema_migrations.
func (s *Store) checkApplication(ctx context.Context) error {
	var id int64
	if err := s.w.QueryRowContext(ctx, "PRAGMA application_id").Scan(&id); err != nil {
		return s.classify("read application id", err)
	}
	if id == applicationID {
		return nil
	}
	if id != 0 {
		return fmt.Errorf("open store %s: %w (application_id %#x); pick another --db / %s", s.path, ErrNotChorus, id, EnvPath)
	}
	var tables, ours int
	err := s.w.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE name = 'schema_migrations')
		FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).Scan(&tables, &ours)
	if err != nil {
		return s.classify("read schema", err)
	}
	if tables > 0 && ours == 0 {
		return fmt.Errorf("open store %s: %w (it holds %d tables of another program); pick another --db / %s", s.path, ErrNotChorus, tables, EnvPath)
	}
	return nil
}

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// SchemaVersion returns the schema version of the open database.
func (s *Store) SchemaVersion() int { return s.version }

// Close closes the store. The last connection to close checkpoints the
// WAL into the main file.
func (s *Store) Close() error {
	if s == nil {
		return nil
	}
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
		s.r = nil
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
		s.w = nil
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close store %s: %w", s.path, err)
	}
	return nil
}

// writeTx runs fn in one write transaction (BEGIN IMMEDIATE) and commits;
// any error rolls back.
func (s *Store) writeTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	if s.salvage {
		return fmt.Errorf("%s: %w", op, ErrReadOnly)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.classify(op, err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return s.wrapOp(op, err)
	}
	if err := tx.Commit(); err != nil {
		return s.classify(op, err)
	}
	return nil
}

// readTx runs fn in one read transaction, so that the several queries that
// assemble events see one snapshot.
func (s *Store) readTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return s.classify(op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return s.wrapOp(op, err)
	}
	return nil
}

// wrapOp leaves errors of this package (already carrying context) alone
// apart from the op prefix, and classifies SQLite errors.
func (s *Store) wrapOp(op string, err error) error {
	for _, e := range []error{ErrNotFound, ErrExists, ErrInvalid, ErrReadOnly} {
		if errors.Is(err, e) {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return s.classify(op, err)
}
