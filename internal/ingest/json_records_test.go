package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chorus-osint/chorus/internal/model"
)

// clonePost copies p so that it survives the reader's reuse of it.
func clonePost(p *model.Post) model.Post {
	c := *p
	c.Hashtags = slices.Clone(p.Hashtags)
	c.Mentions = slices.Clone(p.Mentions)
	c.URLs = slices.Clone(p.URLs)
	c.Media = slices.Clone(p.Media)
	return c
}

// readPosts reads path (or data through "-" when data is non-nil) and
// returns copies of all posts.
func readPosts(t testing.TB, path string, data []byte, opts Options) ([]model.Post, FileStats, error) {
	t.Helper()
	var posts []model.Post
	var stdin io.Reader
	if data != nil {
		path, stdin = "-", bytes.NewReader(data)
	}
	st, err := ReadStream(context.Background(), path, stdin, opts, func(p *model.Post) error {
		posts = append(posts, clonePost(p))
		return nil
	})
	return posts, st, err
}

func newJSONScannerForTest(b []byte) *jsonScanner {
	return newJSONScanner(bufio.NewReader(bytes.NewReader(b)), 0, DefaultMaxDepth)
}

// sharedData returns a path under /work/shared/data, skipping the test
// when the real data is not on this machine.
func sharedData(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join("/work/shared/data", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data %s not present", p)
	}
	return p
}

func TestSniffRoutesRealSamples(t *testing.T) {
	cases := map[string]string{
		"radicalization-tt-isis-hashtags-v11/tt_train_pro.jsonl.gz": "twitter-v1",
		"telegram-desktop-export-sample/result.json":                "telegram-json",
		"twarc2-v2-jsonl-samples/2sets.jsonl":                       "twitter-v2",
		"twarc2-v2-jsonl-samples/flat.jsonl":                        "twitter-v2",
		"twarc2-v2-jsonl-samples/noflat.jsonl":                      "twitter-v2",
		"twarc2-v2-jsonl-samples/streaming_output_with_error.jsonl": "twitter-v2",
		"twarc2-v2-jsonl-samples/two_tweets.jsonl":                  "twitter-v2",
		"twarc2-v2-jsonl-samples/cotweet.jsonl":                     "twitter-v2",
		"twarc2-v2-jsonl-samples/edited.jsonl":                      "twitter-v2",
		"twarc2-v2-jsonl-samples/geo_tweets.jsonl":                  "twitter-v2",
		"twarc2-v2-jsonl-samples/many_urls.jsonl":                   "twitter-v2",
		"twarc2-v2-jsonl-samples/media_tweet.jsonl":                 "twitter-v2",
		"twarc2-v2-jsonl-samples/mentions_tweet.jsonl":              "twitter-v2",
		"twarc2-v2-jsonl-samples/quoted_edit.jsonl":                 "twitter-v2",
	}
	for rel, want := range cases {
		path := filepath.Join("/work/shared/data", rel)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		_, st, err := readPosts(t, path, nil, Options{})
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		if st.Format != want {
			t.Errorf("%s sniffed as %q, want %q", rel, st.Format, want)
		}
	}
	fixtures := map[string]string{
		"testdata/twitter_v1_sample.jsonl.gz":    "twitter-v1",
		"testdata/twitter_v1_array.json":         "twitter-v1",
		"testdata/twitter_v1_pretty.json":        "twitter-v1",
		"testdata/twitter_v1_stream.jsonl":       "twitter-v1",
		"testdata/twitter_v2_pretty_page.json":   "twitter-v2",
		"testdata/twitter_v2_flat12.jsonl":       "twitter-v2",
		"testdata/twitter_v2_stream_error.jsonl": "twitter-v2",
		"testdata/telegram_result.json":          "telegram-json",
		"testdata/telegram_export/result.json":   "telegram-json",
	}
	for path, want := range fixtures {
		_, st, err := readPosts(t, path, nil, Options{})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if st.Format != want || st.Posts == 0 {
			t.Errorf("%s: format %q with %d posts, want %q with posts", path, st.Format, st.Posts, want)
		}
	}
}

func TestCheckDepthEscapes(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		fail bool
	}{
		{`{"a":[[1]]}`, 3, false},
		{`{"a":[[[1]]]}`, 3, true},
		{`{"a":"[[[[[[\"[[[[["}`, 2, false},      // brackets inside a string with an escaped quote
		{`{"a":"x\\","b":[[[1]]]}`, 3, true},     // escaped backslash ends the string
		{`{"a":"x\\\"[[[[","b":1}`, 2, false},    // \\ then \" stays in the string
		{`{"a":"unterminated [[[[[[[`, 1, false}, // no structure after an open string
		{strings.Repeat("[", 200) + strings.Repeat("]", 200), 128, true},
	}
	for _, c := range cases {
		err := CheckDepth([]byte(c.in), c.max)
		if (err != nil) != c.fail {
			t.Errorf("CheckDepth(%q, %d) = %v, want fail=%v", c.in, c.max, err, c.fail)
		}
		if err != nil && !errors.Is(err, ErrLimit) {
			t.Errorf("CheckDepth error %v is not ErrLimit", err)
		}
	}
}

