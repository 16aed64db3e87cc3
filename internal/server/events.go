package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/export"
	"github.com/chorus-osint/chorus/internal/indicators"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/report"
	"github.com/chorus-osint/chorus/internal/store"
	"github.com/chorus-osint/chorus/internal/version"
)

// eventView is an event with its runs, as the API shows it.
type eventView struct {
	store.Event
	Runs []store.Run `json:"runs"`
}

func (s *Server) handleListEvents(w http.ResponseWriter, r *http.Request, _ *principal) error {
	evs, err := s.store.ListEvents(r.Context())
	if err != nil {
		return err
	}
	runs, err := s.store.ListRuns(r.Context(), "")
	if err != nil {
		return err
	}
	byEvent := map[string][]store.Run{}
	for _, run := range runs {
		run.Params = nil
		byEvent[run.Event] = append(byEvent[run.Event], run)
	}
	out := make([]eventView, len(evs))
	for i, ev := range evs {
		out[i] = eventView{Event: ev, Runs: byEvent[ev.Name]}
		if out[i].Runs == nil {
			out[i].Runs = []store.Run{}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": out})
	return nil
}

func (s *Server) handleGetEvent(w http.ResponseWriter, r *http.Request, _ *principal) error {
	name, err := pathValue(r, "name")
	if err != nil {
		return err
	}
	ev, err := s.store.GetEvent(r.Context(), name)
	if err != nil {
		return err
	}
	runs, err := s.store.ListRuns(r.Context(), name)
	if err != nil {
		return err
	}
	if runs == nil {
		runs = []store.Run{}
	}
	writeJSON(w, http.StatusOK, eventView{Event: ev, Runs: runs})
	return nil
}

func (s *Server) handleCreateEvent(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req eventRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	ev, err := req.event()
	if err != nil {
		return err
	}
	if _, err := s.store.GetEvent(r.Context(), ev.Name); err == nil {
		return fmt.Errorf("event %q: %w (PUT /api/events/NAME replaces it)", ev.Name, store.ErrExists)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := s.store.PutEvent(r.Context(), ev); err != nil {
		return err
	}
	s.log.Info("event created", "event", ev.Name, "user", p.User)
	return s.writeEvent(w, r, ev.Name, http.StatusCreated)
}

func (s *Server) handlePutEvent(w http.ResponseWriter, r *http.Request, p *principal) error {
	name, err := pathValue(r, "name")
	if err != nil {
		return err
	}
	var req eventRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Name == "" {
		req.Name = name
	}
	if req.Name != name {
		return badRequest("the name in the body (%q) differs from the path (%q)", clip(req.Name, 60), clip(name, 60))
	}
	ev, err := req.event()
	if err != nil {
		return err
	}
	if err := s.store.PutEvent(r.Context(), ev); err != nil {
		return err
	}
	s.log.Info("event replaced", "event", ev.Name, "user", p.User)
	return s.writeEvent(w, r, ev.Name, http.StatusOK)
}

func (s *Server) writeEvent(w http.ResponseWriter, r *http.Request, name string, status int) error {
	ev, err := s.store.GetEvent(r.Context(), name)
	if err != nil {
		return err
	}
	writeJSON(w, status, eventView{Event: ev, Runs: []store.Run{}})
	return nil
}

func (s *Server) handleDeleteEvent(w http.ResponseWriter, r *http.Request, p *principal) error {
	name, err := pathValue(r, "name")
	if err != nil {
		return err
	}
	if err := s.store.DeleteEvent(r.Context(), name); err != nil {
		return err
	}
	s.log.Info("event deleted", "event", name, "user", p.User)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleStartAnalysis starts an analysis of the event on uploads as a
// background job and answers 202 with the job.
func (s *Server) handleStartAnalysis(w http.ResponseWriter, r *http.Request, p *principal) error {
	name, err := pathValue(r, "name")
	if err != nil {
		return err
	}
	var req analysisRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	cfg := s.opts.Config
	if err := req.apply(&cfg); err != nil {
		return err
	}
	ev, err := s.store.GetEvent(r.Context(), name)
	if err != nil {
		return err
	}
	var ups []Upload
	for _, id := range req.Uploads {
		up, err := s.uploads.get(id)
		if err != nil {
			return err
		}
		if up.State != uploadReady {
			return fmt.Errorf("upload %s is %s: %w (wait for its ingest job, or upload it again)", id, up.State, ErrConflict)
		}
		ups = append(ups, up)
	}
	s.uploads.acquire(req.Uploads)
	job, err := s.jobs.start(JobView{Kind: JobAnalyze, User: p.User, Event: ev.Name}, func(ctx context.Context, j *job) error {
		defer s.uploads.release(req.Uploads)
		return s.analyze(ctx, j, cfg, ev, ups)
	})
	if err != nil {
		s.uploads.release(req.Uploads)
		return err
	}
	s.log.Info("analysis queued", "job", job.ID, "event", ev.Name, "uploads", len(ups), "user", p.User)
	writeJSON(w, http.StatusAccepted, job)
	return nil
}

// analyze is the work of an analysis job: the same steps as `chorus
// analyze` (pipeline.Analyze with the library's past events and watch
// list, export.WriteAll, the report), recorded as a run in the store.
func (s *Server) analyze(ctx context.Context, j *job, cfg config.Config, ev store.Event, ups []Upload) (err error) {
	started := s.now()
	cfg.Event = config.Event{Name: ev.Name, T0: ev.T0.UTC().Format(time.RFC3339Nano), Place: ev.Place}
	if !ev.TClaim.IsZero() {
		cfg.Event.TClaim = ev.TClaim.UTC().Format(time.RFC3339Nano)
	}
	dir := filepath.Join(s.cfg.DataDir, "results", fmt.Sprintf("%s-job%s", started.UTC().Format("20060102T150405"), j.view.ID))
	cfg.Output.Dir = dir
	files := make([]string, len(ups))
	inputs := make([]store.RunInput, len(ups))
	for i, up := range ups {
		files[i] = s.uploads.path(up)
		inputs[i] = store.RunInput{Path: files[i], SHA256: up.SHA256, Size: up.Size}
	}
	past, err := s.store.PastEvents(ctx, ev.T0, ev.Name)
	if err != nil {
		return err
	}
	lib := pipeline.Library{Watch: indicators.WatchList{Accounts: ev.Watch.Accounts, MediaOutlets: ev.Watch.MediaOutlets,
		BrandingPatterns: ev.Watch.Branding, Quotes: ev.Watch.Quotes, KnownHashes: ev.Watch.Hashes}}
	for _, pe := range past {
		lib.Past = append(lib.Past, indicators.PastEvent{Name: pe.Name, T0: pe.T0, Vector: pe.Indicators, TopTags: pe.Lists["top_hashtags"]})
	}
	params, _ := json.Marshal(cfg.Snapshot())
	runID, err := s.store.AddRun(ctx, store.Run{Event: ev.Name, Version: version.String(), Params: params, ResultDir: dir, Inputs: inputs, Status: store.RunRunning})
	if err != nil {
		return err
	}
	j.mu.Lock()
	j.view.RunID = runID
	j.mu.Unlock()
	log := s.log.With("job", j.view.ID, "run", runID, "event", ev.Name)
	defer func() {
		status := store.RunOK
		switch {
		case err != nil && errors.Is(err, context.Canceled):
			status = store.RunCancelled
		case err != nil:
			status = store.RunFailed
		}
		// The job's context may be cancelled: record the outcome anyway.
		if serr := s.store.SetRunStatus(context.WithoutCancel(ctx), runID, status); serr != nil {
			log.Error("record run status", "err", serr)
		}
	}()

	a, err := pipeline.Analyze(ctx, cfg, files, lib, log, j.prog)
	if err != nil {
		return err
	}
	s.metrics.posts.WithLabelValues("analysis").Add(float64(a.Corpus.Len()))
	for _, wmsg := range a.Warnings {
		log.Warn(wmsg)
	}
	j.prog.Phase("writing results")
	cmd := []string{"chorus", "serve", "analyze", "--event", ev.Name, "job=" + j.view.ID}
	if err := export.WriteAll(dir, a, cmd, started, pipeline.PeakRSSMB()); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	j.prog.Phase("report")
	if rerr := report.Render(dir, report.Options{Corpus: a.Corpus, Log: log}); rerr != nil {
		// The results stand without the report; POST /api/runs/ID/report retries.
		log.Warn("report not rendered", "err", rerr)
	}
	if a.Indicators != nil {
		var top []string
		for _, t := range a.Indicators.Hashtags.Tags {
			if len(top) == 20 {
				break
			}
			top = append(top, t.Key)
		}
		if err := s.store.SetIndicators(context.WithoutCancel(ctx), ev.Name, a.Indicators.Vector(), map[string][]string{"top_hashtags": top}); err != nil {
			return err
		}
	}
	log.Info("analysis done", "posts", a.Corpus.Len(), "clusters", len(a.Network.Clusters), "seconds", s.now().Sub(started).Seconds())
	return nil
}

// jobFinished logs the end of a job.
func (s *Server) jobFinished(v JobView, err error) {
	if err != nil && v.State == JobFailed {
		s.log.Warn("job failed", "job", v.ID, "kind", v.Kind, "err", err)
		return
	}
	s.log.Info("job finished", "job", v.ID, "kind", v.Kind, "state", v.State)
}

func (s *Server) handleListJobs(w http.ResponseWriter, r *http.Request, _ *principal) error {
	writeJSON(w, http.StatusOK, map[string]any{"jobs": s.jobs.list()})
	return nil
}

func (s *Server) handleGetJob(w http.ResponseWriter, r *http.Request, _ *principal) error {
	j, err := s.jobs.get(r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j.snapshot(s.now()))
	return nil
}

func (s *Server) handleCancelJob(w http.ResponseWriter, r *http.Request, p *principal) error {
	id := r.PathValue("id")
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return fmt.Errorf("job %q: %w", clip(id, 40), ErrNotFound)
	}
	v, err := s.jobs.cancel(id)
	if err != nil {
		return err
	}
	s.log.Info("job cancelled", "job", id, "user", p.User)
	writeJSON(w, http.StatusOK, v)
	return nil
}
