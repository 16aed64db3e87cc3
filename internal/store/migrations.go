package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/chorus-osint/chorus/internal/version"
)

// migration is one numbered schema change. Migrations are append-only:
// never edit or renumber a released one; add the next number. Each runs in
// its own transaction together with its schema_migrations row, so a crash
// leaves the schema either before or after it.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations is the schema history. docs/store.md draws the result.
//
// Tables that reference events(id) and runs(id) rely on both ids being
// AUTOINCREMENT, so a deleted row's id is never reused by a later row.
var migrations = []migration{
	{1, "event library and runs", `
CREATE TABLE events (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT    NOT NULL UNIQUE,
	t0_ms      INTEGER NOT NULL,              -- Unix milliseconds, UTC
	t_claim_ms INTEGER,                       -- NULL: no claim
	place      TEXT    NOT NULL DEFAULT '',
	languages  TEXT    NOT NULL DEFAULT '',   -- comma-separated codes
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL
);
CREATE INDEX events_t0 ON events (t0_ms, name);

-- Watch lists: kind is account, media_outlet, branding, quote or hash;
-- pos keeps the user's order.
CREATE TABLE event_watch (
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	kind     TEXT    NOT NULL,
	pos      INTEGER NOT NULL,
	value    TEXT    NOT NULL,
	PRIMARY KEY (event_id, kind, pos)
) WITHOUT ROWID;
CREATE INDEX event_watch_value ON event_watch (kind, value);

-- The event's indicator vector (name -> value).
CREATE TABLE event_indicators (
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	name     TEXT    NOT NULL,
	value    REAL    NOT NULL,
	PRIMARY KEY (event_id, name)
) WITHOUT ROWID;

-- Named ordered lists computed by an analysis (top_hashtags, …).
CREATE TABLE event_lists (
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	list     TEXT    NOT NULL,
	pos      INTEGER NOT NULL,
	value    TEXT    NOT NULL,
	PRIMARY KEY (event_id, list, pos)
) WITHOUT ROWID;

CREATE TABLE runs (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	event_id       INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	chorus_version TEXT    NOT NULL,
	params         TEXT    NOT NULL CHECK (json_valid(params)),
	result_dir     TEXT    NOT NULL,
	created_ms     INTEGER NOT NULL,
	status         TEXT    NOT NULL
);
CREATE INDEX runs_event ON runs (event_id, created_ms);

CREATE TABLE run_inputs (
	run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
	pos    INTEGER NOT NULL,
	path   TEXT    NOT NULL,
	sha256 TEXT    NOT NULL,
	size   INTEGER NOT NULL,
	PRIMARY KEY (run_id, pos)
) WITHOUT ROWID;
CREATE INDEX run_inputs_sha256 ON run_inputs (sha256);
`},
	{2, "server users, sessions and API tokens", `
-- Server accounts (chorus serve). password is a PHC string
-- ($argon2id$v=19$m=...,t=...,p=...$salt$hash); the store never sees a
-- clear-text password.
CREATE TABLE users (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT    NOT NULL UNIQUE,
	role       TEXT    NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
	password   TEXT    NOT NULL,
	created_ms INTEGER NOT NULL,
	updated_ms INTEGER NOT NULL
);

-- Browser sessions. token_hash is SHA-256 of the cookie value, so a copy
-- of the database does not hand out live sessions; csrf is the session's
-- anti-CSRF token (sent back in a header by the dashboard).
CREATE TABLE sessions (
	token_hash BLOB    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT    NOT NULL,
	created_ms INTEGER NOT NULL,
	expires_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_ms);

-- API tokens (Authorization: Bearer). token_hash is SHA-256 of the token;
-- a revoked token keeps its row (revoked_ms set) for the audit trail.
CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT    NOT NULL DEFAULT '',
	token_hash BLOB    NOT NULL UNIQUE,
	created_ms INTEGER NOT NULL,
	revoked_ms INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
`},
	{3, "live-mode consumed posts", `
-- Posts consumed in live mode (internal/live, docs/live.md "Exactly-once").
-- key is the de-duplication key (platform, post id, repost object); a
-- message delivered twice finds its key and is counted once. post holds
-- the encoded post the live detector is rebuilt from after a restart; it
-- is set to NULL once the post is older than the detector's horizon, and
-- the row is deleted once older than the key retention.
CREATE TABLE live_posts (
	id      INTEGER PRIMARY KEY,
	key     BLOB    NOT NULL UNIQUE,
	time_ms INTEGER NOT NULL,              -- post time, Unix milliseconds
	seen_ms INTEGER NOT NULL,              -- wall time it was recorded
	post    BLOB                           -- NULL: older than the horizon
);
CREATE INDEX live_posts_time ON live_posts (time_ms);

-- Small named integers of live mode: pruned_before_ms is the post time
-- below which keys have been deleted (older posts are refused as stale,
-- so that a pruned key can never let a post be counted twice).
CREATE TABLE live_state (
	name  TEXT    PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;

-- Alerts raised in live mode, with the cluster's member accounts, so that
-- a restarted detector (whose cluster ids start afresh) does not raise the
-- same cluster again.
CREATE TABLE live_alerts (
	id       INTEGER PRIMARY KEY,
	time_ms  INTEGER NOT NULL,             -- wall time of the alert
	accounts TEXT    NOT NULL              -- member accounts, one per line
);
CREATE INDEX live_alerts_time ON live_alerts (time_ms);
`},
}

