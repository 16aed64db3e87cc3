package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/safefile"
)

// Upload is an uploaded input file. It lives in DATA/uploads/ID/ as the
// file itself (under its cleaned name, so that formats are recognised as
// they are on the command line) and meta.json.
type Upload struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Size    int64     `json:"size"`
	SHA256  string    `json:"sha256"`
	User    string    `json:"user"`
	Created time.Time `json:"created"`
	// State is ingesting (the ingest job reads it), ready or failed.
	State  string     `json:"state"`
	Job    string     `json:"job,omitempty"`
	Format string     `json:"format,omitempty"`
	Posts  int64      `json:"posts"`
	Skip   int64      `json:"skipped"`
	First  *time.Time `json:"first,omitempty"`
	Last   *time.Time `json:"last,omitempty"`
	Error  string     `json:"error,omitempty"`
}

// Upload states.
const (
	uploadIngesting = "ingesting"
	uploadReady     = "ready"
	uploadFailed    = "failed"
)

var uploadIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{16}$`)

func validUploadID(id string) bool { return uploadIDRE.MatchString(id) }

// uploadStore keeps uploads on disk. The in-use counts stop a file from
// being deleted under a running analysis.
type uploadStore struct {
	dir   string
	mu    sync.Mutex
	inUse map[string]int
}

func openUploads(dir string) (*uploadStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create upload dir: %w", err)
	}
	// Temporary files of uploads interrupted by a crash.
	if stale, _ := filepath.Glob(filepath.Join(dir, ".upload-*")); len(stale) > 0 {
		for _, f := range stale {
			os.Remove(f)
		}
	}
	return &uploadStore{dir: dir, inUse: map[string]int{}}, nil
}

func (u *uploadStore) metaPath(id string) string { return filepath.Join(u.dir, id, "meta.json") }

func (u *uploadStore) get(id string) (Upload, error) {
	if !validUploadID(id) {
		return Upload{}, fmt.Errorf("upload %q: %w", clip(id, 40), ErrNotFound)
	}
	b, err := os.ReadFile(u.metaPath(id))
	if errors.Is(err, os.ErrNotExist) {
		return Upload{}, fmt.Errorf("upload %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Upload{}, err
	}
	var up Upload
	if err := json.Unmarshal(b, &up); err != nil {
		return Upload{}, fmt.Errorf("upload %s: meta.json: %w", id, err)
	}
	return up, nil
}

// path is the uploaded file of up.
func (u *uploadStore) path(up Upload) string { return filepath.Join(u.dir, up.ID, up.Name) }

func (u *uploadStore) put(up Upload) error {
	b, err := json.MarshalIndent(up, "", "  ")
	if err != nil {
		return err
	}
	return safefile.WriteBytes(u.metaPath(up.ID), b)
}

func (u *uploadStore) list() ([]Upload, error) {
	ents, err := os.ReadDir(u.dir)
	if err != nil {
		return nil, err
	}
	out := []Upload{}
	for _, e := range ents {
		if !e.IsDir() || !validUploadID(e.Name()) {
			continue
		}
		up, err := u.get(e.Name())
		if err != nil {
			continue // a half-created upload (crash between rename and meta)
		}
		out = append(out, up)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, nil
}

// acquire marks uploads as used by an analysis; release undoes it.
func (u *uploadStore) acquire(ids []string) {
	u.mu.Lock()
	for _, id := range ids {
		u.inUse[id]++
	}
	u.mu.Unlock()
}

func (u *uploadStore) release(ids []string) {
	u.mu.Lock()
	for _, id := range ids {
		if u.inUse[id]--; u.inUse[id] <= 0 {
			delete(u.inUse, id)
		}
	}
	u.mu.Unlock()
}

func (u *uploadStore) remove(id string) error {
	up, err := u.get(id)
	if err != nil {
		return err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.inUse[id] > 0 || up.State == uploadIngesting {
		return fmt.Errorf("upload %s: %w: a job is using it", id, ErrConflict)
	}
	return os.RemoveAll(filepath.Join(u.dir, id))
}

// cleanName makes an uploaded file's name safe as a file name: its base,
// letters, digits, '.', '-' and '_' only, not hidden, at most 100 bytes.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if len(s) > 100 {
		s = s[len(s)-100:]
	}
	if s == "" || s == "meta.json" {
		s = "upload"
	}
	return s
}

// handleUpload streams the request body (raw, or the first file part of a
// multipart form) to a temporary file under the data directory, hashing
// it on the way, then starts an ingest job that reads it.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request, p *principal) error {
	name := r.URL.Query().Get("name")
	var body io.Reader = r.Body
	if mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" {
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return badRequest("multipart form without a file part")
				}
				return uploadReadError(err)
			}
			if part.FileName() != "" {
				if name == "" {
					name = part.FileName()
				}
				body = part
				break
			}
			part.Close()
		}
	}
	if name == "" {
		return badRequest("give the file name (?name=FILE, or a multipart file part)")
	}
	format := r.URL.Query().Get("format")
	if format != "" && !knownFormat(format) {
		return badRequest("format %q is not known (`chorus formats`)", clip(format, 40))
	}
	tmp, err := os.CreateTemp(s.uploads.dir, ".upload-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // no-op after the rename
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), body)
	s.metrics.uploaded.Add(float64(n))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return uploadReadError(err)
	}
	if n == 0 {
		return badRequest("empty upload")
	}
	up := Upload{ID: randomToken(12), Name: cleanName(name), Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), User: p.User,
		Created: s.now().UTC(), State: uploadIngesting}
	if err := os.Mkdir(filepath.Join(s.uploads.dir, up.ID), 0o700); err != nil {
		return err
	}
	if err := os.Rename(tmpName, s.uploads.path(up)); err != nil {
		return err
	}
	// meta.json is written before the ingest job starts; the job owns it
	// from then on.
	if err := s.uploads.put(up); err != nil {
		return err
	}
	initial := up
	job, err := s.jobs.start(JobView{Kind: JobIngest, User: p.User, Upload: up.ID}, func(ctx context.Context, j *job) error {
		return s.ingestUpload(ctx, j, initial, format)
	})
	if err != nil {
		os.RemoveAll(filepath.Join(s.uploads.dir, up.ID))
		return err
	}
	up.Job = job.ID
	s.log.Info("upload received", "upload", up.ID, "name", up.Name, "bytes", n, "user", p.User)
	writeJSON(w, http.StatusCreated, map[string]any{"upload": up, "job": job})
	return nil
}

func uploadReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return fmt.Errorf("%w: the upload limit is %d bytes (--max-upload-bytes)", ErrTooLarge, mbe.Limit)
	}
	return badRequest("reading the upload failed: %v", err)
}

func knownFormat(f string) bool {
	for _, x := range ingest.Formats() {
		if x[0] == f {
			return true
		}
	}
	return false
}

// ingestUpload reads an upload once: it checks the format and counts
// posts and skipped records, with progress in the job.
func (s *Server) ingestUpload(ctx context.Context, j *job, up Upload, format string) error {
	up.Job = j.view.ID
	if err := s.uploads.put(up); err != nil {
		return err
	}
	cfg := s.opts.Config
	if format != "" {
		cfg.Ingest.Format = format
	}
	opts, err := pipeline.IngestOptions(&cfg, s.log)
	if err != nil {
		return err
	}
	j.prog.Phase("ingest")
	var n int64
	st, err := ingest.ReadFile(ctx, s.uploads.path(up), opts, func(*model.Post) error {
		if n++; n&1023 == 0 {
			j.prog.AddPosts(1024)
		}
		return nil
	})
	j.prog.AddPosts(n & 1023)
	s.metrics.posts.WithLabelValues("upload").Add(float64(st.Posts))
	up.Format, up.Posts, up.Skip = st.Format, st.Posts, st.Skipped
	if !st.First.IsZero() {
		f, l := st.First.UTC(), st.Last.UTC()
		up.First, up.Last = &f, &l
	}
	up.State = uploadReady
	if err != nil {
		up.State, up.Error = uploadFailed, err.Error()
		if errors.Is(err, context.Canceled) {
			up.Error = "ingest cancelled"
		}
	}
	if perr := s.uploads.put(up); perr != nil {
		return errors.Join(err, perr)
	}
	return err
}

func (s *Server) handleListUploads(w http.ResponseWriter, r *http.Request, _ *principal) error {
	ups, err := s.uploads.list()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"uploads": ups})
	return nil
}

func (s *Server) handleGetUpload(w http.ResponseWriter, r *http.Request, _ *principal) error {
	up, err := s.uploads.get(r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, up)
	return nil
}

func (s *Server) handleDeleteUpload(w http.ResponseWriter, r *http.Request, p *principal) error {
	id := r.PathValue("id")
	if err := s.uploads.remove(id); err != nil {
		return err
	}
	s.log.Info("upload deleted", "upload", id, "user", p.User)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
