package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

// fuzzRead feeds data through ReadStream with the format forced and a
// 1 MiB record limit, checking that every emitted post is complete and
// that the stats agree with what was emitted. Errors are allowed (the
// input is arbitrary); panics and hangs are not.
func fuzzRead(t *testing.T, format string, data []byte) {
	opts := Options{Format: format, Limits: Limits{MaxRecordBytes: 1 << 20}}
	var n int64
	st, _ := ReadStream(context.Background(), "-", bytes.NewReader(data), opts, func(p *model.Post) error {
		n++
		if p.ID == "" || (p.AccountID == "" && p.Handle == "") || p.Time.IsZero() || p.Platform == model.PlatformUnknown {
			t.Fatalf("incomplete post %+v", *p)
		}
		if p.Time.Location() != time.UTC {
			t.Fatalf("post time %v not in UTC", p.Time)
		}
		if format == "telegram-json" {
			for _, m := range p.Media {
				if strings.HasPrefix(m.Ref, "/") || strings.Contains(m.Ref, `\`) || m.Ref == ".." || strings.HasPrefix(m.Ref, "../") || strings.Contains(m.Ref, "/../") || strings.HasSuffix(m.Ref, "/..") {
					t.Fatalf("unsafe media ref kept: %q", m.Ref)
				}
			}
		}
		return nil
	})
	if st.Posts != n {
		t.Fatalf("stats count %d posts, %d emitted", st.Posts, n)
	}
}

// addFuzzSeeds adds small files whole and, for JSONL files, some of their
// lines one by one (small seeds keep the fuzzer's mutation and
// minimisation fast).
func addFuzzSeeds(f *testing.F, files ...string) {
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) <= 16<<10 {
			f.Add(b)
		}
		if strings.HasSuffix(path, ".jsonl") {
			lines := bytes.Split(b, []byte("\n"))
			for i, l := range lines {
				if i < 3 || i == len(lines)-2 {
					f.Add(l)
				}
			}
		}
	}
}

// gzipBytes compresses b, for seeds that exercise decompression.
func gzipBytes(f *testing.F, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		f.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

func FuzzTwitterV1(f *testing.F) {
	addFuzzSeeds(f, "testdata/twitter_v1_stream.jsonl")
	lines := readGzipLines(f, "testdata/twitter_v1_sample.jsonl.gz")
	for _, l := range lines[:4] {
		f.Add([]byte(l))
	}
	f.Add([]byte("[" + lines[0] + ",\n" + lines[1] + "]"))
	f.Add(gzipBytes(f, []byte(lines[2]+"\n")))
	f.Add([]byte("{\n  \"id_str\": \"1\",\n  \"user\": {\"id_str\": \"2\"},\n  \"created_at\": \"Thu Feb 16 20:08:01 +0000 2017\"\n}\n"))
	f.Add([]byte(`{"delete":{}}` + "\n" + `{"id":1}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "twitter-v1", data) })
}

func FuzzTwitterV2(f *testing.F) {
	addFuzzSeeds(f, "testdata/twitter_v2_two_tweets.jsonl", "testdata/twitter_v2_media.jsonl", "testdata/twitter_v2_quoted_edit.jsonl", "testdata/twitter_v2_pretty_page.json", "testdata/twitter_v2_stream_error.jsonl")
	f.Add([]byte(`{"data":{"id":"1","author_id":"2","created_at":"2021-01-01T00:00:00Z","text":"x","referenced_tweets":[{"type":"retweeted","id":"3"}]},"includes":{"tweets":[{"id":"3","author_id":"4"}],"users":[{"id":"4","username":"u"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "twitter-v2", data) })
}

func FuzzTelegramJSON(f *testing.F) {
	addFuzzSeeds(f, "testdata/telegram_result.json", "testdata/telegram_export/result.json")
	f.Add([]byte(`{"id":1,"messages":[{"id":1,"type":"message","date_unixtime":"1709287500","from_id":"user1","photo":"../x","text":["a",{"type":"hashtag","text":"#b"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "telegram-json", data) })
}
