package pipeline

import (
	"testing"

	"github.com/chorus-osint/chorus/internal/config"
)

// TestCorroborationP: the largest own P of a tie the group or membership
// test can add — what Beam keeps evidence for — follows which tests are on.
func TestCorroborationP(t *testing.T) {
	for _, tc := range []struct {
		name             string
		groupP, memberP  float64
		resamples, truss int
		want             float64
	}{
		{"defaults: membership's 1e-3 is the larger", 1e-4, 1e-3, 499, 3, 1e-3},
		{"a looser group test", 5e-3, 1e-3, 499, 3, 5e-3},
		{"group test off (no resamples)", 5e-3, 1e-3, 0, 3, 1e-3},
		{"group test off (truss below 3)", 5e-3, 1e-3, 499, 2, 1e-3},
		{"membership off", 1e-4, 0, 499, 3, 1e-4},
		{"both off", 1e-4, 0, 0, 3, 0},
	} {
		cfg := config.Default()
		cfg.Coord.GroupP, cfg.Coord.MemberP, cfg.Coord.GroupResamples, cfg.Coord.GroupTruss = tc.groupP, tc.memberP, tc.resamples, tc.truss
		if got := CorroborationP(&cfg); got != tc.want {
			t.Errorf("%s: %g, want %g", tc.name, got, tc.want)
		}
	}
	if d := config.Default(); CorroborationP(&d) != d.Coord.MemberP {
		t.Errorf("the defaults changed: CorroborationP %g, member-p %g, group-p %g", CorroborationP(&d), d.Coord.MemberP, d.Coord.GroupP)
	}
}
