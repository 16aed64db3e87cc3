package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/report"
	"github.com/chorus-osint/chorus/internal/store"
)

// Errors of the server. Handlers wrap them with context; apiError turns
// any error into an HTTP status and a stable code (docs/api.md lists the
// codes; the dashboard switches on them).
var (
	// ErrNotFound: no such job, upload, run, cluster, account or post.
	ErrNotFound = errors.New("not found")
	// ErrUnauthenticated: no valid session cookie or API token.
	ErrUnauthenticated = errors.New("authentication required")
	// ErrForbidden: authenticated, but the role does not allow this.
	ErrForbidden = errors.New("not allowed for this role")
	// ErrCSRF: a cookie-authenticated unsafe request without the session's
	// CSRF token, or from a foreign origin.
	ErrCSRF = errors.New("cross-site request refused")
	// ErrBadRequest: the request is malformed (bad JSON, bad parameter).
	ErrBadRequest = errors.New("bad request")
	// ErrTooLarge: the request body exceeds its limit.
	ErrTooLarge = errors.New("request body too large")
	// ErrRateLimited: too many attempts; retry later.
	ErrRateLimited = errors.New("too many requests")
	// ErrConflict: the request conflicts with the current state (e.g.
	// cancelling a finished job, deleting a file in use).
	ErrConflict = errors.New("conflict")
	// ErrUnavailable: the server is shutting down or the job queue is full.
	ErrUnavailable = errors.New("unavailable")
	// ErrLoginFailed: wrong user name or password (one message for both).
	ErrLoginFailed = errors.New("wrong user name or password")
	// ErrNoAuthRefused: the server would be open on a network interface.
	ErrNoAuthRefused = errors.New("refusing to serve without authentication on a non-loopback address")
)

// apiError maps an error to an HTTP status and a stable error code. It is
// the one place where errors become what an API client sees.
func apiError(err error) (status int, code string) {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, ErrUnauthenticated), errors.Is(err, ErrLoginFailed):
		return http.StatusUnauthorized, "unauthenticated"
	case errors.Is(err, ErrCSRF):
		return http.StatusForbidden, "csrf"
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden, "forbidden"
	case errors.Is(err, ErrRateLimited):
		return http.StatusTooManyRequests, "rate_limited"
	case errors.As(err, &mbe), errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge, "too_large"
	case errors.Is(err, ErrNotFound), errors.Is(err, store.ErrNotFound), errors.Is(err, fs.ErrNotExist), errors.Is(err, report.ErrResultDir):
		return http.StatusNotFound, "not_found"
	case errors.Is(err, store.ErrExists):
		return http.StatusConflict, "exists"
	case errors.Is(err, ErrConflict):
		return http.StatusConflict, "conflict"
	case errors.Is(err, ErrBadRequest), errors.Is(err, store.ErrInvalid), errors.Is(err, config.ErrInvalid):
		return http.StatusBadRequest, "invalid"
	case errors.Is(err, ingest.ErrUnknownFormat), errors.Is(err, ingest.ErrLimit), errors.Is(err, ingest.ErrStrict),
		errors.Is(err, ingest.ErrMalformed), errors.Is(err, ingest.ErrUnsafePath), errors.Is(err, pipeline.ErrNoPosts):
		return http.StatusUnprocessableEntity, "bad_input"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "timeout"
	case errors.Is(err, ErrUnavailable), errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, "unavailable"
	}
	return http.StatusInternalServerError, "internal"
}

// errorBody is the JSON of every error response.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// writeError writes err as {"error":{"code","message"}}. Internal errors
// are logged with their detail and shown to the client without it.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, code := apiError(err)
	var body errorBody
	body.Error.Code = code
	body.Error.Message = err.Error()
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error.Message = "internal error (see the server log)"
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="chorus"`)
	}
	writeJSON(w, status, body)
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		// The client went away; nothing more to say.
		return
	}
}

// badRequest wraps a message as ErrBadRequest.
func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, args...))
}

// discardLogger is used when Options.Log is nil.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
