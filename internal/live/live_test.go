package live

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
)

// readFixture decodes a testdata file as one message.
func readFixture(t *testing.T, p *Pipeline, name string) Decoded {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var d Decoded
	if err := p.Decode(context.Background(), "test:"+name, b, &d); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

// TestDecodeAnyFormat: one message may hold any supported format.
func TestDecodeAnyFormat(t *testing.T) {
	p := newPipeline(t, openStore(t, ""), testConfig(), &countingDetector{})
	for name, want := range map[string]struct {
		format string
		posts  int
	}{
		"generic_posts.jsonl":         {"generic-jsonl", 6},
		"twitter_v2_two_tweets.jsonl": {"twitter-v2", 1},
		"twarc_v1_sample.csv":         {"twarc-csv", 5},
		"telegram_result.json":        {"telegram-json", 0},
	} {
		d := readFixture(t, p, name)
		if d.Format != want.format || (want.posts > 0 && len(d.Posts) != want.posts) || len(d.Posts) == 0 {
			t.Errorf("%s: format %q, %d posts; want %q, %d", name, d.Format, len(d.Posts), want.format, want.posts)
		}
		for _, q := range d.Posts {
			if q.Source.File != "test:"+name {
				t.Fatalf("%s: source %q", name, q.Source.File)
			}
		}
	}
	var d Decoded
	err := p.Decode(context.Background(), "test:junk", []byte("\x00\x01\x02 not any format"), &d)
	if !errors.Is(err, ingest.ErrUnknownFormat) || len(d.Posts) != 0 {
		t.Fatalf("junk: %v, %d posts; want ErrUnknownFormat and none", err, len(d.Posts))
	}
}

// TestGenericJSONRoundTrip: replay's encoding reads back to the same post
// (so replay publishes exactly what it read, whatever the input format).
func TestGenericJSONRoundTrip(t *testing.T) {
	p := newPipeline(t, openStore(t, ""), testConfig(), &countingDetector{})
	for _, name := range []string{"generic_posts.jsonl", "twitter_v2_two_tweets.jsonl", "twarc_v1_sample.csv", "telegram_result.json"} {
		in := readFixture(t, p, name).Posts
		var buf []byte
		for i := range in {
			buf = appendGenericJSON(buf, &in[i])
		}
		var out Decoded
		if err := p.Decode(context.Background(), "rt", buf, &out); err != nil {
			t.Fatalf("%s: re-read: %v", name, err)
		}
		if len(out.Posts) != len(in) {
			t.Fatalf("%s: %d posts back, want %d", name, len(out.Posts), len(in))
		}
		for i := range in {
			a, b := in[i], out.Posts[i]
			a.Source, b.Source = model.SourcePos{}, model.SourcePos{}
			if a.Platform == model.PlatformUnknown {
				a.Platform = model.PlatformGeneric
			}
			norm := func(p *model.Post) {
				for _, s := range []*[]string{&p.Hashtags, &p.Mentions, &p.URLs} {
					if len(*s) == 0 {
						*s = nil
					}
				}
				if len(p.Media) == 0 {
					p.Media = nil
				}
			}
			norm(&a)
			norm(&b)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s post %d changed:\n in  %+v\n out %+v", name, i, a, b)
			}
			if string(appendKey(nil, &in[i])) != string(appendKey(nil, &out.Posts[i])) {
				t.Fatalf("%s post %d: key changed", name, i)
			}
		}
	}
}

func TestPostCodecRoundTrip(t *testing.T) {
	p := newPipeline(t, openStore(t, ""), testConfig(), &countingDetector{})
	posts := readFixture(t, p, "generic_posts.jsonl").Posts
	posts = append(posts, readFixture(t, p, "twitter_v2_two_tweets.jsonl").Posts...)
	for i := range posts {
		b := appendPost(nil, &posts[i])
		var got model.Post
		if err := decodePost(b, &got); err != nil {
			t.Fatal(err)
		}
		want := posts[i]
		want.Time = want.Time.UTC()
		if !reflect.DeepEqual(normalized(want), normalized(got)) {
			t.Fatalf("post %d changed:\n in  %+v\n out %+v", i, want, got)
		}
		for cut := range len(b) {
			if err := decodePost(b[:cut], &got); !errors.Is(err, ErrCorruptRecord) {
				t.Fatalf("post %d cut at %d of %d: %v, want ErrCorruptRecord", i, cut, len(b), err)
			}
		}
	}
}

func normalized(p model.Post) model.Post {
	for _, s := range []*[]string{&p.Hashtags, &p.Mentions, &p.URLs} {
		if len(*s) == 0 {
			*s = nil
		}
	}
	if len(p.Media) == 0 {
		p.Media = nil
	}
	return p
}

