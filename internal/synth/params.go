package synth

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ErrParams marks an invalid generator parameter; messages name the flag.
var ErrParams = errors.New("invalid synth parameter")

// Params are every knob of the generator. Defaults gives moderate
// difficulty; docs/synth.md explains each one.
type Params struct {
	// Posts is the target number of posts at Noise 1 (the output holds
	// exactly this many when Noise is 1).
	Posts int
	// Accounts is the number of accounts; 0 means Posts/40 (at least 200).
	Accounts int
	Seed     uint64
	// T0 is the event time; TClaim the time the attack is claimed (zero:
	// T0 + 12 h).
	T0, TClaim time.Time
	// PreDays and PostDays bound the generated period [T0-PreDays, T0+PostDays).
	PreDays, PostDays int
	// Place is the event location; empty picks one from the seed.
	Place string

	// Density is the probability that a group member takes part in each
	// coordinated action.
	Density float64
	// Jitter is the spread, in seconds, of the members' posts inside one
	// synchronous action.
	Jitter float64
	// Overlap multiplies the organic activity of planted accounts (1: as
	// active as an ordinary organic account of the same activity weight).
	Overlap float64
	// Noise multiplies the organic volume (total posts = planted + Noise x
	// organic).
	Noise float64
	// Groups is the number of planted groups per coordination kind.
	Groups int
	// Actions is the number of coordinated actions per group.
	Actions int
	// GroupMax caps planted group size (0: scaled from Accounts, <= 200).
	GroupMax int
	// AssertBefore / AssertAfter: share of planted supporters' campaign
	// posts that assert the attribution before / after TClaim (the rest
	// celebrate without attributing).
	AssertBefore, AssertAfter float64
	// Hyperactive is the number of hyperactive organic accounts (0: auto).
	Hyperactive int
	// Workers renders and compresses in parallel (0: 2). The output does
	// not depend on it.
	Workers int
}

// Defaults returns the moderate-difficulty parameters for n posts.
func Defaults() Params {
	return Params{
		Posts:        100000,
		Seed:         1,
		T0:           time.Date(2015, 11, 13, 20, 20, 0, 0, time.UTC),
		PreDays:      7,
		PostDays:     3,
		Density:      0.7,
		Jitter:       20,
		Overlap:      1,
		Noise:        1,
		Groups:       2,
		Actions:      8,
		AssertBefore: 0.85,
		AssertAfter:  0.97,
	}
}

// Validate checks p and fills derived defaults (Accounts, TClaim).
func (p *Params) Validate() error {
	bad := func(flag, format string, a ...any) error {
		return fmt.Errorf("%w: --%s %s", ErrParams, flag, fmt.Sprintf(format, a...))
	}
	if p.Posts < 2000 || p.Posts > 200_000_000 {
		return bad("posts", "%d: must be between 2000 and 200m", p.Posts)
	}
	if p.Accounts == 0 {
		p.Accounts = max(200, p.Posts/40)
	}
	if p.Accounts < 200 || p.Accounts > p.Posts {
		return bad("accounts", "%d: must be between 200 and --posts", p.Accounts)
	}
	if p.T0.IsZero() {
		return bad("t0", "is required (RFC 3339, e.g. 2015-11-13T20:20:00Z)")
	}
	p.T0 = p.T0.UTC().Truncate(time.Second)
	if p.PreDays < 7 || p.PreDays > 60 {
		return bad("pre-days", "%d: must be between 7 and 60", p.PreDays)
	}
	if p.PostDays < 3 || p.PostDays > 30 {
		return bad("post-days", "%d: must be between 3 and 30", p.PostDays)
	}
	if p.TClaim.IsZero() {
		p.TClaim = p.T0.Add(12 * time.Hour)
	}
	p.TClaim = p.TClaim.UTC().Truncate(time.Second)
	if p.TClaim.Before(p.T0) || !p.TClaim.Before(p.T0.Add(time.Duration(p.PostDays)*24*time.Hour)) {
		return bad("t-claim", "%s: must be in [t0, t0+%dd)", p.TClaim.Format(time.RFC3339), p.PostDays)
	}
	unit := func(flag string, v float64) error {
		if !(v >= 0 && v <= 1) {
			return bad(flag, "%g: must be in [0,1]", v)
		}
		return nil
	}
	for _, c := range []struct {
		n string
		v float64
	}{{"density", p.Density}, {"assert-before", p.AssertBefore}, {"assert-after", p.AssertAfter}} {
		if err := unit(c.n, c.v); err != nil {
			return err
		}
	}
	if p.Density < 0.05 {
		return bad("density", "%g: below 0.05 no group acts together", p.Density)
	}
	if !(p.Jitter >= 0 && p.Jitter <= 3600) {
		return bad("jitter", "%g: must be in [0,3600] seconds", p.Jitter)
	}
	if !(p.Overlap >= 0 && p.Overlap <= 20) {
		return bad("overlap", "%g: must be in [0,20]", p.Overlap)
	}
	if !(p.Noise >= 0.05 && p.Noise <= 50) || math.IsNaN(p.Noise) {
		return bad("noise", "%g: must be in [0.05,50]", p.Noise)
	}
	if p.Groups < 0 || p.Groups > 50 {
		return bad("groups", "%d: must be in [0,50]", p.Groups)
	}
	if p.Actions < 2 || p.Actions > 200 {
		return bad("actions", "%d: must be in [2,200]", p.Actions)
	}
	if p.GroupMax != 0 && (p.GroupMax < 5 || p.GroupMax > 200) {
		return bad("group-max", "%d: must be in [5,200]", p.GroupMax)
	}
	if p.Hyperactive < 0 || p.Hyperactive > p.Accounts/10 {
		return bad("hyperactive", "%d: must be in [0, accounts/10]", p.Hyperactive)
	}
	if p.Workers <= 0 {
		p.Workers = 2
	}
	return nil
}

// ParseCount parses a count with an optional k/m/g suffix ("100k", "1.5m",
// "2000"), as --posts accepts.
func ParseCount(s string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := 1.0
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'k':
			mult, t = 1e3, t[:n-1]
		case 'm':
			mult, t = 1e6, t[:n-1]
		case 'g', 'b':
			mult, t = 1e9, t[:n-1]
		}
	}
	t = strings.ReplaceAll(t, "_", "")
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v*mult > 1e12 {
		return 0, fmt.Errorf("%w: count %q (use e.g. 50000, 100k or 1m)", ErrParams, s)
	}
	return int(math.Round(v * mult)), nil
}
