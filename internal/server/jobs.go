package server

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chorus-osint/chorus/internal/pipeline"
)

// JobKind says what a background job does.
type JobKind string

// Job kinds.
const (
	JobIngest  JobKind = "ingest"  // read an uploaded file: format, posts, skipped records
	JobAnalyze JobKind = "analyze" // run the analysis of an event on uploads
)

// JobState is a job's life cycle: queued → running → ok | failed | cancelled.
type JobState string

// Job states.
const (
	JobQueued    JobState = "queued"
	JobRunning   JobState = "running"
	JobOK        JobState = "ok"
	JobFailed    JobState = "failed"
	JobCancelled JobState = "cancelled"
)

func (st JobState) done() bool { return st == JobOK || st == JobFailed || st == JobCancelled }

// JobView is a job as the API shows it.
type JobView struct {
	ID       string     `json:"id"`
	Kind     JobKind    `json:"kind"`
	State    JobState   `json:"state"`
	User     string     `json:"user"`
	Event    string     `json:"event,omitempty"`
	Upload   string     `json:"upload,omitempty"`
	RunID    int64      `json:"run_id,omitempty"`
	Phase    string     `json:"phase,omitempty"`
	Posts    int64      `json:"posts"`
	Error    string     `json:"error,omitempty"`
	Code     string     `json:"error_code,omitempty"`
	Created  time.Time  `json:"created"`
	Started  *time.Time `json:"started,omitempty"`
	Finished *time.Time `json:"finished,omitempty"`
	Seconds  float64    `json:"elapsed_s"`
}

// job is one background job. Its fields after creation are guarded by mu;
// prog is read through its own lock.
type job struct {
	mu       sync.Mutex
	view     JobView
	prog     *pipeline.Progress
	cancel   context.CancelFunc
	done     chan struct{}
	finished time.Time
}

func (j *job) snapshot(now time.Time) JobView {
	j.mu.Lock()
	v := j.view
	j.mu.Unlock()
	if ph, n := j.prog.Snapshot(); ph != "" || n > 0 {
		if !v.State.done() {
			v.Phase = ph
		}
		v.Posts = max(v.Posts, n)
	}
	switch {
	case v.Finished != nil && v.Started != nil:
		v.Seconds = v.Finished.Sub(*v.Started).Seconds()
	case v.Started != nil:
		v.Seconds = now.Sub(*v.Started).Seconds()
	}
	return v
}

// jobFunc is the work of a job. It returns the run id (analyses) and an
// error; a cancelled context makes the job cancelled.
type jobFunc func(ctx context.Context, j *job) error

// jobManager runs background jobs. Analyses take a slot of a semaphore
// (Options: max-jobs); ingest jobs take a slot of their own, so reading an
// upload never waits behind a long analysis. Finished jobs are kept
// (newest maxFinished) for status polling.
type jobManager struct {
	mu      sync.Mutex
	jobs    map[string]*job
	nextID  atomic.Int64
	slots   map[JobKind]chan struct{}
	wg      sync.WaitGroup
	ctx     context.Context
	stop    context.CancelFunc
	closed  bool
	metrics *metrics
	now     func() time.Time
	onDone  func(JobView, error)
}

const (
	maxFinishedJobs = 200
	maxQueuedJobs   = 64
)

func newJobManager(maxAnalyses int, m *metrics, now func() time.Time, onDone func(JobView, error)) *jobManager {
	ctx, cancel := context.WithCancel(context.Background())
	return &jobManager{
		jobs:    map[string]*job{},
		slots:   map[JobKind]chan struct{}{JobAnalyze: make(chan struct{}, max(1, maxAnalyses)), JobIngest: make(chan struct{}, 2)},
		ctx:     ctx,
		stop:    cancel,
		metrics: m,
		now:     now,
		onDone:  onDone,
	}
}

