package cli

import (
	"bytes"
	"context"

	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runCLIIn(args []string, stdin string) (int, string, string) {
	var out, errb bytes.Buffer
	code := RunIO(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// TestUsersCommand: users add reads the password from stdin (never from
// arguments), list shows roles, token prints a usable token once, rm
// removes; weak passwords and bad roles are refused.
func TestUsersCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	if code, _, errs := runCLIIn([]string{"users", "add", "ana", "--role", "analyst", "--db", db}, "a long enough password\n"); code != 0 {
		t.Fatalf("users add: %d %s", code, errs)
	}
	if code, _, _ := runCLIIn([]string{"users", "add", "bob", "--role", "analyst", "--db", db}, "short\n"); code == 0 {
		t.Error("a 5-character password was accepted")
	}
	if code, _, _ := runCLIIn([]string{"users", "add", "bob", "--role", "root", "--db", db}, "a long enough password\n"); code != exitUsage {
		t.Error("role root was accepted")
	}
	if code, _, _ := runCLIIn([]string{"users", "add", "bob", "--role", "viewer", "--db", db}, ""); code == 0 {
		t.Error("an empty stdin gave a user")
	}
	_, out, _ := runCLIIn([]string{"users", "list", "--db", db}, "")
	if !strings.Contains(out, "ana") || !strings.Contains(out, "analyst") || strings.Contains(out, "bob") {
		t.Errorf("users list:\n%s", out)
	}
	code, tok, _ := runCLIIn([]string{"users", "token", "ana", "--label", "ci", "--db", db}, "")
	if code != 0 || !strings.HasPrefix(tok, "chorus_") {
		t.Fatalf("users token: %d %q", code, tok)
	}
	_, out, _ = runCLIIn([]string{"users", "token", "--list", "--db", db}, "")
	if !strings.Contains(out, "ci") || strings.Contains(out, strings.TrimSpace(tok)) {
		t.Errorf("token list shows the token or lacks its label:\n%s", out)
	}
	if code, _, _ := runCLIIn([]string{"users", "token", "--revoke", "1", "--db", db}, ""); code != 0 {
		t.Error("revoke failed")
	}
	if code, _, _ := runCLIIn([]string{"users", "rm", "ana", "--db", db}, ""); code != 0 {
		t.Error("rm failed")
	}
}

// TestServeRefusesNetworkWithoutUsers: `chorus serve` on 0.0.0.0 with no
// user, or with --no-auth, exits with a message naming the fix; on
// loopback it starts, answers /healthz and refuses the API without auth,
// and stops on cancellation.
func TestServeRefusesNetworkWithoutUsers(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	code, _, errs := runCLIIn([]string{"serve", "--db", db, "--addr", "0.0.0.0:0"}, "")
	if code == 0 || !strings.Contains(errs, "no user is configured") || !strings.Contains(errs, "chorus users add") {
		t.Errorf("serve on 0.0.0.0 without users: exit %d, %q", code, errs)
	}
	runCLIIn([]string{"users", "add", "root", "--role", "admin", "--db", db}, "a long enough password\n")
	code, _, errs = runCLIIn([]string{"serve", "--db", db, "--addr", "0.0.0.0:0", "--no-auth"}, "")
	if code == 0 || !strings.Contains(errs, "--no-auth") {
		t.Errorf("serve on 0.0.0.0 --no-auth: exit %d, %q", code, errs)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var errb bytes.Buffer
	go func() {
		done <- RunIO(ctx, []string{"serve", "--db", db, "--addr", addr, "--data-dir", filepath.Join(dir, "data")}, strings.NewReader(""), io.Discard, &errb)
	}()
	base := "http://" + addr
	var h int
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			h = resp.StatusCode
			resp.Body.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	resp, err := http.Get(base + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if h != 200 || resp.StatusCode != 401 {
		t.Errorf("healthz %d, /api/events %d; want 200, 401", h, resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d after cancel: %s", code, errb.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(errb.String(), "stopped") {
		t.Errorf("no shutdown log:\n%s", errb.String())
	}
}
