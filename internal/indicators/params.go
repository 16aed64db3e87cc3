package indicators

import (
	"fmt"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
)

// Params are the indicator parameters. They are declared once, in the
// "indicators" section of config.Params (names, defaults and help text);
// ParamsFromConfig converts them. Alpha and Seed come from the coord
// section (--alpha, --seed).
type Params struct {
	// Windows are the volume-lift windows [T0, T0+w) and the hashtag
	// adoption offsets.
	Windows      []time.Duration
	BaselineDays int
	// SeriesBefore/After bound the volume and burst series around T0.
	SeriesBefore, SeriesAfter time.Duration
	SeriesBin                 time.Duration
	BurstBin                  time.Duration
	BurstStates               int
	BurstScale                float64
	BurstGamma                float64
	TopHashtags               int
	DormantGap                time.Duration
	HijackBin                 time.Duration
	HijackMinPosts            int
	OutletMinPosts            int
	RecircMinAge              time.Duration
	RecircMinShares           int
	TopItems                  int
	QuoteMinAccounts          int
	// QuoteWindow is the co-action window of a quote's synchronous burst
	// (the coord section's first --window); QuoteContext the span either
	// side of the burst whose rate is its expectation.
	QuoteWindow, QuoteContext time.Duration
	// RelayOutlets are the known outlets whose relays are searched
	// ("Name=spelling/spelling" entries, see ParseRelayOutlets).
	RelayOutlets           []string
	OnsetMinAccounts       int
	AutoMinAccounts        int
	AutoMinPosts           int
	AutoMaxCV              float64
	AutoMinGap, AutoMaxGap time.Duration
	StanceBin              time.Duration
	Bootstrap              int
	// Alpha is the q-value threshold of a significant edge (--alpha).
	Alpha float64
	// Seed seeds every bootstrap (--seed).
	Seed uint64
}

// ParamsFromConfig converts the indicators section (and --alpha, --seed).
func ParamsFromConfig(cfg *config.Config) Params {
	x := &cfg.Indicators
	var qw time.Duration
	if len(cfg.Coord.Windows) > 0 {
		qw = cfg.Coord.Windows[0]
	}
	return Params{QuoteWindow: qw,
		Windows: append([]time.Duration(nil), x.Windows...), BaselineDays: x.BaselineDays,
		SeriesBefore: x.SeriesBefore, SeriesAfter: x.SeriesAfter, SeriesBin: x.SeriesBin,
		BurstBin: x.BurstBin, BurstStates: x.BurstStates, BurstScale: x.BurstScale, BurstGamma: x.BurstGamma,
		TopHashtags: x.TopHashtags, DormantGap: x.DormantGap, HijackBin: x.HijackBin, HijackMinPosts: x.HijackMinPosts,
		OutletMinPosts: x.OutletMinPosts, RecircMinAge: x.RecircMinAge, RecircMinShares: x.RecircMinShares,
		TopItems: x.TopItems, QuoteMinAccounts: x.QuoteMinAccounts, QuoteContext: x.QuoteContext,
		RelayOutlets: append([]string(nil), x.RelayOutlets...), OnsetMinAccounts: x.OnsetMinAccounts,
		AutoMinAccounts: x.AutoMinAccounts, AutoMinPosts: x.AutoMinPosts, AutoMaxCV: x.AutoMaxCV,
		AutoMinGap: x.AutoMinGap, AutoMaxGap: x.AutoMaxGap, StanceBin: x.StanceBin, Bootstrap: x.Bootstrap,
		Alpha: cfg.Coord.Alpha, Seed: cfg.Coord.Seed,
	}
}

// DefaultParams returns the parameters with the config defaults.
func DefaultParams() Params {
	cfg := config.Default()
	return ParamsFromConfig(&cfg)
}

// maxSeriesBins bounds the bins of any one series (memory guard against a
// tiny bin over a long span).
const maxSeriesBins = 1 << 20

