package indicators

import (
	"strconv"
	"testing"
	"time"
)

func TestHashtagStatusAndAdoption(t *testing.T) {
	var b posts
	// #Ongoing: used every 6 h for a week, before and after T0.
	for h := -7 * 24; h < 24; h += 6 {
		b.add("o"+strconv.Itoa(h%5+5), t0.Add(time.Duration(h)*time.Hour+time.Minute), "x", tags("Ongoing"))
	}
	// #Dormant: used 5 days before T0, then by 4 accounts after.
	b.add("d0", t0.Add(-5*24*time.Hour), "x", tags("Dormant"))
	for k := range 4 {
		b.add("d"+strconv.Itoa(k+1), t0.Add(time.Duration(k+1)*time.Hour), "x", tags("Dormant"))
	}
	// #PastTag: first seen after T0 here, but a past event's top tag.
	for k := range 3 {
		b.add("p"+strconv.Itoa(k), t0.Add(time.Duration(k+1)*time.Minute), "x", tags("PastTag"))
	}
	// #BrandNew: 10 accounts, 2 in the first hour, 6 in 6 h, 9 in 24 h,
	// 10 in 72 h; one account posts it twice.
	offs := []time.Duration{10 * time.Minute, 50 * time.Minute, 2 * time.Hour, 3 * time.Hour, 4 * time.Hour, 5 * time.Hour, 7 * time.Hour, 10 * time.Hour, 20 * time.Hour, 30 * time.Hour}
	for k, o := range offs {
		b.add("n"+strconv.Itoa(k), t0.Add(o), "x", tags("BrandNew"))
	}
	b.add("n0", t0.Add(11*time.Hour), "x", tags("brandnew"))
	// #Small: new, 2 accounts.
	b.add("s1", t0.Add(time.Hour), "x", tags("Small"))
	b.add("s2", t0.Add(2*time.Hour), "x", tags("Small"))
	c := b.corpus()
	past := []PastEvent{{Name: "earlier", TopTags: []string{"#pasttag"}}}
	watch := WatchList{Accounts: []string{"n0", "@h_n1", "n2"}}
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}, Past: past, Watch: watch}, testParams())
	h := r.Hashtags
	status := map[string]TagStat{}
	for _, st := range h.Tags {
		status[st.Key] = st
	}
	for key, want := range map[string]string{"ongoing": TagOngoing, "dormant": TagRevived, "pasttag": TagRevived, "brandnew": TagNew, "small": TagNew} {
		st, ok := status[key]
		if !ok {
			t.Errorf("#%s not listed", key)
			continue
		}
		if st.Status != want {
			t.Errorf("#%s status %s, want %s", key, st.Status, want)
		}
	}
	if h.Counts[TagNew] != 2 || h.Counts[TagRevived] != 2 || h.Counts[TagOngoing] != 1 {
		t.Errorf("counts %v", h.Counts)
	}
	if len(h.TopNew) != 2 || h.TopNew[0].Key != "brandnew" || h.TopNew[1].Key != "small" {
		t.Fatalf("top_new %+v", h.TopNew)
	}
	bn := h.TopNew[0]
	var got []int
	for _, a := range bn.Adoption {
		got = append(got, a.Accounts)
	}
	if want := []int{2, 6, 9, 10}; !equalInts(got, want) {
		t.Errorf("adoption %v, want %v", got, want)
	}
	if bn.Adopters != 9 || bn.FirstSeenOffsetS != 600 || bn.PostsAfterT0 != 11 {
		t.Errorf("brandnew %+v", bn)
	}
	if h.EcosystemSource != "watch_list" || bn.EcosystemShare == nil || !near(*bn.EcosystemShare, 3.0/9, 1e-12) {
		t.Errorf("ecosystem share %v (%s), want 3/9", bn.EcosystemShare, h.EcosystemSource)
	}
	if pt := status["pasttag"]; pt.PastEvents != 1 {
		t.Errorf("pasttag past events %d", pt.PastEvents)
	}
	if d := status["dormant"]; d.LastBeforeT0 == nil || !d.LastBeforeT0.Equal(t0.Add(-5*24*time.Hour)) {
		t.Errorf("dormant last before %v", d.LastBeforeT0)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
