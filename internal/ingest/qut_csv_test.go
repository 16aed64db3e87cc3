package ingest

import (
	"slices"
	"testing"
	"time"
)

func TestQUTFixtures(t *testing.T) {
	// coretweet_test_input.csv: UTF-8 BOM, CRLF, timestamps 0..300 s.
	in := csvTestdata(t, "qut_coretweet_test_input.csv")
	if got := sniff(in).Format; got != "qut-csv" {
		t.Fatalf("sniff = %q", got)
	}
	posts, st, err := csvPosts(t, "x.csv", in, Options{})
	if err != nil || st.Posts != 15 || st.Reposts != 15 || st.Replies != 0 || st.Skipped != 0 {
		t.Fatalf("err = %v, stats = %+v", err, st)
	}
	p := posts[1]
	if p.ID != "1" || p.AccountID != "uid1" || p.Handle != "username1" || p.RepostOf.PostID != "rtid0" || !p.Time.Equal(time.Unix(59, 0)) || p.Text != "Example tweet from uid1" {
		t.Errorf("post 1 = %+v", p)
	}
	if posts[0].Source.Offset != 74 || posts[0].Source.Line != 2 {
		t.Errorf("first record after BOM+header at %d line %d, want 74 line 2", posts[0].Source.Offset, posts[0].Source.Line)
	}

	// sample_data.csv (Python csv counts): 100 rows, 27 with repost_id,
	// 15 with reply_id, 96 URLs; fractional timestamps.
	posts, st, err = csvPosts(t, "x.csv", csvTestdata(t, "qut_sample_data.csv"), Options{})
	if err != nil || st.Posts != 100 || st.Reposts != 27 || st.Replies != 15 {
		t.Fatalf("err = %v, stats = %+v", err, st)
	}
	urls := 0
	for _, p := range posts {
		urls += len(p.URLs)
	}
	if urls != 96 || !slices.Equal(posts[1].URLs, []string{"http://example.com/4", "http://example.com/6"}) {
		t.Errorf("urls = %d, post 2 urls %q", urls, posts[1].URLs)
	}
	if want := time.Unix(1606451170, 518101000).UTC(); !posts[0].Time.Equal(want) {
		t.Errorf("time = %v, want %v", posts[0].Time, want)
	}
}

func TestParsePyList(t *testing.T) {
	for in, want := range map[string][]string{
		"":                                      nil,
		"[]":                                    nil,
		"['http://a']":                          {"http://a"},
		"['http://a', 'http://b']":              {"http://a", "http://b"},
		`["it's", 'say "hi"']`:                  {"it's", `say "hi"`},
		`['a\'b', 'c\\d']`:                      {"a'b", `c\d`},
		"http://bare":                           {"http://bare"},
		"['unterminated":                        {"unterminated"},
		"[1, None, 'x']":                        {"1", "x"},
		`['https://x.org/a,b', "http://y/'q'"]`: {"https://x.org/a,b", "http://y/'q'"},
	} {
		if got := parsePyList(in, nil); !slices.Equal(got, want) {
			t.Errorf("parsePyList(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzQUTCSV(f *testing.F) {
	f.Add(csvTestdata(f, "qut_coretweet_test_input.csv"))
	f.Add(csvTestdata(f, "qut_sample_data.csv"))
	f.Fuzz(func(t *testing.T, in []byte) {
		fuzzCSVReader(t, in, "qut-csv")
		parsePyList(string(in), nil)
	})
}
