package indicators

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/stance"
)

func TestParseStanceLabel(t *testing.T) {
	if l := ParseStanceLabel(stance.Denies, stance.Opposing); l != (StanceLabel{AttrDenies, OrientOpposing}) {
		t.Errorf("denies/opposing -> %+v", l)
	}
	if l := ParseStanceLabel("bogus", ""); l != (StanceLabel{}) {
		t.Errorf("unknown -> %+v", l)
	}
	r := stance.NewRules().Classify("The Islamic State claimed the attack, Amaq says", "en")
	if l := NewStanceLabel(r); l.Attribution == AttrUnknown || l.Orientation == OrientUnknown {
		t.Errorf("classifier result %+v -> %+v", r, l)
	}
}

func TestStanceUnanimity(t *testing.T) {
	var b posts
	var labels []StanceLabel
	add := func(at time.Time, a, o uint8) {
		b.add("u"+strconv.Itoa(len(labels)), at, "x")
		labels = append(labels, StanceLabel{a, o})
	}
	claim := t0.Add(6 * time.Hour)
	// Before T0: ignored.
	add(t0.Add(-time.Hour), AttrAsserts, OrientSupportive)
	// Before the claim: supporters 6 asserts, 2 speculates, 2 none; one
	// opposing denial.
	for k := range 6 {
		add(t0.Add(time.Duration(k)*10*time.Minute), AttrAsserts, OrientSupportive)
	}
	add(t0.Add(2*time.Hour), AttrSpeculates, OrientSupportive)
	add(t0.Add(3*time.Hour), AttrSpeculates, OrientSupportive)
	add(t0.Add(3*time.Hour), AttrNone, OrientSupportive)
	add(t0.Add(4*time.Hour), AttrNone, OrientSupportive)
	add(t0.Add(5*time.Hour), AttrDenies, OrientOpposing)
	// After the claim: supporters all assert (5).
	for k := range 5 {
		add(claim.Add(time.Duration(k)*time.Minute), AttrAsserts, OrientSupportive)
	}
	c := b.corpus()
	// The builder sorts by time; ids give the label order.
	ordered := make([]StanceLabel, c.Len())
	for i := range ordered {
		id, _ := strconv.Atoi(c.PostID.At(i))
		ordered[i] = labels[id-1]
	}
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0, TClaim: claim}, Stance: ordered}, testParams())
	s := r.Stance
	if s.UnanimityBeforeClaim == nil || !near(*s.UnanimityBeforeClaim, 6.0/8, 1e-12) {
		t.Errorf("unanimity before %v, want 0.75", s.UnanimityBeforeClaim)
	}
	if s.UnanimityAfterClaim == nil || *s.UnanimityAfterClaim != 1 || s.AgreementAfterClaim == nil || *s.AgreementAfterClaim != 1 {
		t.Errorf("after claim %v %v, want 1 1", s.UnanimityAfterClaim, s.AgreementAfterClaim)
	}
	// Agreement before: supporters 6/8 asserts, 2/8 speculates.
	h := -(0.75*math.Log(0.75) + 0.25*math.Log(0.25))
	if s.AgreementBeforeClaim == nil || !near(*s.AgreementBeforeClaim, 1-h/math.Log(3), 1e-12) {
		t.Errorf("agreement before %v", s.AgreementBeforeClaim)
	}
	if len(s.Periods) != 2 || s.Periods[0].Period != "before_claim" {
		t.Fatalf("periods %+v", s.Periods)
	}
	all := s.Periods[0].All
	if all.Posts != 11 || all.Attributing != 9 || all.Counts["denies"] != 1 || !near(*all.AssertShare, 6.0/9, 1e-12) {
		t.Errorf("before-claim all %+v", all)
	}
	ci := s.Periods[0].Supporters.AgreementCI
	if len(ci) != 2 || ci[0] > ci[1] || ci[0] < 0 || ci[1] > 1 {
		t.Errorf("agreement CI %v", ci)
	}
	if s.LabelledPosts != 16 {
		t.Errorf("labelled %d, want 16", s.LabelledPosts)
	}
	if v := r.Vector(); v["unanimity"] != 0.75 || !near(v["assert_share_before_claim"], 6.0/9, 1e-12) {
		t.Errorf("vector %v", v)
	}
	// Bins: hourly from T0; bin 0 holds the 6 asserts.
	if len(s.Series) == 0 || s.Series[0].Counts["asserts"] != 6 {
		t.Errorf("series %+v", s.Series)
	}
	// No claim time: one period.
	r = mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}, Stance: ordered}, testParams())
	if len(r.Stance.Periods) != 1 || r.Stance.UnanimityBeforeClaim != nil || r.Stance.UnanimityAfterT0 == nil || !near(*r.Stance.UnanimityAfterT0, 11.0/13, 1e-12) {
		t.Errorf("no claim: %+v", r.Stance)
	}
}

func TestEcosystemShare(t *testing.T) {
	var b posts
	b.add("w1", t0.Add(-time.Hour), "before")
	b.add("w1", t0.Add(time.Minute), "x")
	b.add("w1", t0.Add(2*time.Minute), "x")
	b.add("w2", t0.Add(2*time.Hour), "x")
	for k := range 5 {
		b.add("o"+strconv.Itoa(k), t0.Add(time.Duration(k)*time.Minute), "x")
	}
	c := b.corpus()
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}, Watch: WatchList{Accounts: []string{"w1", "W2", "nobody"}}}, testParams())
	e := r.EcosystemShare
	if e.Source != "watch_list" || e.EcosystemAccounts != 2 {
		t.Fatalf("ecosystem %+v", e)
	}
	a := e.AfterT0
	if a.Posts != 8 || a.EcoPosts != 3 || a.Accounts != 7 || a.EcoAccounts != 2 {
		t.Errorf("after T0 %+v", a)
	}
	w1h := e.Windows[0]
	if w1h.Window != "1h" || w1h.Posts != 7 || w1h.EcoPosts != 2 || w1h.EcoAccounts != 1 {
		t.Errorf("1h %+v", w1h)
	}
	if !near(*a.PostShare, 3.0/8, 1e-12) || a.PostShareCI[0] > 3.0/8 || a.PostShareCI[1] < 3.0/8 {
		t.Errorf("share %v ci %v", *a.PostShare, a.PostShareCI)
	}
	// No watch list, no clusters: a note.
	r = mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}}, testParams())
	if r.EcosystemShare.Source != "" || !hasNote(r.EcosystemShare.Notes, "no ecosystem") {
		t.Errorf("no ecosystem: %+v", r.EcosystemShare)
	}
	// Clusters as fallback.
	r = mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}, Clusters: []Cluster{{ID: 0, Accounts: []uint32{accountIndex(t, c, "o1"), accountIndex(t, c, "o2")}}}}, testParams())
	if r.EcosystemShare.Source != "clusters" || r.EcosystemShare.AfterT0.EcoPosts != 2 {
		t.Errorf("cluster ecosystem: %+v", r.EcosystemShare)
	}
}
