package ingest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

func TestTelethonFixture(t *testing.T) {
	in := csvTestdata(t, "telethon_sample.csv")
	if got := sniff(in).Format; got != "telethon-csv" {
		t.Fatalf("sniff = %q", got)
	}
	posts, st, err := csvPosts(t, "x.csv", in, Options{})
	// 11 rows: 6 forwards (3 with a link, 1 without, 1 from a user, 1
	// hidden), 1 reply, 1 video document.
	if err != nil || st.Posts != 11 || st.Reposts != 6 || st.Replies != 1 || st.Skipped != 0 {
		t.Fatalf("err = %v, stats = %+v", err, st)
	}
	by := map[string]model.Post{}
	for _, p := range posts {
		by[p.ID] = p
		if p.Platform != model.PlatformTelegram {
			t.Errorf("%s: platform %v", p.ID, p.Platform)
		}
	}
	p := by["1478154831/3429"]
	if p.AccountID != "1478154831" || p.Handle != "PatriotFrontUpdates" || !slices.Equal(p.Hashtags, []string{"PatriotFront"}) ||
		!p.Time.Equal(time.Date(2020, 3, 30, 19, 9, 13, 0, time.UTC)) || len(p.Media) != 1 || p.Media[0].Type != model.MediaPhoto {
		t.Errorf("post 3429 = %+v", p)
	}
	if p := by["1478154831/3430"]; p.Text != "" {
		t.Errorf("blank cleaned_message kept: %q", p.Text)
	}
	if p := by["1841371008/2188"]; p.RepostOf != (model.Link{PostID: "1844373591/1061", AccountID: "1844373591", Handle: "amerikanerupdates"}) {
		t.Errorf("forward with link = %+v", p.RepostOf)
	}
	if p := by["1841371008/2177"]; p.RepostOf != (model.Link{AccountID: "2158878524"}) {
		t.Errorf("forward without link = %+v", p.RepostOf)
	}
	if p := by["1841371008/337"]; p.RepostOf.PostID != hiddenForwardID(time.Date(2023, 4, 7, 15, 24, 45, 0, time.UTC)) {
		t.Errorf("hidden forward = %+v", p.RepostOf)
	}
	if p := by["1841371008/2189"]; p.ReplyTo != (model.Link{PostID: "1841371008/2188", AccountID: "1841371008"}) {
		t.Errorf("reply = %+v", p.ReplyTo)
	}
	if p := by["1841371008/2165"]; !slices.Contains(p.URLs, "https://www.givesendgo.com/Fundraising_equipmemt") {
		t.Errorf("url column not in URLs: %q", p.URLs)
	}
	if p := by["1478154831/3316"]; len(p.Media) != 1 || p.Media[0].Type != model.MediaVideo || p.Media[0].Key != "" || p.Media[0].Ref == "" {
		t.Errorf("video with a float document id = %+v (the lossy id must not become a key)", p.Media)
	}
}

func TestTelegram4CATFixture(t *testing.T) {
	in := csvTestdata(t, "telegram_4cat_sample.csv")
	if got := sniff(in).Format; got != "telethon-csv" {
		t.Fatalf("sniff = %q", got)
	}
	posts, st, err := csvPosts(t, "x.csv", in, Options{})
	if err != nil || st.Posts != 4 || st.Reposts != 2 || st.Replies != 1 {
		t.Fatalf("err = %v, stats = %+v", err, st)
	}
	p := posts[0]
	if p.ID != "newsroom-501" || p.AccountID != "1234567890" || p.Handle != "newsroom" || !p.Time.Equal(time.Unix(1604349000, 0)) ||
		!slices.Equal(p.Hashtags, []string{"Vienna"}) || !slices.Equal(p.URLs, []string{"https://example.com/a"}) || len(p.Media) != 0 {
		t.Errorf("post 501 = %+v", p)
	}
	if p := posts[1]; p.RepostOf != (model.Link{AccountID: "987654321", Handle: "sourcechan"}) || len(p.Media) != 1 || p.Media[0].Key != "5123456789012345678" {
		t.Errorf("forward = %+v, media %+v", p.RepostOf, p.Media)
	}
	if p := posts[2]; p.ReplyTo.PostID != "newsroom-501" || p.Handle != "Newsroom" || p.Media[0].Type != model.MediaVideo || !slices.Equal(p.Mentions, []string{"sourcechan"}) {
		t.Errorf("reply = %+v", p)
	}
	if p := posts[3]; p.Handle != "newsroom" || p.RepostOf.PostID != "hidden-forward@1604224800" {
		t.Errorf("hidden forward = %+v", p)
	}
}

// Counts from the dataset README, checked with Python's csv module:
// 10,000 rows, 5,653 with is_forward = 1, 118 with reply_to_msg_id, 5,010
// non-blank texts, 9,087 photo or document media.
func TestTelethonFullFile(t *testing.T) {
	var texts, media, hidden int
	st := csvFileEach(t, csvSharedData+"/telegram-far-right-ecosystem/processed_part_3.csv.gz", Options{}, func(p *model.Post) {
		if p.Text != "" {
			texts++
		}
		media += len(p.Media)
		if strings.HasPrefix(p.RepostOf.PostID, "hidden-forward@") {
			hidden++
		}
	})
	if st.Format != "telethon-csv" || st.Posts != 10000 || st.Skipped != 0 || st.Reposts != 5653 || st.Replies != 118 || texts != 5010 || media != 9087 || hidden != 5 {
		t.Errorf("stats = %+v; texts %d media %d hidden forwards %d", st, texts, media, hidden)
	}
	if !st.First.Equal(time.Date(2019, 7, 29, 14, 0, 33, 0, time.UTC)) || !st.Last.Equal(time.Date(2024, 12, 7, 12, 44, 30, 0, time.UTC)) {
		t.Errorf("range %v .. %v", st.First, st.Last)
	}
}

func TestTrimFloatID(t *testing.T) {
	for in, want := range map[string]string{"1844373591.0": "1844373591", "2188.00": "2188", "12": "12", "5.17e+18": "5.17e+18", "1.5": "1.5", "": "", "abc.0": "abc.0"} {
		if got := trimFloatID(in); got != want {
			t.Errorf("trimFloatID(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzTelethonCSV(f *testing.F) {
	f.Add(csvTestdata(f, "telethon_sample.csv"))
	f.Add(csvTestdata(f, "telegram_4cat_sample.csv"))
	f.Fuzz(func(t *testing.T, in []byte) { fuzzCSVReader(t, in, "telethon-csv") })
}

func BenchmarkTelethonCSV(b *testing.B) {
	benchCSVFile(b, csvSharedData+"/telegram-far-right-ecosystem/processed_part_3.csv.gz", "telethon-csv")
}
