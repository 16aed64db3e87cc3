package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/chorus-osint/chorus/internal/store"
)

func (s *Server) handleListUsers(w http.ResponseWriter, r *http.Request, _ *principal) error {
	us, err := s.store.ListUsers(r.Context())
	if err != nil {
		return err
	}
	if us == nil {
		us = []store.User{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": us})
	return nil
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req userRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	role, err := req.validate()
	if err != nil {
		return err
	}
	hash, err := s.hashPassword(r, req.Password)
	if err != nil {
		return err
	}
	if _, err := s.store.AddUser(r.Context(), store.User{Name: req.Name, Role: role, PasswordHash: hash}); err != nil {
		return err
	}
	s.log.Info("user created", "user", req.Name, "role", role, "by", p.User)
	u, err := s.store.GetUser(r.Context(), req.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

// hashPassword hashes under the argon2 semaphore.
func (s *Server) hashPassword(r *http.Request, pw string) (string, error) {
	select {
	case s.hashSem <- struct{}{}:
	case <-r.Context().Done():
		return "", r.Context().Err()
	}
	defer func() { <-s.hashSem }()
	h, err := HashPassword(pw)
	if err != nil {
		return "", badRequest("%v", err)
	}
	return h, nil
}

func (s *Server) handleDeleteUser(w http.ResponseWriter, r *http.Request, p *principal) error {
	name, err := pathValue(r, "name")
	if err != nil {
		return err
	}
	if name == p.User {
		return fmt.Errorf("%w: you cannot delete yourself (another admin can)", ErrConflict)
	}
	if err := s.store.DeleteUser(r.Context(), name); err != nil {
		return err
	}
	s.log.Info("user deleted", "user", name, "by", p.User)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request, p *principal) error {
	name, err := pathValue(r, "name")
	if err != nil {
		return err
	}
	var req tokenRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := req.validate(); err != nil {
		return err
	}
	tok, hash := NewAPIToken()
	id, err := s.store.AddToken(r.Context(), name, req.Name, hash)
	if err != nil {
		return err
	}
	s.log.Info("API token created", "user", name, "token_id", id, "by", p.User)
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "user": name, "name": req.Name, "token": tok,
		"note": "the token is shown once; send it as Authorization: Bearer TOKEN"})
	return nil
}

func (s *Server) handleListTokens(w http.ResponseWriter, r *http.Request, _ *principal) error {
	ts, err := s.store.ListTokens(r.Context(), r.URL.Query().Get("user"))
	if err != nil {
		return err
	}
	if ts == nil {
		ts = []store.Token{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": ts})
	return nil
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fmt.Errorf("token %q: %w", clip(r.PathValue("id"), 40), ErrNotFound)
	}
	if err := s.store.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	s.log.Info("API token revoked", "token_id", id, "by", p.User)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