// Validate checks the parameters.
func (p *Params) Validate() error {
	bad := func(name, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrParams, name, fmt.Sprintf(format, args...))
	}
	if len(p.Windows) == 0 {
		return bad("lift-windows", "needs at least one duration")
	}
	for _, w := range p.Windows {
		if w <= 0 {
			return bad("lift-windows", "%s is not positive", w)
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"series-bin", p.SeriesBin}, {"burst-bin", p.BurstBin}, {"hijack-bin", p.HijackBin}, {"stance-bin", p.StanceBin},
		{"window", p.QuoteWindow}, {"quote-context", p.QuoteContext}} {
		if d.v <= 0 {
			return bad(d.name, "must be positive")
		}
	}
	if p.SeriesBefore < 0 || p.SeriesAfter < 0 || p.SeriesBefore+p.SeriesAfter <= 0 {
		return bad("series-before/series-after", "must be non-negative and not both zero")
	}
	if (p.SeriesBefore+p.SeriesAfter)/p.SeriesBin > maxSeriesBins || (p.SeriesBefore+p.SeriesAfter)/p.BurstBin > maxSeriesBins {
		return bad("series-bin/burst-bin", "more than %d bins over the series", maxSeriesBins)
	}
	if p.BaselineDays < 1 || p.BaselineDays > 365 {
		return bad("baseline-days", "%d: must be between 1 and 365", p.BaselineDays)
	}
	if p.BurstStates < 2 || p.BurstStates > 8 {
		return bad("burst-states", "%d: must be between 2 and 8", p.BurstStates)
	}
	if !(p.BurstScale > 1) {
		return bad("burst-scale", "%g: must be above 1", p.BurstScale)
	}
	if !(p.BurstGamma >= 0) {
		return bad("burst-gamma", "%g: must be non-negative", p.BurstGamma)
	}
	if !(p.AutoMaxCV > 0) {
		return bad("auto-max-cv", "%g: must be positive", p.AutoMaxCV)
	}
	if p.AutoMaxGap <= p.AutoMinGap {
		return bad("auto-max-gap", "must exceed auto-min-gap")
	}
	if !(p.Alpha > 0 && p.Alpha < 1) {
		return bad("alpha", "%g: must be in (0,1)", p.Alpha)
	}
	for _, v := range []struct {
		name string
		v    int
	}{{"top-hashtags", p.TopHashtags}, {"top-items", p.TopItems}, {"hijack-min-posts", p.HijackMinPosts},
		{"outlet-min-posts", p.OutletMinPosts}, {"recirc-min-shares", p.RecircMinShares}} {
		if v.v < 1 {
			return bad(v.name, "%d: must be at least 1", v.v)
		}
	}
	for _, v := range []struct {
		name string
		v    int
	}{{"quote-min-accounts", p.QuoteMinAccounts}, {"onset-min-accounts", p.OnsetMinAccounts},
		{"auto-min-accounts", p.AutoMinAccounts}, {"auto-min-posts", p.AutoMinPosts}} {
		if v.v < 2 {
			return bad(v.name, "%d: must be at least 2", v.v)
		}
	}
	if p.Bootstrap < 0 || p.Bootstrap > 100000 {
		return bad("bootstrap", "%d: must be between 0 and 100000", p.Bootstrap)
	}
	if p.QuoteContext < p.QuoteWindow {
		return bad("quote-context", "%s is shorter than the window %s", p.QuoteContext, p.QuoteWindow)
	}
	if _, err := ParseRelayOutlets(p.RelayOutlets); err != nil {
		return err
	}
	if p.RecircMinAge < 0 || p.DormantGap < 0 {
		return bad("recirc-min-age/dormant-gap", "must be non-negative")
	}
	return nil
}

// The "params" object of an indicator in results.json: the parameters it
// was computed with, taken from Params (which comes from the one config;
// nothing is declared here). Durations are in seconds ("_s"), windows are
// named as in the indicator's rows ("1h", "24h").

// AutomationParams are staggered automation's parameters.
type AutomationParams struct {
	MinAccounts int     `json:"min_accounts"`
	MinPosts    int     `json:"min_posts"`
	MaxCV       float64 `json:"max_cv"`
	MinGapS     float64 `json:"min_gap_s"`
	MaxGapS     float64 `json:"max_gap_s"`
	TopItems    int     `json:"top_items"`
}

// QuoteParams are the quote indicator's parameters.
type QuoteParams struct {
	MinAccounts int      `json:"min_accounts"`
	TopItems    int      `json:"top_items"`
	Windows     []string `json:"windows"`
	// BurstWindowS is the co-action window of a synchronous burst
	// (--window, first value); BurstContextS the span either side of it
	// whose rate is the burst's expectation; Alpha the family-wise level
	// of the burst test.
	BurstWindowS  float64 `json:"burst_window_s"`
	BurstContextS float64 `json:"burst_context_s"`
	Alpha         float64 `json:"alpha"`
}

// MediaParams are the media-release indicator's parameters.
type MediaParams struct {
	OutletMinPosts int `json:"outlet_min_posts"`
	// RelayOutlets are the names of the known outlets whose relays are
	// searched (--relay-outlets; their spellings are in the config).
	RelayOutlets []string `json:"relay_outlets"`
	// TopItems bounds the evidence posts kept per relayed outlet.
	TopItems int `json:"top_items"`
}

// EcosystemParams are the ecosystem share's parameters.
type EcosystemParams struct {
	Windows []string `json:"windows"`
}

// HashtagParams are the hashtag indicator's parameters.
type HashtagParams struct {
	TopHashtags int      `json:"top_hashtags"`
	DormantGapS float64  `json:"dormant_gap_s"`
	Windows     []string `json:"windows"`
}

func (p *Params) windowNames() []string {
	out := make([]string, len(p.Windows))
	for i, w := range p.Windows {
		out[i] = windowName(w)
	}
	return out
}

func (p *Params) automationParams() AutomationParams {
	return AutomationParams{MinAccounts: p.AutoMinAccounts, MinPosts: p.AutoMinPosts, MaxCV: p.AutoMaxCV,
		MinGapS: p.AutoMinGap.Seconds(), MaxGapS: p.AutoMaxGap.Seconds(), TopItems: p.TopItems}
}

func (p *Params) quoteParams() QuoteParams {
	return QuoteParams{MinAccounts: p.QuoteMinAccounts, TopItems: p.TopItems, Windows: p.windowNames(),
		BurstWindowS: p.QuoteWindow.Seconds(), BurstContextS: p.QuoteContext.Seconds(), Alpha: p.Alpha}
}

func (p *Params) ecosystemParams() EcosystemParams {
	return EcosystemParams{Windows: p.windowNames()}
}

func (p *Params) mediaParams() MediaParams {
	mp := MediaParams{OutletMinPosts: p.OutletMinPosts, RelayOutlets: []string{}, TopItems: p.TopItems}
	if ro, err := ParseRelayOutlets(p.RelayOutlets); err == nil {
		for _, o := range ro {
			mp.RelayOutlets = append(mp.RelayOutlets, o.Name)
		}
	}
	return mp
}
