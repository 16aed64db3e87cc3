package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/store/eventlib"
)

// PutEvent inserts ev, or replaces the stored event of the same name
// (upsert), in one transaction. The description (T0, claim, place,
// languages, watch lists) is always replaced; the indicator vector and the
// lists are replaced only when ev.Indicators / ev.Lists are non-nil, so
// re-registering an event before an analysis keeps the indicators of the
// last one. Non-finite indicator values are not stored (a warning is
// logged). Errors wrap ErrInvalid for values that fail validation.
func (s *Store) PutEvent(ctx context.Context, ev Event) error {
	n, dropped, err := ev.Normalized()
	if err != nil {
		return fmt.Errorf("put event: %w", err)
	}
	s.warnDropped(n.Name, dropped)
	return s.writeTx(ctx, fmt.Sprintf("put event %q", n.Name), func(tx *sql.Tx) error {
		_, err := putEvent(ctx, tx, &n, time.Now())
		return err
	})
}

// ImportEvents stores evs in one transaction: either all are stored or
// none. Without replace, an event whose name is already in the library
// fails the import with ErrExists (naming every such event); with
// replace, it is overwritten (indicators and lists included, as given).
// It returns how many events were added and how many replaced.
func (s *Store) ImportEvents(ctx context.Context, evs []Event, replace bool) (added, replaced int, err error) {
	norm := make([]Event, len(evs))
	seen := make(map[string]int, len(evs))
	for i := range evs {
		n, dropped, err := evs[i].Normalized()
		if err != nil {
			return 0, 0, fmt.Errorf("import events: event %d: %w", i+1, err)
		}
		if j, ok := seen[n.Name]; ok {
			return 0, 0, fmt.Errorf("import events: %w: event %q appears twice (entries %d and %d)", ErrInvalid, n.Name, j+1, i+1)
		}
		seen[n.Name] = i
		s.warnDropped(n.Name, dropped)
		if n.Indicators == nil {
			n.Indicators = map[string]float64{}
		}
		if n.Lists == nil {
			n.Lists = map[string][]string{}
		}
		norm[i] = n
	}
	err = s.writeTx(ctx, fmt.Sprintf("import %d events", len(evs)), func(tx *sql.Tx) error {
		var existing []string
		for i := range norm {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM events WHERE name = ?`, norm[i].Name).Scan(&id)
			switch {
			case err == nil:
				existing = append(existing, norm[i].Name)
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
		}
		if len(existing) > 0 && !replace {
			if len(existing) > 10 {
				existing = append(existing[:10], fmt.Sprintf("… %d more", len(existing)-10))
			}
			return fmt.Errorf("%w: %d events are already in the library (%s); use --replace to overwrite them",
				ErrExists, len(existing), strings.Join(existing, ", "))
		}
		now := time.Now()
		for i := range norm {
			if _, err := putEvent(ctx, tx, &norm[i], now); err != nil {
				return err
			}
		}
		replaced = len(existing)
		added = len(norm) - replaced
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return added, replaced, nil
}

// SetIndicators replaces the indicator vector of the named event and,
// when extra is non-nil, its lists (e.g. "top_hashtags"), in one
// transaction. Non-finite values are not stored (absent means "not
// computable"; a warning is logged). ErrNotFound when there is no such
// event.
func (s *Store) SetIndicators(ctx context.Context, name string, vector map[string]float64, extra map[string][]string) error {
	name = strings.TrimSpace(name)
	if vector == nil {
		vector = map[string]float64{}
	}
	vec, dropped, err := eventlib.NormIndicators(name, vector)
	if err != nil {
		return fmt.Errorf("set indicators: %w", err)
	}
	lists, err := eventlib.NormLists(name, extra)
	if err != nil {
		return fmt.Errorf("set indicators: %w", err)
	}
	s.warnDropped(name, dropped)
	return s.writeTx(ctx, fmt.Sprintf("set indicators of %q", name), func(tx *sql.Tx) error {
		id, err := eventID(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET updated_ms = ? WHERE id = ?`, time.Now().UnixMilli(), id); err != nil {
			return err
		}
		if err := putIndicators(ctx, tx, id, vec); err != nil {
			return err
		}
		if lists != nil {
			return putLists(ctx, tx, id, lists)
		}
		return nil
	})
}

