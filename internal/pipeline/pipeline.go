// Package pipeline wires the stages together — ingest → corpus → near-dup
// → coordination engine → network and clusters → indicators — behind one
// entry point shared by the CLI and the server.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/indicators"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/media"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/stance"
)

// ErrNoPosts: the inputs held no posts.
var ErrNoPosts = errors.New("no posts in the inputs")

// Event is the event under analysis, parsed from the config.
type Event struct {
	Name   string     `json:"name"`
	T0     time.Time  `json:"t0"`
	TClaim *time.Time `json:"t_claim,omitempty"`
	Place  string     `json:"place,omitempty"`
}

// Phase is one timed stage.
type Phase struct {
	Name    string        `json:"name"`
	Elapsed time.Duration `json:"-"`
	Seconds float64       `json:"seconds"`
}

// SweepRow summarises the engine at one window of a window sweep.
type SweepRow struct {
	Window      string `json:"window"`
	Edges       int    `json:"edges"`
	Significant int    `json:"significant"`
	Clusters    int    `json:"clusters"`
	Accounts    int    `json:"accounts_in_clusters"`
}

// Analysis is everything one run computes.
type Analysis struct {
	Config  config.Config
	Event   Event
	Inputs  []Input
	Corpus  *corpus.Corpus
	NearDup *coord.NearDup
	// ImageObj maps media IDs to near-identical image groups.
	ImageObj    []uint32
	NumImageObj int
	Coord       *coord.Result
	Network     *Network
	Stance      *Stance
	Indicators  *indicators.Result
	// Past are the event library's earlier events used for comparison;
	// Watch is the event's watch list.
	Past     []indicators.PastEvent
	Watch    indicators.WatchList
	Sweep    []SweepRow
	Suggest  string
	Phases   []Phase
	Warnings []string
}

// EventFromConfig parses the event section.
func EventFromConfig(cfg *config.Config) (Event, error) {
	ev := Event{Name: cfg.Event.Name, Place: cfg.Event.Place}
	loc, err := cfg.Location()
	if err != nil {
		return ev, err
	}
	if cfg.Event.T0 == "" {
		return ev, fmt.Errorf("%w: --t0 is required (the event time, e.g. 2016-03-22T06:58:00Z)", config.ErrInvalid)
	}
	t0, err := ingest.ParseTime(cfg.Event.T0, loc)
	if err != nil {
		return ev, fmt.Errorf("%w: --t0: %v", config.ErrInvalid, err)
	}
	ev.T0 = t0
	if cfg.Event.TClaim != "" {
		tc, err := ingest.ParseTime(cfg.Event.TClaim, loc)
		if err != nil {
			return ev, fmt.Errorf("%w: --t-claim: %v", config.ErrInvalid, err)
		}
		ev.TClaim = &tc
	}
	if ev.Name == "" {
		ev.Name = "event-" + ev.T0.Format("2006-01-02")
	}
	return ev, nil
}

// CoordParams converts the coord section into engine parameters for one
// window.
func CoordParams(cfg *config.Config, window time.Duration) (coord.Params, error) {
	p := coord.Params{
		MinWeight:        cfg.Coord.MinWeight,
		MinParticipation: cfg.Coord.MinParticipation,
		MaxPartners:      cfg.Coord.MaxPartners,
		MaxLayerPairs:    cfg.Coord.MaxLayerPairs,
		IDF:              cfg.Coord.IDF,
		MinHashtagSeq:    cfg.Coord.MinHashtagSeq,
		Permutations:     cfg.Coord.Permutations,
		NullBlock:        cfg.Coord.NullBlock,
		EvergreenBlocks:  cfg.Coord.EvergreenBlocks,
		NullByLanguage:   cfg.Coord.NullByLanguage,
		Seed:             cfg.Coord.Seed,
		Alpha:            cfg.Coord.Alpha,
		MaxEvidence:      cfg.Coord.MaxEvidence,
		MaxPairs:         cfg.Coord.MaxPairs,
		Workers:          cfg.Coord.Workers,
	}
	for _, name := range cfg.Coord.Layers {
		l, ok := model.ParseLayer(name)
		if !ok {
			return p, fmt.Errorf("%w: unknown layer %q (layers: %v)", config.ErrInvalid, name, model.LayerNames())
		}
		p.Layers = append(p.Layers, l)
		p.Window[l] = window
	}
	p.Window[model.LayerStaggered] = cfg.Coord.WindowStaggered
	return p, p.Validate()
}

func (a *Analysis) phase(name string, start time.Time) {
	el := time.Since(start)
	a.Phases = append(a.Phases, Phase{Name: name, Elapsed: el, Seconds: el.Seconds()})
}

