package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Role is a server user's role. Each role may do what the one before it
// may, and more: a viewer reads, an analyst also uploads and runs
// analyses, an admin also manages users.
type Role string

// Roles, lowest first.
const (
	RoleViewer  Role = "viewer"
	RoleAnalyst Role = "analyst"
	RoleAdmin   Role = "admin"
)

// Rank orders roles (viewer 1, analyst 2, admin 3; 0 for an unknown role).
func (r Role) Rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleAnalyst:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if r.Rank() == 0 {
		return "", fmt.Errorf("%w: role %q (want viewer, analyst or admin)", ErrInvalid, s)
	}
	return r, nil
}

// User is a server account. PasswordHash is an opaque PHC string made by
// the server's password hasher; the store never sees a clear password.
type User struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	Created      time.Time `json:"created"`
	Updated      time.Time `json:"updated"`
}

// Session is a browser session. TokenHash is SHA-256 of the cookie value.
type Session struct {
	TokenHash []byte
	UserID    int64
	CSRF      string
	Created   time.Time
	Expires   time.Time
}

// Token is an API token. TokenHash is SHA-256 of the token.
type Token struct {
	ID        int64      `json:"id"`
	User      string     `json:"user"`
	Name      string     `json:"name"`
	TokenHash []byte     `json:"-"`
	Created   time.Time  `json:"created"`
	Revoked   *time.Time `json:"revoked,omitempty"`
}

// userNameRE is what a user name may be: it appears in logs and URLs.
var userNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// ValidUserName reports whether name is an acceptable user name.
func ValidUserName(name string) error {
	if !userNameRE.MatchString(name) {
		return fmt.Errorf("%w: user name %q (1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit)", ErrInvalid, name)
	}
	return nil
}

// AddUser creates a user. ErrExists when the name is taken.
func (s *Store) AddUser(ctx context.Context, u User) (int64, error) {
	if err := ValidUserName(u.Name); err != nil {
		return 0, fmt.Errorf("add user: %w", err)
	}
	if u.Role.Rank() == 0 {
		return 0, fmt.Errorf("add user %q: %w: role %q", u.Name, ErrInvalid, u.Role)
	}
	if u.PasswordHash == "" {
		return 0, fmt.Errorf("add user %q: %w: empty password hash", u.Name, ErrInvalid)
	}
	var id int64
	now := time.Now().UnixMilli()
	err := s.writeTx(ctx, fmt.Sprintf("add user %q", u.Name), func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE name = ?`, u.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("user %q: %w", u.Name, ErrExists)
		}
		return tx.QueryRowContext(ctx, `INSERT INTO users (name, role, password, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			u.Name, string(u.Role), u.PasswordHash, now, now).Scan(&id)
	})
	return id, err
}

// UpdateUser changes a user's role and, when PasswordHash is non-empty,
// password. Changing the password ends the user's sessions.
func (s *Store) UpdateUser(ctx context.Context, u User) error {
	if u.Role.Rank() == 0 {
		return fmt.Errorf("update user %q: %w: role %q", u.Name, ErrInvalid, u.Role)
	}
	return s.writeTx(ctx, fmt.Sprintf("update user %q", u.Name), func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, u.Name)
		if err != nil {
			return err
		}
		now := time.Now().UnixMilli()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, updated_ms = ? WHERE id = ?`, string(u.Role), now, id); err != nil {
			return err
		}
		if u.PasswordHash == "" {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password = ? WHERE id = ?`, u.PasswordHash, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
		return err
	})
}

func userID(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("user %q: %w", name, ErrNotFound)
	}
	return id, err
}

const userColumns = `u.id, u.name, u.role, u.password, u.created_ms, u.updated_ms`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (User, error) {
	var u User
	var role string
	var created, updated int64
	dst := append([]any{&u.ID, &u.Name, &role, &u.PasswordHash, &created, &updated}, extra...)
	if err := row.Scan(dst...); err != nil {
		return u, err
	}
	u.Role = Role(role)
	u.Created, u.Updated = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	return u, nil
}

// GetUser returns the named user. ErrNotFound when there is none.
func (s *Store) GetUser(ctx context.Context, name string) (User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("get user: user %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return User{}, s.classify("get user", err)
	}
	return u, nil
}

// ListUsers returns every user ordered by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.name`)
	if err != nil {
		return nil, s.classify("list users", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, s.classify("list users", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, s.classify("list users", err)
	}
	return out, nil
}

// CountUsers returns how many users exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, s.classify("count users", err)
	}
	return n, nil
}

// DeleteUser removes a user with their sessions and tokens.
func (s *Store) DeleteUser(ctx context.Context, name string) error {
	return s.writeTx(ctx, fmt.Sprintf("delete user %q", name), func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, name)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
		return err
	})
}

