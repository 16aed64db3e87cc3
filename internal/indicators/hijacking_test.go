package indicators

import (
	"strconv"
	"testing"
	"time"
)

func TestHijackingOvertake(t *testing.T) {
	var b posts
	var orient []uint8 // per added post, in time order
	// Supporters launch #Campaign at T0+5m: 10 posts over an hour.
	for k := range 10 {
		b.add("sup"+strconv.Itoa(k%6), t0.Add(5*time.Minute+time.Duration(k)*6*time.Minute), "launch", tags("Campaign"))
		orient = append(orient, OrientSupportive)
	}
	// Opponents from T0+3h, one post every 2 minutes: the 11th opposing post
	// (T0+3h+20m) overtakes the 10 supportive ones.
	for k := range 20 {
		b.add("opp"+strconv.Itoa(k), t0.Add(3*time.Hour+time.Duration(k)*2*time.Minute), "flood", tags("Campaign"))
		orient = append(orient, OrientOpposing)
	}
	// Neutral reporting.
	b.add("news", t0.Add(2*time.Hour), "report", tags("Campaign"))
	orient = append(orient, OrientNeutral)
	// #Quiet: a new tag nobody opposes.
	for k := range 12 {
		b.add("q"+strconv.Itoa(k), t0.Add(time.Duration(k)*time.Minute), "calm", tags("Quiet"))
		orient = append(orient, OrientSupportive)
	}
	c := b.corpus()
	labels := make([]StanceLabel, c.Len())
	for i := range labels {
		id, _ := strconv.Atoi(c.PostID.At(i))
		labels[i] = StanceLabel{Attribution: AttrNone, Orientation: orient[id-1]}
	}
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}, Stance: labels}, testParams())
	h := r.Hijacking
	var camp, quiet *HijackTag
	for i := range h.Hashtags {
		switch h.Hashtags[i].Key {
		case "campaign":
			camp = &h.Hashtags[i]
		case "quiet":
			quiet = &h.Hashtags[i]
		}
	}
	if camp == nil || quiet == nil {
		t.Fatalf("hashtags %+v", h.Hashtags)
	}
	want := t0.Add(3*time.Hour + 20*time.Minute)
	if camp.Overtake == nil || !camp.Overtake.Equal(want) {
		t.Errorf("overtake %v, want %v", camp.Overtake, want)
	}
	if camp.OvertakeOffsetS == nil || *camp.OvertakeOffsetS != want.Sub(t0).Seconds() {
		t.Errorf("overtake offset %v", camp.OvertakeOffsetS)
	}
	if camp.CampaignAccounts != 6 || camp.CampaignPosts != 10 || camp.Opposing != 20 || camp.Neutral != 1 || camp.OpposingAccounts != 20 {
		t.Errorf("campaign %+v", camp)
	}
	if camp.OpposingShare == nil || !near(*camp.OpposingShare, 20.0/30, 1e-12) {
		t.Errorf("opposing share %v", camp.OpposingShare)
	}
	sum := 0
	for _, bin := range camp.Series {
		sum += bin.Supportive + bin.Opposing + bin.Neutral
	}
	if sum != 31 {
		t.Errorf("series holds %d posts, want 31", sum)
	}
	if quiet.Overtake != nil {
		t.Errorf("#Quiet overtaken at %v", quiet.Overtake)
	}
	// Without labels: a note, no hashtags.
	r = mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}}, testParams())
	if len(r.Hijacking.Hashtags) != 0 || !hasNote(r.Hijacking.Notes, "no stance labels") {
		t.Errorf("unlabelled hijacking %+v", r.Hijacking)
	}
}
