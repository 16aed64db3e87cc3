package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// LivePost is one post consumed in live mode, as recorded for the
// exactly-once effect (docs/live.md, "Exactly-once"). The store treats Key
// and Data as opaque bytes; internal/live builds them.
type LivePost struct {
	// Key is the de-duplication key (platform, post id, repost object).
	Key []byte
	// Time is the post time in Unix milliseconds.
	Time int64
	// Data is the encoded post the live detector is rebuilt from.
	Data []byte
}

// LiveOutcome says what RecordLivePosts did with one post.
type LiveOutcome uint8

// Outcomes of RecordLivePosts.
const (
	// LiveNew: the key was not recorded before; the post is recorded now.
	LiveNew LiveOutcome = iota + 1
	// LiveDuplicate: the key is already recorded (a redelivery, a replay,
	// or an earlier post of the same batch); nothing changed.
	LiveDuplicate
	// LiveStale: the post is older than the pruned key retention, so a
	// duplicate could no longer be recognised; it is not recorded.
	LiveStale
)

// live_state rows: the key retention cutoff, and the post time below
// which post data has been released.
const (
	livePrunedBefore   = "pruned_before_ms"
	liveReleasedBefore = "released_before_ms"
)

// RecordLivePosts records posts in one write transaction and fills out
// (len(out) must be len(posts)) with each post's outcome. Either every
// new post of the batch is durably recorded (synchronous=FULL: on disk
// when it returns) or, on error, none is: the caller acknowledges the
// messages only after it returns nil.
func (s *Store) RecordLivePosts(ctx context.Context, posts []LivePost, out []LiveOutcome) error {
	if len(out) != len(posts) {
		panic(fmt.Sprintf("BUG: RecordLivePosts: %d outcomes for %d posts", len(out), len(posts)))
	}
	if len(posts) == 0 {
		return nil
	}
	seen := time.Now().UnixMilli()
	return s.writeTx(ctx, "record live posts", func(tx *sql.Tx) error {
		cutoff, err := livePruned(ctx, tx)
		if err != nil {
			return err
		}
		released, err := liveState(ctx, tx, liveReleasedBefore)
		if err != nil {
			return err
		}
		// Multi-row inserts of up to liveChunk rows (one statement each is
		// ~2x faster than a prepared statement per row); RETURNING names
		// the rows actually inserted.
		var full *sql.Stmt
		defer func() {
			if full != nil {
				full.Close()
			}
		}()
		idx := make(map[string]int, min(len(posts), liveChunk))
		args := make([]any, 0, 4*min(len(posts), liveChunk))
		for lo := 0; lo < len(posts); lo += liveChunk {
			hi := min(lo+liveChunk, len(posts))
			clear(idx)
			args = args[:0]
			for i := lo; i < hi; i++ {
				p := &posts[i]
				if p.Time < cutoff {
					out[i] = LiveStale
					continue
				}
				out[i] = LiveDuplicate
				if _, dup := idx[string(p.Key)]; dup {
					continue // an earlier post of this batch has the key
				}
				idx[string(p.Key)] = i
				var data []byte
				if p.Time >= released {
					data = p.Data // older posts are past the horizon: key only
				}
				args = append(args, p.Key, p.Time, seen, data)
			}
			n := len(args) / 4
			if n == 0 {
				continue
			}
			var rows *sql.Rows
			if n == liveChunk {
				if full == nil {
					if full, err = tx.PrepareContext(ctx, liveInsertSQL(liveChunk)); err != nil {
						return err
					}
				}
				rows, err = full.QueryContext(ctx, args...)
			} else {
				rows, err = tx.QueryContext(ctx, liveInsertSQL(n), args...)
			}
			if err != nil {
				return err
			}
			var key sql.RawBytes
			for rows.Next() {
				if err := rows.Scan(&key); err != nil {
					rows.Close()
					return err
				}
				i, ok := idx[string(key)]
				if !ok {
					rows.Close()
					return fmt.Errorf("BUG: insert returned a key not in the batch")
				}
				out[i] = LiveNew
			}
			if err := rows.Close(); err != nil {
				return err
			}
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
}

// liveChunk is the most rows of one INSERT statement (4 parameters each,
// far below SQLite's parameter limit).
const liveChunk = 256

// liveInsertSQL is the insert of n rows.
func liveInsertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO live_posts (key, time_ms, seen_ms, post) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?)")
	}
	b.WriteString(" ON CONFLICT (key) DO NOTHING RETURNING key")
	return b.String()
}

func livePruned(ctx context.Context, q querier) (int64, error) {
	return liveState(ctx, q, livePrunedBefore)
}

// liveState reads a live_state value (0 when unset).
func liveState(ctx context.Context, q querier, name string) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `SELECT value FROM live_state WHERE name = ?`, name).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return v, err
}

func setLiveState(ctx context.Context, tx *sql.Tx, name string, v int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO live_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, v)
	return err
}

