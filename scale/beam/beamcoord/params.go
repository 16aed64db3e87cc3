// Package beamcoord is chorus's co-action and significance passes as an
// Apache Beam pipeline (docs/scale.md): read posts with chorus's readers,
// key each action by (layer, object), sweep each key's time-sorted actions
// with the local engine's bounded pair rule, combine per account pair,
// run the permutation null as keyed passes that reproduce the local
// engine's random streams, and write edges.csv, evidence.csv and
// layers.json in the local engine's formats.
package beamcoord

import (
	"errors"
	"fmt"
	"time"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
)

// ErrUnsupported marks a parameter the Beam pipeline does not implement.
var ErrUnsupported = errors.New("not supported by the Beam pipeline")

// Params are the engine parameters in a form Beam can serialise into its
// DoFns (plain exported fields).
type Params struct {
	Layers           []uint8
	WindowMs         [model.NumLayers]int64
	BlockMs          [model.NumLayers]int64
	MinWeight        int
	MinParticipation int
	MaxPartners      int
	// MaxLayerPairs is the local engine's post-pair budget per layer: a
	// layer over it gets a lower partner bound (0: no budget).
	MaxLayerPairs int64
	IDF           bool
	MinHashtagSeq int
	Permutations  int
	// EvergreenBlocks: objects seen in this many null blocks are
	// evergreen (coord.Params.EvergreenBlocks; 0: off).
	EvergreenBlocks int
	// NullByLanguage: the null's classes include the post language
	// (coord.Params.NullByLanguage).
	NullByLanguage bool
	Seed           uint64
	Alpha          float64
	MaxEvidence    int
	// EvidenceP: evidence rows are also written for the edges with own
	// P <= EvidenceP, the ties that the group and membership tests of
	// `chorus analyze --from-edges` may corroborate
	// (pipeline.CorroborationP; 0: significant edges only).
	EvidenceP float64
	// HotKeyPosts splits an object key with more actions than this into
	// time slices (0: never split).
	HotKeyPosts int
	// SliceMs is the length of a hot key's time slice (0: 64 windows).
	SliceMs int64
	// PairBuckets is the number of keys per layer that account pairs are
	// grouped into for the pair and null folds (0: 1024).
	PairBuckets int
}

func (p *Params) buckets() int {
	if p.PairBuckets > 0 {
		return p.PairBuckets
	}
	return 1024
}

// FromCoord converts the local engine's parameters. The near_text layer
// (global MinHash clustering) and image grouping by perceptual hash are
// not distributed: they are refused.
func FromCoord(p *coord.Params, imageRadius int) (Params, error) {
	if err := p.Validate(); err != nil {
		return Params{}, err
	}
	out := Params{
		MinWeight: p.MinWeight, MinParticipation: p.MinParticipation, MaxPartners: p.MaxPartners,
		MaxLayerPairs: p.MaxLayerPairs, IDF: p.IDF, MinHashtagSeq: p.MinHashtagSeq, Permutations: p.Permutations, EvergreenBlocks: p.EvergreenBlocks, NullByLanguage: p.NullByLanguage, Seed: p.Seed,
		Alpha: p.Alpha, MaxEvidence: p.MaxEvidence,
	}
	for _, l := range p.Layers {
		switch l {
		case model.LayerNearText:
			return out, fmt.Errorf("%w: layer near_text (MinHash clustering is global; run it locally)", ErrUnsupported)
		case model.LayerImage:
			if imageRadius > 0 {
				return out, fmt.Errorf("%w: image layer with --image-radius > 0 (perceptual grouping); use --image-radius 0", ErrUnsupported)
			}
		}
		out.Layers = append(out.Layers, uint8(l))
		w := p.Window[l].Milliseconds()
		out.WindowMs[l] = w
		out.BlockMs[l] = coord.NullBlockMs(p, w)
	}
	return out, nil
}

// Window returns layer l's window.
func (p *Params) Window(l uint8) time.Duration {
	return time.Duration(p.WindowMs[l]) * time.Millisecond
}

func (p *Params) hasLayer(l model.Layer) bool {
	for _, x := range p.Layers {
		if x == uint8(l) {
			return true
		}
	}
	return false
}

// sliceMs is the time slice of hot keys for layer l.
func (p *Params) sliceMs(l uint8) int64 {
	if p.SliceMs > 0 {
		return p.SliceMs
	}
	return max(64*p.WindowMs[l], 1)
}

// IngestOptions are the reader options in serialisable form.
type IngestOptions struct {
	Format string
	TZ     string
	Map    map[string]string
	Strict bool
	Limits ingest.Limits
}

func (o *IngestOptions) options() (ingest.Options, error) {
	loc := time.UTC
	if o.TZ != "" {
		l, err := time.LoadLocation(o.TZ)
		if err != nil {
			return ingest.Options{}, fmt.Errorf("time zone %q: %w", o.TZ, err)
		}
		loc = l
	}
	return ingest.Options{Format: o.Format, TZ: loc, Map: o.Map, Strict: o.Strict, Limits: o.Limits}, nil
}
