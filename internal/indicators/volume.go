package indicators

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// VolumeLift is the volume indicator: posts and distinct accounts in
// windows after T0 against the same hours of the preceding days and
// against past events, plus a binned series for charts.
type VolumeLift struct {
	DataFirst *time.Time   `json:"data_first"`
	DataLast  *time.Time   `json:"data_last"`
	Windows   []LiftWindow `json:"windows"`
	// SeriesBinSeconds is the width of Series' bins (aligned on T0).
	SeriesBinSeconds float64     `json:"series_bin_s"`
	Series           []VolumeBin `json:"series"`
	Notes            []string    `json:"notes"`
}

// LiftWindow is the lift of one window [T0, T0+w).
type LiftWindow struct {
	Window  string  `json:"window"`
	Seconds float64 `json:"seconds"`
	// Complete is false when the window runs past the end of the data.
	Complete bool      `json:"complete"`
	Posts    int       `json:"posts"`
	PostsCI  []float64 `json:"posts_ci95"`
	Accounts int       `json:"accounts"`
	// BaselineDays is the number of pre-event days averaged.
	BaselineDays       int       `json:"baseline_days"`
	BaselinePosts      *float64  `json:"baseline_posts"`
	BaselinePostsSD    *float64  `json:"baseline_posts_sd"`
	BaselineAccounts   *float64  `json:"baseline_accounts"`
	BaselineAccountsSD *float64  `json:"baseline_accounts_sd"`
	LiftPosts          *float64  `json:"lift_posts"`
	LiftPostsCI        []float64 `json:"lift_posts_ci95"`
	LiftAccounts       *float64  `json:"lift_accounts"`
	LiftAccountsCI     []float64 `json:"lift_accounts_ci95"`
	// Past compares LiftPosts with past events (lift_posts_<window>),
	// PastAccounts LiftAccounts (lift_accounts_<window>).
	Past         *Past `json:"past"`
	PastAccounts *Past `json:"past_accounts"`
}

// VolumeBin is one bin of the volume series.
type VolumeBin struct {
	Start    time.Time `json:"start"`
	OffsetH  float64   `json:"offset_h"`
	Posts    int       `json:"posts"`
	Accounts int       `json:"accounts"`
	// Covered is false for bins outside the data's time span.
	Covered bool `json:"covered"`
}

const day = int64(24 * time.Hour / time.Millisecond)

func (s *state) volumeLift() VolumeLift {
	v := VolumeLift{Windows: []LiftWindow{}, Series: []VolumeBin{}, Notes: []string{}, SeriesBinSeconds: s.p.SeriesBin.Seconds()}
	if s.n == 0 {
		v.Notes = append(v.Notes, "no posts")
		return v
	}
	v.DataFirst, v.DataLast = msTimePtr(s.first), msTimePtr(s.last)
	covFrom, covTo := s.coverage()
	switch {
	case s.t0 <= covFrom:
		v.Notes = append(v.Notes, fmt.Sprintf("T0 is before the data (first post %s): no pre-event baseline", msTime(s.first).Format(time.RFC3339)))
	case s.t0 > s.last:
		v.Notes = append(v.Notes, fmt.Sprintf("no posts at or after T0 (last post %s)", msTime(s.last).Format(time.RFC3339)))
	}
	if len(s.in.Past) == 0 {
		v.Notes = append(v.Notes, "event library empty: no comparison with past events")
	}
	rng := newRand(s.p.Seed, 1)
	for _, w := range s.p.Windows {
		wm := ms(w)
		lw := LiftWindow{Window: windowName(w), Seconds: w.Seconds(), Complete: s.t0+wm <= covTo && s.t0 >= covFrom}
		lw.Posts, lw.Accounts = s.countRange(s.postsIn(s.t0, s.t0+wm))
		lw.PostsCI = poissonCI(lw.Posts)
		if !lw.Complete && s.t0 <= s.last {
			v.Notes = append(v.Notes, fmt.Sprintf("window %s runs past the end of the data (%s): counts are partial", lw.Window, msTime(s.last).Format(time.RFC3339)))
		}
		// Baseline: the same offsets on the preceding days, only windows
		// that end at or before T0 and lie inside the data.
		dmin := int((wm + day - 1) / day)
		var bp, ba []float64
		for d := dmin; d <= s.p.BaselineDays; d++ {
			from := s.t0 - int64(d)*day
			if from < covFrom {
				break
			}
			np, na := s.countRange(s.postsIn(from, from+wm))
			bp = append(bp, float64(np))
			ba = append(ba, float64(na))
		}
		lw.BaselineDays = len(bp)
		if want := s.p.BaselineDays - dmin + 1; len(bp) < want && want > 0 && s.t0 > covFrom {
			v.Notes = append(v.Notes, fmt.Sprintf("window %s: baseline from %d of %d pre-event days (the data start %s)", lw.Window, len(bp), want, msTime(s.first).Format(time.RFC3339)))
		}
		if len(bp) > 0 {
			mp, sp := meanSD(bp)
			ma, sa := meanSD(ba)
			lw.BaselinePosts, lw.BaselinePostsSD = fptr(mp), fptr(sp)
			lw.BaselineAccounts, lw.BaselineAccountsSD = fptr(ma), fptr(sa)
			if mp > 0 {
				lw.LiftPosts = fptr(float64(lw.Posts) / mp)
				lw.LiftPostsCI = bootstrapLift(rng, s.p.Bootstrap, lw.Posts, bp)
			}
			if ma > 0 {
				lw.LiftAccounts = fptr(float64(lw.Accounts) / ma)
				lw.LiftAccountsCI = bootstrapLift(rng, s.p.Bootstrap, lw.Accounts, ba)
			}
		}
		lw.Past = pastStats(s.in.Past, "lift_posts_"+lw.Window, lw.LiftPosts)
		lw.PastAccounts = pastStats(s.in.Past, "lift_accounts_"+lw.Window, lw.LiftAccounts)
		v.Windows = append(v.Windows, lw)
	}
	v.Series = s.volumeSeries(covFrom, covTo)
	return v
}

// bootstrapLift resamples the baseline days with replacement and draws the
// window count from a Poisson with the observed mean: the 95% interval of
// count / mean(baseline). nil when b is 0 or the baseline has one day.
func bootstrapLift(r *rand.Rand, b, count int, base []float64) []float64 {
	if b == 0 || len(base) < 2 {
		return nil
	}
	out := make([]float64, 0, b)
	for range b {
		sum := 0.0
		for range base {
			sum += base[r.IntN(len(base))]
		}
		if sum <= 0 {
			continue
		}
		out = append(out, poissonDraw(r, float64(count))*float64(len(base))/sum)
	}
	return ci95(out)
}

// volumeSeries bins posts and distinct accounts from T0-SeriesBefore to
// T0+SeriesAfter.
func (s *state) volumeSeries(covFrom, covTo int64) []VolumeBin {
	bin := ms(s.p.SeriesBin)
	nb := int((ms(s.p.SeriesBefore) + bin - 1) / bin)
	na := int((ms(s.p.SeriesAfter) + bin - 1) / bin)
	out := make([]VolumeBin, 0, nb+na)
	for k := -nb; k < na; k++ {
		from := s.t0 + int64(k)*bin
		b := VolumeBin{Start: msTime(from), OffsetH: float64(int64(k)*bin) / 3.6e6, Covered: from+bin > covFrom && from < covTo}
		b.Posts, b.Accounts = s.countRange(s.postsIn(from, from+bin))
		out = append(out, b)
	}
	return out
}
