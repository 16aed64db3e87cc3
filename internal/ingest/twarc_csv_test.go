package ingest

import (
	"slices"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

func TestTwarcV1Fixture(t *testing.T) {
	in := csvTestdata(t, "twarc_v1_sample.csv")
	if got := sniff(in).Format; got != "twarc-csv" {
		t.Fatalf("sniff = %q", got)
	}
	posts, st, err := csvPosts(t, "x.csv", in, Options{})
	if err != nil || st.Posts != 5 || st.Reposts != 1 || st.Quotes != 1 || st.Replies != 1 || st.Skipped != 0 {
		t.Fatalf("err = %v, stats = %+v", err, st)
	}
	p := posts[0]
	if p.ID != "1138475601234567890" || p.AccountID != "111" || p.Handle != "alice" || p.Client != "Twitter for Android" || p.Lang != "en" ||
		!p.Time.Equal(time.Date(2019, 6, 11, 15, 4, 5, 0, time.UTC)) || !slices.Equal(p.Hashtags, []string{"Brussels", "news"}) ||
		!slices.Equal(p.URLs, []string{"https://example.org/statement?id=7"}) || !slices.Equal(p.Mentions, []string{"reuters"}) {
		t.Errorf("original = %+v", p)
	}
	if p := posts[1]; p.RepostOf != (model.Link{PostID: "1138475601234567890", AccountID: "111", Handle: "alice"}) || !p.QuoteOf.IsZero() {
		t.Errorf("retweet = %+v", p)
	}
	if p := posts[2]; p.QuoteOf.PostID != "1138475601234567890" || !p.RepostOf.IsZero() || p.Text != "This is the key part & it matters https://twitter.com/alice/status/1138475601234567890" || p.Client != "Twitter Web App" {
		t.Errorf("quote = %+v", p)
	}
	if p := posts[3]; p.ReplyTo != (model.Link{PostID: "1138475612222222222", AccountID: "333", Handle: "carol"}) || p.Text != "@carol agreed <3" {
		t.Errorf("reply = %+v", p)
	}
	if p := posts[4]; !slices.Equal(p.Hashtags, []string{"الدولة_الإسلامية", "عاجل"}) || len(p.Media) != 1 || p.Media[0].Type != model.MediaPhoto {
		t.Errorf("arabic = %+v", p)
	}
	// The twarc typo "reweet_or_quote_id" is read too.
	typo := []byte(string(in))
	typo = []byte(replaceFirst(string(typo), "retweet_or_quote_id", "reweet_or_quote_id"))
	if _, st, err := csvPosts(t, "x.csv", typo, Options{}); err != nil || st.Reposts != 1 || st.Quotes != 1 {
		t.Errorf("reweet_or_quote_id header: err = %v, stats = %+v", err, st)
	}
}

func replaceFirst(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	return s
}

func TestTwarc2Fixture(t *testing.T) {
	in := csvTestdata(t, "twarc2_sample.csv")
	if got := sniff(in).Format; got != "twarc2-csv" {
		t.Fatalf("sniff = %q", got)
	}
	posts, st, err := csvPosts(t, "x.csv", in, Options{})
	if err != nil || st.Posts != 5 || st.Reposts != 1 || st.Quotes != 1 || st.Replies != 1 || st.Inferred != 0 {
		t.Fatalf("err = %v, stats = %+v", err, st)
	}
	p := posts[0]
	if p.ID != "1394712345678901248" || p.AccountID != "101" || p.Handle != "organiser" || p.Text != "Vigil tonight at 8pm #JeSuisBruxelles #Brussels\nShare widely https://t.co/abc" ||
		!slices.Equal(p.Hashtags, []string{"JeSuisBruxelles", "Brussels"}) || !slices.Equal(p.URLs, []string{"https://example.org/vigil"}) ||
		!p.Time.Equal(time.Date(2021, 5, 18, 19, 24, 56, 0, time.UTC)) || p.Client != "Twitter Web App" {
		t.Errorf("original = %+v", p)
	}
	if p := posts[1]; p.RepostOf != (model.Link{PostID: "1394712345678901248", AccountID: "101", Handle: "organiser"}) {
		t.Errorf("retweet = %+v", p.RepostOf)
	}
	if p := posts[2]; p.ReplyTo != (model.Link{PostID: "1394712345678901248", AccountID: "101", Handle: "organiser"}) || p.Text != "@organiser see you there & bring candles" || !slices.Equal(p.Mentions, []string{"organiser"}) {
		t.Errorf("reply = %+v", p)
	}
	if p := posts[3]; p.QuoteOf.PostID != "1394712345678901248" || len(p.Media) != 1 || p.Media[0] != (model.Media{Type: model.MediaPhoto, Key: "3_1394712422222222222", Ref: "https://pbs.twimg.com/media/abc.jpg"}) {
		t.Errorf("quote = %+v", p)
	}
	if p := posts[4]; !slices.Equal(p.Hashtags, []string{"بروكسل"}) || p.Lang != "ar" {
		t.Errorf("arabic = %+v", p)
	}
}

// TestTwarc2OldLayout reads the layout of twarc-csv's own test file
// small_sample.csv (DocNow/twarc-csv): entity columns of API objects, a
// single referenced_tweets column, text JSON-encoded.
func TestTwarc2OldLayout(t *testing.T) {
	in := "id,conversation_id,author_id,created_at,text,lang,source,entities.hashtags,entities.mentions,entities.urls,author.username,referenced_tweets\n" +
		`1169968866866466817,1169968866866466817,1726979365,2019-09-06T13:41:29.000Z,"""Keep that energy \u2019 #tag https://t.co/zjXQFiTHEq""",en,Twitter for iPhone,"[{""start"": 30, ""end"": 34, ""tag"": ""tag""}]","[{""start"": 1, ""end"": 5, ""username"": ""Nicky""}]","[{""start"": 77, ""end"": 100, ""url"": ""https://t.co/zjXQFiTHEq"", ""expanded_url"": ""https://twitter.com/GameStop/status/1169734611666198528""}]",TheNickyWaters,"[{""type"": ""quoted"", ""id"": ""1169734611666198528""}]"` + "\n"
	posts, st, err := csvPosts(t, "x.csv", []byte(in), Options{})
	if err != nil || st.Format != "twarc2-csv" || len(posts) != 1 {
		t.Fatalf("err = %v, stats = %+v", err, st)
	}
	p := posts[0]
	if p.Text != "Keep that energy \u2019 #tag https://t.co/zjXQFiTHEq" || !slices.Equal(p.Hashtags, []string{"tag"}) || !slices.Equal(p.Mentions, []string{"Nicky"}) ||
		!slices.Equal(p.URLs, []string{"https://twitter.com/GameStop/status/1169734611666198528"}) || p.QuoteOf.PostID != "1169734611666198528" || p.Handle != "TheNickyWaters" {
		t.Errorf("post = %+v", p)
	}
	bad := in[:len(in)-1] + "\n1,1,2,2019-09-06T13:41:29.000Z,x,en,web,[not json,,,u,\n"
	if _, st, err := csvPosts(t, "x.csv", []byte(bad), Options{}); err != nil || st.Posts != 1 || st.SkipReasons["bad entity column"] != 1 {
		t.Errorf("bad JSON cell: err = %v, stats = %+v", err, st)
	}
}

func FuzzTwarcCSV(f *testing.F) {
	f.Add(csvTestdata(f, "twarc_v1_sample.csv"), false)
	f.Add(csvTestdata(f, "twarc2_sample.csv"), true)
	f.Fuzz(func(t *testing.T, in []byte, v2 bool) {
		format := "twarc-csv"
		if v2 {
			format = "twarc2-csv"
		}
		fuzzCSVReader(t, in, format)
	})
}
