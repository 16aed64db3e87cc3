package ingest

import (
	"slices"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

func TestCooRTweetFixture(t *testing.T) {
	in := csvTestdata(t, "coortweet_sample.csv")
	if got := sniff(in).Format; got != "coortweet-csv" {
		t.Fatalf("sniff = %q", got)
	}
	posts, st, err := csvPosts(t, "x.csv", in, Options{})
	if err != nil || st.Posts != 12 || st.Reposts != 12 || st.Skipped != 0 {
		t.Fatalf("err = %v, stats = %+v", err, st)
	}
	p := posts[0]
	want := model.Post{Platform: model.PlatformGeneric, ID: "114e22f1b2b648528277b76f0b0224e7", AccountID: "0fb4232d1b7b37069c13ee17579bd10e",
		Time: time.Unix(1623881091, 0).UTC(), RepostOf: model.Link{PostID: "85d2d12251a735ce05255061f7f231e2"}}
	if p.ID != want.ID || p.AccountID != want.AccountID || !p.Time.Equal(want.Time) || p.RepostOf != want.RepostOf || p.Platform != want.Platform {
		t.Errorf("first post = %+v", p)
	}
}

func TestCooRTweetMultiFixture(t *testing.T) {
	in := csvTestdata(t, "german_elections_sample.csv")
	if got := sniff(in).Format; got != "coortweet-multi-csv" {
		t.Fatalf("sniff = %q", got)
	}
	posts, st, err := csvPosts(t, "x.csv", in, Options{})
	// 18 rows: 10 single-row posts, post 102753 (2 identical rows, apart),
	// post 37775 (4 rows, apart), 2 rows with post_id NA.
	if err != nil || st.Posts != 14 || st.Skipped != 0 {
		t.Fatalf("err = %v, stats = %+v", err, st)
	}
	byID := map[string]model.Post{}
	var noID int
	for _, p := range posts {
		if p.ID == "" {
			noID++
		}
		byID[p.ID] = p
	}
	if noID != 2 {
		t.Errorf("posts without id = %d, want 2", noID)
	}
	p := byID["37775"]
	if p.Platform != model.PlatformTwitter || p.AccountID != "tw_29114" || !slices.Equal(p.Hashtags, []string{"coortweet_h7465"}) ||
		len(p.Media) != 1 || p.Media[0].Key != "coortweet-phash:26215" || p.Media[0].Type != model.MediaPhoto {
		t.Errorf("merged post 37775 = %+v", p)
	}
	if p := byID["102753"]; !slices.Equal(p.Hashtags, []string{"coortweet_h7536"}) || p.Source.Line != 12 {
		t.Errorf("post 102753 = %+v (want one hashtag, located at its first row, line 12)", p)
	}
	if p := byID["129235"]; p.Platform != model.PlatformFacebook || !slices.Equal(p.URLs, []string{"https://coortweet-d3498.invalid/url/23678"}) {
		t.Errorf("post 129235 = %+v", p)
	}
	if p := byID["84441"]; !slices.Equal(p.URLs, []string{"https://coortweet-d6756.invalid/"}) {
		t.Errorf("domain-only post = %+v", p)
	}
	if posts[0].ID != "129235" || posts[1].ID != "84441" {
		t.Errorf("posts not in order of first appearance: %s, %s", posts[0].ID, posts[1].ID)
	}
}

// Counts computed with Python's csv module: russian_coord_tweets has
// 35,125 rows, all retweets, 9,509 accounts. german_elections has 218,971
// rows holding 194,326 posts (194,323 distinct (account_id, post_id) plus
// 3 rows with post_id NA): 112,757 tw_ and 81,569 fb_; 63,529 carry a URL
// or domain, 36,005 (post, hashtag) and 16,934 (post, phash) pairs.
func TestCooRTweetFullFiles(t *testing.T) {
	accts := map[string]bool{}
	st := csvFileEach(t, csvSharedData+"/coortweet-examples/russian_coord_tweets.csv.gz", Options{}, func(p *model.Post) {
		accts[p.AccountID] = true
	})
	if st.Format != "coortweet-csv" || st.Posts != 35125 || st.Skipped != 0 || st.Reposts != 35125 || len(accts) != 9509 {
		t.Errorf("russian_coord_tweets: %+v, accounts %d", st, len(accts))
	}
	if testing.Short() {
		t.Skip("german_elections takes seconds; skipped with -short")
	}
	var tw, fb, withURL, tags, phash int
	st = csvFileEach(t, csvSharedData+"/coortweet-examples/german_elections.csv.gz", Options{}, func(p *model.Post) {
		switch p.Platform {
		case model.PlatformTwitter:
			tw++
		case model.PlatformFacebook:
			fb++
		}
		if len(p.URLs) > 0 {
			withURL++
		}
		tags += len(p.Hashtags)
		phash += len(p.Media)
	})
	if st.Format != "coortweet-multi-csv" || st.Posts != 194326 || st.Skipped != 0 || tw != 112757 || fb != 81569 || withURL != 63529 || tags != 36005 || phash != 16934 {
		t.Errorf("german_elections: %+v; tw %d fb %d withURL %d tags %d phash %d", st, tw, fb, withURL, tags, phash)
	}
}

func TestCooRTweetMultiMemoryLimit(t *testing.T) {
	in := csvTestdata(t, "german_elections_sample.csv")
	_, _, err := csvPosts(t, "x.csv", in, Options{Limits: Limits{MaxDocumentBytes: 1000}})
	if !errorsIs(err, ErrLimit) {
		t.Errorf("err = %v, want ErrLimit", err)
	}
}

func FuzzCooRTweetCSV(f *testing.F) {
	f.Add(csvTestdata(f, "coortweet_sample.csv"), false)
	f.Add(csvTestdata(f, "german_elections_sample.csv"), true)
	f.Fuzz(func(t *testing.T, in []byte, multi bool) {
		format := "coortweet-csv"
		if multi {
			format = "coortweet-multi-csv"
		}
		fuzzCSVReader(t, in, format)
	})
}

func BenchmarkCooRTweetCSV(b *testing.B) {
	benchCSVFile(b, csvSharedData+"/coortweet-examples/russian_coord_tweets.csv.gz", "coortweet-csv")
}

func BenchmarkCooRTweetMultiCSV(b *testing.B) {
	benchCSVFile(b, csvSharedData+"/coortweet-examples/german_elections.csv.gz", "coortweet-multi-csv")
}
