package server

import (
	"context"
	"github.com/chorus-osint/chorus/internal/browsertest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chorus-osint/chorus/web"
)

// TestDashboardInBrowser drives the dashboard in headless Chromium as an
// analyst would: log in, create the event, upload the bundled sample,
// run an analysis, open the run, a cluster with its network and evidence,
// an account and the report; screenshots of each page; no console error.
func TestDashboardInBrowser(t *testing.T) {
	bin := browsertest.Chromium()
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
	art := browsertest.Artifacts(t)

	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	actx, acancel := browsertest.Allocator(ctx, t, bin, 1366, 900)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	cl := &browsertest.Console{}
	// The one expected failure: the first GET /api/session before login
	// answers 401, which Chromium logs as a failed resource.
	cl.Allow("/api/session", "401")
	if err := chromedp.Listen(bctx, cl.Add); err != nil {
		t.Fatal(err)
	}
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			browsertest.Shot(t, bctx, art, "failed-"+name, false)
			t.Fatalf("%s: %v", name, err)
		}
	}

	step("login page", chromedp.Navigate(ts.url+"/"), chromedp.WaitVisible("#login-name"))
	browsertest.Shot(t, bctx, art, "dashboard-login", false)
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
	browsertest.Shot(t, bctx, art, "dashboard-upload", false)
	step("start the analysis",
		chromedp.SetValue("#analyse-permutations", "5"), chromedp.Click("#analyse-submit"),
		chromedp.WaitVisible("#analyse-status a"))
	browsertest.Shot(t, bctx, art, "dashboard-analysis-done", false)
	step("open the run", chromedp.Click("#analyse-status a"), chromedp.WaitVisible("svg.chart"), chromedp.WaitVisible(".icard"))
	browsertest.Shot(t, bctx, art, "dashboard-event", true)
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
	browsertest.Shot(t, bctx, art, "dashboard-cluster", true)
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
	browsertest.Shot(t, bctx, art, "dashboard-account", false)
	href, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(() => { const a = document.querySelector('a[href*="/clusters/"]'); return a ? a.getAttribute("href") : "" })()`))
	if err != nil || href == "" {
		t.Fatalf("account page has no cluster link (%v)", err)
	}
	run := strings.Split(strings.TrimPrefix(href, "#/runs/"), "/")[0]
	// The report runs sandboxed with no script at all (its CSP), so the
	// browser is only asked to load and paint it.
	step("open the report", chromedp.Navigate(ts.url+"/api/runs/"+run+"/report"))
	browsertest.Shot(t, bctx, art, "dashboard-report", false)
	// Arabic place name is isolated and laid out right to left.
	step("event page again", chromedp.Navigate(ts.url+"/#/events/brussels-2016"), chromedp.WaitVisible(".icard"))
	rtl, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(() => { for (const b of document.querySelectorAll("bdi")) if (b.textContent.includes("بروكسل")) return b.getAttribute("dir") + "/" + getComputedStyle(b).unicodeBidi; return "missing" })()`))
	if err != nil || rtl != "auto/isolate" {
		t.Errorf("Arabic place %q (%v), want an isolated dir=auto bdi", rtl, err)
	}
	if msgs := cl.Errors(); len(msgs) > 0 {
		t.Errorf("console errors: %q", msgs)
	}
}
