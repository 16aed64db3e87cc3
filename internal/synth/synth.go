// Package synth generates a synthetic event: organic posts around an
// event time T0 with a daily rhythm, heavy-tailed activity and an organic
// reaction, plus planted coordinated groups, media outlets, archival
// re-shares and hashtag hijacking, and writes the posts (generic JSONL) and
// their ground-truth labels. docs/synth.md describes the model.
//
// The output depends only on Params (not on Workers or the machine): the
// same seed gives byte-identical files.
package synth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// errTooFewAccounts reports that groups do not fit into the accounts.
func errTooFewAccounts(n int) error {
	return fmt.Errorf("%w: %d accounts are too few for the planted groups (raise --accounts or --posts, or lower --groups / --group-max)", ErrParams, n)
}

// Result summarises one generation.
type Result struct {
	Posts    int
	Accounts int
	Groups   int
	Planted  int
	Elapsed  time.Duration
}

func unixUTC(t int64) time.Time { return time.Unix(t, 0).UTC() }

// Generate builds the event described by p and writes the posts to
// postsPath (gzip when it ends in .gz) and the labels to labelsPath, each
// atomically. log may be nil.
func Generate(ctx context.Context, p Params, postsPath, labelsPath string, log *slog.Logger) (Result, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	began := time.Now()
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	g, err := build(p)
	if err != nil {
		return Result{}, err
	}
	log.Info("synth: generated", "posts", len(g.recs), "elapsed", time.Since(began))
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if err := g.writePosts(ctx, postsPath, strings.HasSuffix(postsPath, ".gz")); err != nil {
		return Result{}, err
	}
	if err := writeLabels(labelsPath, g.lab); err != nil {
		return Result{}, err
	}
	return Result{Posts: len(g.recs), Accounts: g.acc.n, Groups: len(g.groups),
		Planted: len(g.lab.PlantedAccounts), Elapsed: time.Since(began)}, nil
}

// build runs the whole model in memory and fills the labels. p must be
// validated.
func build(p Params) (*generator, error) {
	g := &generator{p: p}
	g.rng = rand.New(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15))
	g.t0 = p.T0.Unix()
	g.tclaim = p.TClaim.Unix()
	g.start = g.t0 - int64(p.PreDays)*86400
	g.end = g.t0 + int64(p.PostDays)*86400
	g.place = pickPlace(p.Place, g.rng)

	m := p.Accounts
	g.acc = g.newAccounts(m)
	perm := make([]int32, m)
	for i, v := range g.rng.Perm(m) {
		perm[i] = int32(v)
	}
	nHyper := p.Hyperactive
	if nHyper == 0 {
		nHyper = max(5, m/1000)
	}
	nOut := 2 + g.rng.IntN(3)
	nHij := max(30, m/15)
	if nHyper+nOut+nHij >= m/2 {
		return nil, errTooFewAccounts(m)
	}
	hyper := perm[:nHyper]
	outletAccts := perm[nHyper : nHyper+nOut]
	hijackers := perm[nHyper+nOut : nHyper+nOut+nHij]
	free := perm[nHyper+nOut+nHij:]
	for _, a := range hyper {
		g.acc.role[a] = roleHyper
		if g.acc.lean[a] == orSupportive {
			g.acc.lean[a] = orNeutral
		}
	}
	for _, a := range hijackers {
		g.acc.role[a] = roleHijacker
		g.acc.lean[a] = orOpposing
	}
	for _, a := range outletAccts {
		g.acc.role[a] = roleOutlet
	}
	// groups take at most half of the remaining accounts
	if _, err := g.plantGroups(free[:len(free)/2]); err != nil {
		return nil, err
	}

	// activity weights
	est := float64(p.Posts) * p.Noise
	hp := float64(min(2000, 200+p.Posts/2000))
	rest := 0.0
	for i := range m {
		switch g.acc.role[i] {
		case rolePlanted:
			g.acc.weight[i] *= p.Overlap
		case roleOutlet:
			g.acc.weight[i] = 0
		}
		if g.acc.role[i] != roleHyper {
			rest += g.acc.weight[i]
		}
	}
	share := math.Min(0.3, float64(nHyper)*hp/est)
	hw := share * rest / (1 - share) / float64(nHyper)
	for _, a := range hyper {
		g.acc.weight[a] = hw
	}
	g.all = newPicker(g.acc.weight, nil)
	var sw, saw []float64
	var si, sai []int32
	for i := range m {
		if g.acc.lean[i] != orSupportive || g.acc.role[i] == roleOutlet {
			continue
		}
		w := math.Max(g.acc.weight[i], 0.05)
		sai, saw = append(sai, int32(i)), append(saw, w)
		if g.acc.role[i] == roleOrganic {
			si, sw = append(si, int32(i)), append(sw, w)
		}
	}
	if len(si) == 0 {
		return nil, errTooFewAccounts(m)
	}
	g.support = newPicker(sw, si)
	g.suppAll = newPicker(saw, sai)
	g.setupBins()
	g.setupOrganicPools()

	for _, gs := range g.groups {
		g.runGroup(gs)
	}
	g.plantOutlets(outletAccts)
	g.plantArchival()
	g.echoAndHijack(hijackers)
	special := len(g.recs)
	organic := int(math.Round(p.Noise * float64(max(0, p.Posts-special))))
	g.recs = slices.Grow(g.recs, organic)
	g.genOrganic(organic)

	rank := g.sortByTime()
	g.lab = g.labels(rank, hyper, hijackers, outletAccts, special)
	return g, nil
}

func pickPlace(name string, r *rand.Rand) place {
	if name == "" {
		return places[r.IntN(len(places))]
	}
	for _, p := range places {
		if strings.EqualFold(name, p.en) || strings.EqualFold(name, p.fr) || strings.EqualFold(name, p.tag) {
			return p
		}
	}
	tag := strings.Map(func(c rune) rune {
		if c == ' ' || c == '-' || c == '\'' {
			return -1
		}
		return c
	}, name)
	return place{en: name, ar: name, fr: name, tag: tag}
}

// sortByTime orders recs by time (stable: ties keep generation order) with
// a counting sort over seconds, rewrites refs to ranks, and returns the
// rank of each generation index.
func (g *generator) sortByTime() []int32 {
	span := g.end - g.start
	cnt := make([]int32, span+1)
	for i := range g.recs {
		off := g.recs[i].t - g.start
		if off < 0 || off >= span {
			panic(fmt.Sprintf("BUG: synth post %d at %d outside [%d,%d)", i, g.recs[i].t, g.start, g.end))
		}
		cnt[off+1]++
	}
	for i := 1; i < len(cnt); i++ {
		cnt[i] += cnt[i-1]
	}
	rank := make([]int32, len(g.recs))
	for i := range g.recs {
		off := g.recs[i].t - g.start
		rank[i] = cnt[off]
		cnt[off]++
	}
	cnt = nil
	sorted := make([]rec, len(g.recs))
	for i := range g.recs {
		r := g.recs[i]
		if r.ref >= 0 {
			r.ref = rank[r.ref]
		}
		sorted[rank[i]] = r
	}
	g.recs = sorted
	return rank
}

var errEmpty = errors.New("no posts generated")
