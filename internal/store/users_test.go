package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestUsersSessionsTokens covers migration 2: users with roles, sessions
// that expire, tokens that can be revoked, cascades on user deletion.
func TestUsersSessionsTokens(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "u.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.SchemaVersion() < 2 {
		t.Fatalf("schema %d, want users (2)", s.SchemaVersion())
	}
	if _, err := s.AddUser(ctx, User{Name: "ana", Role: RoleAnalyst, PasswordHash: "$argon2id$x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(ctx, User{Name: "ana", Role: RoleViewer, PasswordHash: "h"}); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate user: %v, want ErrExists", err)
	}
	for _, u := range []User{{Name: "../x", Role: RoleViewer, PasswordHash: "h"}, {Name: "bob", Role: "root", PasswordHash: "h"}, {Name: "bob", Role: RoleViewer}} {
		if _, err := s.AddUser(ctx, u); !errors.Is(err, ErrInvalid) {
			t.Errorf("AddUser(%+v): %v, want ErrInvalid", u, err)
		}
	}
	if n, _ := s.CountUsers(ctx); n != 1 {
		t.Errorf("%d users, want 1", n)
	}
	u, err := s.GetUser(ctx, "ana")
	if err != nil || u.Role != RoleAnalyst || u.PasswordHash != "$argon2id$x" {
		t.Fatalf("GetUser: %+v %v", u, err)
	}
	now := time.Now()
	if err := s.AddSession(ctx, Session{TokenHash: []byte("h1"), UserID: u.ID, CSRF: "c", Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, su, err := s.SessionUser(ctx, []byte("h1"), now); err != nil || su.Name != "ana" {
		t.Errorf("live session: %+v %v", su, err)
	}
	if _, _, err := s.SessionUser(ctx, []byte("h1"), now.Add(2*time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired session: %v, want ErrNotFound", err)
	}
	id, err := s.AddToken(ctx, "ana", "ci", []byte("t1"))
	if err != nil {
		t.Fatal(err)
	}
	if tk, tu, err := s.TokenUser(ctx, []byte("t1")); err != nil || tu.Name != "ana" || tk.ID != id {
		t.Errorf("token: %+v %+v %v", tk, tu, err)
	}
	if err := s.RevokeToken(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.TokenUser(ctx, []byte("t1")); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked token: %v, want ErrNotFound", err)
	}
	if ts, _ := s.ListTokens(ctx, "ana"); len(ts) != 1 || ts[0].Revoked == nil {
		t.Errorf("token list %+v, want the revoked token", ts)
	}
	if _, err := s.AddToken(ctx, "ana", "ci2", []byte("t2")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionUser(ctx, []byte("h1"), now); !errors.Is(err, ErrNotFound) {
		t.Errorf("session after user deletion: %v", err)
	}
	if _, _, err := s.TokenUser(ctx, []byte("t2")); !errors.Is(err, ErrNotFound) {
		t.Errorf("token after user deletion: %v", err)
	}
	if ts, _ := s.ListTokens(ctx, ""); len(ts) != 0 {
		t.Errorf("%d tokens left after user deletion", len(ts))
	}
}