// LoadLivePosts calls fn for every recorded post whose time is at least
// from (Unix ms) and whose data is still held, in post-time order. fn may
// keep neither slice of the LivePost it gets.
func (s *Store) LoadLivePosts(ctx context.Context, from int64, fn func(p LivePost) error) error {
	return s.readTx(ctx, "load live posts", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT key, time_ms, post FROM live_posts WHERE time_ms >= ? AND post IS NOT NULL ORDER BY time_ms, id`, from)
		if err != nil {
			return err
		}
		defer rows.Close()
		var p LivePost
		var key, data sql.RawBytes
		for rows.Next() {
			if err := rows.Scan(&key, &p.Time, &data); err != nil {
				return err
			}
			p.Key, p.Data = key, data
			if err := fn(p); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// LiveCounts describes the live_posts table.
type LiveCounts struct {
	// Keys is the number of recorded keys (distinct posts within the key
	// retention); Held the number whose post data is still held.
	Keys, Held int64
	// Newest is the newest post time recorded (Unix ms; 0 when empty).
	Newest int64
	// PrunedBefore is the retention cutoff: posts older than it are
	// refused as stale (Unix ms; 0 before the first prune).
	PrunedBefore int64
}

// LiveCounts counts the live_posts table.
func (s *Store) LiveCounts(ctx context.Context) (LiveCounts, error) {
	var c LiveCounts
	err := s.readTx(ctx, "count live posts", func(tx *sql.Tx) error {
		var newest sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), count(post), max(time_ms) FROM live_posts`).Scan(&c.Keys, &c.Held, &newest); err != nil {
			return err
		}
		c.Newest = newest.Int64
		var err error
		c.PrunedBefore, err = livePruned(ctx, tx)
		return err
	})
	return c, err
}

// LivePruned is what PruneLivePosts did.
type LivePruned struct {
	// Released counts posts whose data was dropped (older than the
	// horizon); Deleted counts keys deleted (older than the retention).
	Released, Deleted int64
}

// PruneLivePosts drops the data of posts older than dataBefore (Unix ms)
// and deletes the keys of posts older than keysBefore, and records
// keysBefore as the retention cutoff (it never moves back). keysBefore
// must not be after dataBefore.
func (s *Store) PruneLivePosts(ctx context.Context, dataBefore, keysBefore int64) (LivePruned, error) {
	var r LivePruned
	if keysBefore > dataBefore {
		return r, fmt.Errorf("prune live posts: %w: keys cutoff %d after data cutoff %d", ErrInvalid, keysBefore, dataBefore)
	}
	err := s.writeTx(ctx, "prune live posts", func(tx *sql.Tx) error {
		// Only the rows released since the last prune are visited.
		from, err := liveState(ctx, tx, liveReleasedBefore)
		if err != nil {
			return err
		}
		if dataBefore > from {
			res, err := tx.ExecContext(ctx, `UPDATE live_posts SET post = NULL WHERE time_ms >= ? AND time_ms < ? AND post IS NOT NULL`, from, dataBefore)
			if err != nil {
				return err
			}
			if r.Released, err = res.RowsAffected(); err != nil {
				return err
			}
			if err := setLiveState(ctx, tx, liveReleasedBefore, dataBefore); err != nil {
				return err
			}
		}
		old, err := livePruned(ctx, tx)
		if err != nil {
			return err
		}
		if keysBefore <= old {
			return nil
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM live_posts WHERE time_ms < ?`, keysBefore)
		if err != nil {
			return err
		}
		if r.Deleted, err = res.RowsAffected(); err != nil {
			return err
		}
		return setLiveState(ctx, tx, livePrunedBefore, keysBefore)
	})
	return r, err
}

// AddLiveAlert records an alert raised in live mode (wall time in Unix ms,
// the cluster's member accounts).
func (s *Store) AddLiveAlert(ctx context.Context, timeMs int64, accounts []string) error {
	for _, a := range accounts {
		if strings.ContainsRune(a, '\n') {
			return fmt.Errorf("add live alert: %w: account %q holds a newline", ErrInvalid, a)
		}
	}
	return s.writeTx(ctx, "add live alert", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO live_alerts (time_ms, accounts) VALUES (?, ?)`, timeMs, strings.Join(accounts, "\n"))
		return err
	})
}

// LiveAlerts returns the member accounts of the alerts recorded at or
// after since (Unix ms), oldest first.
func (s *Store) LiveAlerts(ctx context.Context, since int64) ([][]string, error) {
	var out [][]string
	err := s.readTx(ctx, "read live alerts", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT accounts FROM live_alerts WHERE time_ms >= ? ORDER BY time_ms, id`, since)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a string
			if err := rows.Scan(&a); err != nil {
				return err
			}
			if a == "" {
				out = append(out, nil)
				continue
			}
			out = append(out, strings.Split(a, "\n"))
		}
		return rows.Err()
	})
	return out, err
}

// PruneLiveAlerts deletes the alerts recorded before before (Unix ms).
func (s *Store) PruneLiveAlerts(ctx context.Context, before int64) (int64, error) {
	var n int64
	err := s.writeTx(ctx, "prune live alerts", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM live_alerts WHERE time_ms < ?`, before)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
