package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/chorus-osint/chorus/internal/model"
)

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func readBytes(t *testing.T, name string, data []byte, opts Options) (FileStats, []model.Post, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var posts []model.Post
	st, err := ReadFile(context.Background(), path, opts, func(p *model.Post) error {
		var c model.Post
		c.CopyFrom(p)
		posts = append(posts, c)
		return nil
	})
	return st, posts, err
}

const genericLine = `{"id":"1","account_id":"a","time":"2016-03-22T07:00:00Z","text":"hello"}` + "\n"

func TestDecompressionBombRatio(t *testing.T) {
	// 8 MiB of one repeated line compresses ~1000:1 at most with gzip;
	// with a ratio limit of 50 after 1 MiB it must stop with ErrLimit.
	data := gz(t, bytes.Repeat([]byte(genericLine), (8<<20)/len(genericLine)))
	_, _, err := readBytes(t, "bomb.jsonl.gz", data, Options{Limits: Limits{MaxRatio: 50, RatioAfter: 1 << 20}})
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "bomb") {
		t.Fatalf("err = %v, want ErrLimit naming a decompression bomb", err)
	}
	// The same file under the default limits is fine.
	st, _, err := readBytes(t, "ok.jsonl.gz", data, Options{})
	if err != nil || st.Posts == 0 {
		t.Fatalf("default limits: posts %d err %v", st.Posts, err)
	}
}

func TestMaxDecompressedEdge(t *testing.T) {
	data := bytes.Repeat([]byte(genericLine), 100)
	n := int64(len(data))
	if _, _, err := readBytes(t, "at.jsonl.gz", gz(t, data), Options{Limits: Limits{MaxDecompressed: n}}); err != nil {
		t.Fatalf("exactly at the limit: %v", err)
	}
	if _, _, err := readBytes(t, "over.jsonl.gz", gz(t, data), Options{Limits: Limits{MaxDecompressed: n - 1}}); !errors.Is(err, ErrLimit) {
		t.Fatalf("one byte over: err = %v, want ErrLimit", err)
	}
}

func TestZstdAndGzipTransparent(t *testing.T) {
	data := bytes.Repeat([]byte(genericLine), 3)
	var zbuf bytes.Buffer
	zw, _ := zstd.NewWriter(&zbuf)
	zw.Write(data)
	zw.Close()
	for name, b := range map[string][]byte{"plain.jsonl": data, "g.jsonl.gz": gz(t, data), "z.jsonl.zst": zbuf.Bytes(), "noext": gz(t, data)} {
		st, _, err := readBytes(t, name, b, Options{})
		if err != nil || st.Posts != 3 || st.Format != "generic-jsonl" {
			t.Errorf("%s: posts %d format %q err %v", name, st.Posts, st.Format, err)
		}
	}
}

func TestStdin(t *testing.T) {
	st, err := ReadStream(context.Background(), "-", strings.NewReader(genericLine+genericLine), Options{}, func(*model.Post) error { return nil })
	if err != nil || st.Posts != 2 {
		t.Fatalf("stdin: posts %d err %v", st.Posts, err)
	}
}

func TestRecordSizeEdge(t *testing.T) {
	line := strings.TrimSuffix(genericLine, "\n")
	pad := `{"id":"2","account_id":"a","time":"2016-03-22T07:00:00Z","text":"` + strings.Repeat("x", 2000) + `"}`
	lim := Limits{MaxRecordBytes: len(pad)}
	st, _, err := readBytes(t, "edge.jsonl", []byte(line+"\n"+pad+"\n"), Options{Limits: lim})
	if err != nil || st.Posts != 2 || st.Skipped != 0 {
		t.Fatalf("record exactly at the limit: posts %d skipped %d err %v", st.Posts, st.Skipped, err)
	}
	lim.MaxRecordBytes = len(pad) - 1
	st, _, err = readBytes(t, "over.jsonl", []byte(line+"\n"+pad+"\n"+line+"\n"), Options{Limits: lim})
	if err != nil || st.Posts != 2 || st.Skipped != 1 || st.SkipSamples[0].Line != 2 {
		t.Fatalf("record one byte over: posts %d skipped %d samples %+v err %v", st.Posts, st.Skipped, st.SkipSamples, err)
	}
	if _, _, err := readBytes(t, "strict.jsonl", []byte(pad+"\n"), Options{Limits: lim, Strict: true}); !errors.Is(err, ErrStrict) {
		t.Fatalf("strict: err = %v, want ErrStrict", err)
	}
}

func TestNestingEdge(t *testing.T) {
	nest := func(d int) string {
		return `{"id":"1","account_id":"a","time":"2016-03-22T07:00:00Z","x":` + strings.Repeat("[", d-1) + strings.Repeat("]", d-1) + "}\n"
	}
	st, _, err := readBytes(t, "at.jsonl", []byte(nest(10)), Options{Format: "generic-jsonl", Limits: Limits{MaxDepth: 10}})
	if err != nil || st.Posts != 1 {
		t.Fatalf("depth at the limit: posts %d skipped %d err %v", st.Posts, st.Skipped, err)
	}
	st, _, err = readBytes(t, "over.jsonl", []byte(nest(11)), Options{Format: "generic-jsonl", Limits: Limits{MaxDepth: 10}})
	if err != nil || st.Posts != 0 || st.Skipped != 1 || st.SkipSamples[0].Reason != "nesting too deep" {
		t.Fatalf("depth over the limit: posts %d skipped %d %+v err %v", st.Posts, st.Skipped, st.SkipSamples, err)
	}
	// A hostile 10 MB line of '[' must be rejected by the scan, not crash a
	// recursive decoder.
	st, _, err = readBytes(t, "deep.jsonl", []byte(strings.Repeat("[", 10<<20)+"\n"), Options{Format: "generic-jsonl"})
	if err != nil || st.Skipped != 1 {
		t.Fatalf("10 MB of '[': skipped %d err %v", st.Skipped, err)
	}
}

func TestUnknownFormatNamesClosestGuess(t *testing.T) {
	_, _, err := readBytes(t, "odd.csv", []byte("user,when,body\nx,2016-01-01,hello\n"), Options{})
	if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "odd.csv") || !strings.Contains(err.Error(), "--map") {
		t.Fatalf("err = %v, want ErrUnknownFormat naming the file and suggesting --map", err)
	}
	_, _, err = readBytes(t, "bin.dat", []byte{0, 1, 2, 3, 4, 5, 0, 0, 0, 9, 9}, Options{})
	if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "binary") {
		t.Fatalf("binary: err = %v", err)
	}
	_, _, err = readBytes(t, "empty.jsonl", nil, Options{})
	if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("empty: err = %v", err)
	}
}
