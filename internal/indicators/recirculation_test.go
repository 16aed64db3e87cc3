package indicators

import (
	"strconv"
	"testing"
	"time"
)

func TestRecirculation(t *testing.T) {
	var b posts
	old := "https://archive.org/details/old-speech"
	oldText := text20("the old statement of the emir about the campaign")
	// Old URL: first 3 weeks before T0, once more 2 weeks before, then 6
	// re-shares after T0.
	b.add("a0", t0.Add(-21*24*time.Hour), "look", urls(old))
	b.add("a1", t0.Add(-14*24*time.Hour), "again", urls(old))
	for k := range 6 {
		b.add("r"+strconv.Itoa(k), t0.Add(time.Duration(k+1)*time.Hour), "remember this", urls(old))
	}
	// Old text: 10 days before, then 3 copies after.
	b.add("t0", t0.Add(-10*24*time.Hour), oldText)
	for k := range 3 {
		b.add("tc"+strconv.Itoa(k), t0.Add(time.Duration(k+2)*time.Hour), oldText)
	}
	// Old image, known hash shared only after T0 (counts as known), and a
	// fresh image.
	b.add("i0", t0.Add(-8*24*time.Hour), "pic", image("phash:aa"))
	b.add("i1", t0.Add(time.Hour), "pic", image("phash:aa"))
	b.add("i2", t0.Add(2*time.Hour), "pic", image("phash:aa"))
	b.add("k0", t0.Add(time.Hour), "known pic", image("phash:KNOWN"))
	b.add("k1", t0.Add(2*time.Hour), "known pic", image("phash:KNOWN"))
	b.add("f0", t0.Add(time.Hour), "fresh pic", image("phash:fresh"))
	// Recent URL: first seen 2 h before T0 (younger than min age).
	b.add("n0", t0.Add(-2*time.Hour), "news", urls("https://news.example/today"))
	b.add("n1", t0.Add(time.Hour), "news", urls("https://news.example/today"))
	// New URL after T0.
	b.add("u0", t0.Add(time.Hour), "new", urls("https://new.example/x"))
	c := b.corpus()
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}, Watch: WatchList{KnownHashes: []string{"phash:known"}}}, testParams())
	rc := r.Recirculation
	items := map[string]RecircItem{}
	for _, it := range rc.Items {
		items[it.Kind+" "+it.Key] = it
	}
	u, ok := items["url "+old]
	if !ok {
		t.Fatalf("old URL not revived: %+v", rc.Items)
	}
	if !u.FirstSeen.Equal(t0.Add(-21*24*time.Hour)) || u.SharesAfterT0 != 6 || u.SharesBefore != 2 || !u.FirstAfterT0.Equal(t0.Add(time.Hour)) {
		t.Errorf("old URL %+v", u)
	}
	if _, ok := items["text "+oldText]; !ok {
		t.Errorf("old text not revived: %+v", rc.Items)
	}
	if _, ok := items["image phash:aa"]; !ok {
		t.Errorf("old image not revived")
	}
	if k, ok := items["image phash:KNOWN"]; !ok || !k.Known {
		t.Errorf("known image %+v", k)
	}
	for key := range items {
		switch key {
		case "image phash:fresh", "url https://news.example/today", "url https://new.example/x":
			t.Errorf("%s listed as recirculated", key)
		}
	}
	// Items after T0: urls (old, today, new) 3; images (aa, known, fresh)
	// 3; texts: the old text plus other texts long enough to match (none).
	// Revived: old URL, old image, known image, old text = 4 of 7.
	if rc.ItemsAfterT0 != 7 || rc.Revived != 4 {
		t.Errorf("items after %d revived %d, want 7 and 4 (by kind %+v)", rc.ItemsAfterT0, rc.Revived, rc.ByKind)
	}
	if rc.Share == nil || !near(*rc.Share, 4.0/7, 1e-12) || rc.ShareCI[0] > *rc.Share || rc.ShareCI[1] < *rc.Share {
		t.Errorf("share %v ci %v", rc.Share, rc.ShareCI)
	}
	// The URL's rate ratio: 6 shares in the 30 h after T0 (to the data end)
	// against 2 in the 21 days before.
	if u.RateRatio == nil || *u.RateRatio < 10 {
		t.Errorf("rate ratio %v", u.RateRatio)
	}
}
