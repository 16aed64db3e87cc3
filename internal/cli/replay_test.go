package cli

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/chorus-osint/chorus/internal/live"
)

// replayInput is five generic posts out of time order, and one malformed line.
const replayInput = `{"id":"3","account_id":"a","time":"2015-11-13T20:20:03Z","text":"three"}
{"id":"1","account_id":"a","time":"2015-11-13T20:20:01Z","text":"one"}
{broken
{"id":"5","account_id":"b","time":"2015-11-13T20:20:05Z","text":"five"}
{"id":"2","account_id":"b","time":"2015-11-13T20:20:02Z","text":"two"}
{"id":"4","account_id":"c","time":"2015-11-13T20:20:04Z","text":"four"}
`

func writeReplayInput(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "posts.jsonl")
	if err := os.WriteFile(p, []byte(replayInput), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReplayHTTP: posts reach the ingest endpoint sorted by time, with the
// token from CHORUS_TOKEN, paced by --speed; the counts are reported.
func TestReplayHTTP(t *testing.T) {
	var mu sync.Mutex
	var ids []string
	var arrivals []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-123" || r.Header.Get("Content-Type") != "application/x-ndjson" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		sc := bufio.NewScanner(r.Body)
		mu.Lock()
		defer mu.Unlock()
		for sc.Scan() {
			line := sc.Text()
			i := strings.Index(line, `"id":"`)
			ids = append(ids, line[i+6:i+7])
			arrivals = append(arrivals, time.Now())
		}
		w.Write([]byte(`{"new":1}`))
	}))
	defer srv.Close()
	t.Setenv(envToken, "tok-123")
	in := writeReplayInput(t)
	var out, errb bytes.Buffer
	// 4 s of posts at 10x: about 0.4 s; each post its own message.
	code := RunIO(context.Background(), []string{"replay", "--to", srv.URL + "/api/live/ingest", "--speed", "10x", in}, nil, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
	}
	if got := strings.Join(ids, ""); got != "12345" {
		t.Fatalf("posts arrived as %q, want time order 12345", got)
	}
	if span := arrivals[4].Sub(arrivals[0]); span < 300*time.Millisecond || span > 3*time.Second {
		t.Fatalf("4 s of posts at 10x took %s, want about 0.4 s", span)
	}
	if !strings.Contains(out.String(), "sent 5 posts in 5 messages") || !strings.Contains(out.String(), "skipped 1 (1 malformed records") {
		t.Fatalf("report: %s", out.String())
	}
	// A refused token is an error naming the answer.
	t.Setenv(envToken, "wrong")
	out.Reset()
	errb.Reset()
	if code := RunIO(context.Background(), []string{"replay", "--to", srv.URL, in}, nil, &out, &errb); code != exitError || !strings.Contains(errb.String(), "401") {
		t.Fatalf("wrong token: exit %d, %s", code, errb.String())
	}
}

// TestReplayNATS: --speed max into a JetStream subject (stream created).
func TestReplayNATS(t *testing.T) {
	e, err := live.StartEmbeddedNATS("nats://127.0.0.1:0", filepath.Join(t.TempDir(), "nats"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Shutdown()
	in := writeReplayInput(t)
	var out, errb bytes.Buffer
	code := RunIO(context.Background(), []string{"replay", "--to", e.URL() + "/chorus.test", "--nats-stream", "TEST", in}, nil, &out, &errb)
	if code != exitOK || !strings.Contains(out.String(), "sent 5 posts in 1 messages") {
		t.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
	}
	nc, err := nats.Connect(e.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	s, err := js.Stream(context.Background(), "TEST")
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil || info.State.Msgs != 1 {
		t.Fatalf("stream holds %v messages (%v), want 1", info, err)
	}
}

func TestReplayUsage(t *testing.T) {
	in := writeReplayInput(t)
	for _, args := range [][]string{
		{"replay", in},
		{"replay", "--to", "nats://127.0.0.1:1"},
		{"replay", "--to", "ftp://x/y", in},
		{"replay", "--to", "kafka:///topic", in},
		{"replay", "--to", "nats://127.0.0.1:1", "--speed", "fast", in},
		{"replay", "--to", "nats://127.0.0.1:1", "--since", "yesterday", in},
	} {
		var out, errb bytes.Buffer
		if code := RunIO(context.Background(), args, nil, &out, &errb); code != exitUsage {
			t.Errorf("%q: exit %d (%s), want usage error", args, code, errb.String())
		}
	}
}
