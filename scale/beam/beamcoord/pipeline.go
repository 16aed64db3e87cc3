package beamcoord

import (
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/filter"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"
	"github.com/chorus-osint/chorus/internal/model"
)

// Build adds the co-action and significance passes to s: inputs are read
// with chorus's readers, results are written to dir (a local directory or
// any Beam file system path) as edges.csv, evidence.csv and layers.json.
//
// Stages and their keys (docs/scale.md has the diagram and the costs):
//
//	read        one input file           → posts, account and object sightings
//	dedupe      duplicate identity       → one copy of each post
//	accounts    (layer, account)         → global ordinal, activity, null block
//	evergreen   (layer, object)          → objects seen in many null blocks
//	shuffle     (layer, null block)      → each post's account per permutation
//	bound       (layer, object[, slice]) → partner bound under the post-pair budget
//	sweep       (layer, object[, slice]) → per-object pair records, null pairs
//	pairs       (layer, pair bucket)     → edge statistics, histograms
//	filter      (layer, account) × 2     → participation, names
//	null        (layer, pair bucket)     → null histogram, candidates' null sums
//	finalize    layer                    → P, BH + stratum FDR Q, summary
//	evidence    object, post             → labelled evidence rows
//	write       one key                  → the three files
func Build(s beam.Scope, inputs []Input, p Params, in IngestOptions, dir string) error {
	return build(s, inputs, p, in, &writeFn{Params: p, Dir: dir})
}

// BuildExact is Build that also writes edges-exact.csv: every edge's
// weight, p and q as float64 bits and its median gap, so that a test can
// hold the pipeline to the local engine to the bit (edges.csv rounds them).
func BuildExact(s beam.Scope, inputs []Input, p Params, in IngestOptions, dir string) error {
	return build(s, inputs, p, in, &writeFn{Params: p, Dir: dir, Exact: true})
}

func build(s beam.Scope, inputs []Input, p Params, in IngestOptions, wr *writeFn) error {
	if len(p.Layers) == 0 {
		return fmt.Errorf("%w: no layers", ErrUnsupported)
	}
	for _, l := range p.Layers {
		if model.Layer(l) == model.LayerNearText {
			return fmt.Errorf("%w: layer near_text", ErrUnsupported)
		}
	}
	s = s.Scope("chorus")
	files := beam.Reshuffle(s, beam.CreateList(s, inputs))
	posts, acctSight, objSight := beam.ParDo3(s.Scope("read"), &readFileFn{Params: p, Ingest: in}, files)
	kept := beam.ParDo(s.Scope("dedupe"), dedupeFn, beam.GroupByKey(s, posts))

	layerPosts, layerT, keyStats, infos := beam.ParDo4(s.Scope("explode"), &explodeFn{Params: p}, kept)
	minT := beam.CombinePerKey(s.Scope("layer-start"), minInt64, layerT)

	// Accounts: ordinal, activity, null block.
	acctIn := beam.CoGroupByKey(s.Scope("accounts"), layerPosts, acctSight)
	blocks, objBlocks, attrs, incA := beam.ParDo4(s.Scope("accounts"), &acctFn{Params: p}, acctIn, beam.SideInput{Input: minT})

	// Evergreen objects: seen in EvergreenBlocks null blocks or more.
	blockSets := beam.CombinePerKey(s.Scope("evergreen"), &blockSetFn{Cap: max(p.EvergreenBlocks, 1)}, objBlocks)
	evergreen := beam.ParDo(s.Scope("evergreen"), &evergreenFn{Params: p}, blockSets)

	// Objects: first sighting (ordinal, label), hot keys.
	objMin := beam.CombinePerKey(s.Scope("objects"), sightingMinFn{}, objSight)
	labels := beam.ParDo(s.Scope("objects"), labelKeyFn, objMin)
	hotStats := beam.CombinePerKey(s.Scope("hot-keys"), keyStatFn{}, keyStats)
	hot := beam.ParDo(s.Scope("hot-keys"), &hotFn{Params: p}, beam.CoGroupByKey(s, hotStats, objMin))

	acts, actTimes, hotAccts := beam.ParDo3(s.Scope("shuffle"), &blockFn{Params: p}, beam.GroupByKey(s, blocks), beam.SideInput{Input: hot}, beam.SideInput{Input: evergreen})
	if p.IDF {
		counts := stats.SumPerKey(s, beam.ParDo(s.Scope("hot-keys"), hotAcctOne, filter.Distinct(s, hotAccts)))
		hot = beam.ParDo(s.Scope("hot-keys"), hotAcctsFn, beam.CoGroupByKey(s, hot, counts))
	}
	firstLayer := beam.ParDo(s.Scope("accounts"), &firstLayerFn{Layer: p.Layers[0]}, acctSight)
	numAccounts := stats.CountElms(s, filter.Distinct(s, firstLayer))

	// The sweep, after each layer's partner bound is fixed (the post-pair
	// budget, MaxLayerPairs) from a first look at every object's run.
	sweepIn := beam.CoGroupByKey(s.Scope("sweep"), acts, objMin)
	hist := beam.CombinePerKey(s.Scope("partner-bound"), partnerHistCombineFn{}, beam.ParDo(s.Scope("partner-bound"), &partnerHistFn{Params: p}, beam.GroupByKey(s, actTimes)))
	info := beam.ParDo(s.Scope("partner-bound"), &layerInfoFn{Params: p}, hist, beam.SideInput{Input: numAccounts})
	out := beam.ParDoN(s.Scope("sweep"), &sweepFn{Params: p}, sweepIn, beam.SideInput{Input: hot}, beam.SideInput{Input: info})
	pairs, part, nullW, incS := out[0], out[1], out[2], out[3]

	// Pairs → candidate edges.
	cands, incP := beam.ParDo2(s.Scope("pairs"), &pairFn{Params: p}, beam.GroupByKey(s, pairs))
	partT := beam.CombinePerKey(s.Scope("filter"), tallyFn{}, part)
	acctAttrs := beam.ParDo(s.Scope("filter"), attrFn, beam.CoGroupByKey(s, partT, attrs))
	sideA, _ := beam.ParDo2(s.Scope("filter"), &joinAcctFn{Params: p}, beam.CoGroupByKey(s, cands, acctAttrs))
	_, sideB := beam.ParDo2(s.Scope("filter"), &joinAcctFn{Params: p, SideB: true}, beam.CoGroupByKey(s, sideA, acctAttrs))

	// Null weights per (permutation, pair), folded per pair bucket with
	// the bucket's candidates.
	withNull, incN := beam.ParDo2(s.Scope("null"), &nullFn{Params: p}, beam.CoGroupByKey(s, nullW, sideB))

	// Per layer.
	acc := beam.CombinePerKey(s.Scope("finalize"), layerAccFn{}, beam.Flatten(s, incA, incS, incP, incN))
	edges, sums, evs := beam.ParDo3(s.Scope("finalize"), &finalizeFn{Params: p}, beam.CoGroupByKey(s, withNull, acc), beam.SideInput{Input: info})

	// Evidence rows: object label, both posts.
	lab := beam.ParDo(s.Scope("evidence"), labelFn, beam.CoGroupByKey(s, evs, labels))
	halves := beam.ParDo(s.Scope("evidence"), postJoinFn, beam.CoGroupByKey(s, lab, infos))
	rows := beam.ParDo(s.Scope("evidence"), mergeHalvesFn, beam.GroupByKey(s, halves))

	always := beam.ParDo(s, startWriter, beam.Impulse(s))
	beam.ParDo0(s.Scope("write"), wr, beam.CoGroupByKey(s, edges, beam.Flatten(s, sums, always), rows))
	return nil
}