// DeleteEvent removes the named event with its watch lists, indicators
// and runs. ErrNotFound when there is no such event.
func (s *Store) DeleteEvent(ctx context.Context, name string) error {
	name = strings.TrimSpace(name)
	return s.writeTx(ctx, fmt.Sprintf("delete event %q", name), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE name = ?`, name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("event %q: %w", name, ErrNotFound)
		}
		return nil
	})
}

func (s *Store) warnDropped(event string, dropped []string) {
	if len(dropped) > 0 {
		s.log.Warn("indicators with non-finite values not stored", "event", event, "indicators", strings.Join(dropped, ","))
	}
}

// eventID returns the id of the named event or ErrNotFound.
func eventID(ctx context.Context, q querier, name string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM events WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("event %q: %w", name, ErrNotFound)
	}
	return id, err
}

// putEvent upserts a normalized event inside tx and returns its id.
func putEvent(ctx context.Context, tx *sql.Tx, ev *Event, now time.Time) (int64, error) {
	var claim any
	if !ev.TClaim.IsZero() {
		claim = ev.TClaim.UnixMilli()
	}
	ms := now.UnixMilli()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO events (name, t0_ms, t_claim_ms, place, languages, created_ms, updated_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET t0_ms = excluded.t0_ms, t_claim_ms = excluded.t_claim_ms,
			place = excluded.place, languages = excluded.languages, updated_ms = excluded.updated_ms
		RETURNING id`,
		ev.Name, ev.T0.UnixMilli(), claim, ev.Place, strings.Join(ev.Languages, ","), ms, ms).Scan(&id)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_watch WHERE event_id = ?`, id); err != nil {
		return 0, err
	}
	if err := putWatch(ctx, tx, id, ev.Watch); err != nil {
		return 0, err
	}
	if ev.Indicators != nil {
		if err := putIndicators(ctx, tx, id, ev.Indicators); err != nil {
			return 0, err
		}
	}
	if ev.Lists != nil {
		if err := putLists(ctx, tx, id, ev.Lists); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func putWatch(ctx context.Context, tx *sql.Tx, id int64, w Watch) error {
	if w.IsZero() {
		return nil
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO event_watch (event_id, kind, pos, value) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, l := range []struct {
		kind string
		vs   []string
	}{{kindAccount, w.Accounts}, {kindMediaOutlet, w.MediaOutlets}, {kindBranding, w.Branding}, {kindQuote, w.Quotes}, {kindHash, w.Hashes}} {
		for i, v := range l.vs {
			if _, err := st.ExecContext(ctx, id, l.kind, i, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// putIndicators replaces the vector; rows are written in name order so
// the file layout does not depend on map iteration.
func putIndicators(ctx context.Context, tx *sql.Tx, id int64, vec map[string]float64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_indicators WHERE event_id = ?`, id); err != nil {
		return err
	}
	if len(vec) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO event_indicators (event_id, name, value) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	keys := make([]string, 0, len(vec))
	for k := range vec {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, err := st.ExecContext(ctx, id, k, vec[k]); err != nil {
			return err
		}
	}
	return nil
}

func putLists(ctx context.Context, tx *sql.Tx, id int64, lists map[string][]string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_lists WHERE event_id = ?`, id); err != nil {
		return err
	}
	if len(lists) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO event_lists (event_id, list, pos, value) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	keys := make([]string, 0, len(lists))
	for k := range lists {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for i, v := range lists[k] {
			if _, err := st.ExecContext(ctx, id, k, i, v); err != nil {
				return err
			}
		}
	}
	return nil
}