// LatestSchema is the schema version this binary writes.
func LatestSchema() int { return migrations[len(migrations)-1].version }

const createMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version        INTEGER PRIMARY KEY,
	name           TEXT    NOT NULL,
	applied_ms     INTEGER NOT NULL,
	chorus_version TEXT    NOT NULL
)`

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// schemaVersion returns the highest applied migration and its name
// (0, "" on a new file).
func (s *Store) schemaVersion(ctx context.Context, q querier) (int, string, error) {
	var exists int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&exists); err != nil {
		return 0, "", err
	}
	if exists == 0 {
		return 0, "", nil
	}
	var v sql.NullInt64
	var name sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT version, name FROM schema_migrations ORDER BY version DESC LIMIT 1`).Scan(&v, &name); err != nil && err != sql.ErrNoRows {
		return 0, "", err
	}
	return int(v.Int64), name.String, nil
}

// migrate applies every pending migration, one transaction each. The
// version is re-read inside each transaction so that two processes opening
// the same new file at once apply each migration once.
func (s *Store) migrate(ctx context.Context) error {
	v, name, err := s.schemaVersion(ctx, s.w)
	if err != nil {
		return s.classify("read schema version", err)
	}
	if v > LatestSchema() {
		return fmt.Errorf("open store %s: %w: the file is at schema version %d (%q), this chorus %s knows up to %d; "+
			"use the newer chorus that wrote it (or `chorus events export` with it and import here)",
			s.path, ErrSchemaTooNew, v, name, version.String(), LatestSchema())
	}
	if v > 0 && v <= len(migrations) && migrations[v-1].name != name {
		return fmt.Errorf("open store %s: %w: schema version %d is recorded as %q, this chorus calls it %q",
			s.path, ErrNotChorus, v, name, migrations[v-1].name)
	}
	for _, m := range migrations {
		if m.version <= v {
			continue
		}
		err := s.writeTx(ctx, fmt.Sprintf("apply migration %d (%s)", m.version, m.name), func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, createMigrations); err != nil {
				return err
			}
			cur, _, err := s.schemaVersion(ctx, tx)
			if err != nil {
				return err
			}
			if cur >= m.version {
				return nil // another process applied it meanwhile
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_ms, chorus_version) VALUES (?, ?, ?, ?)`,
				m.version, m.name, time.Now().UnixMilli(), version.String()); err != nil {
				return err
			}
			// user_version mirrors the version for sqlite3 users;
			// application_id marks the file as ours.
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID))
			return err
		})
		if err != nil {
			return err
		}
		s.log.Info("store schema migrated", "path", s.path, "version", m.version, "migration", m.name)
	}
	s.version = LatestSchema()
	return nil
}
