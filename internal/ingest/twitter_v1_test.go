package ingest

import (
	"bufio"
	"compress/gzip"
	stdjson "encoding/json"
	"html"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/chorus-osint/chorus/internal/model"
)

// stdV1 is an independent view of a v1.1 tweet through encoding/json, used
// as the oracle for the reader's output.
type stdV1 struct {
	IDStr     string `json:"id_str"`
	CreatedAt string `json:"created_at"`
	Text      string `json:"text"`
	Lang      string `json:"lang"`
	Source    string `json:"source"`
	User      struct {
		IDStr      string `json:"id_str"`
		ScreenName string `json:"screen_name"`
	} `json:"user"`
	Entities struct {
		Hashtags []struct {
			Text string `json:"text"`
		} `json:"hashtags"`
		UserMentions []struct {
			ScreenName string `json:"screen_name"`
		} `json:"user_mentions"`
		URLs []struct {
			URL         string `json:"url"`
			ExpandedURL string `json:"expanded_url"`
		} `json:"urls"`
		Media []map[string]any `json:"media"`
	} `json:"entities"`
	ExtendedEntities *struct {
		Media []struct {
			Type          string `json:"type"`
			MediaURLHTTPS string `json:"media_url_https"`
			IDStr         string `json:"id_str"`
		} `json:"media"`
	} `json:"extended_entities"`
	RetweetedStatus *struct {
		IDStr string `json:"id_str"`
		User  struct {
			IDStr      string `json:"id_str"`
			ScreenName string `json:"screen_name"`
		} `json:"user"`
	} `json:"retweeted_status"`
	QuotedStatusIDStr    string  `json:"quoted_status_id_str"`
	InReplyToStatusIDStr *string `json:"in_reply_to_status_id_str"`
	InReplyToUserIDStr   *string `json:"in_reply_to_user_id_str"`
	InReplyToScreenName  *string `json:"in_reply_to_screen_name"`
}

func readGzipLines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// checkV1Post compares a post with the oracle's reading of its line.
func checkV1Post(t *testing.T, p *model.Post, line string) {
	t.Helper()
	var o stdV1
	if err := stdjson.Unmarshal([]byte(line), &o); err != nil {
		t.Fatal(err)
	}
	if p.ID != o.IDStr || p.AccountID != o.User.IDStr || p.Handle != o.User.ScreenName || p.Lang != o.Lang {
		t.Errorf("post %s: id/account/handle/lang = %s/%s/%s/%s, want %s/%s/%s/%s", o.IDStr, p.ID, p.AccountID, p.Handle, p.Lang, o.IDStr, o.User.IDStr, o.User.ScreenName, o.Lang)
	}
	if p.Platform != model.PlatformTwitter {
		t.Errorf("post %s: platform %v", o.IDStr, p.Platform)
	}
	tm, err := time.Parse(time.RubyDate, o.CreatedAt)
	if err != nil || !p.Time.Equal(tm) || p.Time.Location() != time.UTC {
		t.Errorf("post %s: time %v, want %v (UTC)", o.IDStr, p.Time, tm)
	}
	if want := html.UnescapeString(o.Text); p.Text != want {
		t.Errorf("post %s: text %q, want %q", o.IDStr, p.Text, want)
	}
	var tags, mentions, urls []string
	for _, h := range o.Entities.Hashtags {
		tags = append(tags, h.Text)
	}
	for _, m := range o.Entities.UserMentions {
		mentions = append(mentions, m.ScreenName)
	}
	for _, u := range o.Entities.URLs {
		if u.ExpandedURL != "" {
			urls = append(urls, u.ExpandedURL)
		} else {
			urls = append(urls, u.URL)
		}
	}
	if !slices.Equal(p.Hashtags, tags) || !slices.Equal(p.Mentions, mentions) || !slices.Equal(p.URLs, urls) {
		t.Errorf("post %s: entities %v %v %v, want %v %v %v", o.IDStr, p.Hashtags, p.Mentions, p.URLs, tags, mentions, urls)
	}
	wantMedia := len(o.Entities.Media)
	if o.ExtendedEntities != nil {
		wantMedia = len(o.ExtendedEntities.Media)
		for i, m := range o.ExtendedEntities.Media {
			if i < len(p.Media) && (p.Media[i].Type.String() != map[string]string{"photo": "photo", "video": "video", "animated_gif": "animation"}[m.Type] || p.Media[i].Ref != m.MediaURLHTTPS || !strings.HasSuffix(p.Media[i].Key, "_"+m.IDStr)) {
				t.Errorf("post %s: media %d = %+v, want %s %s %s", o.IDStr, i, p.Media[i], m.Type, m.MediaURLHTTPS, m.IDStr)
			}
		}
	}
	if len(p.Media) != wantMedia {
		t.Errorf("post %s: %d media, want %d", o.IDStr, len(p.Media), wantMedia)
	}
	if rs := o.RetweetedStatus; rs != nil {
		want := model.Link{PostID: rs.IDStr, AccountID: rs.User.IDStr, Handle: rs.User.ScreenName}
		if p.RepostOf != want {
			t.Errorf("post %s: RepostOf %+v, want %+v", o.IDStr, p.RepostOf, want)
		}
	} else if !p.RepostOf.IsZero() {
		t.Errorf("post %s: RepostOf %+v on a non-retweet", o.IDStr, p.RepostOf)
	}
	if p.QuoteOf.PostID != o.QuotedStatusIDStr {
		t.Errorf("post %s: QuoteOf %+v, want id %q", o.IDStr, p.QuoteOf, o.QuotedStatusIDStr)
	}
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	wantReply := model.Link{PostID: deref(o.InReplyToStatusIDStr), AccountID: deref(o.InReplyToUserIDStr)}
	if !wantReply.IsZero() {
		wantReply.Handle = deref(o.InReplyToScreenName)
	}
	if p.ReplyTo != wantReply {
		t.Errorf("post %s: ReplyTo %+v, want %+v", o.IDStr, p.ReplyTo, wantReply)
	}
	if p.Client == "" || strings.Contains(p.Client, "<") {
		t.Errorf("post %s: client %q from %q", o.IDStr, p.Client, o.Source)
	}
}

