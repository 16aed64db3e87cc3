package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// GetEvent returns the named event with its watch lists, indicators and
// lists. ErrNotFound when there is none.
func (s *Store) GetEvent(ctx context.Context, name string) (Event, error) {
	name = strings.TrimSpace(name)
	var evs []Event
	err := s.readTx(ctx, fmt.Sprintf("get event %q", name), func(tx *sql.Tx) error {
		var err error
		evs, err = loadEvents(ctx, tx, "e.name = ?", name)
		return err
	})
	if err != nil {
		return Event{}, err
	}
	if len(evs) == 0 {
		return Event{}, fmt.Errorf("get event: event %q: %w", name, ErrNotFound)
	}
	return evs[0], nil
}

// ListEvents returns every event, complete, ordered by T0 (then name).
func (s *Store) ListEvents(ctx context.Context) ([]Event, error) {
	var evs []Event
	err := s.readTx(ctx, "list events", func(tx *sql.Tx) error {
		var err error
		evs, err = loadEvents(ctx, tx, "1")
		return err
	})
	return evs, err
}

// PastEvents returns the events whose T0 is strictly before the given
// time, complete with indicator vectors and lists, ordered by T0; the
// event named exclude (the one under analysis) is left out.
func (s *Store) PastEvents(ctx context.Context, before time.Time, exclude string) ([]Event, error) {
	exclude = strings.TrimSpace(exclude)
	var evs []Event
	err := s.readTx(ctx, "past events", func(tx *sql.Tx) error {
		var err error
		evs, err = loadEvents(ctx, tx, "e.t0_ms < ? AND e.name <> ?", before.UnixMilli(), exclude)
		return err
	})
	return evs, err
}

// loadEvents assembles the events matching where (over alias e) with four
// queries (events, watch lists, indicators, lists) inside tx, so that the
// result is one consistent snapshot.
func loadEvents(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]Event, error) {
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.name, e.t0_ms, e.t_claim_ms, e.place, e.languages, e.created_ms, e.updated_ms
		FROM events e WHERE `+where+` ORDER BY e.t0_ms, e.name`, args...)
	if err != nil {
		return nil, err
	}
	var evs []Event
	byID := map[int64]int{}
	for rows.Next() {
		var (
			id, t0, created, updated int64
			claim                    sql.NullInt64
			ev                       Event
			langs                    string
		)
		if err := rows.Scan(&id, &ev.Name, &t0, &claim, &ev.Place, &langs, &created, &updated); err != nil {
			rows.Close()
			return nil, err
		}
		ev.T0 = time.UnixMilli(t0).UTC()
		if claim.Valid {
			ev.TClaim = time.UnixMilli(claim.Int64).UTC()
		}
		if langs != "" {
			ev.Languages = strings.Split(langs, ",")
		}
		ev.Created = time.UnixMilli(created).UTC()
		ev.Updated = time.UnixMilli(updated).UTC()
		byID[id] = len(evs)
		evs = append(evs, ev)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(evs) == 0 {
		return nil, nil
	}

	// Child rows come in (event, kind/name, pos) order thanks to the
	// primary keys, so appending keeps each list's order.
	err = eachRow(ctx, tx, `SELECT w.event_id, w.kind, w.value FROM event_watch w JOIN events e ON e.id = w.event_id
		WHERE `+where+` ORDER BY w.event_id, w.kind, w.pos`, args, func(r *sql.Rows) error {
		var id int64
		var kind, v string
		if err := r.Scan(&id, &kind, &v); err != nil {
			return err
		}
		i, ok := byID[id]
		if !ok {
			return nil
		}
		w := &evs[i].Watch
		switch kind {
		case kindAccount:
			w.Accounts = append(w.Accounts, v)
		case kindMediaOutlet:
			w.MediaOutlets = append(w.MediaOutlets, v)
		case kindBranding:
			w.Branding = append(w.Branding, v)
		case kindQuote:
			w.Quotes = append(w.Quotes, v)
		case kindHash:
			w.Hashes = append(w.Hashes, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, tx, `SELECT i.event_id, i.name, i.value FROM event_indicators i JOIN events e ON e.id = i.event_id
		WHERE `+where, args, func(r *sql.Rows) error {
		var id int64
		var k string
		var v float64
		if err := r.Scan(&id, &k, &v); err != nil {
			return err
		}
		if i, ok := byID[id]; ok {
			ev := &evs[i]
			if ev.Indicators == nil {
				ev.Indicators = make(map[string]float64, 32)
			}
			ev.Indicators[k] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, tx, `SELECT l.event_id, l.list, l.value FROM event_lists l JOIN events e ON e.id = l.event_id
		WHERE `+where+` ORDER BY l.event_id, l.list, l.pos`, args, func(r *sql.Rows) error {
		var id int64
		var k, v string
		if err := r.Scan(&id, &k, &v); err != nil {
			return err
		}
		if i, ok := byID[id]; ok {
			ev := &evs[i]
			if ev.Lists == nil {
				ev.Lists = map[string][]string{}
			}
			ev.Lists[k] = append(ev.Lists[k], v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return evs, nil
}

// eachRow runs query and calls f on every row.
func eachRow(ctx context.Context, tx *sql.Tx, query string, args []any, f func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}
