package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/model"
)

// FuzzReadBytes: any in-memory payload (a live-mode message, an HTTP
// ingest body) is sniffed and read without a panic or hang; every post is
// complete and the stats agree with what was emitted. It lives here, not
// beside the live consumers, because a fuzz worker's speed falls with the
// size of the instrumented binary: linked with SQLite and the NATS server,
// the same target manages a few executions a second, here thousands.
func FuzzReadBytes(f *testing.F) {
	for _, name := range []string{"generic_sample.csv", "twitter_v1_stream.jsonl", "twitter_v2_two_tweets.jsonl", "twarc_v1_sample.csv", "telegram_result.json", "telethon_sample.csv", "coortweet_sample.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 8<<10)])
	}
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := Options{Limits: Limits{MaxRecordBytes: 1 << 20}}
		var n int64
		st, err := ReadBytes(context.Background(), "fuzz", data, opts, func(p *model.Post) error {
			n++
			if (p.AccountID == "" && p.Handle == "") || p.Time.IsZero() || p.Time.Location() != time.UTC {
				t.Fatalf("incomplete post %+v", *p)
			}
			return nil
		})
		if err == nil && st.Posts != n {
			t.Fatalf("stats count %d posts, %d emitted", st.Posts, n)
		}
	})
}
