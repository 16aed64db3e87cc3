package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorus-osint/chorus/internal/model"
)

func TestReadBytes(t *testing.T) {
	payload := []byte(`{"id":"1","account_id":"10","handle":"a","time":"2024-01-02T03:04:05Z","text":"hi #x","hashtags":["x"]}
{"id":"2","account_id":"11","time":"2024-01-02T03:04:06.5Z","text":"RT @a: hi #x","repost_of":{"post_id":"1","handle":"a"}}
`)
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(payload)
	zw.Close()
	for name, b := range map[string][]byte{"plain": payload, "gzip": zb.Bytes()} {
		var got []model.Post
		st, err := ReadBytes(context.Background(), "nats:s#1", b, Options{}, func(p *model.Post) error {
			var c model.Post
			c.CopyFrom(p)
			got = append(got, c)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if st.Path != "nats:s#1" || st.Format != "generic-jsonl" || st.Posts != 2 {
			t.Fatalf("%s: stats %+v", name, st)
		}
		if len(got) != 2 || got[1].RepostOf.PostID != "1" || got[1].Time.UnixMilli()%1000 != 500 || got[0].Source.File != "nats:s#1" {
			t.Fatalf("%s: posts %+v", name, got)
		}
	}
	_, err := ReadBytes(context.Background(), "kafka:t/0@7", []byte("\x00\x01 not a format"), Options{}, func(*model.Post) error { return nil })
	if !errors.Is(err, ErrUnknownFormat) || !strings.HasPrefix(err.Error(), "kafka:t/0@7: ") {
		t.Fatalf("unknown payload: %v (want ErrUnknownFormat named after the message)", err)
	}
}

// TestReadBytesMatchesReadFile: every reader fixture gives the same posts
// and counts through ReadBytes as through ReadFile (the payload buffer is
// sized to the message, the file buffer is 1 MiB).
func TestReadBytesMatchesReadFile(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.*")
	n := 0
	for _, path := range paths {
		if strings.HasSuffix(path, ".md") {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		collect := func(out *[]string) Emit {
			return func(p *model.Post) error {
				*out = append(*out, fmt.Sprintf("%s|%s|%s|%s|%v|%v|%v|%+v|%d", p.ID, p.AccountID, p.Time, p.Text, p.Hashtags, p.URLs, p.Media, p.RepostOf, p.Source.Line))
				return nil
			}
		}
		var fromFile, fromBytes []string
		stF, errF := ReadFile(context.Background(), path, Options{}, collect(&fromFile))
		stB, errB := ReadBytes(context.Background(), "msg", b, Options{}, collect(&fromBytes))
		if (errF == nil) != (errB == nil) || stF.Posts != stB.Posts || stF.Skipped != stB.Skipped || stF.Format != stB.Format {
			t.Errorf("%s: file %d posts %d skipped %q (%v); bytes %d posts %d skipped %q (%v)", path,
				stF.Posts, stF.Skipped, stF.Format, errF, stB.Posts, stB.Skipped, stB.Format, errB)
			continue
		}
		if strings.Join(fromFile, "\n") != strings.Join(fromBytes, "\n") {
			t.Errorf("%s: posts differ between ReadFile and ReadBytes", path)
		}
		n++
	}
	if n < 15 {
		t.Fatalf("only %d fixtures compared", n)
	}
}
