package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's logging goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeLiveWiring: `chorus serve --nats-embedded` starts the embedded
// server, the NATS consumer and the live evaluator, and stops cleanly.
func TestServeLiveWiring(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- RunIO(ctx, []string{"serve", "--db", filepath.Join(dir, "chorus.db"), "--addr", "127.0.0.1:0", "--no-auth",
			"--nats-embedded", "--nats", "nats://127.0.0.1:0", "--live-tick", "100ms", "--event", "test", "--t0", "2015-11-13T20:20:00Z"}, nil, &out, &errb)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(errb.String(), "live: consuming nats") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the NATS consumer did not start; log:\n%s", errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("exit %d; log:\n%s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	for _, want := range []string{"live: embedded nats started", `ingester=live`, `ingester=nats`} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, errb.String())
		}
	}
}

// TestServeRefusesExposedEmbeddedNATS: the embedded NATS server has no
// authentication and listens on loopback only.
func TestServeRefusesExposedEmbeddedNATS(t *testing.T) {
	var out, errb bytes.Buffer
	code := RunIO(context.Background(), []string{"serve", "--db", filepath.Join(t.TempDir(), "chorus.db"), "--addr", "127.0.0.1:0", "--no-auth",
		"--nats-embedded", "--nats", "nats://0.0.0.0:4222"}, nil, &out, &errb)
	if code != exitUsage || !strings.Contains(errb.String(), "loopback only") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}