// AddSession stores a new session.
func (s *Store) AddSession(ctx context.Context, se Session) error {
	if len(se.TokenHash) == 0 || se.CSRF == "" || se.Expires.IsZero() {
		return fmt.Errorf("add session: %w: empty token hash, csrf token or expiry", ErrInvalid)
	}
	if se.Created.IsZero() {
		se.Created = time.Now()
	}
	return s.writeTx(ctx, "add session", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?)`,
			se.TokenHash, se.UserID, se.CSRF, se.Created.UnixMilli(), se.Expires.UnixMilli())
		return err
	})
}

// SessionUser returns the session with the given token hash and its user,
// when the session has not expired at now. ErrNotFound otherwise.
func (s *Store) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (Session, User, error) {
	var se Session
	var created, expires int64
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userColumns+`, s.csrf, s.created_ms, s.expires_ms
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_ms > ?`, tokenHash, now.UnixMilli()),
		&se.CSRF, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return se, User{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return se, User{}, s.classify("read session", err)
	}
	se.TokenHash, se.UserID = tokenHash, u.ID
	se.Created, se.Expires = time.UnixMilli(created).UTC(), time.UnixMilli(expires).UTC()
	return se, u, nil
}

// DeleteSession ends a session (logout). Deleting an unknown session is
// not an error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	return s.writeTx(ctx, "delete session", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
}

// DeleteExpiredSessions removes sessions expired at now and returns how
// many there were.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.writeTx(ctx, "delete expired sessions", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_ms <= ?`, now.UnixMilli())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// AddToken stores an API token of the named user and returns its id.
func (s *Store) AddToken(ctx context.Context, user, name string, tokenHash []byte) (int64, error) {
	if len(tokenHash) == 0 {
		return 0, fmt.Errorf("add token: %w: empty token hash", ErrInvalid)
	}
	var id int64
	err := s.writeTx(ctx, fmt.Sprintf("add token of %q", user), func(tx *sql.Tx) error {
		uid, err := userID(ctx, tx, user)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_ms) VALUES (?, ?, ?, ?) RETURNING id`,
			uid, name, tokenHash, time.Now().UnixMilli()).Scan(&id)
	})
	return id, err
}

// TokenUser returns the unrevoked token with the given hash and its user.
// ErrNotFound when there is none (or it was revoked).
func (s *Store) TokenUser(ctx context.Context, tokenHash []byte) (Token, User, error) {
	var t Token
	var created int64
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userColumns+`, t.id, t.name, t.created_ms
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_ms IS NULL`, tokenHash),
		&t.ID, &t.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return t, User{}, fmt.Errorf("token: %w", ErrNotFound)
	}
	if err != nil {
		return t, User{}, s.classify("read token", err)
	}
	t.User, t.TokenHash, t.Created = u.Name, tokenHash, time.UnixMilli(created).UTC()
	return t, u, nil
}

// ListTokens returns the tokens of the named user (every user's when
// empty), revoked ones included, oldest first.
func (s *Store) ListTokens(ctx context.Context, user string) ([]Token, error) {
	q := `SELECT t.id, u.name, t.name, t.created_ms, t.revoked_ms FROM api_tokens t JOIN users u ON u.id = t.user_id`
	args := []any{}
	if user != "" {
		q += ` WHERE u.name = ?`
		args = append(args, user)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY t.id`, args...)
	if err != nil {
		return nil, s.classify("list tokens", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created int64
		var revoked sql.NullInt64
		if err := rows.Scan(&t.ID, &t.User, &t.Name, &created, &revoked); err != nil {
			return nil, s.classify("list tokens", err)
		}
		t.Created = time.UnixMilli(created).UTC()
		if revoked.Valid {
			r := time.UnixMilli(revoked.Int64).UTC()
			t.Revoked = &r
		}
		out = append(out, t)
	}
	return out, s.classify("list tokens", rows.Err())
}

// RevokeToken revokes token id. ErrNotFound when there is no such
// unrevoked token.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	return s.writeTx(ctx, fmt.Sprintf("revoke token %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL`, time.Now().UnixMilli(), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("token %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// GetRun returns run id with its inputs. ErrNotFound when there is none.
func (s *Store) GetRun(ctx context.Context, id int64) (Run, error) {
	var r Run
	var params, status string
	var created int64
	err := s.r.QueryRowContext(ctx, `SELECT r.id, e.name, r.chorus_version, r.params, r.result_dir, r.created_ms, r.status
		FROM runs r JOIN events e ON e.id = r.event_id WHERE r.id = ?`, id).Scan(&r.ID, &r.Event, &r.Version, &params, &r.ResultDir, &created, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("get run: run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, s.classify("get run", err)
	}
	r.Params, r.Created, r.Status = []byte(params), time.UnixMilli(created).UTC(), RunStatus(status)
	rows, err := s.r.QueryContext(ctx, `SELECT path, sha256, size FROM run_inputs WHERE run_id = ? ORDER BY pos`, id)
	if err != nil {
		return r, s.classify("get run", err)
	}
	defer rows.Close()
	for rows.Next() {
		var in RunInput
		if err := rows.Scan(&in.Path, &in.SHA256, &in.Size); err != nil {
			return r, s.classify("get run", err)
		}
		r.Inputs = append(r.Inputs, in)
	}
	return r, s.classify("get run", rows.Err())
}
