package ingest

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

func TestFifthTribeFixture(t *testing.T) {
	in := csvTestdata(t, "fifthtribe_sample.csv")
	if got := sniff(in).Format; got != "fifthtribe-csv" {
		t.Fatalf("sniff = %q", got)
	}
	posts, st, err := csvPosts(t, "x.csv", in, Options{})
	if err != nil || st.Posts != 8 || st.Skipped != 0 {
		t.Fatalf("err = %v, posts = %d, skipped = %d", err, st.Posts, st.Skipped)
	}
	p := posts[0]
	if p.Handle != "GunsandCoffee70" || p.ID != "" || p.Platform != model.PlatformTwitter ||
		!p.Time.Equal(time.Date(2015, 1, 6, 21, 7, 0, 0, time.UTC)) || p.Source.Line != 2 || p.Source.Offset != 73 {
		t.Errorf("first post = %+v", p)
	}
	if !slices.Equal(p.URLs, []string{"http://t.co/73xFszsjvr", "http://t.co/x8BZcscXzq"}) {
		t.Errorf("urls = %q", p.URLs)
	}
	var arabic, multi, rt, amp bool
	for _, p := range posts {
		for _, h := range p.Hashtags {
			if strings.ContainsFunc(h, func(r rune) bool { return r >= 0x600 && r <= 0x6ff }) {
				arabic = true
			}
		}
		if strings.Contains(p.Text, "\n") {
			multi = true
		}
		if p.RepostOf.Inferred && p.RepostOf.Handle != "" && strings.HasPrefix(p.Text, "RT @"+p.RepostOf.Handle+":") {
			rt = true
		}
		if strings.Contains(p.Text, "&amp;") {
			t.Errorf("text not unescaped: %q", p.Text)
		}
		if strings.Contains(p.Text, " & ") {
			amp = true
		}
		line, _, _ := strings.Cut(string(in[p.Source.Offset:]), "\n")
		if !strings.Contains(line, ","+p.Handle+",") {
			t.Errorf("post at offset %d: the line there is not %s's: %.60q", p.Source.Offset, p.Handle, line)
		}
	}
	if !arabic || !multi || !rt || !amp {
		t.Errorf("fixture features: arabic hashtag %v, multi-line %v, RT %v, unescaped & %v", arabic, multi, rt, amp)
	}
}

func TestFifthTribeTZ(t *testing.T) {
	in := csvTestdata(t, "fifthtribe_sample.csv")
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	posts, _, err := csvPosts(t, "x.csv", in, Options{TZ: ny})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2015, 1, 7, 2, 7, 0, 0, time.UTC); !posts[0].Time.Equal(want) {
		t.Errorf("naive time in --tz: %v, want %v", posts[0].Time, want)
	}
}

