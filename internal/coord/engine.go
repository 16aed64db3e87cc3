// Package coord is the coordination engine: for each layer of the
// multiplex co-action network it collects actions (account, object, time),
// sweeps each object's time-sorted actions for account pairs within the
// window, aggregates them into edges with evidence, and scores each edge
// against a permutation null model (docs/engine.md).
package coord

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/hashtab"
	"github.com/chorus-osint/chorus/internal/model"
)

// DefaultMaxPairs is the pair budget when Params.MaxPairs is zero (the
// config's default is declared in internal/config).
const DefaultMaxPairs = 8_000_000

// nullSamplePairs bounds the pairs whose null weights are histogrammed per
// permutation (above it a uniform hash sample of pairs, scaled up, stands
// for all; docs/engine.md, "Memory and work").
const nullSamplePairs = 1_000_000

// ErrParams marks invalid engine parameters.
var ErrParams = errors.New("invalid engine parameters")

// Params configure the engine. The config package fills them from the one
// Config; defaults are declared there.
type Params struct {
	// Layers to compute.
	Layers []model.Layer
	// Window per layer (inclusive maximum gap between two posts).
	Window [model.NumLayers]time.Duration
	// MinWeight is the minimum number of distinct objects for an edge.
	MinWeight int
	// MinParticipation is the minimum number of objects an account must
	// have co-acted on (with anyone) in the layer.
	MinParticipation int
	// MaxPartners bounds how many later posts in the same object-window
	// each post is paired with.
	MaxPartners int
	// MaxLayerPairs bounds the post pairs examined per layer (0: no
	// bound): when the layer's busy object-windows would exceed it, the
	// partner bound of that layer is lowered until they fit (partnerCap),
	// for the observed pass and the null alike, and the lowered bound is
	// reported (LayerResult.MaxPartners).
	MaxLayerPairs int64
	// IDF weights each object by log(accounts / accounts acting on it).
	IDF bool
	// MinHashtagSeq is the minimum number of hashtags for the
	// hashtag-sequence layer.
	MinHashtagSeq int
	// Permutations of the null model per layer (0 disables significance).
	Permutations int
	// NullBlock is the time stratum within which the null shuffles times.
	NullBlock time.Duration
	// NullByLanguage keeps each account's languages in the null: accounts
	// are shuffled only among posts of the same language (docs/engine.md).
	NullByLanguage bool
	// EvergreenBlocks: an object seen in at least this many null blocks is
	// evergreen, and the null shuffles the posts on evergreen objects
	// among themselves within each block, keeping each account's taste
	// for popular, long-running objects (0: off; docs/engine.md).
	EvergreenBlocks int
	// Seed seeds the null model.
	Seed uint64
	// Alpha is the q-value threshold for significance.
	Alpha float64
	// MaxEvidence is how many co-actions are kept per edge.
	MaxEvidence int
	// MaxPairs bounds the account pairs held in memory at once per layer:
	// above it the observed pass runs in hash partitions of the pairs, and
	// the null estimates its weight histogram from one partition.
	MaxPairs int
	// Workers bounds parallelism (0: GOMAXPROCS).
	Workers int

	nearDup *NearDup
	// imageObj maps media IDs to image objects (near-identical images
	// share one); nil means every media key is its own object.
	imageObj   []uint32
	numImageOb int
}

// SetImageObjects supplies the media ID → image object map for the image
// layer (computed by the caller with media.Groups).
func (p *Params) SetImageObjects(obj []uint32, n int) { p.imageObj, p.numImageOb = obj, n }

// SetNearDup supplies the near-duplicate text clusters for the near_text
// layer (computed by the caller with NearDuplicates).
func (p *Params) SetNearDup(nd *NearDup) { p.nearDup = nd }

// Validate checks the parameters.
func (p *Params) Validate() error {
	if p.MinWeight < 1 {
		return fmt.Errorf("%w: min weight must be >= 1", ErrParams)
	}
	if p.MaxPairs == 0 {
		p.MaxPairs = DefaultMaxPairs
	}
	if p.MaxPairs < 1024 {
		return fmt.Errorf("%w: max pairs must be >= 1024", ErrParams)
	}
	if p.MaxPartners < 1 {
		return fmt.Errorf("%w: max partners must be >= 1", ErrParams)
	}
	if p.MaxLayerPairs < 0 {
		return fmt.Errorf("%w: max layer pairs must be >= 0", ErrParams)
	}
	for _, l := range p.Layers {
		if p.Window[l] < 0 {
			return fmt.Errorf("%w: window of %s is negative", ErrParams, l)
		}
	}
	if p.Permutations > 0 && p.NullBlock <= 0 {
		return fmt.Errorf("%w: null block must be positive", ErrParams)
	}
	if p.EvergreenBlocks < 0 {
		return fmt.Errorf("%w: evergreen blocks must be >= 0", ErrParams)
	}
	if p.Alpha <= 0 || p.Alpha >= 1 {
		return fmt.Errorf("%w: alpha must be in (0,1)", ErrParams)
	}
	return nil
}

