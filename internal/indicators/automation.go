package indicators

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/chorus-osint/chorus/internal/ids"
)

// Automation is the staggered-automation indicator: the same (or
// near-identical) text posted by many accounts one after another at
// regular intervals.
type Automation struct {
	// Runs is the number of regular runs found before merging.
	Runs   int              `json:"runs"`
	Groups []AutoGroup      `json:"groups"`
	Params AutomationParams `json:"params"`
	Notes  []string         `json:"notes"`
}

// AutoGroup is a set of regular runs sharing accounts.
type AutoGroup struct {
	// Text is the text of the group's largest run; Texts up to five
	// distinct texts of its runs.
	Text     string   `json:"text"`
	Texts    []string `json:"texts"`
	Accounts []string `json:"accounts"`
	Handles  []string `json:"handles"`
	Posts    int      `json:"posts"`
	Runs     int      `json:"runs"`
	// MedianGapS is the median inter-arrival gap over all runs; CV the
	// post-weighted mean of the runs' coefficients of variation of gaps.
	MedianGapS float64 `json:"median_gap_s"`
	CV         float64 `json:"cv"`
	// PPoisson is the Monte-Carlo probability that Poisson (memoryless)
	// posting of the largest run's size gives a CV this low or lower.
	PPoisson float64   `json:"p_poisson"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
	AfterT0  bool      `json:"after_t0"`
	Clients  []ClientN `json:"clients"`
}

// ClientN is a posting client and its post count.
type ClientN struct {
	Client string `json:"client"`
	Posts  int    `json:"posts"`
}

// autoRun is one regular run of one text.
type autoRun struct {
	posts []uint32
	accts []uint32 // distinct, sorted
	gaps  []float64
	cv    float64
}

func (s *state) automation() Automation {
	a := Automation{Groups: []AutoGroup{}, Params: s.p.automationParams(), Notes: []string{}}
	s.textIdentity()
	c := s.c
	maxGap, minGap := ms(s.p.AutoMaxGap), float64(ms(s.p.AutoMinGap))
	var runs []autoRun
	var gaps []float64
	for k := 0; k < s.numText; k++ {
		all := s.textRun(k)
		if len(all) < s.p.AutoMinPosts {
			continue
		}
		for lo := 0; lo < len(all); {
			hi := lo + 1
			for hi < len(all) && c.Time[all[hi]]-c.Time[all[hi-1]] <= maxGap {
				hi++
			}
			seg := all[lo:hi]
			lo = hi
			if len(seg) < s.p.AutoMinPosts {
				continue
			}
			gaps = gaps[:0]
			for j := 1; j < len(seg); j++ {
				gaps = append(gaps, float64(c.Time[seg[j]]-c.Time[seg[j-1]]))
			}
			mean, sd := meanSD(gaps)
			if !(mean > 0) || math.IsNaN(sd) {
				continue
			}
			cv := sd / mean
			if cv > s.p.AutoMaxCV || medianOf(gaps) < minGap {
				continue
			}
			accts := make([]uint32, len(seg))
			for j, p := range seg {
				accts[j] = c.Account[p]
			}
			slices.Sort(accts)
			accts = slices.Compact(accts)
			if len(accts) < s.p.AutoMinAccounts {
				continue
			}
			runs = append(runs, autoRun{posts: seg, accts: accts, gaps: slices.Clone(gaps), cv: cv})
		}
	}
	a.Runs = len(runs)
	if len(runs) == 0 {
		if s.n > 0 {
			a.Notes = append(a.Notes, "no regular runs of one text by several accounts")
		} else {
			a.Notes = append(a.Notes, "no posts")
		}
		return a
	}
	groups := mergeRuns(runs)
	rng := newRand(s.p.Seed, 9)
	for _, g := range groups {
		a.Groups = append(a.Groups, s.autoGroup(runs, g, rng))
	}
	slices.SortFunc(a.Groups, func(x, y AutoGroup) int {
		if len(x.Accounts) != len(y.Accounts) {
			return len(y.Accounts) - len(x.Accounts)
		}
		if x.Posts != y.Posts {
			return y.Posts - x.Posts
		}
		return x.First.Compare(y.First)
	})
	if len(a.Groups) > s.p.TopItems {
		a.Groups = a.Groups[:s.p.TopItems]
	}
	return a
}

// mergeRuns groups runs that share at least two accounts, or half the
// accounts of the smaller run (union-find); groups come in order of their
// first run.
func mergeRuns(runs []autoRun) [][]int {
	parent := make([]int, len(runs))
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	type ar struct {
		acct uint32
		run  int
	}
	var pairs []ar
	for r, run := range runs {
		for _, a := range run.accts {
			pairs = append(pairs, ar{a, r})
		}
	}
	slices.SortFunc(pairs, func(x, y ar) int {
		if x.acct != y.acct {
			return cmp.Compare(x.acct, y.acct)
		}
		return x.run - y.run
	})
	shared := map[uint64]int{}
	const maxRunsPerAccount = 64
	for j := 0; j < len(pairs); {
		k := j
		for k < len(pairs) && pairs[k].acct == pairs[j].acct {
			k++
		}
		rs := pairs[j:min(k, j+maxRunsPerAccount)]
		for x := range rs {
			for y := x + 1; y < len(rs); y++ {
				shared[uint64(rs[x].run)<<32|uint64(rs[y].run)]++
			}
		}
		j = k
	}
	keys := make([]uint64, 0, len(shared))
	for k := range shared {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		x, y := int(k>>32), int(uint32(k))
		n := shared[k]
		small := min(len(runs[x].accts), len(runs[y].accts))
		if n >= 2 || 2*n >= small {
			rx, ry := find(x), find(y)
			if rx != ry {
				parent[max(rx, ry)] = min(rx, ry)
			}
		}
	}
	idx := map[int]int{}
	var out [][]int
	for r := range runs {
		root := find(r)
		g, ok := idx[root]
		if !ok {
			g = len(out)
			idx[root] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], r)
	}
	return out
}

func (s *state) autoGroup(runs []autoRun, members []int, rng *rand.Rand) AutoGroup {
	c := s.c
	g := AutoGroup{Texts: []string{}, Accounts: []string{}, Handles: []string{}, Clients: []ClientN{}, Runs: len(members)}
	var accts []uint32
	var gaps []float64
	var cvw float64
	largest := members[0]
	clients := map[uint32]int{}
	first, last := int64(math.MaxInt64), int64(math.MinInt64)
	for _, r := range members {
		run := &runs[r]
		accts = append(accts, run.accts...)
		gaps = append(gaps, run.gaps...)
		g.Posts += len(run.posts)
		cvw += run.cv * float64(len(run.posts))
		if len(run.posts) > len(runs[largest].posts) {
			largest = r
		}
		for _, p := range run.posts {
			if cl := c.Client[p]; cl != ids.None {
				clients[cl]++
			}
			first, last = min(first, c.Time[p]), max(last, c.Time[p])
		}
		if t := truncRunes(c.Text.At(int(run.posts[0])), 500); len(g.Texts) < 5 && !slices.Contains(g.Texts, t) {
			g.Texts = append(g.Texts, t)
		}
	}
	g.Text = truncRunes(c.Text.At(int(runs[largest].posts[0])), 500)
	slices.Sort(accts)
	accts = slices.Compact(accts)
	for _, a := range accts {
		g.Accounts = append(g.Accounts, c.AccountID(a))
		g.Handles = append(g.Handles, c.AccountHandle[a])
	}
	g.MedianGapS = medianOf(gaps) / 1000
	g.CV = cvw / float64(g.Posts)
	g.PPoisson = poissonCVProb(rng, len(runs[largest].gaps), runs[largest].cv, 1000)
	g.First, g.Last, g.AfterT0 = msTime(first), msTime(last), first >= s.t0
	for cl, n := range clients {
		g.Clients = append(g.Clients, ClientN{c.Clients.Key(cl), n})
	}
	slices.SortFunc(g.Clients, func(a, b ClientN) int {
		if a.Posts != b.Posts {
			return b.Posts - a.Posts
		}
		return cmp.Compare(a.Client, b.Client)
	})
	return g
}

// medianOf returns the median of xs (reordered), NaN when empty.
func medianOf(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	slices.Sort(xs)
	return quantile(xs, 0.5)
}

// poissonCVProb estimates P(CV of n exponential gaps <= cv) from b draws,
// with the add-one rule so it is never 0.
func poissonCVProb(rng *rand.Rand, n int, cv float64, b int) float64 {
	if n < 2 {
		return 1
	}
	g := make([]float64, n)
	hit := 0
	for range b {
		for j := range g {
			g[j] = rng.ExpFloat64()
		}
		m, sd := meanSD(g)
		if sd/m <= cv {
			hit++
		}
	}
	return float64(hit+1) / float64(b+1)
}
