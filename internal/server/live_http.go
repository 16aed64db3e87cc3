package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sync/atomic"
)

// LiveFeed is the live-mode pipeline behind POST /api/live/ingest and
// GET /api/live (internal/live implements it; docs/live.md). Its methods
// are safe for concurrent use.
type LiveFeed interface {
	// Ingest decodes body (one or more records in any supported format,
	// sniffed; name labels the posts' source), records the posts not seen
	// before durably (exactly-once: a post sent twice is counted once) and
	// feeds them to the live detector. Malformed records are skipped and
	// counted; a body no reader recognises is an ingest error.
	Ingest(ctx context.Context, name string, body []byte) (LiveIngestResult, error)
	// Status is the live detector's last snapshot and the live counters,
	// ready for JSON.
	Status(ctx context.Context) (any, error)
}

// LiveIngestResult counts what one ingest request did.
type LiveIngestResult struct {
	// Format is the format the body was read as.
	Format string `json:"format"`
	// Posts read from the body; New of them recorded now; Duplicates
	// already recorded (or repeated in the body); Stale older than the
	// key retention (refused, see docs/live.md); Skipped malformed
	// records.
	Posts      int64 `json:"posts"`
	New        int64 `json:"new"`
	Duplicates int64 `json:"duplicates"`
	Stale      int64 `json:"stale"`
	Skipped    int64 `json:"skipped"`
}

// ingestTypes are the Content-Types POST /api/live/ingest accepts. A type
// is required, and none of them is one a cross-site HTML form can send
// (text/plain, form encodings), so a browser cannot post there from
// another origin without a CORS preflight (cookie sessions also need the
// CSRF header).
var ingestTypes = map[string]bool{
	"application/x-ndjson": true, "application/jsonl": true, "application/json": true,
	"text/csv": true, "application/octet-stream": true, "application/gzip": true, "application/zstd": true,
}

// liveSeq numbers ingest requests in the posts' source names.
var liveSeq atomic.Int64

func (s *Server) handleLiveIngest(w http.ResponseWriter, r *http.Request, p *principal) error {
	if s.opts.Live == nil {
		return fmt.Errorf("%w: live mode is not running in this server", ErrNotFound)
	}
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || !ingestTypes[mt] {
		return badRequest("Content-Type %q: send application/x-ndjson (or application/json, text/csv, application/gzip, application/zstd, application/octet-stream)", ct)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return fmt.Errorf("%w: the limit is %d bytes (--max-body-bytes); send smaller batches", ErrTooLarge, mbe.Limit)
		}
		return badRequest("reading the body: %v", err)
	}
	if len(body) == 0 {
		return badRequest("empty body: send one or more records")
	}
	name := fmt.Sprintf("http:%s#%d", p.name(), liveSeq.Add(1))
	res, err := s.opts.Live.Ingest(r.Context(), name, body)
	if err != nil {
		return err
	}
	s.metrics.posts.WithLabelValues("live").Add(float64(res.New))
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) handleLiveStatus(w http.ResponseWriter, r *http.Request, _ *principal) error {
	if s.opts.Live == nil {
		return fmt.Errorf("%w: live mode is not running in this server", ErrNotFound)
	}
	st, err := s.opts.Live.Status(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}