// LayerResult is one layer's output.
type LayerResult struct {
	Layer    model.Layer
	WindowMs int64
	// Actions is the number of (account, object, post) actions on objects
	// touched by two or more posts; Objects the objects with co-actions.
	Actions  int
	Objects  int64
	Accounts int
	// Pairs is the number of distinct account pairs with at least one
	// co-action (the number of hypotheses for BH).
	Pairs int64
	// Edges are pairs with weight >= MinWeight whose accounts meet
	// MinParticipation, sorted by (A, B).
	Edges []model.Edge
	// Significant counts edges with Q <= Alpha.
	Significant int
	// RawPairs and Truncated describe the bounded sweep.
	RawPairs, Truncated int64
	// MaxPartners is the partner bound the layer ran with: Params'
	// MaxPartners, or lower when MaxLayerPairs required it.
	MaxPartners int
	// Permutations actually run.
	Permutations int
	// Partitions is the number of hash partitions of the pairs (1: all
	// pairs in memory at once).
	Partitions int
	// PercentileWeight is the 99th percentile of edge weights among all
	// pairs (the CooRTweet/CooRnet-style cut, reported as a sensitivity
	// check); OverPercentile counts candidate edges above it.
	PercentileWeight float64
	OverPercentile   int
	Elapsed          time.Duration
	NullElapsed      time.Duration
	// Groups is the layer's group test (TestGroups; nil when not run).
	Groups *GroupTest
	// Members are the accounts corroborated as members of the layer's
	// significant structures (TestMembers).
	Members []Member
}

// Result is the engine's output for all layers.
type Result struct {
	Layers []LayerResult
}

// Run computes every configured layer. Layers run concurrently up to
// Workers; each layer's null model also parallelises its permutations.
func Run(ctx context.Context, c *corpus.Corpus, p Params, log *slog.Logger) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	workers := p.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	res := &Result{Layers: make([]LayerResult, len(p.Layers))}
	for i, l := range p.Layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		start := time.Now()
		lr := runLayer(ctx, c, l, &p, workers)
		lr.Elapsed = time.Since(start)
		res.Layers[i] = lr
		log.Info("layer done", "layer", l.String(), "edges", len(lr.Edges), "significant", lr.Significant, "pairs", lr.Pairs, "post_pairs", lr.RawPairs, "max_partners", lr.MaxPartners, "elapsed", lr.Elapsed.Round(time.Millisecond))
		if lr.MaxPartners < p.MaxPartners {
			log.Warn("layer partner bound lowered to hold the post-pair budget", "layer", l.String(), "max_partners", lr.MaxPartners, "max_layer_pairs", p.MaxLayerPairs, "post_pairs_truncated", lr.Truncated)
		}
	}
	return res, ctx.Err()
}

