package report

import (
	"context"
	"github.com/chorus-osint/chorus/internal/browsertest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// pageEvents collects what a page did while loading.
type pageEvents struct {
	mu       sync.Mutex
	requests []string
	console  []string
	dialogs  []string
}

func (p *pageEvents) add(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, e.Request.URL)
	case *runtime.EventConsoleAPICalled:
		p.console = append(p.console, string(e.Type))
	case *runtime.EventExceptionThrown:
		p.console = append(p.console, "exception: "+e.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
			p.console = append(p.console, string(e.Entry.Level)+": "+e.Entry.Text)
		}
	case *page.EventJavascriptDialogOpening:
		p.dialogs = append(p.dialogs, e.Message)
	}
}

// TestBrowser opens the sample's report and the hostile report in
// headless Chromium from file:// URLs and checks that nothing runs,
// nothing is fetched, nothing is logged, the sections and charts are
// there, and Arabic text is laid out right to left.
func TestBrowser(t *testing.T) {
	bin := browsertest.Chromium()
	if bin == "" {
		t.Skip("no Chromium binary found (install the Debian package chromium, or set CHORUS_CHROMIUM); skipping the browser test")
	}
	if testing.Short() {
		t.Skip("browser test")
	}
	sampleDir, hostileDir := renderSampleAndHostile(t)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, acancel := browsertest.Allocator(ctx, t, bin, 1200, 900)
	defer acancel()
	art := browsertest.Artifacts(t)
	for _, tc := range []struct{ name, dir string }{{"sample", sampleDir}, {"hostile", hostileDir}} {
		t.Run(tc.name, func(t *testing.T) {
			tctx, tcancel := chromedp.NewContext(actx)
			defer tcancel()
			ev := &pageEvents{}
			if err := chromedp.Listen(tctx, ev.add); err != nil {
				t.Fatal(err)
			}
			u := (&url.URL{Scheme: "file", Path: filepath.Join(tc.dir, "report.html")}).String()
			if _, err := chromedp.Run(tctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Navigate(u))); err != nil {
				t.Fatalf("load %s: %v", u, err)
			}
			// Let anything deferred (it must not exist) have its chance.
			if err := chromedp.Do(tctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			pwned, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`typeof window.__pwned !== "undefined"`))
			if err != nil {
				t.Fatal(err)
			}
			if pwned {
				t.Error("an XSS payload executed (window.__pwned is set)")
			}
			scripts, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.scripts.length + document.querySelectorAll("iframe,img,link,object,embed").length`))
			if err != nil {
				t.Fatal(err)
			}
			if scripts != 0 {
				t.Errorf("%d script/iframe/img/link/object/embed elements in the DOM", scripts)
			}
			for _, id := range []string{"summary", "grades", "rubric", "volume", "onset", "network", "clusters", "accounts", "layers", "evidence", "hashtags", "stance", "recirculation", "media", "coverage", "methods"} {
				n, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.querySelectorAll("section#`+id+`").length`))
				if err != nil {
					t.Fatal(err)
				}
				if n != 1 {
					t.Errorf("section #%s: found %d", id, n)
				}
			}
			charts, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.querySelectorAll("figure.chart svg[role=img] title").length`))
			if err != nil {
				t.Fatal(err)
			}
			if charts < 6 {
				t.Errorf("%d titled SVG charts, want 6", charts)
			}
			drawn, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.querySelectorAll("#chart-volume rect").length`))
			if err != nil {
				t.Fatal(err)
			}
			if drawn < 24 {
				t.Errorf("volume chart draws %d bars", drawn)
			}
			overflow, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if overflow > 0 {
				t.Errorf("the page overflows horizontally by %d px", overflow)
			}
			if tc.name == "hostile" {
				dir, err := chromedp.Run(tctx, chromedp.Evaluate[string](`(() => { for (const e of document.querySelectorAll("bdi")) { if (e.textContent.startsWith("بيان")) return getComputedStyle(e).direction } return "none" })()`))
				if err != nil {
					t.Fatal(err)
				}
				if dir != "rtl" {
					t.Errorf("Arabic text laid out %q, want rtl", dir)
				}
				// Layout spoofing: every text holding a bidi control must
				// be isolated by the browser from the report's own text
				// around it: an inline ancestor (below the nearest block)
				// with computed unicode-bidi isolate or plaintext, or a
				// block of its own that holds nothing else. (Blocks are
				// isolated by the UA stylesheet, which would not stop a
				// handle's override from reordering our words in the same
				// line.)
				bidi, err := chromedp.Run(tctx, chromedp.Evaluate[struct{ Total, Unisolated int }](`(() => {
					const re = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
					const iso = ub => ub === "isolate" || ub === "plaintext" || ub === "isolate-override";
					const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
					let total = 0, unisolated = 0;
					for (let n = w.nextNode(); n; n = w.nextNode()) {
						if (!re.test(n.data)) continue;
						total++;
						let ok = false;
						for (let e = n.parentElement; e; e = e.parentElement) {
							const cs = getComputedStyle(e);
							if (cs.display.startsWith("inline")) {
								if (iso(cs.unicodeBidi)) { ok = true; break; }
								continue;
							}
							ok = iso(cs.unicodeBidi) && e.textContent.trim() === n.data.trim();
							break;
						}
						if (!ok) unisolated++;
					}
					return {Total: total, Unisolated: unisolated};
				})()`))
				if err != nil {
					t.Fatal(err)
				}
				if bidi.Total == 0 {
					t.Error("no bidi control reached the page: the layout-spoofing check proves nothing")
				}
				if bidi.Unisolated > 0 {
					t.Errorf("%d of %d texts with bidi controls are not isolated by the browser", bidi.Unisolated, bidi.Total)
				}
			}
			// The first screen; CHORUS_FULL_SCREENSHOT=1 captures the
			// whole page (several seconds for a long report).
			shoot := chromedp.CaptureScreenshot()
			full := os.Getenv("CHORUS_FULL_SCREENSHOT") != ""
			if full {
				shoot = chromedp.FullScreenshot(70)
			}
			shot, err := chromedp.Run(tctx, shoot)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(art, "report-"+tc.name+".png")
			if full {
				p = filepath.Join(art, "report-"+tc.name+".jpg")
			}
			if err := os.WriteFile(p, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", p)

			ev.mu.Lock()
			defer ev.mu.Unlock()
			for _, r := range ev.requests {
				if r != u && !strings.HasPrefix(r, "data:") {
					t.Errorf("network request to %q", r)
				}
			}
			if len(ev.console) > 0 {
				t.Errorf("console messages: %q", ev.console)
			}
			if len(ev.dialogs) > 0 {
				t.Errorf("dialogs opened: %q", ev.dialogs)
			}
		})
	}
}
