package indicators

import (
	"math"
	"time"

	"github.com/chorus-osint/chorus/internal/stance"
)

// StanceMetrics summarises the attribution stance of the reaction: class
// shares over time and unanimity before and after the official claim.
type StanceMetrics struct {
	LabelledPosts int     `json:"labelled_posts"`
	BinSeconds    float64 `json:"bin_s"`
	// Periods are [T0, TClaim) and [TClaim, end), or [T0, end) without a
	// claim time.
	Periods []StancePeriod `json:"periods"`
	// UnanimityBeforeClaim is the supporters' assert share (asserts among
	// supportive posts that assert, speculate or deny) in [T0, TClaim);
	// AgreementBeforeClaim is their 1 − H/ln 3 over those three classes.
	// Without orientation labels they are computed over all posts.
	UnanimityBeforeClaim *float64 `json:"unanimity_before_claim"`
	UnanimityAfterClaim  *float64 `json:"unanimity_after_claim"`
	AgreementBeforeClaim *float64 `json:"agreement_before_claim"`
	AgreementAfterClaim  *float64 `json:"agreement_after_claim"`
	// UnanimityAfterT0 is the same over [T0, end).
	UnanimityAfterT0 *float64    `json:"unanimity_after_t0"`
	Series           []StanceBin `json:"series"`
	Past             *Past       `json:"past"`
	Notes            []string    `json:"notes"`
}

// StancePeriod is one period's counts, for all posts and for supporters.
type StancePeriod struct {
	Period     string       `json:"period"`
	From       time.Time    `json:"from"`
	To         time.Time    `json:"to"`
	All        StanceCounts `json:"all"`
	Supporters StanceCounts `json:"supporters"`
}

// StanceCounts are attribution counts and their unanimity.
type StanceCounts struct {
	Posts  int            `json:"posts"`
	Counts map[string]int `json:"counts"`
	// Attributing counts posts that assert, speculate or deny.
	Attributing int `json:"attributing"`
	// AssertShare is asserts / Attributing (Wilson 95% interval).
	AssertShare   *float64  `json:"assert_share"`
	AssertShareCI []float64 `json:"assert_share_ci95"`
	// Agreement is 1 − H/ln 3 of the three attributing classes (Bayesian
	// bootstrap 95% interval: Dirichlet(counts) draws).
	Agreement   *float64  `json:"agreement"`
	AgreementCI []float64 `json:"agreement_ci95"`

	raw [4]int
}

// StanceBin is one time bin of the attribution series: all posts, and the
// supporters (supportive orientation) whose assert share is the unanimity's
// trajectory. Without orientation labels the supporters' fields repeat the
// all-posts ones, as the unanimity does.
type StanceBin struct {
	Start       time.Time      `json:"start"`
	Counts      map[string]int `json:"counts"`
	AssertShare *float64       `json:"assert_share"`
	Agreement   *float64       `json:"agreement"`
	// SupportersCounts and Unanimity: the same over the supporters' posts.
	SupportersCounts map[string]int `json:"supporters_counts"`
	Unanimity        *float64       `json:"unanimity"`
}

// NewStanceLabel converts a classifier result into label codes.
func NewStanceLabel(r stance.Result) StanceLabel {
	return ParseStanceLabel(r.Attribution, r.Orientation)
}

// ParseStanceLabel converts class names (stance.Asserts, …,
// stance.Supportive, …) into codes; unknown names give the unknown code.
func ParseStanceLabel(attribution, orientation string) StanceLabel {
	return StanceLabel{Attribution: uint8(stance.AttributionIndex(attribution) + 1), Orientation: uint8(stance.OrientationIndex(orientation) + 1)}
}

func countsMap(raw [4]int) map[string]int {
	m := make(map[string]int, 4)
	for k, name := range stance.AttributionClasses {
		m[name] = raw[k]
	}
	return m
}

func (s *state) finishCounts(sc *StanceCounts, stream uint64) {
	sc.Counts = countsMap(sc.raw)
	for _, v := range sc.raw {
		sc.Posts += v
	}
	sc.Attributing = sc.raw[0] + sc.raw[1] + sc.raw[2]
	if sc.Attributing == 0 {
		return
	}
	share, agree := stance.Unanimity(sc.raw)
	sc.AssertShare, sc.Agreement = fptr(share), fptr(agree)
	sc.AssertShareCI = wilson(sc.raw[0], sc.Attributing)
	if s.p.Bootstrap > 0 {
		rng := newRand(s.p.Seed, stream)
		draws := make([]float64, 0, s.p.Bootstrap)
		for range s.p.Bootstrap {
			var g [3]float64
			sum := 0.0
			for k := range g {
				if sc.raw[k] > 0 {
					g[k] = gammaDraw(rng, float64(sc.raw[k]))
					sum += g[k]
				}
			}
			if sum <= 0 {
				continue
			}
			h := 0.0
			for _, x := range g {
				if p := x / sum; p > 0 {
					h -= p * math.Log(p)
				}
			}
			draws = append(draws, 1-h/math.Log(3))
		}
		sc.AgreementCI = ci95(draws)
	}
}