// start queues a job and returns its view.
func (m *jobManager) start(v JobView, fn jobFunc) (JobView, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return JobView{}, fmt.Errorf("%w: server is shutting down", ErrUnavailable)
	}
	active := 0
	for _, j := range m.jobs {
		j.mu.Lock()
		if !j.view.State.done() {
			active++
		}
		j.mu.Unlock()
	}
	if active >= maxQueuedJobs {
		return JobView{}, fmt.Errorf("%w: %d jobs queued or running; wait or cancel some", ErrUnavailable, active)
	}
	ctx, cancel := context.WithCancel(m.ctx)
	v.ID = strconv.FormatInt(m.nextID.Add(1), 10)
	v.State = JobQueued
	v.Created = m.now().UTC()
	j := &job{view: v, prog: pipeline.NewTracker(), cancel: cancel, done: make(chan struct{})}
	m.jobs[v.ID] = j
	m.gc()
	m.metrics.running.Inc()
	m.wg.Add(1)
	go m.run(ctx, j, fn)
	return j.snapshot(m.now()), nil
}

func (m *jobManager) run(ctx context.Context, j *job, fn jobFunc) {
	defer m.wg.Done()
	defer close(j.done)
	defer j.cancel()
	slot := m.slots[j.view.Kind]
	var err error
	select {
	case slot <- struct{}{}:
		started := m.now().UTC()
		j.mu.Lock()
		j.view.State, j.view.Started = JobRunning, &started
		j.mu.Unlock()
		err = runSafely(ctx, j, fn)
		<-slot
	case <-ctx.Done():
		err = ctx.Err()
	}
	fin := m.now().UTC()
	state := JobOK
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		state = JobCancelled
	default:
		state = JobFailed
	}
	j.mu.Lock()
	j.view.State, j.view.Finished, j.finished = state, &fin, fin
	if _, n := j.prog.Snapshot(); n > j.view.Posts {
		j.view.Posts = n
	}
	j.view.Phase = ""
	if err != nil {
		j.view.Error = err.Error()
		_, j.view.Code = apiError(err)
		if state == JobCancelled {
			j.view.Code = "cancelled"
		}
	}
	v := j.view
	j.mu.Unlock()
	m.metrics.running.Dec()
	m.metrics.jobs.WithLabelValues(string(v.Kind), string(state)).Inc()
	if m.onDone != nil {
		m.onDone(v, err)
	}
}

// runSafely runs fn and turns a panic into an error, so that one bad
// input cannot take the server down.
func runSafely(ctx context.Context, j *job, fn jobFunc) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("BUG: job panicked: %v", r)
		}
	}()
	return fn(ctx, j)
}

// gc forgets the oldest finished jobs beyond maxFinishedJobs. m.mu held.
func (m *jobManager) gc() {
	var fin []*job
	for _, j := range m.jobs {
		j.mu.Lock()
		if j.view.State.done() {
			fin = append(fin, j)
		}
		j.mu.Unlock()
	}
	if len(fin) <= maxFinishedJobs {
		return
	}
	sort.Slice(fin, func(a, b int) bool { return fin[a].finished.Before(fin[b].finished) })
	for _, j := range fin[:len(fin)-maxFinishedJobs] {
		delete(m.jobs, j.view.ID)
	}
}

func (m *jobManager) get(id string) (*job, error) {
	m.mu.Lock()
	j, ok := m.jobs[id]
	m.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("job %q: %w", id, ErrNotFound)
	}
	return j, nil
}

// list returns every known job, newest first.
func (m *jobManager) list() []JobView {
	m.mu.Lock()
	js := make([]*job, 0, len(m.jobs))
	for _, j := range m.jobs {
		js = append(js, j)
	}
	m.mu.Unlock()
	now := m.now()
	out := make([]JobView, len(js))
	for i, j := range js {
		out[i] = j.snapshot(now)
	}
	sort.Slice(out, func(a, b int) bool {
		ia, _ := strconv.Atoi(out[a].ID)
		ib, _ := strconv.Atoi(out[b].ID)
		return ia > ib
	})
	return out
}

// cancel asks job id to stop. ErrConflict when it has already finished.
func (m *jobManager) cancel(id string) (JobView, error) {
	j, err := m.get(id)
	if err != nil {
		return JobView{}, err
	}
	j.mu.Lock()
	done := j.view.State.done()
	j.mu.Unlock()
	if done {
		return j.snapshot(m.now()), fmt.Errorf("job %s: %w: it has already finished", id, ErrConflict)
	}
	j.cancel()
	<-j.done
	return j.snapshot(m.now()), nil
}

// shutdown cancels every job and waits for them to end.
func (m *jobManager) shutdown() {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.stop()
	m.wg.Wait()
}