// explodeFn sends each kept post to its layers: to its account (per
// layer), the layer's start time, the hot-key counts and the evidence
// post table.
type explodeFn struct {
	Params Params
}

func (fn *explodeFn) ProcessElement(p Post, emitLP func(string, LayerPost), emitT func(int, int64), emitKS func(string, KeyStat), emitInfo func(string, PostInfo)) {
	emitInfo(p.Key, p.Info)
	for _, l := range fn.Params.Layers {
		var objs []string
		for _, o := range p.Objs {
			if o.Layer == l {
				objs = append(objs, o.Key)
				if fn.Params.HotKeyPosts > 0 {
					emitKS(objectKey(l, o.Key), KeyStat{N: 1, Min: p.Key})
				}
			}
		}
		if len(objs) == 0 {
			continue
		}
		emitLP(layerKey(l, p.Acct), LayerPost{Key: p.Key, T: p.Info.T, Lang: p.Lang, Objs: objs})
		emitT(int(l), p.Info.T)
	}
}

func minInt64(a, b int64) int64 { return min(a, b) }

// labelKeyFn keys an object's first sighting by (layer, ordinal) for the
// evidence labels.
func labelKeyFn(k string, s Sighting) (string, string) { return layerKey(k[0], ordKey(s.Ord)), s.Label }

// hotFn keeps the objects with more actions than HotKeyPosts, with their
// ordinal: the first post for corpus-ordered layers, else the first
// sighting.
type hotFn struct {
	Params Params
}

func (fn *hotFn) ProcessElement(k string, ks func(*KeyStat) bool, sights func(*Sighting) bool, emit func(string, HotKey)) {
	var st KeyStat
	if !ks(&st) || st.N <= int64(fn.Params.HotKeyPosts) {
		return
	}
	h := HotKey{Ord: st.Min}
	if !corpusOrdered(model.Layer(k[0])) {
		var s Sighting
		if !sights(&s) {
			panic("BUG: hot object without a sighting")
		}
		h.Ord, h.Label = ordKey(s.Ord), s.Label
	}
	emit(k, h)
}

func hotAcctOne(k string) (string, int64) { return k[8:], 1 }

func hotAcctsFn(k string, hs func(*HotKey) bool, counts func(*int64) bool, emit func(string, HotKey)) {
	var h HotKey
	if !hs(&h) {
		return
	}
	counts(&h.Accts)
	emit(k, h)
}

type firstLayerFn struct {
	Layer uint8
}

func (fn *firstLayerFn) ProcessElement(k string, _ Sighting, emit func(string)) {
	if k[0] == fn.Layer {
		emit(k)
	}
}

func startWriter(_ []byte, emit func(int, string)) { emit(0, "") }
