package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// SalvageEvents reads what it can from a damaged library (open it with
// OpenSalvage, on a copy). Event names are collected from the table and
// from both of its indexes, each scan keeping the rows it read before
// hitting a damaged page; then every event is loaded on its own. An event
// whose row or child rows (watch lists, indicators, lists) cannot be read
// is left out rather than returned incomplete, and reported in the error
// list. Recovered events are returned in T0 order.
func (s *Store) SalvageEvents(ctx context.Context) ([]Event, []error) {
	var problems []error
	ids := map[int64]string{}
	for _, q := range []string{
		`SELECT id, name FROM events NOT INDEXED`,
		`SELECT id, name FROM events INDEXED BY events_t0`,
		`SELECT id, name FROM events INDEXED BY sqlite_autoindex_events_1`,
	} {
		if err := s.scanNames(ctx, q, ids); err != nil {
			problems = append(problems, fmt.Errorf("salvage: scan of event names stopped early: %w", err))
		}
	}
	order := make([]int64, 0, len(ids))
	for id := range ids {
		order = append(order, id)
	}
	slices.Sort(order)
	var out []Event
	for _, id := range order {
		var evs []Event
		err := s.readTx(ctx, fmt.Sprintf("salvage event %q", ids[id]), func(tx *sql.Tx) error {
			var err error
			evs, err = loadEvents(ctx, tx, "e.id = ?", id)
			return err
		})
		if err == nil && len(evs) != 1 {
			err = fmt.Errorf("salvage event %q: row unreadable", ids[id])
		}
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if _, _, err := evs[0].Normalized(); err != nil {
			problems = append(problems, fmt.Errorf("salvage event %q: damaged values: %w", ids[id], err))
			continue
		}
		out = append(out, evs[0])
	}
	slices.SortStableFunc(out, func(a, b Event) int {
		if c := a.T0.Compare(b.T0); c != 0 {
			return c
		}
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out, problems
}

// scanNames adds the (id, name) rows query yields to ids, keeping what it
// read before an error.
func (s *Store) scanNames(ctx context.Context, query string, ids map[int64]string) error {
	rows, err := s.r.QueryContext(ctx, query)
	if err != nil {
		return s.classify("scan events", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return s.classify("scan events", err)
		}
		ids[id] = name
	}
	return s.classify("scan events", rows.Err())
}
