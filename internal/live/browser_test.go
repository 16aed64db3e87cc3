package live

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/chorus-osint/chorus/internal/browsertest"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/server"
	"github.com/chorus-osint/chorus/internal/store"
	"github.com/chorus-osint/chorus/web"
)

// The dashboard's Live page in headless Chromium. The launcher, the
// console check and the screenshots follow internal/server/browser_test.go
// (a server test cannot start the live pipeline: internal/live imports
// internal/server).

// webServer is a chorus server with the embedded dashboard on a loopback
// port, running its ingesters, with an analyst "ana" (password
// "correct horse battery", and an API token).
type webServer struct {
	url   string
	token string
}

// startWebServer serves the dashboard with the live pipeline p and its
// evaluator, or without live mode when p is nil.
func startWebServer(t *testing.T, db *store.Store, cfg config.Config, p *Pipeline) *webServer {
	t.Helper()
	ctx := context.Background()
	h, err := hashOnce()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddUser(ctx, store.User{Name: "ana", Role: store.RoleAnalyst, PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
	tok, th := server.NewAPIToken()
	if _, err := db.AddToken(ctx, "ana", "test", th); err != nil {
		t.Fatal(err)
	}
	o := server.Options{Config: cfg, Store: db, Assets: web.Dist(), ShutdownGrace: 2 * time.Second}
	if p != nil {
		o.Live = p
		o.Ingesters = []server.Ingester{p.Evaluator()}
	}
	srv, err := server.New(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &webServer{url: "http://" + ln.Addr().String(), token: tok}
}

// TestLivePageInBrowser opens the dashboard's Live page, streams a seeded
// synthetic event with planted groups into POST /api/live/ingest while the
// page is open, and checks that the counters, the held posts, significant
// clusters and alerts appear without a reload, that polling stops when the
// page is left, and that a server without live mode shows "live mode is
// off"; screenshots in $CHORUS_ARTIFACTS; no console error.
func TestLivePageInBrowser(t *testing.T) {
	bin := browsertest.Chromium()
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no Chromium binary but CI is set: install Debian's chromium (see .ci/run)")
		}
		t.Skip("no Chromium binary (apt-get install -y chromium, or set CHORUS_CHROMIUM): skipping the Live page browser test")
	}
	if testing.Short() {
		t.Skip("browser test")
	}
	if raceEnabled {
		t.Skip("timing-bound: skipped under the race detector (TestHTTPIngest and the end-to-end tests cover the same paths with -race)")
	}
	e := synthEvent(t)
	cfg := testConfig()
	cfg.Event.Name = "synth-live"
	cfg.Event.T0 = e.lab.T0.UTC().Format(time.RFC3339)
	dir := t.TempDir()
	cfg.Server.Addr = "127.0.0.1:0"
	cfg.Server.DataDir = filepath.Join(dir, "data")
	db := openStore(t, filepath.Join(dir, "chorus.db"))
	p := newPipeline(t, db, cfg, nil)
	ws := startWebServer(t, db, cfg, p)
	art := browsertest.Artifacts(t)
	start := time.Now()

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, acancel := browsertest.Allocator(ctx, t, bin, 1366, 900)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	cl := &browsertest.Console{}
	// Before login GET /api/session answers 401, which Chromium logs as a
	// failed resource.
	cl.Allow(ws.url+"/api/session", "401")
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
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return s
	}
	// waitJS polls a JavaScript condition every 100 ms.
	waitJS := func(what, cond string, timeout time.Duration) {
		t.Helper()
		deadline := time.Now().Add(timeout)
		for {
			ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](cond))
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if ok {
				return
			}
			if time.Now().After(deadline) {
				browsertest.Shot(t, bctx, art, "failed-live", true)
				t.Fatalf("timed out after %s waiting for %s", timeout, what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	ival := func(id string) string { return `(document.querySelector("#` + id + ` .ival")?.textContent ?? "")` }

	// The Live page asked for before logging in comes back after the login.
	step("login page", chromedp.Navigate(ws.url+"/#/live"), chromedp.WaitVisible("#login-name"))
	step("log in",
		chromedp.SendKeys("#login-name", "ana"), chromedp.SendKeys("#login-password", "correct horse battery"),
		chromedp.Click("#login-submit"), chromedp.WaitVisible("#live-posts"))
	if got := eval(ival("live-posts")); got != "0" {
		t.Errorf("posts recorded before any ingest: %q, want 0", got)
	}
	if got := eval(`document.querySelector('#nav a[href="#/live"]')?.textContent ?? ""`); got != "Live" {
		t.Errorf("nav link to the Live page: %q", got)
	}
	browsertest.Shot(t, bctx, art, "dashboard-live-empty", false)
	t.Logf("browser started, logged in, Live page shown: %s", time.Since(start).Round(time.Millisecond))
	// A marker in the page's window: a reload would lose it.
	eval(`window.chorusNoReload = "kept"`)

	// Stream the event into the ingest endpoint (1,000 posts a request,
	// under the 1 MiB body limit), as a producer holding an analyst token.
	want := int64(distinctKeys(e.posts))
	got := ingestFile(t, ws, e.path, 1000)
	if got != want {
		t.Fatalf("ingest recorded %d new posts, want the %d distinct posts of the event", got, want)
	}
	t.Logf("%d posts ingested: %s", got, time.Since(start).Round(time.Millisecond))
	wantText := strconv.FormatInt(want, 10)
	js := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	waitJS("the posts count, the held posts, a cluster and an alert on the page",
		ival("live-posts")+`.replaceAll(",", "") === `+js(wantText)+
			` && `+ival("live-held")+`.replaceAll(",", "") === `+js(wantText+" posts")+
			` && document.querySelectorAll("#live-cluster-list tbody tr").length > 0`+
			` && document.querySelectorAll("#live-alerts tbody tr").length > 0`, 20*time.Second)
	browsertest.Shot(t, bctx, art, "dashboard-live", true)
	if got := eval(`window.chorusNoReload ?? "lost"`); got != "kept" {
		t.Errorf("the page was reloaded (marker %q): the Live page must update in place", got)
	}
	// A cluster row: id, members, layers and co-action times filled in.
	row := eval(`[...document.querySelectorAll("#live-cluster-list tbody tr")[0].children].map(td => td.textContent).join(" | ")`)
	cells := strings.Split(row, " | ")
	if len(cells) != 8 || !strings.HasPrefix(cells[0], "cluster ") || cells[1] == "0" || cells[2] == "" ||
		!strings.HasSuffix(cells[4], "UTC") || !strings.HasSuffix(cells[5], "UTC") || cells[7] == "" {
		t.Errorf("first cluster row: %q", row)
	}
	// Alerts: newest first, with the cluster and its accounts.
	alert := eval(`[...document.querySelectorAll("#live-alerts tbody tr")[0].children].map(td => td.textContent).join(" | ")`)
	if cells := strings.Split(alert, " | "); len(cells) != 6 || cells[1] != "live" || cells[2] != "synth-live" ||
		cells[4] == "0" || !strings.Contains(cells[5], "new coordinated cluster "+cells[3]+":") {
		t.Errorf("first alert row: %q", alert)
	}
	times := eval(`[...document.querySelectorAll("#live-alerts tbody tr td:first-child")].map(td => td.textContent).join("\n")`)
	for i, ts := range strings.Split(times, "\n")[1:] {
		if prev := strings.Split(times, "\n")[i]; ts > prev {
			t.Errorf("alerts not newest first: %q after %q", ts, prev)
		}
	}
	if n := eval(`String(document.querySelectorAll("#live-layers tbody tr").length)`); n != strconv.Itoa(len(testLayers)) {
		t.Errorf("layer rows: %s, want %d (%v)", n, len(testLayers), testLayers)
	}
	t.Logf("posts shown, clusters and alerts on the page %s after start: %s clusters, %s alerts",
		time.Since(start).Round(time.Millisecond),
		eval(`String(document.querySelectorAll("#live-cluster-list tbody tr").length)`),
		eval(`String(document.querySelectorAll("#live-alerts tbody tr").length)`))

	// Leaving the page stops the polling.
	livePolls := `performance.getEntriesByType("resource").filter(e => e.name.endsWith("/api/live")).length`
	eval(`location.hash = "#/events"; ""`)
	step("leave the Live page", chromedp.WaitVisible("table"))
	before, err := chromedp.Run(bctx, chromedp.Evaluate[int](livePolls))
	if err != nil {
		t.Fatal(err)
	}
	step("wait", chromedp.Sleep(3500*time.Millisecond)) // longer than the poll interval
	after, err := chromedp.Run(bctx, chromedp.Evaluate[int](livePolls))
	if err != nil || after != before {
		t.Errorf("GET /api/live requests after leaving the page: %d then %d (%v), want none", before, after, err)
	}

	// A server without live mode: "live mode is off", no polling error.
	offDB := openStore(t, filepath.Join(t.TempDir(), "chorus.db"))
	off := startWebServer(t, offDB, cfg, nil)
	cl.Allow(off.url+"/api/session", "401")
	cl.Allow(off.url+"/api/live", "404")
	step("off server", chromedp.Navigate(off.url+"/#/live"), chromedp.WaitVisible("#login-name"),
		chromedp.SendKeys("#login-name", "ana"), chromedp.SendKeys("#login-password", "correct horse battery"),
		chromedp.Click("#login-submit"), chromedp.WaitVisible("#live-off"))
	browsertest.Shot(t, bctx, art, "dashboard-live-off", false)
	if got := eval(`document.querySelector("#live-off").textContent + "|" + document.querySelector("#live-status").className`); got != "Live mode is off on this server.|muted" {
		t.Errorf("live mode off: %q", got)
	}
	if msgs := cl.Errors(); len(msgs) > 0 {
		t.Errorf("console errors: %q", msgs)
	}
	t.Logf("whole test %s", time.Since(start).Round(time.Millisecond))
}

// ingestFile posts the lines of a JSONL file to POST /api/live/ingest in
// requests of n lines and returns the posts recorded as new.
func ingestFile(t *testing.T, ws *webServer, path string, n int) int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	var fresh int64
	for i := 0; i < len(lines); i += n {
		body := bytes.Join(lines[i:min(i+n, len(lines))], nil)
		if len(bytes.TrimSpace(body)) == 0 {
			continue
		}
		req, err := http.NewRequest("POST", ws.url+"/api/live/ingest", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+ws.token)
		req.Header.Set("Content-Type", "application/x-ndjson")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var res server.LiveIngestResult
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("POST /api/live/ingest lines %d–%d: %d (%v)", i, i+n, resp.StatusCode, err)
		}
		fresh += res.New
	}
	return fresh
}
