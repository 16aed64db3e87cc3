// Package indicators computes the event indicators of chorus: volume lift
// against a pre-event baseline and past events, bursts, hashtag adoption,
// hashtag hijacking, media releases, recirculation of old material,
// quotes, onset latency of coordination, staggered automation, the share of
// a watched ecosystem, and attribution-stance unanimity.
//
// Every indicator is a pure function of the corpus, the coordination
// engine's output, the event times, optional per-post stance labels, the
// event library's past events and a watch list. Definitions, parameters and
// uncertainty are documented in docs/indicators.md.
package indicators

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/corpus"
)

// Sentinel errors.
var (
	// ErrInput: the input is inconsistent (nil corpus, stance labels of
	// the wrong length, zero T0).
	ErrInput = errors.New("invalid indicator input")
	// ErrParams: a parameter is out of range.
	ErrParams = errors.New("invalid indicator parameters")
)

// Input is everything the indicators read. Only Corpus and Event.T0 are
// required; every other field may be empty, and the indicators that need
// it say so in their notes.
type Input struct {
	Corpus  *corpus.Corpus
	Coord   *coord.Result
	NearDup *coord.NearDup
	// Clusters are the coordinated clusters (pipeline.Network.Clusters);
	// when nil, onset latency falls back to connected components of the
	// significant edges.
	Clusters []Cluster
	Event    Event
	// Stance holds one label per corpus post, or nil.
	Stance []StanceLabel
	// Past are the event library's earlier events (may be empty).
	Past  []PastEvent
	Watch WatchList
}

// Cluster is one coordinated cluster: its ID as reported and its accounts
// (corpus account IDs).
type Cluster struct {
	ID       int
	Accounts []uint32
}

// Event holds the event times.
type Event struct {
	T0 time.Time
	// TClaim is the time of the official claim; zero when none.
	TClaim time.Time
}

// PastEvent is one earlier event of the event library.
type PastEvent struct {
	Name string
	T0   time.Time
	// Vector is that event's Result.Vector().
	Vector map[string]float64
	// TopTags are that event's top hashtags (normalized keys, as
	// normalize.Hashtag gives them).
	TopTags []string
}

// WatchList is the analyst's watch list. Handles and hashes are compared
// case-insensitively; handles may carry a leading '@'.
type WatchList struct {
	// Accounts are the watched ecosystem (handles or account ids).
	Accounts []string
	// MediaOutlets are official media outlets' handles or account ids.
	MediaOutlets []string
	// BrandingPatterns are outlet brands as RE2 regular expressions, matched
	// case-insensitively ("Amaq", `\[Nashir\]`): a post whose
	// text contains one (case-insensitive) is a release of that outlet.
	BrandingPatterns []string
	// Quotes are known texts (leader speeches, slogans) matched by
	// normalized containment.
	Quotes []string
	// KnownHashes are media hashes or URLs known from earlier events; an
	// item with one of these keys counts as recirculated even when this
	// corpus first shows it after T0.
	KnownHashes []string
}

// Stance label codes. The zero value is "unlabelled"; other codes are
// 1 + the index in stance.AttributionClasses / stance.OrientationClasses.
const (
	AttrUnknown uint8 = iota
	AttrAsserts
	AttrSpeculates
	AttrDenies
	AttrNone
)

// Orientation codes.
const (
	OrientUnknown uint8 = iota
	OrientSupportive
	OrientOpposing
	OrientNeutral
)

// StanceLabel is one post's stance as codes (two bytes per post).
type StanceLabel struct {
	Attribution uint8
	Orientation uint8
}

// Result holds every indicator. It marshals into results.json's
// "indicators" object (see Map).
type Result struct {
	VolumeLift     VolumeLift     `json:"volume_lift"`
	Bursts         Bursts         `json:"bursts"`
	Hashtags       Hashtags       `json:"hashtags"`
	Hijacking      Hijacking      `json:"hijacking"`
	MediaReleases  MediaReleases  `json:"media_releases"`
	Recirculation  Recirculation  `json:"recirculation"`
	Quotes         Quotes         `json:"quotes"`
	OnsetLatency   OnsetLatency   `json:"onset_latency"`
	Automation     Automation     `json:"automation"`
	EcosystemShare EcosystemShare `json:"ecosystem_share"`
	Stance         StanceMetrics  `json:"stance"`
}

// Map returns the indicators keyed by their results.json names, for
// results.Results.Indicators.
func (r *Result) Map() map[string]any {
	return map[string]any{
		"volume_lift":     &r.VolumeLift,
		"bursts":          &r.Bursts,
		"hashtags":        &r.Hashtags,
		"hijacking":       &r.Hijacking,
		"media_releases":  &r.MediaReleases,
		"recirculation":   &r.Recirculation,
		"quotes":          &r.Quotes,
		"onset_latency":   &r.OnsetLatency,
		"automation":      &r.Automation,
		"ecosystem_share": &r.EcosystemShare,
		"stance":          &r.Stance,
	}
}

// Compute computes every indicator. It returns an error only for invalid
// input or parameters, or when ctx is cancelled; missing data (no posts
// after T0, T0 outside the data, no pre-period, an empty library) is
// reported in each indicator's notes and everything computable is still
// computed.
func Compute(ctx context.Context, in Input, p Params) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if in.Corpus == nil {
		return nil, fmt.Errorf("%w: no corpus", ErrInput)
	}
	if in.Event.T0.IsZero() {
		return nil, fmt.Errorf("%w: T0 is required", ErrInput)
	}
	if in.Stance != nil && len(in.Stance) != in.Corpus.Len() {
		return nil, fmt.Errorf("%w: %d stance labels for %d posts", ErrInput, len(in.Stance), in.Corpus.Len())
	}
	if in.NearDup != nil && len(in.NearDup.Cluster) != in.Corpus.Len() {
		return nil, fmt.Errorf("%w: near-duplicate clusters for %d posts, corpus has %d", ErrInput, len(in.NearDup.Cluster), in.Corpus.Len())
	}
	s := newState(&in, &p)
	// The steps run on two goroutines (docs/indicators.md): the hashtag
	// chain and volume on one, the text-based ones on the other. The
	// lazily built indexes are built before they fork, so that both only
	// read them, and each has its own distinct-account counter.
	s.textIdentity()
	s.ecosystem()
	s2 := *s
	s2.acc = accCounter{stamp: make([]uint32, len(s.acc.stamp))}
	r := &Result{}
	chains := [2][]func(){
		{
			func() { r.VolumeLift = s.volumeLift() },
			func() { r.Hashtags = s.hashtags() },
			func() { r.Bursts = s.bursts(r.Hashtags.Tags) },
			func() { r.Hijacking = s.hijacking(r.Hashtags.TopNew) },
			func() { r.MediaReleases = s.mediaReleases() },
		},
		{
			func() { r.Recirculation = s2.recirculation() },
			func() { r.Quotes = s2.quotes() },
			func() { r.OnsetLatency = s2.onsetLatency() },
			func() { r.Automation = s2.automation() },
			func() { r.EcosystemShare = s2.ecosystemShare() },
			func() { r.Stance = s2.stanceMetrics() },
		},
	}
	var wg sync.WaitGroup
	for _, chain := range chains {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, step := range chain {
				if ctx.Err() != nil {
					return
				}
				step()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r, nil
}
