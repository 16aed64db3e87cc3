package detect

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/pipeline"
)

// Evaluate re-tests significance on the current horizon, clusters the
// significant network and returns the result. Result.New holds the
// clusters significant now that no earlier Evaluate reported (and, when
// cfg.Event.T0 is set, with a co-action at or after T0); a cluster keeps
// its ID while its membership overlaps an earlier one's (Jaccard >= 0.5).
// Add waits while Evaluate runs.
func (d *Detector) Evaluate(ctx context.Context, now time.Time) (Result, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	start := time.Now()
	d.evals++
	res := Result{At: now, Posts: d.held, Accounts: len(d.acctIDs), Dropped: d.dropped}
	if d.held > 0 {
		res.Horizon = [2]time.Time{time.UnixMilli(d.byTime.min().t).UTC(), time.UnixMilli(d.maxT).UTC()}
	}
	evals, err := d.significance(ctx)
	if err != nil {
		return d.last, err
	}
	corr := d.corroborate(ctx, evals)
	if err := ctx.Err(); err != nil {
		return d.last, err
	}
	for li, ev := range evals {
		ev.stat.Corroborated = len(corr[li])
		res.Layers = append(res.Layers, ev.stat)
	}
	found := d.network(evals, corr)
	d.describe(found)
	res.Clusters, res.New = d.ids.assign(found, d.t0, d.acctKey, d.acctName)
	res.EvalMillis = time.Since(start).Milliseconds()
	d.last = res
	return res, nil
}

// corroborate runs the batch engine's group and membership tests
// (pipeline.TestGroups, same parameters: docs/engine.md, "Corroborated
// groups" and "Corroborated members") on the evaluation's candidate edges
// and returns, per layer, the edges they add to the network (edge index ->
// "group N" or "member"). Weak ties of a planted group that no pair test
// can separate from chance (weight 2-3 at a large horizon) are found the
// same way as in a batch run.
func (d *Detector) corroborate(ctx context.Context, evals []layerEval) []map[int]string {
	res := &coord.Result{Layers: make([]coord.LayerResult, len(evals))}
	for li := range evals {
		res.Layers[li] = coord.LayerResult{Layer: evals[li].layer, Edges: evals[li].edges}
	}
	pipeline.TestGroups(ctx, res, &d.cfg)
	out := make([]map[int]string, len(evals))
	for li := range res.Layers {
		out[li] = res.Layers[li].Corroborated()
	}
	return out
}

// significance computes every layer's candidates with P and Q.
func (d *Detector) significance(ctx context.Context) ([]layerEval, error) {
	p := &d.params
	evals := make([]layerEval, len(d.layers))
	nms := make([]*nullModel, len(d.layers))
	// Candidate accounts per layer need their posts per block.
	mark := make([][]bool, len(d.layers))
	for li, s := range d.layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ev := &evals[li]
		ev.layer = s.layer
		ev.pairs = int64(s.pairs.Len())
		ev.edges = s.candidates(p)
		ev.stat = LayerStat{Layer: s.layer.String(), Actions: s.actions, Pairs: s.pairs.Len()}
		if p.Permutations == 0 || len(ev.edges) == 0 {
			continue
		}
		minT, maxT := int64(math.MaxInt64), int64(math.MinInt64)
		for _, r := range s.runs {
			if len(r) > 0 {
				minT = min(minT, r[0].t)
				maxT = max(maxT, r[len(r)-1].t)
			}
		}
		bms := coord.NullBlockMs(p, s.window)
		nm := &nullModel{minT: minT, blockMs: bms, nb: int((maxT-minT)/bms) + 1, memo: map[uint64]float64{}}
		nm.posts = make([]float64, nm.nb)
		nms[li] = nm
		m := make([]bool, len(d.acctKey))
		for _, e := range ev.edges {
			m[e.A], m[e.B] = true, true
		}
		mark[li] = m
	}
	// One pass over the held posts: posts per block, and the block
	// profiles of candidate accounts.
	entries := make([][]uint64, len(d.layers))
	for i := range d.posts {
		ps := &d.posts[i]
		if ps.seq == 0 {
			continue
		}
		var done uint64
		for _, h := range ps.objs {
			li := int(h.layer)
			nm := nms[li]
			if nm == nil || done&(1<<li) != 0 {
				continue
			}
			done |= 1 << li
			b := (ps.t - nm.minT) / nm.blockMs
			nm.posts[b]++
			if mark[li][ps.acct] {
				entries[li] = append(entries[li], uint64(ps.acct)<<32|uint64(b))
			}
		}
	}
	permute := d.permutePlan(nms)
	for li, s := range d.layers {
		nm := nms[li]
		if nm == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.buildClasses(nm)
		profiles := buildProfiles(entries[li], len(d.acctKey))
		ev := &evals[li]
		prior := 0.5 / float64(p.Permutations)
		for i := range ev.edges {
			e := &ev.edges[i]
			lam := nm.lambda(profiles[e.A], profiles[e.B]) + prior
			e.P = coord.PoissonTail(int(e.Objects), lam)
			e.Q = e.P
		}
		coord.BenjaminiHochberg(ev.edges, float64(ev.pairs))
		if permute[li] {
			s.permute(d, li, nm, &d.nulls[li], d.nulls[li].n)
		}
		fdr := s.strataFDR(&d.nulls[li])
		for i := range ev.edges {
			s.stratumQ(&ev.edges[i], fdr)
		}
		for i := range ev.edges {
			if ev.edges[i].Q <= p.Alpha {
				ev.stat.Significant++
			}
		}
	}
	for li := range evals {
		ev := &evals[li]
		if p.Permutations == 0 {
			for i := range ev.edges {
				ev.edges[i].P, ev.edges[i].Q = 1, 1
			}
		}
	}
	return evals, nil
}

// buildProfiles turns (account<<32 | block) entries into per-account
// block counts.
func buildProfiles(entries []uint64, numAccounts int) []profile {
	slices.Sort(entries)
	out := make([]profile, numAccounts)
	for i := 0; i < len(entries); {
		j := i
		for j < len(entries) && entries[j] == entries[i] {
			j++
		}
		a := uint32(entries[i] >> 32)
		out[a] = append(out[a], blockCount{b: int32(uint32(entries[i])), n: uint32(j - i)})
		i = j
	}
	return out
}

// permutePlan chooses the layers that run a null permutation in this
// Evaluate (see permBudget).
func (d *Detector) permutePlan(nms []*nullModel) []bool {
	plan := make([]bool, len(d.layers))
	budget := int64(permBudget)
	for li, s := range d.layers {
		if nms[li] != nil && d.nulls[li].n == 0 {
			plan[li] = true
			budget -= s.rawPairs
		}
	}
	for k := range d.layers {
		li := (d.permNext + k) % len(d.layers)
		if nms[li] == nil || plan[li] || d.nulls[li].version == d.layers[li].version {
			// Unchanged since its last permutation: the running null stays,
			// so re-evaluating unchanged state gives the same answer.
			continue
		}
		if budget <= 0 {
			d.permNext = li
			return plan
		}
		plan[li] = true
		budget -= d.layers[li].rawPairs
	}
	return plan
}