// runLayer computes one layer: observed edges, then significance.
func runLayer(ctx context.Context, c *corpus.Corpus, l model.Layer, p *Params, workers int) LayerResult {
	w := p.Window[l].Milliseconds()
	lr := LayerResult{Layer: l, WindowMs: w, MaxPartners: p.MaxPartners}
	acts := collectActions(c, l, p)
	lr.Actions = len(acts.A)
	if len(acts.A) == 0 {
		return lr
	}
	// Bounded work: lower this layer's partner bound if its post pairs
	// would exceed the budget; every sweep below (observed, evidence,
	// null) uses the same bound, so the null stays comparable.
	lp := *p
	lp.MaxPartners, _ = partnerCap(&acts, w, p.MaxPartners, p.MaxLayerPairs)
	lr.MaxPartners = lp.MaxPartners
	p = &lp
	sw := newSweeper(w, p.MaxPartners, c.NumAccounts(), true)
	sw.done = ctx.Done()
	sw.count(&acts)
	lr.RawPairs, lr.Truncated, lr.Objects = sw.stats.RawPairs, sw.stats.Truncated, sw.stats.Objects
	// Distinct pairs are at most the post pairs; above the budget the
	// pairs are processed in hash partitions, one at a time (exact).
	parts := int(max(1, (lr.RawPairs+int64(p.MaxPairs)-1)/int64(p.MaxPairs)))
	lr.Partitions = parts
	var idf []float64
	if p.IDF {
		idf = objectIDF(&acts, c.NumAccounts())
	}
	cnt := activity(&acts, c.NumAccounts())
	var obsHist []int64
	if p.Permutations > 0 {
		obsHist = make([]int64, numStrata*histCap)
	}
	hist := make([]int64, 1<<12)
	for _, o := range observeParts(ctx, &acts, sw.participation, p, l, cnt, idf, c.NumAccounts(), lr.RawPairs, parts, workers, obsHist != nil) {
		lr.Pairs += o.pairs
		lr.Edges = append(lr.Edges, o.edges...)
		for i, v := range o.obsHist {
			obsHist[i] += v
		}
		for i, v := range o.hist {
			hist[i] += v
		}
	}
	if parts > 1 {
		slices.SortFunc(lr.Edges, func(x, y model.Edge) int {
			if x.A != y.A {
				return cmp.Compare(x.A, y.A)
			}
			return cmp.Compare(x.B, y.B)
		})
	}
	lr.PercentileWeight = histPercentile(hist, lr.Pairs, 0.99)
	// The null's weight histogram (the stratum FDR) is estimated from a
	// hash sample of at most nullSamplePairs pairs per permutation: the
	// candidates' own null counts stay exact, and the sample keeps each
	// permutation's table small enough to stay in cache.
	nullParts := int(max(int64(parts), (lr.Pairs+nullSamplePairs-1)/nullSamplePairs))
	pairsHint := int(min(lr.Pairs/int64(nullParts)+1, int64(p.MaxPairs)))
	lr.Accounts = countActive(&acts, c.NumAccounts())
	for i := range lr.Edges {
		if lr.Edges[i].Weight > lr.PercentileWeight {
			lr.OverPercentile++
		}
	}
	if p.Permutations > 0 && len(lr.Edges) > 0 {
		start := time.Now()
		significance(ctx, &acts, &lr, p, cnt, obsHist, pairsHint, nullParts, workers, postLanguages(c, p))
		lr.NullElapsed = time.Since(start)
		lr.Permutations = p.Permutations
	} else {
		for i := range lr.Edges {
			lr.Edges[i].P, lr.Edges[i].Q = 1, 1
		}
	}
	for i := range lr.Edges {
		if lr.Edges[i].Q <= p.Alpha {
			lr.Significant++
		}
	}
	return lr
}

// postLanguages returns the language key of each post for the null's
// classes (nil when NullByLanguage is off).
func postLanguages(c *corpus.Corpus, p *Params) func(post uint32) uint64 {
	if !p.NullByLanguage {
		return nil
	}
	keys := make([]uint64, c.Langs.Len())
	for i, k := range c.Langs.Keys() {
		keys[i] = LanguageKey(k)
	}
	none := LanguageKey("")
	return func(post uint32) uint64 {
		if l := c.Lang[post]; int(l) < c.Langs.Len() {
			return keys[l]
		}
		return none
	}
}

// partOut is one hash partition's share of the observed pass.
type partOut struct {
	edges         []model.Edge
	pairs         int64
	obsHist, hist []int64
}

// observeParts runs the observed pass (pairs, candidates, evidence) of
// each hash partition of the account pairs, up to workers partitions at a
// time, each with its own sweeper and pair table (so memory grows to
// workers tables of RawPairs/parts pairs). Results are per partition, in
// partition order: the same whatever the scheduling.
func observeParts(ctx context.Context, acts *actions, participation []uint32, p *Params, l model.Layer, cnt []uint32, idf []float64, numAccounts int, rawPairs int64, parts, workers int, strata bool) []partOut {
	outs := make([]partOut, parts)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, parts) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			psw := newSweeper(p.Window[l].Milliseconds(), p.MaxPartners, numAccounts, false)
			psw.done = ctx.Done()
			for {
				part := int(next.Add(1) - 1)
				if part >= parts || ctx.Err() != nil {
					return
				}
				o := &outs[part]
				tab := hashtab.New[obsPair](int(min(rawPairs/int64(parts)+1, int64(p.MaxPairs))))
				psw.observe(acts, tab, part, parts)
				o.pairs = int64(tab.Len())
				o.hist = make([]int64, 1<<12)
				if strata {
					o.obsHist = make([]int64, numStrata*histCap)
				}
				o.edges = candidates(tab, participation, p, l, cnt, o.obsHist, o.hist)
				psw.evidence(acts, tab, o.edges, p, idf, part, parts)
			}
		}()
	}
	wg.Wait()
	return outs
}

// activity counts each account's actions in the layer.
func activity(acts *actions, numAccounts int) []uint32 {
	cnt := make([]uint32, numAccounts)
	for _, a := range acts.A {
		cnt[a.Acct]++
	}
	return cnt
}

func countActive(acts *actions, numAccounts int) int {
	seen := make([]bool, numAccounts)
	n := 0
	for _, a := range acts.A {
		if !seen[a.Acct] {
			seen[a.Acct] = true
			n++
		}
	}
	return n
}