func TestLineStructured(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"{\"a\":1}\n{\"a\":2}\n", true},
		{"{\n  \"a\": 1\n}\n", false},
		{"{\"a\":[\n1]}", false},
		{"{\"a\":1", true},                  // one damaged line: the JSONL reader skips it
		{"{\"a\":\"cut\n{\"a\":2}\n", true}, // damaged first record in JSONL
	}
	for _, c := range cases {
		if got := lineStructured([]byte(c.in)); got != c.want {
			t.Errorf("lineStructured(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

// gzipFixture returns the compressed v1 fixture.
func gzipFixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/twitter_v1_sample.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTruncatedAndCorruptGzip(t *testing.T) {
	gz := gzipFixture(t)
	_, st, err := readPosts(t, "", gz[:len(gz)/2], Options{Format: "twitter-v1"})
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated gzip: err = %v, want a 'truncated' error", err)
	}
	if st.Posts == 0 {
		t.Errorf("truncated gzip: the posts before the cut should be read")
	}

	bad := slices.Clone(gz)
	for i := len(bad) / 3; i < len(bad)/3+64; i++ {
		bad[i] ^= 0x5a
	}
	_, _, err = readPosts(t, "", bad, Options{Format: "twitter-v1"})
	if err == nil {
		t.Errorf("corrupted gzip: no error")
	}
	// Header damage is reported at open.
	hdr := slices.Clone(gz)
	hdr[3] = 0xff // reserved flag bits
	if _, _, err := readPosts(t, "", hdr, Options{}); err == nil || !errors.Is(err, ErrMalformed) {
		t.Errorf("bad gzip header: err = %v, want ErrMalformed", err)
	}
}

func TestTruncatedJSONDocuments(t *testing.T) {
	for _, c := range []struct {
		path, format string
	}{
		{"testdata/twitter_v1_array.json", "twitter-v1"},
		{"testdata/twitter_v1_pretty.json", "twitter-v1"},
		{"testdata/twitter_v2_pretty_page.json", "twitter-v2"},
		{"testdata/telegram_result.json", "telegram-json"},
	} {
		data, err := os.ReadFile(c.path)
		if err != nil {
			t.Fatal(err)
		}
		full, _, err := readPosts(t, "", data, Options{Format: c.format})
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		cut := data[:len(data)*2/3]
		posts, st, err := readPosts(t, "", cut, Options{Format: c.format})
		if err != nil {
			t.Errorf("%s cut: err %v, want a counted skip", c.path, err)
		}
		if st.SkipReasons["truncated JSON"] != 1 {
			t.Errorf("%s cut: skips %v, want one truncated JSON", c.path, st.SkipReasons)
		}
		if len(posts) >= len(full) {
			t.Errorf("%s cut: %d posts, want fewer than %d", c.path, len(posts), len(full))
		}
		for i := range posts {
			if posts[i].ID != full[i].ID {
				t.Errorf("%s cut: post %d is %s, want %s", c.path, i, posts[i].ID, full[i].ID)
			}
		}
		if _, _, err := readPosts(t, "", cut, Options{Format: c.format, Strict: true}); !errors.Is(err, ErrStrict) {
			t.Errorf("%s cut strict: err %v, want ErrStrict", c.path, err)
		}
	}
}

func TestJSONDocumentLimits(t *testing.T) {
	arr, err := os.ReadFile("testdata/twitter_v1_array.json")
	if err != nil {
		t.Fatal(err)
	}
	// An element over the record limit is skipped; the others are read.
	full, _, _ := readPosts(t, "", arr, Options{Format: "twitter-v1"})
	sizes := []int{}
	sc := newJSONScannerForTest(arr)
	_ = sc.array(func(int64) error {
		b, _, err := sc.value(nil, 1<<30)
		sizes = append(sizes, len(b))
		return err
	})
	if len(sizes) != 3 || len(full) != 3 {
		t.Fatalf("fixture: %d elements, %d posts", len(sizes), len(full))
	}
	limit := slices.Min(sizes) + 1 // only the smallest fits
	posts, st, err := readPosts(t, "", arr, Options{Format: "twitter-v1", Limits: Limits{MaxRecordBytes: limit}})
	if err != nil || len(posts) != 1 || st.SkipReasons["record too long"] != 2 {
		t.Errorf("record limit %d: %d posts, skips %v, err %v", limit, len(posts), st.SkipReasons, err)
	}

	// The document limit bounds a streamed array as a whole.
	if _, _, err := readPosts(t, "", arr, Options{Format: "twitter-v1", Limits: Limits{MaxDocumentBytes: 100}}); !errors.Is(err, ErrLimit) {
		t.Errorf("array over the document limit: err %v, want ErrLimit", err)
	}

	// Hostile nesting inside an array element is a counted skip.
	deep := "[" + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "]"
	_, st, err = readPosts(t, "", []byte(deep), Options{Format: "twitter-v1"})
	if err != nil || st.SkipReasons["nesting too deep"] != 1 {
		t.Errorf("deep array: skips %v, err %v", st.SkipReasons, err)
	}
	_, st, err = readPosts(t, "", []byte(deep), Options{Format: "telegram-json"})
	if err == nil {
		t.Errorf("telegram: an array root should be an error, got skips %v", st.SkipReasons)
	}

	// The document limit applies to streamed Telegram exports.
	tg, err := os.ReadFile("testdata/telegram_result.json")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = readPosts(t, "", tg, Options{Format: "telegram-json", Limits: Limits{MaxDocumentBytes: 1024}})
	if !errors.Is(err, ErrLimit) {
		t.Errorf("telegram over the document limit: err %v, want ErrLimit", err)
	}
}

func TestJSONScannerValues(t *testing.T) {
	in := ` {"a":"x\"}]","b":[1,{"c":null}]} 12.5e3 "s\\" true [] `
	sc := newJSONScannerForTest([]byte(in))
	var got []string
	for {
		b, tooLong, err := sc.value(nil, 1<<20)
		if err == io.EOF {
			break
		}
		if err != nil || tooLong {
			t.Fatalf("value: %v %v", err, tooLong)
		}
		got = append(got, string(b))
	}
	want := []string{`{"a":"x\"}]","b":[1,{"c":null}]}`, `12.5e3`, `"s\\"`, `true`, `[]`}
	if !slices.Equal(got, want) {
		t.Errorf("values %q, want %q", got, want)
	}
	for _, bad := range []string{`]`, `{"a":1,}`, `{"a" 1}`, `[1 2]`, `{1:2}`} {
		sc := newJSONScannerForTest([]byte(bad))
		var err error
		if bad[0] == '{' {
			err = sc.object(func(string) (bool, error) { return false, nil })
		} else if bad[0] == '[' {
			err = sc.array(func(int64) error { return sc.skip() })
		} else {
			_, _, err = sc.value(nil, 10)
		}
		if !errors.Is(err, errJSONSyntax) {
			t.Errorf("%q: err %v, want errJSONSyntax", bad, err)
		}
	}
}

func TestSniffJSONKeys(t *testing.T) {
	cases := map[string]string{
		// Nested keys do not count once the first record is complete: the
		// "messages" key inside "place" is not a Telegram export.
		"{\n  \"id_str\": \"1\",\n  \"user\": {\"id_str\": \"2\"},\n  \"place\": {\"messages\": 1},\n  \"created_at\": \"Thu Feb 16 20:08:01 +0000 2017\"\n}\n": "twitter-v1",
		`{"statuses":[{"id_str":"1"}],"search_metadata":{"count":1}}`:                                                                                           "twitter-v1",
		"[\n  {\n    \"id_str\": \"1\",\n    \"user\": {}\n  }\n]":                                                                                              "twitter-v1",
		// A page cut by the sniff window: "includes" is not seen.
		"{\"data\": [{\"id\": \"1\", \"text\": \"cut":                                         "twitter-v2",
		"{\n \"name\": \"c\",\n \"type\": \"public_channel\",\n \"id\": 1,\n \"messages\": [": "telegram-json",
		`{"account_id":"a","time":"2024-01-01T00:00:00Z","text":"x"}`:                         "generic-jsonl",
	}
	for in, want := range cases {
		if got := sniff([]byte(in)); got.Format != want {
			t.Errorf("sniff(%.50q) = %+v, want %s", in, got, want)
		}
	}
}

func TestTwitterV1SearchResponse(t *testing.T) {
	lines := readGzipLines(t, "testdata/twitter_v1_sample.jsonl.gz")
	in := `{"statuses":[` + lines[0] + "," + lines[1] + `],"search_metadata":{"count":2}}` + "\n" + `{"statuses":[],"search_metadata":{"count":0}}`
	posts, st, err := readPosts(t, "", []byte(in), Options{})
	if err != nil || st.Format != "twitter-v1" || len(posts) != 2 || st.Skipped != 0 {
		t.Fatalf("%v %s %d posts %v", err, st.Format, len(posts), st.SkipReasons)
	}
	checkV1Post(t, &posts[0], lines[0])
	checkV1Post(t, &posts[1], lines[1])
}