func TestTwitterV1Fixture(t *testing.T) {
	const path = "testdata/twitter_v1_sample.jsonl.gz"
	lines := readGzipLines(t, path)
	posts, st, err := readPosts(t, path, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Format != "twitter-v1" || len(posts) != len(lines) || st.Skipped != 0 {
		t.Fatalf("format %s, %d posts of %d lines, %d skipped", st.Format, len(posts), len(lines), st.Skipped)
	}
	var off int64
	for i := range posts {
		checkV1Post(t, &posts[i], lines[i])
		if posts[i].Source.Line != int64(i+1) || posts[i].Source.Offset != off || posts[i].Source.File != path {
			t.Errorf("post %d: source %+v, want line %d offset %d", i, posts[i].Source, i+1, off)
		}
		off += int64(len(lines[i])) + 1
	}
	// The fixture was chosen to hold each case at least once.
	var amp, video, gif, multi bool
	for i := range posts {
		amp = amp || strings.Contains(lines[i], "&amp;") && strings.Contains(posts[i].Text, "&") && !strings.Contains(posts[i].Text, "&amp;")
		for _, m := range posts[i].Media {
			video = video || m.Type == model.MediaVideo
			gif = gif || m.Type == model.MediaAnimation
		}
		multi = multi || len(posts[i].Media) > 1
	}
	if !amp || !video || !multi || st.Reposts == 0 || st.Quotes == 0 || st.Replies == 0 {
		t.Errorf("fixture lacks a case: amp %v video %v gif %v multi %v reposts %d quotes %d replies %d", amp, video, gif, multi, st.Reposts, st.Quotes, st.Replies)
	}
}

// TestTwitterV1FullSample checks the whole real sample against counts
// computed here with encoding/json.
func TestTwitterV1FullSample(t *testing.T) {
	if testing.Short() {
		t.Skip("full sample in -short mode")
	}
	path := sharedData(t, "radicalization-tt-isis-hashtags-v11/tt_train_pro.jsonl.gz")
	lines := readGzipLines(t, path)
	var rts, quotes, replies, tags int64
	var first, last time.Time
	for _, l := range lines {
		var o stdV1
		if err := stdjson.Unmarshal([]byte(l), &o); err != nil {
			t.Fatal(err)
		}
		if o.RetweetedStatus != nil {
			rts++
		}
		if o.QuotedStatusIDStr != "" {
			quotes++
		}
		if (o.InReplyToStatusIDStr != nil && *o.InReplyToStatusIDStr != "") || (o.InReplyToUserIDStr != nil && *o.InReplyToUserIDStr != "") {
			replies++
		}
		tags += int64(len(o.Entities.Hashtags))
		tm, _ := time.Parse(time.RubyDate, o.CreatedAt)
		if first.IsZero() || tm.Before(first) {
			first = tm
		}
		if tm.After(last) {
			last = tm
		}
	}
	var gotTags int64
	st, err := ReadFile(t.Context(), path, Options{}, func(p *model.Post) error {
		gotTags += int64(len(p.Hashtags))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d posts, %d retweets, %d quotes, %d replies, %d hashtags", st.Posts, st.Reposts, st.Quotes, st.Replies, gotTags)
	if st.Format != "twitter-v1" || st.Posts != int64(len(lines)) || st.Skipped != 0 {
		t.Errorf("format %s posts %d skipped %d, want twitter-v1 %d 0", st.Format, st.Posts, st.Skipped, len(lines))
	}
	if st.Reposts != rts || st.Quotes != quotes || st.Replies != replies || gotTags != tags || st.Inferred != 0 {
		t.Errorf("retweets/quotes/replies/hashtags %d/%d/%d/%d, want %d/%d/%d/%d", st.Reposts, st.Quotes, st.Replies, gotTags, rts, quotes, replies, tags)
	}
	if !st.First.Equal(first) || !st.Last.Equal(last) {
		t.Errorf("span %v..%v, want %v..%v", st.First, st.Last, first, last)
	}
}

func TestTwitterV1Layouts(t *testing.T) {
	jsonl, _, err := readPosts(t, "testdata/twitter_v1_sample.jsonl.gz", nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	arr, st, err := readPosts(t, "testdata/twitter_v1_array.json", nil, Options{})
	if err != nil || st.Format != "twitter-v1" || len(arr) != 3 || st.Skipped != 0 {
		t.Fatalf("array: %v %s %d posts %d skipped", err, st.Format, len(arr), st.Skipped)
	}
	for i := range arr {
		a, b := arr[i], jsonl[i]
		if arr[i].Source.Line != int64(i+1) || arr[i].Source.Offset <= 0 {
			t.Errorf("array element %d: source %+v", i, arr[i].Source)
		}
		a.Source, b.Source = model.SourcePos{}, model.SourcePos{}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("array element %d differs from its JSONL line:\n%+v\n%+v", i, a, b)
		}
	}
	one, st, err := readPosts(t, "testdata/twitter_v1_pretty.json", nil, Options{})
	if err != nil || len(one) != 1 || st.Skipped != 0 {
		t.Fatalf("pretty object: %v %d posts %v", err, len(one), st.SkipReasons)
	}
	if one[0].ID != jsonl[10].ID || one[0].Text != jsonl[10].Text {
		t.Errorf("pretty object: %s %q, want %s %q", one[0].ID, one[0].Text, jsonl[10].ID, jsonl[10].Text)
	}
}

func TestTwitterV1StreamNotices(t *testing.T) {
	posts, st, err := readPosts(t, "testdata/twitter_v1_stream.jsonl", nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 || st.Skipped != 2 || st.SkipReasons["not a tweet"] != 2 {
		t.Fatalf("%d posts, skips %v", len(posts), st.SkipReasons)
	}
	p := posts[0]
	// Ids above 2^53 keep every digit.
	if p.ID != "9007199254740993123" || p.AccountID != "12345678901234567" || p.Handle != "streamer" {
		t.Errorf("ids %s %s %s", p.ID, p.AccountID, p.Handle)
	}
	if p.Text != "Full <text> & more: #ISIS #Raqqa @someone https://t.co/xyz" {
		t.Errorf("text %q", p.Text)
	}
	if !slices.Equal(p.Hashtags, []string{"ISIS", "Raqqa"}) || !slices.Equal(p.Mentions, []string{"someone"}) || !slices.Equal(p.URLs, []string{"https://example.com/story"}) {
		t.Errorf("entities %v %v %v", p.Hashtags, p.Mentions, p.URLs)
	}
	if len(p.Media) != 1 || p.Media[0] != (model.Media{Type: model.MediaAnimation, Ref: "https://pbs.twimg.com/tweet_video_thumb/x.jpg", Key: "16_777"}) {
		t.Errorf("media %+v", p.Media)
	}
	if p.Client != "Bot & Co" {
		t.Errorf("client %q", p.Client)
	}
	if want := time.Date(2017, 5, 16, 1, 45, 0, 0, time.UTC); !p.Time.Equal(want) {
		t.Errorf("time %v, want %v (created_at)", p.Time, want)
	}
	q := posts[1]
	if q.Text != "REST extended & long" || !q.Time.Equal(time.UnixMilli(1494899200000)) {
		t.Errorf("REST tweet: %q at %v (want full_text and timestamp_ms)", q.Text, q.Time)
	}
	if st.SkipSamples[0].Line != 1 || st.SkipSamples[1].Line != 3 || !strings.Contains(st.SkipSamples[0].Detail, "delete") {
		t.Errorf("skip samples %+v", st.SkipSamples)
	}
}

func TestTwitterV1BadRecords(t *testing.T) {
	in := strings.Join([]string{
		`{"id_str":"1","created_at":"Thu Feb 16 20:08:01 +0000 2017","text":"ok","user":{"id_str":"9","screen_name":"a"}}`,
		`{"id_str":"2","created_at":"not a date","text":"bad time","user":{"id_str":"9"}}`,
		`{"id_str":"3","created_at":"Thu Feb 16 20:08:01 +0000 2017","text":"no user"}`,
		`{"id_str":"4","text":`,
		`{"id_str":5,"user":{}}`,
		`[1,2]`,
		`{"id_str":"6","created_at":"Thu Feb 16 20:08:01 +0000 2017","text":"ok","user":{"id":7}}`,
	}, "\n")
	posts, st, err := readPosts(t, "", []byte(in), Options{Format: "twitter-v1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 || posts[0].ID != "1" || posts[1].ID != "6" || posts[1].AccountID != "7" {
		t.Errorf("posts %+v", posts)
	}
	if st.Skipped != 5 || st.SkipReasons["missing or bad field"] != 2 || st.SkipReasons["invalid JSON"] != 3 {
		t.Errorf("skips %v", st.SkipReasons)
	}
	if _, _, err := readPosts(t, "", []byte(in), Options{Format: "twitter-v1", Strict: true}); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("strict: %v", err)
	}
}

// TestTwitterV1DecodersAgree decodes every fixture record with goccy and
// with encoding/json into the reader's struct.
func TestTwitterV1DecodersAgree(t *testing.T) {
	lines := readGzipLines(t, "testdata/twitter_v1_sample.jsonl.gz")
	raw, err := os.ReadFile("testdata/twitter_v1_stream.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines = append(lines, strings.Split(strings.TrimSpace(string(raw)), "\n")...)
	for i, l := range lines {
		var a, b v1Tweet
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("goccy line %d: %v", i+1, err)
		}
		if err := stdjson.Unmarshal([]byte(l), &b); err != nil {
			t.Fatalf("encoding/json line %d: %v", i+1, err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("line %d: decoders differ:\ngoccy %+v\nstd   %+v", i+1, a, b)
		}
	}
}

func TestTwitterText(t *testing.T) {
	for in, want := range map[string]string{
		"a &amp; b &lt;c&gt;": "a & b <c>",
		"&amp;lt; stays &lt;": "&lt; stays <",
		"&quot;typed&quot;":   "&quot;typed&quot;",
		"no entities":         "no entities",
		"&amp":                "&amp",
	} {
		if got := unescapeTwitter(in); got != want {
			t.Errorf("unescapeTwitter(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		`<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>`: "Twitter for Android",
		`<a href="x">A &amp; B</a>`: "A & B",
		"Twitter Web App":           "Twitter Web App",
		`<a href="x"`:               `<a href="x"`,
		"":                          "",
	} {
		if got := sourceName(in); got != want {
			t.Errorf("sourceName(%q) = %q, want %q", in, got, want)
		}
	}
}
