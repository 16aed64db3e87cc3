package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/indicators"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/store"
	"github.com/chorus-osint/chorus/internal/version"
)

// library is analyze's view of the event library: it registers the event,
// supplies past events and the watch list, and records the run and the
// event's indicator vector. A nil *library (--no-library) does nothing.
type library struct {
	db    *store.Store
	cfg   *config.Config
	event store.Event
	past  []store.Event
	log   *slog.Logger
}

// topHashtagsKept is how many top hashtags are stored per event, for the
// "revived" status of later events.
const topHashtagsKept = 20

func openAnalyzeLibrary(ctx context.Context, cfg *config.Config, log *slog.Logger) (*library, error) {
	ev, err := pipeline.EventFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, store.ResolvePath(cfg.Store.DB, os.Getenv), log)
	if err != nil {
		return nil, fmt.Errorf("event library: %w (or run with --no-library)", err)
	}
	lib := &library{db: db, cfg: cfg, log: log, event: store.Event{Name: ev.Name, T0: ev.T0, Place: ev.Place}}
	if ev.TClaim != nil {
		lib.event.TClaim = *ev.TClaim
	}
	// Keep what the analyst registered for this event (languages, watch
	// lists); T0, T_claim and place come from this run.
	old, err := db.GetEvent(ctx, ev.Name)
	switch {
	case err == nil:
		lib.event.Languages, lib.event.Watch = old.Languages, old.Watch
		if lib.event.Place == "" {
			lib.event.Place = old.Place
		}
	case !errors.Is(err, store.ErrNotFound):
		db.Close()
		return nil, err
	}
	if err := db.PutEvent(ctx, lib.event); err != nil {
		db.Close()
		return nil, err
	}
	if lib.past, err = db.PastEvents(ctx, ev.T0, ev.Name); err != nil {
		db.Close()
		return nil, err
	}
	if len(lib.past) == 0 {
		log.Info("event library has no earlier events: comparisons with past events will be empty", "db", store.ResolvePath(cfg.Store.DB, os.Getenv))
	}
	return lib, nil
}

func (l *library) close() {
	if l != nil {
		l.db.Close()
	}
}

// forAnalysis converts the library into pipeline input.
func (l *library) forAnalysis() pipeline.Library {
	if l == nil {
		return pipeline.Library{}
	}
	var out pipeline.Library
	for _, p := range l.past {
		out.Past = append(out.Past, indicators.PastEvent{Name: p.Name, T0: p.T0, Vector: p.Indicators, TopTags: p.Lists["top_hashtags"]})
	}
	w := l.event.Watch
	out.Watch = indicators.WatchList{Accounts: w.Accounts, MediaOutlets: w.MediaOutlets, BrandingPatterns: w.Branding, Quotes: w.Quotes, KnownHashes: w.Hashes}
	return out
}

// recordRun stores the run and, when it succeeded, the event's indicator
// vector and top hashtags.
func (l *library) recordRun(ctx context.Context, a *pipeline.Analysis, status store.RunStatus) error {
	if l == nil || a == nil {
		return nil
	}
	if status == store.RunOK && a.Indicators != nil {
		var top []string
		for _, t := range a.Indicators.Hashtags.Tags {
			if len(top) == topHashtagsKept {
				break
			}
			top = append(top, t.Key)
		}
		if err := l.db.SetIndicators(ctx, l.event.Name, a.Indicators.Vector(), map[string][]string{"top_hashtags": top}); err != nil {
			return err
		}
	}
	params, _ := json.Marshal(l.cfg.Snapshot())
	dir, _ := filepath.Abs(l.cfg.Output.Dir)
	run := store.Run{Event: l.event.Name, Version: version.String(), Params: params, ResultDir: dir, Status: status}
	for _, in := range a.Inputs {
		run.Inputs = append(run.Inputs, store.RunInput{Path: in.Path, SHA256: in.SHA256, Size: in.Size})
	}
	_, err := l.db.AddRun(ctx, run)
	return err
}