func TestIsisFanboyFixture(t *testing.T) {
	in := csvTestdata(t, "isisfanboy_sample.csv")
	posts, st, err := csvPosts(t, "x.csv", in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Posts != 6 || st.Skipped != 1 || st.SkipSamples[0].Line != 8 || st.SkipSamples[0].Reason != "wrong field count" {
		t.Errorf("posts = %d, skips = %+v; want 6 and one wrong-field-count skip at line 8", st.Posts, st.SkipSamples)
	}
	for _, p := range posts {
		if p.ID != "" {
			t.Errorf("IsisFanboy tweetid used as post id: %q", p.ID)
		}
	}
	if posts[0].URLs[0] != "https://justpaste.it/MESSAGETOTHETRUTHFULINSYRIA" {
		t.Errorf("urls = %q", posts[0].URLs)
	}
	strict := Options{Strict: true}
	if _, _, err := csvPosts(t, "x.csv", in, strict); err == nil || !strings.Contains(err.Error(), "line 8") {
		t.Errorf("strict: err = %v, want ErrStrict naming line 8", err)
	}
}

// Counts computed independently with Python's csv module (see the test
// README numbers): Fifth Tribe has 17,410 rows; 5,824 texts match the
// "RT @handle:" rule of SplitRTPrefix; 7,124 rows have a hashtag under
// the hashtag rule (17,314 hashtags, 637 in Arabic script); 112 handles.
// IsisFanboy has 17,391 five-field rows, 5,819 RT texts, and a trailing
// one-field record at line 17,393 (byte 3,038,215).
func TestFifthTribeFullFiles(t *testing.T) {
	withTags, tags, handles := 0, 0, map[string]bool{}
	st := csvFileEach(t, csvSharedData+"/fifthtribe-how-isis-uses-twitter/tweets.csv.gz", Options{}, func(p *model.Post) {
		if len(p.Hashtags) > 0 {
			withTags++
		}
		tags += len(p.Hashtags)
		handles[p.Handle] = true
	})
	if st.Format != "fifthtribe-csv" || st.Posts != 17410 || st.Skipped != 0 || st.Reposts != 5824 || st.Inferred != 5824 || st.Replies != 0 {
		t.Errorf("fifth tribe stats = %+v", st)
	}
	if withTags != 7124 || tags != 17314 || len(handles) != 112 {
		t.Errorf("posts with hashtags = %d (want 7124), hashtags = %d (want 17314), handles = %d (want 112)", withTags, tags, len(handles))
	}
	if !st.First.Equal(time.Date(2015, 1, 6, 21, 7, 0, 0, time.UTC)) || !st.Last.Equal(time.Date(2016, 5, 13, 16, 10, 0, 0, time.UTC)) {
		t.Errorf("range %v .. %v", st.First, st.Last)
	}

	st = csvFileEach(t, csvSharedData+"/isis-fanboy-expanded-urls/IsisFanboy.csv.gz", Options{}, func(*model.Post) {})
	if st.Format != "fifthtribe-csv" || st.Posts != 17391 || st.Skipped != 1 || st.Reposts != 5819 {
		t.Errorf("isis fanboy stats = %+v", st)
	}
	if len(st.SkipSamples) != 1 || st.SkipSamples[0].Line != 17393 || st.SkipSamples[0].Offset != 3038215 {
		t.Errorf("skip = %+v, want line 17393 byte 3038215", st.SkipSamples)
	}
}

func FuzzFifthTribeCSV(f *testing.F) {
	f.Add(csvTestdata(f, "fifthtribe_sample.csv"))
	f.Add(csvTestdata(f, "isisfanboy_sample.csv"))
	f.Add([]byte("name,username,time,tweets\nA,b,1/2/2016 3:04,\"x\"\"y\ny\" #t @u http://a.b/c\n"))
	f.Fuzz(func(t *testing.T, in []byte) { fuzzCSVReader(t, in, "fifthtribe-csv") })
}

// fuzzCSVReader reads in with format and checks invariants that hold for
// any input: no panic, errors only of the documented kinds, every post
// located inside the input at a line past the header, a time and an
// account set.
func fuzzCSVReader(t *testing.T, in []byte, format string) {
	opts := Options{Format: format, Limits: Limits{MaxRecordBytes: 4096, MaxCSVFields: 64}}
	var n int64
	st, err := ReadStream(context.Background(), "-", bytes.NewReader(in), opts, func(p *model.Post) error {
		n++
		if p.Source.Line < 2 || p.Source.Offset < 0 || p.Source.Offset >= int64(len(in)) {
			t.Fatalf("post at line %d offset %d outside the input (%d bytes)", p.Source.Line, p.Source.Offset, len(in))
		}
		if p.Time.IsZero() || (p.AccountID == "" && p.Handle == "") {
			t.Fatalf("post without time or account: %+v", p)
		}
		checkCSVPosition(t, in, p.Source.Line, p.Source.Offset)
		return nil
	})
	if err != nil && !isDocumentedCSVError(err) {
		t.Fatalf("undocumented error: %v", err)
	}
	if st.Posts != n {
		t.Fatalf("stats count %d posts, emitted %d", st.Posts, n)
	}
	for _, s := range st.SkipSamples {
		if s.Offset < 0 || s.Offset > int64(len(in)) || s.Line < 1 {
			t.Fatalf("skip outside the input: %+v", s)
		}
		checkCSVPosition(t, in, s.Line, s.Offset)
	}
}

func isDocumentedCSVError(err error) bool {
	for _, e := range []error{ErrMalformed, ErrLimit, ErrStrict} {
		if errorsIs(err, e) {
			return true
		}
	}
	return false
}

func BenchmarkFifthTribeCSV(b *testing.B) {
	benchCSVFile(b, csvSharedData+"/fifthtribe-how-isis-uses-twitter/tweets.csv.gz", "fifthtribe-csv")
}

// benchCSVFile decompresses path once and reads it from memory b.N times,
// reporting MB/s of CSV and posts/s.
func benchCSVFile(b *testing.B, path, format string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	data := raw
	if bytes.HasPrefix(raw, magicGzip) {
		data = gunzipForBench(b, raw)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var posts int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := ReadStream(context.Background(), "-", bytes.NewReader(data), Options{Format: format}, func(*model.Post) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		posts += st.Posts
	}
	b.ReportMetric(float64(posts)/b.Elapsed().Seconds(), "posts/s")
}

// checkCSVPosition checks that offset is a line start (records start
// there) and that line is its 1-based line number.
func checkCSVPosition(t *testing.T, in []byte, line, offset int64) {
	t.Helper()
	if offset == 0 || in[offset-1] != '\n' {
		t.Fatalf("record at offset %d (line %d) is not at a line start", offset, line)
	}
	if want := int64(bytes.Count(in[:offset], []byte{'\n'})) + 1; want != line {
		t.Fatalf("record at offset %d: line %d, want %d", offset, line, want)
	}
}
