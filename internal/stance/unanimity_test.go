package stance

import (
	"math"
	"testing"
	"time"
)

func TestUnanimity(t *testing.T) {
	cases := []struct {
		counts       [4]int
		share, agree float64
	}{
		{[4]int{10, 0, 0, 50}, 1, 1},       // every position asserts: unanimous
		{[4]int{0, 0, 7, 3}, 0, 1},         // unanimous denial
		{[4]int{5, 5, 5, 100}, 1.0 / 3, 0}, // evenly split: no agreement
		{[4]int{0, 0, 0, 9}, 0, 0},         // nobody takes a position
		{[4]int{}, 0, 0},
	}
	for _, c := range cases {
		s, a := Unanimity(c.counts)
		if math.Abs(s-c.share) > 1e-9 || math.Abs(a-c.agree) > 1e-9 {
			t.Errorf("Unanimity(%v) = %.4f, %.4f; want %.4f, %.4f", c.counts, s, a, c.share, c.agree)
		}
	}
	// Two classes 3:1 -> H = -(.75 ln .75 + .25 ln .25).
	s, a := Unanimity([4]int{3, 1, 0, 0})
	h := -(0.75*math.Log(0.75) + 0.25*math.Log(0.25))
	if math.Abs(s-0.75) > 1e-12 || math.Abs(a-(1-h/math.Log(3))) > 1e-12 {
		t.Errorf("Unanimity(3,1,0,0) = %v, %v", s, a)
	}
	if got := CountClasses([]string{"asserts", "none", "asserts", "bogus", "denies"}); got != [4]int{2, 0, 1, 1} {
		t.Errorf("CountClasses = %v", got)
	}
}

func TestTrajectory(t *testing.T) {
	claim := time.Date(2016, 3, 23, 12, 0, 0, 0, time.UTC)
	h := time.Hour
	times := []time.Time{claim.Add(-150 * time.Minute), claim.Add(-30 * time.Minute), claim.Add(-1), claim,
		claim.Add(30 * time.Minute), claim.Add(61 * time.Minute), {}}
	classes := []string{Speculates, Speculates, Denies, Asserts, Asserts, Asserts, Asserts}
	before, after := Trajectory(times, classes, claim, h)
	// Before: bins [-3h,-2h) [-2h,-1h) [-1h,0): the middle one empty.
	if len(before) != 3 || len(after) != 2 {
		t.Fatalf("got %d before, %d after bins", len(before), len(after))
	}
	if before[0].Offset != -3*h || before[0].Counts != [4]int{0, 1, 0, 0} {
		t.Errorf("before[0] = %+v", before[0])
	}
	if before[1].Counts != [4]int{} || before[1].Share != [4]float64{} {
		t.Errorf("empty bin = %+v", before[1])
	}
	if before[2].Counts != [4]int{0, 1, 1, 0} || before[2].Share[1] != 0.5 || before[2].AssertShare != 0 {
		t.Errorf("before[2] = %+v", before[2])
	}
	if after[0].Offset != 0 || after[0].Counts != [4]int{2, 0, 0, 0} || after[0].AssertShare != 1 || after[0].Agreement != 1 {
		t.Errorf("after[0] = %+v", after[0])
	}
	if !after[1].Start.Equal(claim.Add(h)) || after[1].Counts[0] != 1 {
		t.Errorf("after[1] = %+v", after[1])
	}
	if b, a := Trajectory(times, classes, claim, 0); b != nil || a != nil {
		t.Error("zero width must return nothing")
	}
}
