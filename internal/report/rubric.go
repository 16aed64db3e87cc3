package report

import (
	"fmt"
	"math"
)

// Grade is how consistent a finding is with an organised campaign.
type Grade int

// Grades, weakest first. NotGraded marks a criterion whose measure could
// not be computed; it does not count in the overall score.
const (
	NotGraded Grade = iota - 1
	NotConsistent
	WeaklyConsistent
	Consistent
	StronglyConsistent
)

// String returns the grade as the report words it.
func (g Grade) String() string {
	switch g {
	case NotConsistent:
		return "not consistent"
	case WeaklyConsistent:
		return "weakly consistent"
	case Consistent:
		return "consistent"
	case StronglyConsistent:
		return "strongly consistent"
	}
	return "not graded"
}

// Phrase returns the grade with its object ("consistent with an
// organised campaign").
func (g Grade) Phrase() string {
	if g == NotGraded {
		return "not graded"
	}
	return g.String() + " with an organised campaign"
}

// Points is the grade's score: 0 (not consistent) to 3 (strongly).
func (g Grade) Points() int { return max(int(g), 0) }

// Criterion grades one measure. Cut-points are inclusive: with
// HigherIsStronger a value >= Strong is strongly consistent; otherwise a
// value <= Strong is. When the measure has a 95% interval the grade uses
// its conservative end (the lower bound when higher is stronger, the
// upper bound otherwise), so uncertainty can only lower a grade.
type Criterion struct {
	ID string `json:"id"`
	// Indicator is the results.json key the measure comes from
	// ("clusters" for the coordination network itself).
	Indicator        string  `json:"indicator"`
	Measure          string  `json:"measure"`
	Unit             string  `json:"unit"`
	HigherIsStronger bool    `json:"higher_is_stronger"`
	Strong           float64 `json:"strong"`
	Consistent       float64 `json:"consistent"`
	Weak             float64 `json:"weak"`
	// Weight is the criterion's weight in the overall score.
	Weight int `json:"weight"`
	// Why says what the measure shows about organisation.
	Why string `json:"why"`
}

// Rubric is every graded criterion: the one place the thresholds live.
// docs/rubric.md explains them; the report prints this table.
var Rubric = []Criterion{
	{ID: "coordination", Indicator: "clusters", Measure: "accounts in the largest coordinated cluster (significant co-action against the null model)", Unit: "accounts",
		HigherIsStronger: true, Strong: 10, Consistent: 5, Weak: 2, Weight: 3,
		Why: "Accounts acting on the same objects within seconds or minutes more often than chance allows is the core sign of organisation."},
	{ID: "multilayer", Indicator: "clusters", Measure: "co-action layers in the most multi-layered cluster of 3 or more accounts", Unit: "layers",
		HigherIsStronger: true, Strong: 3, Consistent: 2, Weak: 1, Weight: 1,
		Why: "A group that co-retweets, co-links and co-posts texts is harder to explain by one shared interest than a group that only shares a hashtag."},
	{ID: "onset", Indicator: "onset_latency", Measure: "hours from T0 to the first co-action of a coordinated cluster", Unit: "h",
		HigherIsStronger: false, Strong: 1, Consistent: 6, Weak: 24, Weight: 2,
		Why: "A coordinated response within the first hour needs accounts and instructions ready before the event is widely known."},
	{ID: "media", Indicator: "media_releases", Measure: "hours from T0 to the first release of the fastest media outlet", Unit: "h",
		HigherIsStronger: false, Strong: 6, Consistent: 24, Weak: 72, Weight: 2,
		Why: "Branded releases by official outlets soon after the event show a production pipeline at work."},
	{ID: "automation", Indicator: "automation", Measure: "staggered-automation groups (one text posted at machine-regular intervals by several accounts)", Unit: "groups",
		HigherIsStronger: true, Strong: 3, Consistent: 2, Weak: 1, Weight: 2,
		Why: "Regular, non-random spacing of identical posts across accounts points to scheduling tools, not people reacting."},
	{ID: "unanimity", Indicator: "stance", Measure: "supporters' share of asserting posts among attributing posts before the claim (or after T0 without a claim time)", Unit: "share",
		HigherIsStronger: true, Strong: 0.8, Consistent: 0.6, Weak: 0.4, Weight: 1,
		Why: "Supporters agreeing on responsibility before any official claim suggests a shared line; organic supporters tend to speculate."},
	{ID: "recirculation", Indicator: "recirculation", Measure: "share of items shared after T0 that are old material", Unit: "share",
		HigherIsStronger: true, Strong: 0.3, Consistent: 0.15, Weak: 0.05, Weight: 1,
		Why: "Pushing archived propaganda back into circulation right after an event is a known campaign tactic."},
	{ID: "volume", Indicator: "volume_lift", Measure: "post-volume lift in the first 24 h (or the first complete window) over the same hours of the preceding days", Unit: "×",
		HigherIsStronger: true, Strong: 5, Consistent: 2, Weak: 1.2, Weight: 1,
		Why: "A large reaction is necessary for a campaign but organic outrage also lifts volume, hence the low weight."},
}

