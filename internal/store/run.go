package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// RunStatus is the state of an analysis run.
type RunStatus string

// Run states.
const (
	RunRunning   RunStatus = "running"
	RunOK        RunStatus = "ok"
	RunFailed    RunStatus = "failed"
	RunCancelled RunStatus = "cancelled"
)

func (st RunStatus) valid() bool {
	switch st {
	case RunRunning, RunOK, RunFailed, RunCancelled:
		return true
	}
	return false
}

// Run records one analysis of an event.
type Run struct {
	// ID is assigned by AddRun.
	ID int64 `json:"id"`
	// Event is the analysed event's name; it must be in the library.
	Event string `json:"event"`
	// Version is the chorus version that ran (version.String()).
	Version string `json:"chorus_version"`
	// Params is the parameter snapshot as a JSON document
	// (json.Marshal(cfg.Snapshot())); empty means {}.
	Params json.RawMessage `json:"params"`
	// Inputs are the input files with their hashes, in argument order.
	Inputs []RunInput `json:"inputs"`
	// ResultDir is where the run wrote its outputs.
	ResultDir string `json:"result_dir"`
	// Created is set by AddRun when zero.
	Created time.Time `json:"created"`
	// Status defaults to RunRunning when empty.
	Status RunStatus `json:"status"`
}

// RunInput is one input file of a run.
type RunInput struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"` // empty for stdin
	Size   int64  `json:"size"`
}

// AddRun records a run of an existing event in one transaction and
// returns its id. ErrNotFound when the event is not in the library.
func (s *Store) AddRun(ctx context.Context, r Run) (int64, error) {
	name := strings.TrimSpace(r.Event)
	if r.Status == "" {
		r.Status = RunRunning
	}
	if !r.Status.valid() {
		return 0, fmt.Errorf("add run: %w: status %q (want running, ok, failed or cancelled)", ErrInvalid, r.Status)
	}
	params := strings.TrimSpace(string(r.Params))
	if params == "" {
		params = "{}"
	}
	if !json.Valid([]byte(params)) {
		return 0, fmt.Errorf("add run of %q: %w: params are not valid JSON", name, ErrInvalid)
	}
	if r.Created.IsZero() {
		r.Created = time.Now()
	}
	var id int64
	err := s.writeTx(ctx, fmt.Sprintf("add run of %q", name), func(tx *sql.Tx) error {
		eid, err := eventID(ctx, tx, name)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO runs (event_id, chorus_version, params, result_dir, created_ms, status)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			eid, r.Version, params, r.ResultDir, r.Created.UnixMilli(), string(r.Status)).Scan(&id)
		if err != nil {
			return err
		}
		if len(r.Inputs) == 0 {
			return nil
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO run_inputs (run_id, pos, path, sha256, size) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, in := range r.Inputs {
			if _, err := st.ExecContext(ctx, id, i, in.Path, strings.ToLower(in.SHA256), in.Size); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// SetRunStatus updates the status of run id (e.g. RunOK when the analysis
// finished). ErrNotFound when there is no such run.
func (s *Store) SetRunStatus(ctx context.Context, id int64, status RunStatus) error {
	if !status.valid() {
		return fmt.Errorf("set run status: %w: status %q (want running, ok, failed or cancelled)", ErrInvalid, status)
	}
	return s.writeTx(ctx, fmt.Sprintf("set status of run %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE runs SET status = ? WHERE id = ?`, string(status), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("run %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// ListRuns returns the runs of the named event, oldest first; an empty
// name lists the runs of every event. ErrNotFound when a named event is
// not in the library.
func (s *Store) ListRuns(ctx context.Context, event string) ([]Run, error) {
	event = strings.TrimSpace(event)
	var runs []Run
	err := s.readTx(ctx, fmt.Sprintf("list runs of %q", event), func(tx *sql.Tx) error {
		where, args := "1", []any{}
		if event != "" {
			if _, err := eventID(ctx, tx, event); err != nil {
				return err
			}
			where, args = "e.name = ?", []any{event}
		}
		byID := map[int64]int{}
		err := eachRow(ctx, tx, `SELECT r.id, e.name, r.chorus_version, r.params, r.result_dir, r.created_ms, r.status
			FROM runs r JOIN events e ON e.id = r.event_id WHERE `+where+` ORDER BY r.created_ms, r.id`, args, func(rows *sql.Rows) error {
			var r Run
			var params, status string
			var created int64
			if err := rows.Scan(&r.ID, &r.Event, &r.Version, &params, &r.ResultDir, &created, &status); err != nil {
				return err
			}
			r.Params = json.RawMessage(params)
			r.Created = time.UnixMilli(created).UTC()
			r.Status = RunStatus(status)
			byID[r.ID] = len(runs)
			runs = append(runs, r)
			return nil
		})
		if err != nil || len(runs) == 0 {
			return err
		}
		return eachRow(ctx, tx, `SELECT i.run_id, i.path, i.sha256, i.size FROM run_inputs i
			JOIN runs r ON r.id = i.run_id JOIN events e ON e.id = r.event_id
			WHERE `+where+` ORDER BY i.run_id, i.pos`, args, func(rows *sql.Rows) error {
			var id int64
			var in RunInput
			if err := rows.Scan(&id, &in.Path, &in.SHA256, &in.Size); err != nil {
				return err
			}
			if i, ok := byID[id]; ok {
				runs[i].Inputs = append(runs[i].Inputs, in)
			}
			return nil
		})
	})
	return runs, err
}
