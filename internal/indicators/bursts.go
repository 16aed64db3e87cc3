package indicators

import (
	"math"
	"time"
)

// Bursts is the burst indicator: Kleinberg's burst automaton on the post
// counts and on the top hashtags' counts.
type Bursts struct {
	BinSeconds float64       `json:"bin_s"`
	States     int           `json:"states"`
	Scale      float64       `json:"scale"`
	Gamma      float64       `json:"gamma"`
	Series     []BurstSeries `json:"series"`
	Notes      []string      `json:"notes"`
}

// BurstSeries is one count series and its bursts.
type BurstSeries struct {
	// Name is "posts" or "#tag".
	Name string `json:"name"`
	// Kind is "posts" (Poisson-rate automaton) or "hashtag" (Kleinberg's
	// batched automaton: the tag's share of all posts per bin).
	Kind   string  `json:"kind"`
	Total  int     `json:"total"`
	Bursts []Burst `json:"bursts"`
}

// Burst is a maximal run of bins above the base state.
type Burst struct {
	Onset        time.Time `json:"onset"`
	End          time.Time `json:"end"`
	OnsetOffsetS float64   `json:"onset_offset_s"`
	// Level is the highest state reached in the run (1 = one step up).
	Level int `json:"level"`
	Posts int `json:"posts"`
}

func (s *state) bursts(tags []TagStat) Bursts {
	p := s.p
	b := Bursts{BinSeconds: p.BurstBin.Seconds(), States: p.BurstStates, Scale: p.BurstScale, Gamma: p.BurstGamma, Series: []BurstSeries{}, Notes: []string{}}
	if s.n == 0 {
		b.Notes = append(b.Notes, "no posts")
		return b
	}
	// Bins aligned on T0, clipped to the data so that empty stretches
	// outside the collection do not read as quiet periods.
	bin := ms(p.BurstBin)
	covFrom, covTo := s.coverage()
	from := max(s.t0-ms(p.SeriesBefore), covFrom)
	to := min(s.t0+ms(p.SeriesAfter), covTo+1)
	kFrom := floorDiv(from-s.t0, bin)
	kTo := floorDiv(to-1-s.t0, bin) + 1
	if kTo <= kFrom {
		b.Notes = append(b.Notes, "the series window holds no data")
		return b
	}
	nb := int(kTo - kFrom)
	start := s.t0 + kFrom*bin
	total := make([]int, nb)
	lo, hi := s.postsIn(start, start+int64(nb)*bin)
	for i := lo; i < hi; i++ {
		total[(s.c.Time[i]-start)/bin]++
	}
	b.Series = append(b.Series, s.burstSeries("posts", "posts", total, poissonStates(total, p), start, bin))
	if len(tags) == 0 {
		return b
	}
	slot := make(map[uint32]int, len(tags))
	counts := make([][]int, len(tags))
	for k, t := range tags {
		slot[t.id] = k
		counts[k] = make([]int, nb)
	}
	for i := lo; i < hi; i++ {
		for _, tag := range s.c.PostTags(i) {
			if k, ok := slot[tag]; ok {
				counts[k][(s.c.Time[i]-start)/bin]++
			}
		}
	}
	for k, t := range tags {
		b.Series = append(b.Series, s.burstSeries("#"+t.Hashtag, "hashtag", counts[k], batchStates(counts[k], total, p), start, bin))
	}
	return b
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (s *state) burstSeries(name, kind string, counts []int, states []int, start, bin int64) BurstSeries {
	bs := BurstSeries{Name: name, Kind: kind, Bursts: []Burst{}}
	for _, x := range counts {
		bs.Total += x
	}
	for k := 0; k < len(states); {
		if states[k] == 0 {
			k++
			continue
		}
		j := k
		br := Burst{}
		for ; j < len(states) && states[j] > 0; j++ {
			br.Level = max(br.Level, states[j])
			br.Posts += counts[j]
		}
		on := start + int64(k)*bin
		br.Onset, br.End, br.OnsetOffsetS = msTime(on), msTime(start+int64(j)*bin), secs(on-s.t0)
		bs.Bursts = append(bs.Bursts, br)
		k = j
	}
	return bs
}

// poissonStates runs the burst automaton with Poisson emissions: state i
// emits counts at rate λ0·s^i, λ0 the mean count per bin; moving up j
// states costs j·γ·ln(n), moving down is free (Kleinberg 2002, with
// Poisson counts in place of gaps). It returns the optimal state per bin.
func poissonStates(x []int, p *Params) []int {
	n := len(x)
	sum := 0
	for _, v := range x {
		sum += v
	}
	if sum == 0 {
		return make([]int, n)
	}
	lambda0 := float64(sum) / float64(n)
	k := p.BurstStates
	lam := make([]float64, k)
	for i := range lam {
		lam[i] = lambda0 * math.Pow(p.BurstScale, float64(i))
	}
	cost := func(i, t int) float64 { return lam[i] - float64(x[t])*math.Log(lam[i]) }
	return viterbi(n, k, cost, p.BurstGamma*math.Log(float64(max(n, 2))))
}

// batchStates runs Kleinberg's batched automaton: in bin t, r[t] of d[t]
// posts carry the tag; state i has tag probability p0·s^i, p0 the overall
// share (states whose probability would reach 1 are dropped).
func batchStates(r, d []int, p *Params) []int {
	n := len(r)
	var R, D int
	for t := range r {
		R += r[t]
		D += d[t]
	}
	if R == 0 || D == 0 {
		return make([]int, n)
	}
	p0 := float64(R) / float64(D)
	var ps []float64
	for i := 0; i < p.BurstStates; i++ {
		pi := p0 * math.Pow(p.BurstScale, float64(i))
		if pi >= 1 {
			break
		}
		ps = append(ps, pi)
	}
	if len(ps) < 2 {
		return make([]int, n)
	}
	cost := func(i, t int) float64 {
		return -(float64(r[t])*math.Log(ps[i]) + float64(d[t]-r[t])*math.Log1p(-ps[i]))
	}
	return viterbi(n, len(ps), cost, p.BurstGamma*math.Log(float64(max(n, 2))))
}

// viterbi minimises Σ cost(state_t, t) + Σ up·(number of states moved up),
// starting in state 0.
func viterbi(n, k int, cost func(i, t int) float64, up float64) []int {
	if n == 0 {
		return nil
	}
	prev := make([]float64, k)
	cur := make([]float64, k)
	back := make([]uint8, n*k)
	for i := range prev {
		prev[i] = up*float64(i) + cost(i, 0)
	}
	for t := 1; t < n; t++ {
		for j := 0; j < k; j++ {
			best, arg := math.Inf(1), 0
			for i := 0; i < k; i++ {
				c := prev[i]
				if j > i {
					c += up * float64(j-i)
				}
				if c < best {
					best, arg = c, i
				}
			}
			cur[j] = best + cost(j, t)
			back[t*k+j] = uint8(arg)
		}
		prev, cur = cur, prev
	}
	st := make([]int, n)
	best := 0
	for i := 1; i < k; i++ {
		if prev[i] < prev[best] {
			best = i
		}
	}
	st[n-1] = best
	for t := n - 1; t > 0; t-- {
		st[t-1] = int(back[t*k+st[t]])
	}
	return st
}
