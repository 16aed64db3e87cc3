package ingest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

func TestGenericJSONLFixture(t *testing.T) {
	const path = "testdata/generic_sample.jsonl"
	if got := sniff(csvTestdata(t, "generic_sample.jsonl")).Format; got != "generic-jsonl" {
		t.Fatalf("sniff = %q", got)
	}
	posts, st, err := readPosts(t, path, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Format != "generic-jsonl" || len(posts) != 5 || st.Posts != 5 || st.Skipped != 0 {
		t.Fatalf("format %s, %d posts, stats %+v", st.Format, len(posts), st)
	}
	if st.Reposts != 3 || st.Inferred != 1 || st.Quotes != 1 || st.Replies != 1 {
		t.Errorf("reposts/inferred/quotes/replies %d/%d/%d/%d, want 3/1/1/1", st.Reposts, st.Inferred, st.Quotes, st.Replies)
	}

	p := posts[0]
	// A numeric id above 2^53 keeps every digit (never through float64).
	if p.ID != "1458633600123456789" || p.Platform != model.PlatformTwitter || p.AccountID != "u1" || p.Handle != "alice" ||
		!p.Time.Equal(time.Date(2016, 3, 22, 8, 0, 0, 0, time.UTC)) || p.Lang != "en" || p.Client != "web" ||
		!slices.Equal(p.Hashtags, []string{"Brussels", "الدولة_الإسلامية"}) ||
		!slices.Equal(p.URLs, []string{"https://example.org/live?utm_source=twitter"}) {
		t.Errorf("post 1 = %+v", p)
	}
	if len(p.Media) != 1 || p.Media[0].Type != model.MediaPhoto || p.Media[0].Ref != "https://cdn.example/img.jpg" || !strings.HasPrefix(p.Media[0].Hash, "sha256:9f86") {
		t.Errorf("post 1 media %+v", p.Media)
	}
	if p.Source != (model.SourcePos{File: path, Line: 1, Offset: 0}) {
		t.Errorf("post 1 source %+v", p.Source)
	}
	if p := posts[1]; p.RepostOf != (model.Link{PostID: "1458633600123456789", AccountID: "u1", Handle: "alice"}) ||
		!p.Time.Equal(time.Date(2016, 3, 22, 8, 1, 30, 0, time.UTC)) {
		t.Errorf("post 2 (given repost, created_at time) = %+v", p)
	}
	// The blank third line is not a record; the post after it keeps its
	// real line number.
	if p := posts[2]; p.ID != "" || p.Handle != "carol" || p.RepostOf != (model.Link{Handle: "alice", Inferred: true}) ||
		!p.Time.Equal(time.UnixMilli(1458633720000)) || p.Source.Line != 4 {
		t.Errorf("post 3 (no id, RT prefix, unix ms) = %+v", p)
	}
	if p := posts[3]; p.QuoteOf != (model.Link{PostID: "p2"}) || p.ReplyTo != (model.Link{PostID: "1458633600123456789", AccountID: "u1"}) ||
		!p.Time.Equal(time.Date(2016, 3, 22, 9, 15, 0, 0, time.UTC)) || !slices.Equal(p.Mentions, []string{"alice"}) {
		t.Errorf("post 4 (quote, reply, naive time) = %+v", p)
	}
	if p := posts[4]; p.Platform != model.PlatformTelegram || p.AccountID != "channel1001" || p.Handle != "Alpha News" ||
		!p.Time.Equal(time.Unix(1458634500, 0)) || p.RepostOf != (model.Link{PostID: "1001/17"}) || p.Lang != "ar" {
		t.Errorf("post 5 (account and timestamp aliases) = %+v", p)
	}

	// --tz applies to the naive time only.
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Skip(err)
	}
	tzPosts, _, err := readPosts(t, path, nil, Options{TZ: brussels})
	if err != nil {
		t.Fatal(err)
	}
	if !tzPosts[3].Time.Equal(time.Date(2016, 3, 22, 8, 15, 0, 0, time.UTC)) || !tzPosts[0].Time.Equal(posts[0].Time) || !tzPosts[2].Time.Equal(posts[2].Time) {
		t.Errorf("with --tz Europe/Brussels: naive %v (want 08:15 UTC), zoned %v, unix %v", tzPosts[3].Time, tzPosts[0].Time, tzPosts[2].Time)
	}
}