// Library is what the event library contributes to an analysis: the
// earlier events to compare with and the event's watch list.
type Library struct {
	Past  []indicators.PastEvent
	Watch indicators.WatchList
}

// Analyze runs the whole analysis on files.
func Analyze(ctx context.Context, cfg config.Config, files []string, lib Library, log *slog.Logger, prog *Progress) (*Analysis, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ev, err := EventFromConfig(&cfg)
	if err != nil {
		return nil, err
	}
	if len(cfg.Coord.Windows) == 0 {
		return nil, fmt.Errorf("%w: --window needs at least one duration", config.ErrInvalid)
	}
	params, err := CoordParams(&cfg, cfg.Coord.Windows[0])
	if err != nil {
		return nil, err
	}
	opts, err := IngestOptions(&cfg, log)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Config: cfg, Event: ev, Past: lib.Past, Watch: lib.Watch}
	workers := cfg.Coord.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	prog.Phase("ingest")
	start := time.Now()
	c, inputs, err := Ingest(ctx, files, opts, workers, log, prog)
	a.Inputs = inputs
	if err != nil {
		return a, err
	}
	a.Corpus = c
	a.phase("ingest", start)
	log.Info("corpus built", "posts", c.Len(), "accounts", c.NumAccounts(), "duplicates", c.Duplicates)
	if c.Len() == 0 {
		// Still write what can be computed: empty layers and clusters,
		// indicators with their notes.
		a.Warnings = append(a.Warnings, fmt.Sprintf("%v: %d files read, every record skipped or empty (see `chorus stats`)", ErrNoPosts, len(files)))
	} else {
		a.checkEventCoverage()
	}

	if hasLayer(params.Layers, model.LayerNearText) {
		prog.Phase("near-dup")
		start = time.Now()
		a.NearDup = coord.NearDuplicates(c, coord.NearDupParams{
			Threshold: cfg.Coord.NearDupThreshold,
			MinRunes:  cfg.Coord.NearDupMinRunes,
			Seed:      cfg.Coord.Seed,
			Workers:   workers,
		})
		params.SetNearDup(a.NearDup)
		a.phase("near-dup", start)
	}

	if hasLayer(params.Layers, model.LayerImage) && cfg.Coord.ImageRadius > 0 && c.Media.Len() > 0 {
		prog.Phase("images")
		start = time.Now()
		keys := make([]string, 0, c.Media.Len())
		for _, k := range c.Media.Keys() {
			keys = append(keys, k)
		}
		h := media.Compute(keys, workers, log)
		if h.Files+h.Failed > 0 {
			log.Info("image files hashed", "hashed", h.Files, "failed", h.Failed)
		}
		a.ImageObj, a.NumImageObj = media.Groups(h, cfg.Coord.ImageRadius)
		params.SetImageObjects(a.ImageObj, a.NumImageObj)
		a.phase("images", start)
	}

	prog.Phase("co-action")
	start = time.Now()
	res, err := coord.Run(ctx, c, params, log)
	if err != nil {
		return a, err
	}
	a.Coord = res
	a.phase("co-action+significance", start)
	prog.Phase("group test")
	start = time.Now()
	TestGroups(ctx, res, &cfg)
	a.phase("group test", start)

	if cfg.Stance.Model != "none" {
		prog.Phase("stance")
		start = time.Now()
		cl, name, err := stance.ByName(cfg.Stance.Model)
		if err != nil {
			return a, fmt.Errorf("%w: --stance-model: %v", config.ErrInvalid, err)
		}
		if a.Stance, err = classifyStance(ctx, c, cl, name, workers); err != nil {
			return a, err
		}
		a.phase("stance", start)
	}

	prog.Phase("clusters")
	start = time.Now()
	a.Network = BuildNetwork(c, res, &cfg)
	a.phase("clusters", start)

	prog.Phase("indicators")
	start = time.Now()
	if err := a.computeIndicators(ctx); err != nil {
		return a, err
	}
	a.phase("indicators", start)

	if len(cfg.Coord.Windows) > 1 {
		prog.Phase("window sweep")
		start = time.Now()
		if err := a.windowSweep(ctx, log); err != nil {
			return a, err
		}
		a.phase("window sweep", start)
	}
	return a, nil
}

