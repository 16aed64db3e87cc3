package indicators

import (
	"errors"
	"slices"
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
	// The fans' retweets of the outlet's releases are relays, kept apart
	// from its own releases (the copier's "[Amaq]" post is an own release
	// by prefix, not a relay).
	rl := a.Relayed
	if rl == nil || rl.Posts != 4 || rl.Accounts != 4 || rl.PostsBeforeT0 != 0 || rl.LatencySeconds == nil || *rl.LatencySeconds != 26*60 || len(rl.Evidence) != 4 || !rl.Evidence[0].Repost {
		t.Errorf("Amaq relays %+v", rl)
	}
	if !slices.Contains(a.DetectedBy, "relayed") {
		t.Errorf("Amaq detected by %v", a.DetectedBy)
	}
}

func TestMediaRelays(t *testing.T) {
	var b posts
	b.add("s1", t0.Add(-48*time.Hour), "Amaq news agency reports clashes near the airport")
	b.add("s9", t0.Add(5*time.Hour+30*time.Minute), "@someone That is not true. Aamaq did not publish anything about it (until now at least)")
	b.add("s2", t0.Add(8*time.Hour+28*time.Minute), "#ISIS claims responsibility for #Brussels blasts, as per Aamaq news agency linked to the group", tags("ISIS", "Brussels"))
	b.add("s3", t0.Add(9*time.Hour), "RT @p_v: IS linked A'maq agency claims the attacks in Brussels today https://t.co/x", repostOf("rt1"))
	b.add("s4", t0.Add(9*time.Hour+10*time.Minute), "وكالة أعماق: بيان حول الهجوم على المطار")
	b.add("s5", t0.Add(10*time.Hour), "من أعماق قلبي، حسبنا الله ونعم الوكيل في هذا الخبر العاجل")
	b.add("s2", t0.Add(11*time.Hour), "Watch #AmaqAgency footage from the city", tags("AmaqAgency"))
	b.add("s6", t0.Add(12*time.Hour), "Naming their magazine Dabiq is more about symbolism")
	b.add("s7", t0.Add(13*time.Hour), "#ISIS Dabiq Issue 14 released: https://t.co/y", tags("ISIS"))
	b.add("s8", t0.Add(14*time.Hour), "I keep reading about amaq all day")
	c := b.corpus()
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}}, testParams())
	m := r.MediaReleases
	if len(m.Outlets) != 2 {
		t.Fatalf("outlets %+v", m.Outlets)
	}
	if !hasNote(m.Notes, "known only from relays") {
		t.Errorf("notes %q", m.Notes)
	}
	a, d := m.Outlets[0], m.Outlets[1]
	if a.Outlet != "Amaq" || d.Outlet != "Dabiq" {
		a, d = d, a
	}
	if a.Outlet != "Amaq" || !slices.Equal(a.DetectedBy, []string{"relayed"}) || a.LatencySeconds != nil || a.FirstRelease != nil || a.ReleasesAfterT0 != 0 {
		t.Fatalf("Amaq %+v", a)
	}
	rl := a.Relayed
	if rl == nil || rl.Posts != 4 || rl.Accounts != 3 || rl.PostsBeforeT0 != 1 || rl.Relays1h != 0 || rl.Relays24h != 4 {
		t.Fatalf("Amaq relays %+v", rl)
	}
	if !rl.FirstInData.Equal(t0.Add(-48*time.Hour)) || !rl.First.Equal(t0.Add(8*time.Hour+28*time.Minute)) || *rl.LatencySeconds != 30480 {
		t.Errorf("first in data %v, first %v, latency %v", rl.FirstInData, rl.First, *rl.LatencySeconds)
	}
	var got []string
	for _, e := range rl.Evidence {
		got = append(got, e.Account+" "+e.Spelling+" "+strconv.FormatBool(e.Repost))
	}
	if want := []string{"h_s2 aamaq false", "h_s3 a'maq true", "h_s4 وكالة أعماق false", "h_s2 #AmaqAgency false"}; !slices.Equal(got, want) {
		t.Errorf("evidence %q, want %q", got, want)
	}
	if rl.Evidence[0].PostID != "3" || !rl.Evidence[0].Time.Equal(t0.Add(8*time.Hour+28*time.Minute)) || rl.Evidence[0].Text == "" {
		t.Errorf("evidence[0] %+v", rl.Evidence[0])
	}
	if d.Relayed == nil || d.Relayed.Posts != 1 || d.Relayed.Evidence[0].Account != "h_s7" {
		t.Errorf("Dabiq %+v", d.Relayed)
	}
	v := r.Vector()
	if _, ok := v["media_latency_s"]; ok || v["media_relay_latency_s"] != 30480 {
		t.Errorf("vector %v", v)
	}
	// No known outlets configured: nothing is relayed.
	p := testParams()
	p.RelayOutlets = nil
	if r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}}, p); len(r.MediaReleases.Outlets) != 0 || len(r.MediaReleases.Params.RelayOutlets) != 0 {
		t.Errorf("no relay outlets: %+v", r.MediaReleases)
	}
	// A configured outlet replaces the defaults ("a'maq" is "amaq" in a
	// hashtag, so #AmaqAgency is a relay too).
	p.RelayOutlets = []string{"Nashir=nashir/a'maq"}
	r = mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}}, p)
	if o := r.MediaReleases.Outlets; len(o) != 1 || o[0].Outlet != "Nashir" || o[0].Relayed.Posts != 2 || !slices.Equal(r.MediaReleases.Params.RelayOutlets, []string{"Nashir"}) {
		t.Errorf("configured outlet: %+v relays %+v", r.MediaReleases, r.MediaReleases.Outlets[0].Relayed)
	}
}

func TestParseRelayOutlets(t *testing.T) {
	got, err := ParseRelayOutlets([]string{"Amaq=amaq/ A'maq /amaq", "Dabiq"})
	if err != nil || len(got) != 2 || !slices.Equal(got[0].Spellings, []string{"amaq", "A'maq"}) || !slices.Equal(got[1].Spellings, []string{"Dabiq"}) {
		t.Errorf("got %+v, %v", got, err)
	}
	for _, bad := range []string{"=amaq", "Am=am", "X=a/bc"} {
		if _, err := ParseRelayOutlets([]string{bad}); !errors.Is(err, ErrParams) {
			t.Errorf("%q: err %v", bad, err)
		}
	}
	// Every default entry parses (Validate runs it on every Compute).
	if _, err := ParseRelayOutlets(DefaultParams().RelayOutlets); err != nil {
		t.Error(err)
	}
}
