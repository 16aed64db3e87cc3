package server

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/chorus-osint/chorus/web"
)

// chromium finds a Chromium binary ($CHORUS_CHROMIUM first).
func chromium() string {
	if p := os.Getenv("CHORUS_CHROMIUM"); p != "" {
		return p
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// artifacts is where screenshots go: $CHORUS_ARTIFACTS or a temp dir.
func artifacts(t *testing.T) string {
	if d := os.Getenv("CHORUS_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// consoleLog collects console errors, warnings and exceptions.
type consoleLog struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleLog) add(ev any) {
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
		c.msgs = append(c.msgs, "exception: "+e.ExceptionDetails.Text+" "+exceptionText(e.ExceptionDetails))
	case *log.EventEntryAdded:
		if e.Entry.Level != log.EntryLevelError && e.Entry.Level != log.EntryLevelWarning {
			return
		}
		// The one expected failure: the first GET /api/session before
		// login answers 401, which Chromium logs as a failed resource.
		if e.Entry.Source == log.EntrySourceNetwork && strings.HasSuffix(e.Entry.URL, "/api/session") && strings.Contains(e.Entry.Text, "401") {
			return
		}
		c.msgs = append(c.msgs, string(e.Entry.Level)+": "+e.Entry.Text+" "+e.Entry.URL)
	}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil {
		return d.Exception.Description
	}
	return ""
}

// TestDashboardInBrowser drives the dashboard in headless Chromium as an
// analyst would: log in, create the event, upload the bundled sample,
// run an analysis, open the run, a cluster with its network and evidence,
// an account and the report; screenshots of each page; no console error.
func TestDashboardInBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no Chromium binary (apt-get install -y chromium, or set CHORUS_CHROMIUM): skipping the dashboard browser test")
	}
	if testing.Short() {
		t.Skip("browser test")
	}
	if raceEnabled {
		t.Skip("timing-bound: skipped under the race detector (the API tests cover the same paths with -race)")
	}
	sample, err := filepath.Abs(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, func(o *Options) { o.Assets = web.Dist() })
	art := artifacts(t)

	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 900))
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	cl := &consoleLog{}
	if err := chromedp.Listen(bctx, cl.add); err != nil {
		t.Fatal(err)
	}
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			shot(t, bctx, art, "failed-"+name)
			t.Fatalf("%s: %v", name, err)
		}
	}

	step("login page", chromedp.Navigate(ts.url+"/"), chromedp.WaitVisible("#login-name"))
	shot(t, bctx, art, "dashboard-login")
	step("log in",
		chromedp.SendKeys("#login-name", "analyst"), chromedp.SendKeys("#login-password", testPassword),
		chromedp.Click("#login-submit"), chromedp.WaitVisible("#create-event"))
	step("create event",
		chromedp.SendKeys("#ev-name", "brussels-2016"), chromedp.SendKeys("#ev-t0", "2016-03-22T06:58:00Z"),
		chromedp.SendKeys("#ev-place", "Bruxelles / بروكسل"), chromedp.Click("#create-event button[type=submit]"),
		chromedp.WaitVisible("dl.facts"))
	step("upload page", chromedp.Navigate(ts.url+"/#/upload?event=brussels-2016"), chromedp.WaitVisible("#upload-file"))
	step("upload the sample",
		chromedp.SetUploadFiles("#upload-file", []string{sample}), chromedp.Click("#upload-submit"),
		chromedp.WaitVisible(".pick-upload"))
	shot(t, bctx, art, "dashboard-upload")
	step("start the analysis",
		chromedp.SetValue("#analyse-permutations", "5"), chromedp.Click("#analyse-submit"),
		chromedp.WaitVisible("#analyse-status a"))
	shot(t, bctx, art, "dashboard-analysis-done")
	step("open the run", chromedp.Click("#analyse-status a"), chromedp.WaitVisible("svg.chart"), chromedp.WaitVisible(".icard"))
	shotFull(t, bctx, art, "dashboard-event")
	bars, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelector("svg.chart").querySelectorAll("rect").length`))
	if err != nil || bars < 24 {
		t.Errorf("volume chart draws %d rects (%v)", bars, err)
	}
	markers, err := chromedp.Run(bctx, chromedp.Evaluate[string](`[...document.querySelectorAll("svg.chart text.marker")].map(e => e.textContent).join(",")`))
	if err != nil || !strings.Contains(markers, "T0") {
		t.Errorf("volume chart markers %q (%v), want T0", markers, err)
	}
	step("open a cluster", chromedp.Click(`a[href*="/clusters/"]`), chromedp.WaitVisible(".network canvas"), chromedp.WaitVisible(".edge .coaction p.post"))
	// Let the canvas draw (requestAnimationFrame).
	step("draw", chromedp.Sleep(300*time.Millisecond))
	shotFull(t, bctx, art, "dashboard-cluster")
	painted, err := chromedp.Run(bctx, chromedp.Evaluate[int](`(() => { const c = document.querySelector(".network canvas"); const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n })()`))
	if err != nil || painted < 100 {
		t.Errorf("network canvas paints %d pixels (%v)", painted, err)
	}
	evidence, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(".edge .coaction").length`))
	if err != nil || evidence == 0 {
		t.Errorf("cluster page shows %d evidence co-actions (%v)", evidence, err)
	}
	dir, err := chromedp.Run(bctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("p.post")).unicodeBidi`))
	if err != nil || dir != "plaintext" {
		t.Errorf("post text unicode-bidi %q (%v), want plaintext (RTL-safe)", dir, err)
	}
	step("open an account", chromedp.Click(`table a[href*="/accounts/"]`), chromedp.WaitVisible("dl.facts"), chromedp.WaitVisible(".edge"))
	shot(t, bctx, art, "dashboard-account")
	href, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(() => { const a = document.querySelector('a[href*="/clusters/"]'); return a ? a.getAttribute("href") : "" })()`))
	if err != nil || href == "" {
		t.Fatalf("account page has no cluster link (%v)", err)
	}
	run := strings.Split(strings.TrimPrefix(href, "#/runs/"), "/")[0]
	// The report runs sandboxed with no script at all (its CSP), so the
	// browser is only asked to load and paint it.
	step("open the report", chromedp.Navigate(ts.url+"/api/runs/"+run+"/report"))
	shot(t, bctx, art, "dashboard-report")
	// Arabic place name is isolated and laid out right to left.
	step("event page again", chromedp.Navigate(ts.url+"/#/events/brussels-2016"), chromedp.WaitVisible(".icard"))
	rtl, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(() => { for (const b of document.querySelectorAll("bdi")) if (b.textContent.includes("بروكسل")) return b.getAttribute("dir") + "/" + getComputedStyle(b).unicodeBidi; return "missing" })()`))
	if err != nil || rtl != "auto/isolate" {
		t.Errorf("Arabic place %q (%v), want an isolated dir=auto bdi", rtl, err)
	}
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if len(cl.msgs) > 0 {
		t.Errorf("console errors: %q", cl.msgs)
	}
}

func shot(t *testing.T, ctx context.Context, dir, name string) {
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
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

func shotFull(t *testing.T, ctx context.Context, dir, name string) {
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
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