// TestRecordExactlyOnce: a batch recorded twice, a batch repeating a post,
// and a restart on the same store give each post to the detector once; a
// restart rebuilds the detector from the store within the horizon.
func TestRecordExactlyOnce(t *testing.T) {
	e := synthEvent(t)
	path := filepath.Join(t.TempDir(), "chorus.db")
	db := openStore(t, path)
	det := &countingDetector{}
	p := newPipeline(t, db, testConfig(), det)
	ctx := context.Background()
	half := len(e.posts) / 2
	c, err := p.Record(ctx, e.posts[:half])
	if err != nil {
		t.Fatal(err)
	}
	if c.New != int64(distinctKeys(e.posts[:half])) {
		t.Fatalf("first half: %+v, want %d new", c, distinctKeys(e.posts[:half]))
	}
	// Redelivery of an overlapping range.
	c2, err := p.Record(ctx, e.posts[half/2:])
	if err != nil {
		t.Fatal(err)
	}
	n, maxPer := det.counts()
	if want := distinctKeys(e.posts); n != want || maxPer != 1 {
		t.Fatalf("detector got %d posts (max %d per key), want %d once each (second batch %+v)", n, maxPer, want, c2)
	}
	if k := storeKeys(t, db); k != int64(distinctKeys(e.posts)) {
		t.Fatalf("store holds %d keys, want %d", k, distinctKeys(e.posts))
	}
	db.Close()

	// Restart: the detector is rebuilt from the store, with everything
	// inside the (11-day) horizon; records of the same posts add nothing.
	db2 := openStore(t, path)
	det2 := &countingDetector{}
	p2 := newPipeline(t, db2, testConfig(), det2)
	if n, _ := det2.counts(); n != distinctKeys(e.posts) || p2.rebuilt != int64(n) {
		t.Fatalf("rebuilt %d posts (counter %d), want %d", n, p2.rebuilt, distinctKeys(e.posts))
	}
	c3, err := p2.Record(ctx, e.posts)
	if err != nil {
		t.Fatal(err)
	}
	if c3.New != 0 || c3.Duplicates != int64(len(e.posts)) {
		t.Fatalf("after restart: %+v, want all %d duplicates", c3, len(e.posts))
	}

	// A short horizon rebuilds only its span; pruning then releases the
	// older data and keeps the keys.
	cfg := testConfig()
	cfg.Live.Horizon = 6 * time.Hour
	db2.Close()
	db3 := openStore(t, path)
	det3 := &countingDetector{}
	p3 := newPipeline(t, db3, cfg, det3)
	newest := e.posts[len(e.posts)-1].Time
	want := 0
	for i := range e.posts {
		if !e.posts[i].Time.Before(newest.Add(-6 * time.Hour)) {
			want++
		}
	}
	if n, _ := det3.counts(); n != want {
		t.Fatalf("6 h horizon rebuilt %d posts, want %d", n, want)
	}
	if err := p3.prune(ctx); err != nil {
		t.Fatal(err)
	}
	// Keys are kept for DefaultKeyRetention (7 days) behind the newest
	// post; the event spans 10 days.
	var kept []model.Post
	for i := range e.posts {
		if !e.posts[i].Time.Before(newest.Add(-DefaultKeyRetention)) {
			kept = append(kept, e.posts[i])
		}
	}
	lc, _ := db3.LiveCounts(ctx)
	if lc.Keys != int64(distinctKeys(kept)) || lc.Held != int64(want) || lc.Keys == int64(distinctKeys(e.posts)) {
		t.Fatalf("after prune: %+v; want %d keys (of %d), %d held", lc, distinctKeys(kept), distinctKeys(e.posts), want)
	}
	// A redelivered post older than the retention is refused as stale,
	// never counted again; a recent one is a duplicate.
	c4, err := p3.Record(ctx, []model.Post{e.posts[0], e.posts[len(e.posts)-1]})
	if err != nil {
		t.Fatal(err)
	}
	if c4.Stale != 1 || c4.Duplicates != 1 || c4.New != 0 {
		t.Fatalf("old and recent redelivery: %+v, want 1 stale, 1 duplicate", c4)
	}
}

// BenchmarkRecord measures the whole recording path (keys, encoding, one
// store transaction per batch) in posts/s, for the consumers' batch sizes.
func BenchmarkRecord(b *testing.B) {
	for _, size := range []int{256, 1000, 4000} {
		b.Run("batch="+itoa(size), func(b *testing.B) { benchRecord(b, size) })
	}
}

func benchRecord(b *testing.B, size int) {
	e := synthEvent(b)
	db := openStore(b, "")
	p := newPipeline(b, db, testConfig(), nopDetector{})
	ctx := context.Background()
	posts := make([]model.Post, size)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range posts {
			posts[i] = e.posts[n%len(e.posts)]
			posts[i].ID = "b" + itoa(n) // always new
			n++
		}
		if _, err := p.Record(ctx, posts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "posts/s")
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// nopDetector takes posts and finds nothing (benchmarks of the recording
// path alone).
type nopDetector struct{}

func (nopDetector) Add([]model.Post) {}
func (nopDetector) Evaluate(_ context.Context, now time.Time) (detectResult, error) {
	return detectResult{At: now}, nil
}
func (nopDetector) Snapshot() detectResult { return detectResult{} }

// BenchmarkDecodeMessage decodes messages of 64 synthetic posts (generic
// JSONL, as replay sends them): bytes/s and posts/s of the decoder.
func BenchmarkDecodeMessage(b *testing.B) {
	e := synthEvent(b)
	p := newPipeline(b, openStore(b, ""), testConfig(), nopDetector{})
	var msgs [][]byte
	for i := 0; i+64 <= len(e.posts) && len(msgs) < 64; i += 64 {
		var buf []byte
		for j := i; j < i+64; j++ {
			buf = appendGenericJSON(buf, &e.posts[j])
		}
		msgs = append(msgs, buf)
	}
	b.SetBytes(int64(len(msgs[0])))
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		var d Decoded
		if err := p.Decode(context.Background(), "bench", msgs[i%len(msgs)], &d); err != nil {
			b.Fatal(err)
		}
		n += len(d.Posts)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "posts/s")
}