// computeIndicators runs the event indicators on the analysis so far.
func (a *Analysis) computeIndicators(ctx context.Context) error {
	in := indicators.Input{Corpus: a.Corpus, Coord: a.Coord, NearDup: a.NearDup, Past: a.Past, Watch: a.Watch,
		Event: indicators.Event{T0: a.Event.T0}}
	if a.Event.TClaim != nil {
		in.Event.TClaim = *a.Event.TClaim
	}
	for _, cl := range a.Network.Clusters {
		in.Clusters = append(in.Clusters, indicators.Cluster{ID: cl.ID, Accounts: cl.Accounts})
	}
	if st := a.Stance; st != nil {
		in.Stance = make([]indicators.StanceLabel, len(st.Attribution))
		for i := range in.Stance {
			in.Stance[i] = indicators.StanceLabel{Attribution: st.Attribution[i] + 1, Orientation: st.Orientation[i] + 1}
		}
	}
	res, err := indicators.Compute(ctx, in, indicators.ParamsFromConfig(&a.Config))
	if err != nil {
		return fmt.Errorf("indicators: %w", err)
	}
	a.Indicators = res
	return nil
}

// hasLayer reports whether ls holds l.
func hasLayer(ls []model.Layer, l model.Layer) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

// checkEventCoverage warns when T0 lies outside the data.
func (a *Analysis) checkEventCoverage() {
	c := a.Corpus
	first, last := time.UnixMilli(c.Time[0]).UTC(), time.UnixMilli(c.Time[c.Len()-1]).UTC()
	if a.Event.T0.Before(first) || a.Event.T0.After(last) {
		a.Warnings = append(a.Warnings, fmt.Sprintf("T0 %s is outside the data (%s .. %s): indicators that compare before and after T0 cannot be computed", a.Event.T0.Format(time.RFC3339), first.Format(time.RFC3339), last.Format(time.RFC3339)))
	}
}

// windowSweep reruns the engine at every window of the sweep and records
// edges, significant edges and clusters, then suggests a window.
func (a *Analysis) windowSweep(ctx context.Context, log *slog.Logger) error {
	for _, w := range a.Config.Coord.Windows {
		p, err := CoordParams(&a.Config, w)
		if err != nil {
			return err
		}
		p.SetNearDup(a.NearDup)
		if a.ImageObj != nil {
			p.SetImageObjects(a.ImageObj, a.NumImageObj)
		}
		res, err := coord.Run(ctx, a.Corpus, p, log)
		if err != nil {
			return err
		}
		TestGroups(ctx, res, &a.Config)
		net := BuildNetwork(a.Corpus, res, &a.Config)
		row := SweepRow{Window: w.String(), Clusters: len(net.Clusters), Accounts: net.AccountsInClusters()}
		for _, l := range res.Layers {
			if l.Layer == model.LayerStaggered {
				continue
			}
			row.Edges += len(l.Edges)
			row.Significant += l.Significant
		}
		a.Sweep = append(a.Sweep, row)
	}
	a.Suggest = suggestWindow(a.Sweep)
	return nil
}

// suggestWindow picks the window after which widening adds the fewest
// significant edges per unit of window (the knee of significant edges over
// log window): coordinated co-actions are found early, chance ones grow
// with the window.
func suggestWindow(rows []SweepRow) string {
	if len(rows) == 0 {
		return ""
	}
	best, bestScore := rows[0].Window, -1.0
	for _, r := range rows {
		if r.Edges == 0 {
			continue
		}
		score := float64(r.Significant) / float64(r.Edges)
		if score > bestScore {
			best, bestScore = r.Window, score
		}
	}
	return best
}

// IngestOptions turns the ingest section of cfg into reader options (shared by the CLI and the server).
func IngestOptions(cfg *config.Config, log *slog.Logger) (ingest.Options, error) {
	loc, err := cfg.Location()
	if err != nil {
		return ingest.Options{}, err
	}
	m, err := cfg.ColumnMap()
	if err != nil {
		return ingest.Options{}, err
	}
	return ingest.Options{
		Format: cfg.Ingest.Format,
		TZ:     loc,
		Map:    m,
		Strict: cfg.Ingest.Strict,
		Limits: ingest.Limits{
			MaxRecordBytes:   cfg.Ingest.MaxRecordBytes,
			MaxDocumentBytes: cfg.Ingest.MaxDocumentBytes,
			RatioAfter:       cfg.Ingest.RatioAfter,
			MaxDepth:         cfg.Ingest.MaxDepth,
			MaxDecompressed:  cfg.Ingest.MaxDecompressed,
			MaxRatio:         cfg.Ingest.MaxRatio,
			MaxCSVFields:     cfg.Ingest.MaxCSVFields,
			MaxFiles:         cfg.Ingest.MaxFiles,
		},
		Logger: log,
	}, nil
}