// Ungraded lists the indicators the report shows but does not grade, and
// why.
var Ungraded = []struct{ Indicator, Why string }{
	{"bursts", "bursts time the reaction; their timing is graded through onset latency"},
	{"hashtags", "new and revived hashtags describe the reaction; adoption alone does not separate campaigns from organic spread"},
	{"hijacking", "hijacking measures opponents taking over the hashtags, not organisation of supporters"},
	{"quotes", "quoted speeches spread organically as well; shown as context"},
	{"ecosystem_share", "the ecosystem's share describes who spoke, not whether they were organised"},
}

// Overall grading: the weighted mean of points over graded criteria,
// divided by 3, against these cut-points (inclusive).
var OverallCuts = struct {
	Strong, Consistent, Weak float64
	// CapWithoutCoordination: without a coordinated cluster (coordination
	// criterion not consistent) the overall grade is at most this.
	CapWithoutCoordination Grade
	// MinGraded: with fewer graded criteria the overall grade is at most
	// CapFewGraded.
	MinGraded    int
	CapFewGraded Grade
}{Strong: 0.6, Consistent: 0.4, Weak: 0.2, CapWithoutCoordination: WeaklyConsistent, MinGraded: 3, CapFewGraded: Consistent}

// Measurement is a criterion's measured value.
type Measurement struct {
	Value *float64 `json:"value"`
	// CI is the 95% interval when the measure has one.
	CI []float64 `json:"ci95,omitempty"`
	// Detail says where the value comes from; Reason why it is missing.
	Detail string `json:"detail,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Anchor is the report section with the rows behind the value.
	Anchor string `json:"anchor,omitempty"`
}

// GradedCriterion is one row of the report's grading table.
type GradedCriterion struct {
	Criterion
	Measurement
	// Graded is the value the grade was taken from (the conservative CI
	// end when there is one).
	Graded *float64 `json:"graded_value"`
	Grade  string   `json:"grade"`
	grade  Grade
}

// gradeValue applies c's cut-points to v.
func (c *Criterion) gradeValue(v float64) Grade {
	if math.IsNaN(v) {
		return NotGraded
	}
	ge := func(x, cut float64) bool {
		if c.HigherIsStronger {
			return x >= cut
		}
		return x <= cut
	}
	switch {
	case ge(v, c.Strong):
		return StronglyConsistent
	case ge(v, c.Consistent):
		return Consistent
	case ge(v, c.Weak):
		return WeaklyConsistent
	}
	return NotConsistent
}

// grade grades m by c.
func (c *Criterion) grade(m Measurement) GradedCriterion {
	g := GradedCriterion{Criterion: *c, Measurement: m, grade: NotGraded}
	if m.Value != nil {
		v := *m.Value
		if len(m.CI) == 2 {
			if c.HigherIsStronger {
				v = math.Min(v, m.CI[0])
			} else {
				v = math.Max(v, m.CI[1])
			}
		}
		g.Graded = &v
		g.grade = c.gradeValue(v)
	}
	g.Grade = g.grade.String()
	return g
}

// Overall is the report's overall grade and how it was reached.
type Overall struct {
	Grade  string  `json:"grade"`
	Phrase string  `json:"phrase"`
	Score  float64 `json:"score"`
	Graded int     `json:"graded_criteria"`
	Of     int     `json:"criteria"`
	// Caps lists the caps that lowered the grade.
	Caps  []string `json:"caps"`
	grade Grade
}

// overall combines graded criteria by the OverallCuts rule.
func overall(gs []GradedCriterion) Overall {
	o := Overall{Of: len(gs), Caps: []string{}}
	var pts, wsum float64
	coordination := NotGraded
	for _, g := range gs {
		if g.grade == NotGraded {
			continue
		}
		o.Graded++
		pts += float64(g.Weight * g.grade.Points())
		wsum += float64(g.Weight * 3)
		if g.ID == "coordination" {
			coordination = g.grade
		}
	}
	if wsum > 0 {
		o.Score = round2(pts / wsum)
	}
	switch {
	case o.Graded == 0:
		o.grade = NotGraded
	case o.Score >= OverallCuts.Strong:
		o.grade = StronglyConsistent
	case o.Score >= OverallCuts.Consistent:
		o.grade = Consistent
	case o.Score >= OverallCuts.Weak:
		o.grade = WeaklyConsistent
	default:
		o.grade = NotConsistent
	}
	if coordination <= NotConsistent && o.grade > OverallCuts.CapWithoutCoordination {
		o.grade = OverallCuts.CapWithoutCoordination
		o.Caps = append(o.Caps, fmt.Sprintf("no coordinated cluster: capped at %q", OverallCuts.CapWithoutCoordination))
	}
	if o.Graded < OverallCuts.MinGraded && o.grade > OverallCuts.CapFewGraded {
		o.grade = OverallCuts.CapFewGraded
		o.Caps = append(o.Caps, fmt.Sprintf("fewer than %d graded criteria: capped at %q", OverallCuts.MinGraded, OverallCuts.CapFewGraded))
	}
	o.Grade = o.grade.String()
	o.Phrase = o.grade.Phrase()
	return o
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
