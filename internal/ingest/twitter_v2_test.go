package ingest

import (
	"bufio"
	stdjson "encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/chorus-osint/chorus/internal/model"
)

// v2Oracle counts what a v2 file holds, read independently with
// encoding/json: the tweets under "data" (or flattened tweets) and their
// referenced_tweets types.
type v2Oracle struct {
	tweets, retweets, quotes, replies, bad int
	ids                                    []string
}

func v2Count(t *testing.T, path string) v2Oracle {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var o v2Oracle
	type tw struct {
		ID               string `json:"id"`
		InReplyToUserID  string `json:"in_reply_to_user_id"`
		ReferencedTweets []struct {
			Type string `json:"type"`
		} `json:"referenced_tweets"`
	}
	count := func(x tw) {
		o.tweets++
		o.ids = append(o.ids, x.ID)
		reply := x.InReplyToUserID != ""
		for _, r := range x.ReferencedTweets {
			switch r.Type {
			case "retweeted":
				o.retweets++
			case "quoted":
				o.quotes++
			case "replied_to":
				reply = true
			}
		}
		if reply {
			o.replies++
		}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var line map[string]stdjson.RawMessage
		if err := stdjson.Unmarshal(sc.Bytes(), &line); err != nil {
			o.bad++
			continue
		}
		data, ok := line["data"]
		if !ok {
			var x tw
			if err := stdjson.Unmarshal(sc.Bytes(), &x); err != nil {
				t.Fatal(err)
			}
			count(x)
			continue
		}
		var many []tw
		if err := stdjson.Unmarshal(data, &many); err != nil {
			var one tw
			if err := stdjson.Unmarshal(data, &one); err != nil {
				t.Fatal(err)
			}
			many = []tw{one}
		}
		for _, x := range many {
			count(x)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestTwitterV2RealFiles checks the twarc2 samples: post counts from the
// data README, link counts computed independently.
func TestTwitterV2RealFiles(t *testing.T) {
	for _, c := range []struct {
		file           string
		posts, skipped int64
	}{
		{"flat.jsonl", 100, 0},
		{"2sets.jsonl", 200, 0},
		{"noflat.jsonl", 100, 0},
		{"streaming_output_with_error.jsonl", 7, 1},
		{"two_tweets.jsonl", 1, 0},
		{"cotweet.jsonl", 1, 0},
		{"edited.jsonl", 1, 0},
		{"quoted_edit.jsonl", 1, 0},
		{"media_tweet.jsonl", 1, 0},
		{"mentions_tweet.jsonl", 1, 0},
		{"many_urls.jsonl", 1, 0},
		{"geo_tweets.jsonl", 2, 0},
	} {
		path := sharedData(t, "twarc2-v2-jsonl-samples/"+c.file)
		want := v2Count(t, path)
		posts, st, err := readPosts(t, path, nil, Options{})
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if st.Format != "twitter-v2" || st.Posts != c.posts || st.Skipped != c.skipped || int(st.Posts) != want.tweets || int(st.Skipped) != want.bad {
			t.Errorf("%s: %s %d posts %d skipped, want %d/%d (oracle %d/%d)", c.file, st.Format, st.Posts, st.Skipped, c.posts, c.skipped, want.tweets, want.bad)
		}
		if int(st.Reposts) != want.retweets || int(st.Quotes) != want.quotes || int(st.Replies) != want.replies {
			t.Errorf("%s: reposts/quotes/replies %d/%d/%d, want %d/%d/%d", c.file, st.Reposts, st.Quotes, st.Replies, want.retweets, want.quotes, want.replies)
		}
		var ids []string
		for i := range posts {
			p := &posts[i]
			ids = append(ids, p.ID)
			if p.AccountID == "" || p.Handle == "" || p.Time.IsZero() || p.Platform != model.PlatformTwitter {
				t.Errorf("%s: post %s incomplete: %+v", c.file, p.ID, *p)
			}
			for _, l := range []model.Link{p.RepostOf, p.QuoteOf} {
				if !l.IsZero() && (l.PostID == "" || l.AccountID == "") {
					t.Errorf("%s: post %s link %+v lacks the referenced id or author", c.file, p.ID, l)
				}
			}
			if !p.RepostOf.IsZero() && p.RepostOf.Handle == "" {
				t.Errorf("%s: post %s repost without handle", c.file, p.ID)
			}
		}
		if !slices.Equal(ids, want.ids) {
			t.Errorf("%s: post ids differ from the data tweets", c.file)
		}
	}
}

// TestTwitterV2FlatMatchesPages reads the same 100 tweets as a response
// page and as twarc2-flattened lines: every post must come out the same.
func TestTwitterV2FlatMatchesPages(t *testing.T) {
	flat, _, err := readPosts(t, sharedData(t, "twarc2-v2-jsonl-samples/flat.jsonl"), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, _, err := readPosts(t, sharedData(t, "twarc2-v2-jsonl-samples/noflat.jsonl"), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(flat) != len(page) || len(flat) != 100 {
		t.Fatalf("%d flat posts, %d page posts", len(flat), len(page))
	}
	for i := range flat {
		a, b := flat[i], page[i]
		a.Source, b.Source = model.SourcePos{}, model.SourcePos{}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("post %d differs:\nflat %+v\npage %+v", i, a, b)
		}
	}
}

func TestTwitterV2Fixtures(t *testing.T) {
	posts, st, err := readPosts(t, "testdata/twitter_v2_two_tweets.jsonl", nil, Options{})
	if err != nil || len(posts) != 1 {
		t.Fatalf("two_tweets: %v %d posts", err, len(posts))
	}
	p := posts[0]
	want := model.Link{PostID: "1391677057810288641", AccountID: "1380086327023169540", Handle: "bibaigna96"}
	if p.ID != "1394735776701816833" || p.Handle != "LachiVeronica" || p.RepostOf != want || !slices.Equal(p.Hashtags, []string{"POIUYTREWQ"}) || p.Client != "Twitter for Android" {
		t.Errorf("two_tweets post %+v", p)
	}
	if !p.Time.Equal(time.Date(2021, 5, 18, 19, 24, 56, 0, time.UTC)) {
		t.Errorf("time %v", p.Time)
	}

	// The same page, pretty-printed over many lines.
	pretty, st, err := readPosts(t, "testdata/twitter_v2_pretty_page.json", nil, Options{})
	if err != nil || st.Format != "twitter-v2" || len(pretty) != 1 {
		t.Fatalf("pretty page: %v %s %d", err, st.Format, len(pretty))
	}
	pretty[0].Source, p.Source = model.SourcePos{}, model.SourcePos{}
	if !reflect.DeepEqual(pretty[0], p) {
		t.Errorf("pretty page post differs:\n%+v\n%+v", pretty[0], p)
	}

	// Media through attachments.media_keys -> includes.media; the media
	// link in entities.urls is not a URL.
	media, _, err := readPosts(t, "testdata/twitter_v2_media.jsonl", nil, Options{})
	if err != nil || len(media) != 1 {
		t.Fatalf("media: %v %d", err, len(media))
	}
	wantMedia := []model.Media{{Type: model.MediaVideo, Ref: "https://pbs.twimg.com/ext_tw_video_thumb/1558552952549277696/pu/img/7VaQu-AvReI8RHkv.jpg", Key: "7_1558552952549277696"}}
	if !reflect.DeepEqual(media[0].Media, wantMedia) || len(media[0].URLs) != 0 {
		t.Errorf("media post: media %+v urls %v", media[0].Media, media[0].URLs)
	}

	// A reply that quotes: both links, authors resolved through includes.
	q, _, err := readPosts(t, "testdata/twitter_v2_quoted_edit.jsonl", nil, Options{})
	if err != nil || len(q) != 1 {
		t.Fatalf("quoted_edit: %v %d", err, len(q))
	}
	if q[0].QuoteOf != (model.Link{PostID: "1576994746135764992", AccountID: "337119125", Handle: "wongmjane"}) ||
		q[0].ReplyTo != (model.Link{PostID: "1576994789110992896", AccountID: "337119125", Handle: "wongmjane"}) {
		t.Errorf("quoted_edit links: quote %+v reply %+v", q[0].QuoteOf, q[0].ReplyTo)
	}

	// The stream file: line 8 is truncated; it is a counted skip at its
	// line and byte offset.
	raw, err := os.ReadFile("testdata/twitter_v2_stream_error.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(raw), "\n")
	off8 := int64(len(strings.Join(lines[:7], "")))
	sp, st, err := readPosts(t, "testdata/twitter_v2_stream_error.jsonl", nil, Options{})
	if err != nil || len(sp) != 7 || st.Skipped != 1 {
		t.Fatalf("stream: %v %d posts %d skipped", err, len(sp), st.Skipped)
	}
	if s := st.SkipSamples[0]; s.Line != 8 || s.Offset != off8 || s.Reason != "invalid JSON" {
		t.Errorf("stream skip %+v, want line 8 offset %d", s, off8)
	}
	for i := range sp {
		if sp[i].Source.Line != int64(i+1) {
			t.Errorf("stream post %d at line %d", i, sp[i].Source.Line)
		}
	}
}

func TestTwitterV2LongAndOddRecords(t *testing.T) {
	in := strings.Join([]string{
		// A long post: note_tweet text and entities win; HTML unescaped.
		`{"id":"10","author_id":"1","created_at":"2023-01-01T00:00:00.000Z","text":"short…","entities":{"hashtags":[{"tag":"short"}]},"note_tweet":{"text":"long &amp; full #tag","entities":{"hashtags":[{"tag":"tag"}],"urls":[{"url":"https://t.co/x","expanded_url":"https://e.com/x","unwound_url":"https://e.com/final"}]}},"author":{"id":"1","username":"alice"}}`,
		// Errors-only page: not a tweet.
		`{"errors":[{"title":"Not Found Error"}]}`,
		// Empty result page: nothing, no skip.
		`{"meta":{"result_count":0}}`,
		// A tweet without created_at.
		`{"data":[{"id":"11","author_id":"1","text":"no time"}],"includes":{"users":[{"id":"1","username":"alice"}]}}`,
		// A reply without a referenced tweet: account from in_reply_to_user_id.
		`{"data":{"id":"12","author_id":"2","created_at":"2023-01-01T00:00:01Z","text":"@alice hi","in_reply_to_user_id":"1","attachments":{"media_keys":["3_99"]}},"includes":{"users":[{"id":"1","username":"alice"},{"id":"2","username":"bob"}]},"matching_rules":[{"id":"1","tag":"x"}]}`,
	}, "\n")
	posts, st, err := readPosts(t, "", []byte(in), Options{Format: "twitter-v2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 || st.SkipReasons["not a tweet"] != 1 || st.SkipReasons["missing or bad field"] != 1 || st.Skipped != 2 {
		t.Fatalf("%d posts, skips %v", len(posts), st.SkipReasons)
	}
	a := posts[0]
	if a.Text != "long & full #tag" || !slices.Equal(a.Hashtags, []string{"tag"}) || !slices.Equal(a.URLs, []string{"https://e.com/final"}) || a.Handle != "alice" {
		t.Errorf("long post %+v", a)
	}
	b := posts[1]
	if b.ReplyTo != (model.Link{AccountID: "1", Handle: "alice"}) || b.Handle != "bob" || len(b.Media) != 1 || b.Media[0].Key != "3_99" {
		t.Errorf("reply post %+v", b)
	}
}

// TestTwitterV2DecodersAgree decodes the fixture records with goccy and
// with encoding/json into the reader's struct.
func TestTwitterV2DecodersAgree(t *testing.T) {
	for _, path := range []string{"testdata/twitter_v2_flat12.jsonl", "testdata/twitter_v2_two_tweets.jsonl", "testdata/twitter_v2_media.jsonl", "testdata/twitter_v2_quoted_edit.jsonl", "testdata/twitter_v2_stream_error.jsonl"} {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			var a, b v2Record
			ea := json.Unmarshal([]byte(l), &a)
			eb := stdjson.Unmarshal([]byte(l), &b)
			if (ea == nil) != (eb == nil) {
				t.Errorf("%s:%d: goccy %v, encoding/json %v", path, i+1, ea, eb)
				continue
			}
			if ea == nil && !reflect.DeepEqual(a, b) {
				t.Errorf("%s:%d: decoders differ", path, i+1)
			}
		}
	}
}