func (s *state) stanceMetrics() StanceMetrics {
	m := StanceMetrics{BinSeconds: s.p.StanceBin.Seconds(), Periods: []StancePeriod{}, Series: []StanceBin{}, Notes: []string{}}
	labels := s.in.Stance
	if labels == nil {
		m.Notes = append(m.Notes, "no stance labels")
		return m
	}
	if s.i0 >= s.n {
		m.Notes = append(m.Notes, "no posts at or after T0")
	}
	end := s.last + 1
	type period struct {
		name     string
		from, to int64
	}
	var periods []period
	switch {
	case s.tclaim == 0:
		periods = []period{{"after_t0", s.t0, end}}
		m.Notes = append(m.Notes, "no claim time: one period from T0")
	case s.tclaim <= s.t0:
		periods = []period{{"after_claim", s.t0, end}}
		m.Notes = append(m.Notes, "the claim time is not after T0: no before-claim period")
	default:
		periods = []period{{"before_claim", s.t0, s.tclaim}, {"after_claim", s.tclaim, max(end, s.tclaim)}}
	}
	oriented := false
	for i := s.i0; i < s.n; i++ {
		if labels[i].Orientation != OrientUnknown {
			oriented = true
			break
		}
	}
	if !oriented {
		m.Notes = append(m.Notes, "no orientation labels: unanimity is computed over all posts")
	}
	bin := ms(s.p.StanceBin)
	serEnd := min(end, s.t0+ms(s.p.SeriesAfter))
	var series, supSeries [][4]int
	for pk, pr := range periods {
		sp := StancePeriod{Period: pr.name, From: msTime(pr.from), To: msTime(pr.to)}
		lo, hi := s.postsIn(pr.from, pr.to)
		for i := lo; i < hi; i++ {
			l := labels[i]
			if l.Attribution == AttrUnknown || l.Attribution > AttrNone {
				continue
			}
			a := l.Attribution - 1
			sp.All.raw[a]++
			m.LabelledPosts++
			if l.Orientation == OrientSupportive {
				sp.Supporters.raw[a]++
			}
			if t := s.c.Time[i]; t < serEnd {
				b := int((t - s.t0) / bin)
				for len(series) <= b {
					series = append(series, [4]int{})
					supSeries = append(supSeries, [4]int{})
				}
				series[b][a]++
				if l.Orientation == OrientSupportive || !oriented {
					supSeries[b][a]++
				}
			}
		}
		s.finishCounts(&sp.All, uint64(20+2*pk))
		s.finishCounts(&sp.Supporters, uint64(21+2*pk))
		m.Periods = append(m.Periods, sp)
		u, g := sp.Supporters.AssertShare, sp.Supporters.Agreement
		if !oriented {
			u, g = sp.All.AssertShare, sp.All.Agreement
		}
		switch pr.name {
		case "before_claim":
			m.UnanimityBeforeClaim, m.AgreementBeforeClaim = u, g
		case "after_claim":
			m.UnanimityAfterClaim, m.AgreementAfterClaim = u, g
		}
	}
	// Unanimity over [T0, end) from the period counts.
	var all, sup [4]int
	for _, pr := range m.Periods {
		for k := range all {
			all[k] += pr.All.raw[k]
			sup[k] += pr.Supporters.raw[k]
		}
	}
	tot := sup
	if !oriented {
		tot = all
	}
	if tot[0]+tot[1]+tot[2] > 0 {
		u, _ := stance.Unanimity(tot)
		m.UnanimityAfterT0 = fptr(u)
	}
	for b, cnt := range series {
		sup := supSeries[b]
		sb := StanceBin{Start: msTime(s.t0 + int64(b)*bin), Counts: countsMap(cnt), SupportersCounts: countsMap(sup)}
		if cnt[0]+cnt[1]+cnt[2] > 0 {
			u, g := stance.Unanimity(cnt)
			sb.AssertShare, sb.Agreement = fptr(u), fptr(g)
		}
		if sup[0]+sup[1]+sup[2] > 0 {
			u, _ := stance.Unanimity(sup)
			sb.Unanimity = fptr(u)
		}
		m.Series = append(m.Series, sb)
	}
	key := "unanimity_before_claim"
	x := m.UnanimityBeforeClaim
	if x == nil {
		key, x = "unanimity_after_t0", m.UnanimityAfterT0
	}
	m.Past = pastStats(s.in.Past, key, x)
	return m
}
