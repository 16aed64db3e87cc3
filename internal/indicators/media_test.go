package indicators

import (
	"strconv"
	"testing"
	"time"
)

func TestLeadingBrand(t *testing.T) {
	for in, want := range map[string]string{
		"[Amaq] report":        "Amaq",
		"  【Furat】 x":          "Furat",
		"[a] too short":        "",
		"no prefix":            "",
		"[unclosed prefix ...": "",
		"[Amaq News Agency] x": "Amaq News Agency",
	} {
		if got := leadingBrand(in); got != want {
			t.Errorf("leadingBrand(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMediaReleases(t *testing.T) {
	var b posts
	for d := 6; d >= 1; d-- {
		b.add("amaq1", t0.Add(-time.Duration(d)*24*time.Hour+3*time.Hour), "[Amaq] daily report "+strconv.Itoa(d), tags("AmaqAgency"), image("phash:"+strconv.Itoa(d)))
	}
	for k, off := range []time.Duration{25 * time.Minute, 40 * time.Minute, 2 * time.Hour, 30 * time.Hour} {
		b.add("amaq1", t0.Add(off), "[Amaq] release part "+strconv.Itoa(k), tags("AmaqAgency"), image("phash:r"+strconv.Itoa(k)))
		b.add("fan"+strconv.Itoa(k), t0.Add(off+time.Minute), "RT @amaq1: [Amaq] release", repostOf("x"+strconv.Itoa(k)))
	}
	// A copy of the brand by another account before the outlet's release
	// would count; this one comes after.
	b.add("copier", t0.Add(50*time.Minute), "[Amaq] release part 0 (copied)")
	// A watch-list outlet without branding.
	b.add("nashir_news", t0.Add(-2*24*time.Hour), "statement")
	b.add("nashir_news", t0.Add(3*time.Hour), "statement on the raid")
	// Noise: one-off brackets and an organic tag.
	b.add("x1", t0.Add(time.Hour), "[Video] something")
	for k := range 5 {
		b.add("org"+strconv.Itoa(k), t0.Add(time.Duration(k)*time.Hour), "talk", tags("news"))
	}
	c := b.corpus()
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}, Watch: WatchList{MediaOutlets: []string{"@nashir_news", "absent_outlet"}}}, testParams())
	m := r.MediaReleases
	if len(m.Outlets) != 2 {
		t.Fatalf("outlets %+v", m.Outlets)
	}
	a := m.Outlets[0]
	if a.Outlet != "Amaq" || a.Hashtag != "AmaqAgency" || a.Prefix != "[Amaq]" {
		t.Errorf("first outlet %+v", a)
	}
	if a.LatencySeconds == nil || *a.LatencySeconds != 1500 || a.FirstRelease == nil || !a.FirstRelease.Equal(t0.Add(25*time.Minute)) {
		t.Errorf("Amaq latency %v first %v", a.LatencySeconds, a.FirstRelease)
	}
	if a.Releases1h != 3 || a.Releases24h != 4 || a.ReleasesAfterT0 != 5 || a.PostsBeforeT0 != 6 {
		t.Errorf("Amaq releases 1h %d 24h %d after %d before %d, want 3 4 5 6", a.Releases1h, a.Releases24h, a.ReleasesAfterT0, a.PostsBeforeT0)
	}
	if len(a.Accounts) != 1 || a.Accounts[0] != "amaq1" {
		t.Errorf("Amaq accounts %v", a.Accounts)
	}
	n := m.Outlets[1]
	if n.Outlet != "nashir_news" || n.LatencySeconds == nil || *n.LatencySeconds != 3*3600 || n.Releases1h != 0 || n.Releases24h != 1 {
		t.Errorf("nashir %+v", n)
	}
	if !hasNote(m.Notes, "absent_outlet") {
		t.Errorf("notes %q lack the absent outlet", m.Notes)
	}
	if v := r.Vector()["media_latency_s"]; v != 1500 {
		t.Errorf("vector media_latency_s %v", v)
	}
}