func TestGenericJSONLMap(t *testing.T) {
	// The spreadsheet-export case: none of the generic names, a numeric
	// id above 2^53 and an unrelated account_id that the mapped column
	// must win over.
	in := `{"tweet_id":9007199254740993,"user":"someone","account_id":"ignored","date":"2016-03-22 09:00","body":"hello #x"}` + "\n" +
		`{"tweet_id":"7","user":"other","date":"1458637200","body":"RT @someone: hello #x"}` + "\n"
	m := map[string]string{"id": "tweet_id", "account": "user", "time": "date", "text": "body"}
	for _, format := range []string{"generic-jsonl", ""} {
		posts, st, err := readPosts(t, "", []byte(in), Options{Format: format, Map: m})
		if err != nil || st.Format != "generic-jsonl" || len(posts) != 2 || st.Skipped != 0 {
			t.Fatalf("--format %q: err %v, format %s, %d posts, skips %v", format, err, st.Format, len(posts), st.SkipReasons)
		}
		if p := posts[0]; p.ID != "9007199254740993" || p.AccountID != "someone" || p.Text != "hello #x" || !p.Time.Equal(time.Date(2016, 3, 22, 9, 0, 0, 0, time.UTC)) {
			t.Errorf("--format %q: post 1 = %+v", format, p)
		}
		if p := posts[1]; p.ID != "7" || p.AccountID != "other" || p.RepostOf != (model.Link{Handle: "someone", Inferred: true}) {
			t.Errorf("--format %q: post 2 = %+v", format, p)
		}
	}

	// Without --map the file is not sniffed as anything: the error names
	// the closest guess and how to map it.
	_, _, err := readPosts(t, "", []byte(in), Options{})
	if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "closest guess generic-jsonl") || !strings.Contains(err.Error(), "--map") {
		t.Errorf("unmapped: err = %v", err)
	}

	// A misspelt or CSV-only field is an error before any record is read,
	// not every record skipped as "missing or bad field".
	for field, want := range map[string]string{"acount": `unknown field "acount"`, "repost_of_account": `CSV-only field "repost_of_account"`} {
		bad := map[string]string{field: "user", "time": "date"}
		posts, st, err := readPosts(t, "", []byte(in), Options{Format: "generic-jsonl", Map: bad})
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), want) || len(posts) != 0 || st.Skipped != 0 {
			t.Errorf("--map %s=user: err = %v (want %q), %d posts, %d skipped", field, err, want, len(posts), st.Skipped)
		}
	}

	// The same fallback for CSV: --map without --format reads generic CSV.
	csvIn := "tweet_id;user;date;body\n42;someone;2016-03-22 09:00;hello #x\n"
	posts, st, err := csvPosts(t, "x.csv", []byte(csvIn), Options{Map: m})
	if err != nil || st.Format != "generic-csv" || len(posts) != 1 || posts[0].ID != "42" || posts[0].AccountID != "someone" {
		t.Errorf("CSV with --map and no --format: err %v, format %s, posts %+v", err, st.Format, posts)
	}
	// A recognised format is still read by its own reader.
	if _, st, err := csvPosts(t, "x.csv", csvTestdata(t, "coortweet_sample.csv"), Options{Map: m}); err != nil || st.Format != "coortweet-csv" {
		t.Errorf("CooRTweet with --map: err %v, format %s", err, st.Format)
	}
}

func TestGenericJSONLBadRecords(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"1","account_id":"a","time":"2016-03-22T08:00:00Z","text":"ok"}`,
		`{"id":"2","account_id":"a","time":"2016-03-22T08:00:00Z","text":`,
		`{"id":"3","time":"2016-03-22T08:00:00Z","text":"no account"}`,
		`{"id":"4","account_id":"a","time":"yesterday"}`,
		`{"id":{"x":1},"account_id":"a","time":"2016-03-22T08:00:00Z"}`,
		`{"id":"6","account_id":"a"}`,
		`[1,2]`,
		`{"id":"8","account_id":"b","time":1458633600}`,
	}, "\n")
	posts, st, err := readPosts(t, "", []byte(in), Options{Format: "generic-jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 || posts[0].ID != "1" || posts[1].ID != "8" {
		t.Errorf("posts %+v", posts)
	}
	if st.Skipped != 6 || st.SkipReasons["invalid JSON"] != 2 || st.SkipReasons["missing or bad field"] != 4 {
		t.Errorf("skips %v", st.SkipReasons)
	}
	var lines []int64
	for _, s := range st.SkipSamples {
		lines = append(lines, s.Line)
	}
	if !slices.Equal(lines, []int64{2, 3, 4, 5, 6}) { // the first five are kept as examples
		t.Errorf("skip example lines %v", lines)
	}
	if _, _, err := readPosts(t, "", []byte(in), Options{Format: "generic-jsonl", Strict: true}); !errors.Is(err, ErrStrict) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("strict: %v", err)
	}
}

func FuzzGenericJSONL(f *testing.F) {
	addFuzzSeeds(f, "testdata/generic_sample.jsonl")
	for _, b := range [][]byte{
		[]byte(`{"tweet_id":9007199254740993,"user":"u","date":"2016-03-22 09:00","body":"RT @x: y"}`),
		[]byte(`{"account_id":"a","time":"1458633600","repost_of":{"post_id":"1","inferred":true},"media":[{"type":"photo"}]}`),
	} {
		f.Add(b)
	}
	m := map[string]string{"id": "tweet_id", "account": "user", "time": "date", "text": "body"}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range []Options{{Format: "generic-jsonl"}, {Format: "generic-jsonl", Map: m}} {
			opts.Limits = Limits{MaxRecordBytes: 1 << 20}
			var n int64
			st, _ := ReadStream(context.Background(), "-", bytes.NewReader(data), opts, func(p *model.Post) error {
				n++
				// The generic schema allows a post without an id.
				if (p.AccountID == "" && p.Handle == "") || p.Time.IsZero() || p.Time.Location() != time.UTC || p.Platform == model.PlatformUnknown {
					t.Fatalf("incomplete post %+v", *p)
				}
				return nil
			})
			if st.Posts != n {
				t.Fatalf("stats count %d posts, %d emitted", st.Posts, n)
			}
		}
	})
}
