// Package browsertest holds what the headless-browser tests share: finding
// and starting Chromium, where screenshots go, collecting console errors and failed
// requests, and taking screenshots. It is imported only by _test files
// (internal/report, internal/server, internal/live).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium finds a Chromium or Chrome binary ($CHORUS_CHROMIUM first), or
// returns "".
func Chromium() string {
	if p := os.Getenv("CHORUS_CHROMIUM"); p != "" {
		return p
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// Allocator starts headless Chromium (bin) for one test: no sandbox, GPU,
// background networking, component updates or sync, a fresh profile in a
// temporary directory, a width × height window. Browser contexts are made
// from it with chromedp.NewContext.
func Allocator(ctx context.Context, t testing.TB, bin string, width, height int) (context.Context, context.CancelFunc) {
	return chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, height))
}

// Artifacts is where screenshots go: $CHORUS_ARTIFACTS (created) or a
// temporary directory of the test.
func Artifacts(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("CHORUS_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// Console collects console errors and warnings, uncaught exceptions and
// failed requests reported by the browser, except the failures a test
// expects (Allow). Add is a chromedp.ListenTarget callback.
type Console struct {
	mu      sync.Mutex
	msgs    []string
	allowed map[string]string // URL suffix → status text
}

// Allow ignores a failed request whose URL ends with urlSuffix and whose
// log text contains status (e.g. "401").
func (c *Console) Allow(urlSuffix, status string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.allowed == nil {
		c.allowed = map[string]string{}
	}
	c.allowed[urlSuffix] = status
}

// Add records one browser event.
func (c *Console) Add(ev any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			c.msgs = append(c.msgs, string(e.Type)+": "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		text := e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			text += " " + e.ExceptionDetails.Exception.Description
		}
		c.msgs = append(c.msgs, "exception: "+text)
	case *log.EventEntryAdded:
		if e.Entry.Level != log.EntryLevelError && e.Entry.Level != log.EntryLevelWarning {
			return
		}
		if e.Entry.Source == log.EntrySourceNetwork {
			for suffix, st := range c.allowed {
				if strings.HasSuffix(e.Entry.URL, suffix) && strings.Contains(e.Entry.Text, st) {
					return
				}
			}
		}
		c.msgs = append(c.msgs, string(e.Entry.Level)+": "+e.Entry.Text+" "+e.Entry.URL)
	}
}

// Errors returns what was recorded so far.
func (c *Console) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.msgs...)
}

// Shot saves a screenshot of the viewport (full: of the whole page) as
// dir/name.png and logs its path; a failed capture is logged, not fatal.
func Shot(t testing.TB, ctx context.Context, dir, name string, full bool) {
	t.Helper()
	act := chromedp.CaptureScreenshot()
	if full {
		act = chromedp.FullScreenshot(100)
	}
	b, err := chromedp.Run(ctx, act)
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}
