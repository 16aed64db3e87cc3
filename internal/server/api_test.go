package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/results"
	"github.com/chorus-osint/chorus/internal/store"
)

// samplePath is the bundled sample: 14,187 tweets of pro-IS accounts,
// January–April 2016 (sample/README.md).
const samplePath = "../../sample/fifthtribe-2016-01-04.csv.gz"

// uploadSample uploads the sample (raw body) and waits for its ingest job.
func uploadSample(t *testing.T, c *client) Upload {
	t.Helper()
	f, err := os.Open(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	code, body := c.do("POST", "/api/uploads?name=fifthtribe-2016-01-04.csv.gz", f)
	if code != 201 {
		t.Fatalf("upload: %d %s", code, body)
	}
	var res struct {
		Upload Upload  `json:"upload"`
		Job    JobView `json:"job"`
	}
	if err := jsonUnmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if res.Job.Kind != JobIngest || res.Upload.State != uploadIngesting {
		t.Fatalf("upload response %s", body)
	}
	if j := c.waitJob(res.Job.ID, 60*time.Second); j.State != JobOK {
		t.Fatalf("ingest job %+v", j)
	}
	var up Upload
	c.getJSON("/api/uploads/"+res.Upload.ID, &up)
	return up
}

// TestAnalysisThroughTheAPI is the analyst's path: upload the sample,
// create the event, start the analysis, poll it to completion, read the
// results, clusters, edges with their evidence, an account, a post and the
// report.
func TestAnalysisThroughTheAPI(t *testing.T) {
	ts := startServer(t)
	c := ts.client()
	c.login("analyst")

	up := uploadSample(t, c)
	st, _ := os.Stat(samplePath)
	if up.State != uploadReady || up.Format == "" || up.Size != st.Size() || len(up.SHA256) != 64 {
		t.Fatalf("upload %+v", up)
	}
	// 14,187 tweets in the file; the reader may skip malformed rows but
	// counts them.
	if up.Posts+up.Skip != 14187 || up.Posts < 14000 {
		t.Errorf("upload read %d posts + %d skipped, want 14187 records", up.Posts, up.Skip)
	}

	code, body := c.do("POST", "/api/events", map[string]any{"name": "brussels-2016", "t0": "2016-03-22T06:58:00Z", "place": "Brussels",
		"languages": []string{"en", "ar"}})
	if code != 201 {
		t.Fatalf("create event: %d %s", code, body)
	}
	code, body = c.do("POST", "/api/events/brussels-2016/analyses", map[string]any{"uploads": []string{up.ID}, "params": map[string]any{"permutations": 5, "window": "60s"}})
	if code != 202 {
		t.Fatalf("start analysis: %d %s", code, body)
	}
	var job JobView
	jsonUnmarshal(body, &job)
	j := c.waitJob(job.ID, 120*time.Second)
	if j.State != JobOK || j.RunID == 0 || j.Posts != up.Posts {
		t.Fatalf("analysis job %+v, want ok with a run and %d posts", j, up.Posts)
	}
	run := fmt.Sprintf("/api/runs/%d", j.RunID)

	var ev eventView
	c.getJSON("/api/events/brussels-2016", &ev)
	if len(ev.Runs) != 1 || ev.Runs[0].Status != store.RunOK || ev.Runs[0].ID != j.RunID {
		t.Errorf("event runs %+v", ev.Runs)
	}
	if len(ev.Indicators) == 0 {
		t.Error("the event's indicator vector was not stored")
	}

	var res results.Results
	c.getJSON(run+"/results", &res)
	if res.Event.Name != "brussels-2016" || res.Corpus.Posts != int(up.Posts) || len(res.Clusters) == 0 {
		t.Fatalf("results: event %q, %d posts, %d clusters", res.Event.Name, res.Corpus.Posts, len(res.Clusters))
	}
	for _, k := range []string{"volume_lift", "hashtags", "stance", "onset_latency"} {
		if res.Indicators[k] == nil {
			t.Errorf("results lack indicator %s", k)
		}
	}

	var cls struct {
		Total    int              `json:"total"`
		Clusters []clusterSummary `json:"clusters"`
	}
	c.getJSON(run+"/clusters", &cls)
	if cls.Total != len(res.Clusters) || len(cls.Clusters) == 0 {
		t.Fatalf("clusters %+v", cls)
	}
	cid := cls.Clusters[0].ID
	var cl struct {
		Cluster results.Cluster `json:"cluster"`
		Members []memberView    `json:"members"`
	}
	c.getJSON(fmt.Sprintf("%s/clusters/%d", run, cid), &cl)
	if len(cl.Members) != cl.Cluster.Size || cl.Cluster.Size < 2 {
		t.Errorf("cluster %d: %d members, size %d", cid, len(cl.Members), cl.Cluster.Size)
	}
	var g Graph
	c.getJSON(fmt.Sprintf("%s/clusters/%d/graph", run, cid), &g)
	if len(g.Nodes) != cl.Cluster.Size || len(g.Edges) == 0 {
		t.Errorf("graph: %d nodes %d edges for a cluster of %d", len(g.Nodes), len(g.Edges), cl.Cluster.Size)
	}
	for _, n := range g.Nodes {
		if n.X < 0 || n.X > 1 || n.Y < 0 || n.Y > 1 {
			t.Errorf("node %s at (%v,%v), want inside [0,1]²", n.ID, n.X, n.Y)
		}
	}

	var edges struct {
		Total int    `json:"total"`
		Edges []Edge `json:"edges"`
	}
	c.getJSON(fmt.Sprintf("%s/edges?cluster=%d&limit=10", run, cid), &edges)
	if edges.Total == 0 || len(edges.Edges) == 0 {
		t.Fatalf("no edges in cluster %d", cid)
	}
	members := map[string]bool{}
	for _, m := range cl.Members {
		members[m.ID] = true
	}
	var post string
	for _, e := range edges.Edges {
		if !members[e.Source] || !members[e.Target] {
			t.Errorf("edge %s–%s is not inside cluster %d", e.Source, e.Target, cid)
		}
		if len(e.Evidence) == 0 {
			t.Errorf("edge %s–%s (%s) has no evidence", e.Source, e.Target, e.Layer)
		}
		for _, x := range e.Evidence {
			if x.PostA == "" || x.PostB == "" || x.TextA == "" || x.TimeA == "" {
				t.Errorf("evidence row %+v incomplete", x)
			}
			post = x.PostA
		}
	}
	// Pagination: pages of one edge add up to the total.
	seen := 0
	for off := 0; off < edges.Total; off++ {
		var p struct {
			Edges []Edge `json:"edges"`
		}
		c.getJSON(fmt.Sprintf("%s/edges?cluster=%d&limit=1&offset=%d&evidence=0", run, cid, off), &p)
		if len(p.Edges) != 1 || p.Edges[0].Evidence != nil {
			t.Fatalf("page %d: %+v", off, p.Edges)
		}
		seen++
	}
	if seen != edges.Total {
		t.Errorf("paged %d edges, total %d", seen, edges.Total)
	}

	var pv PostView
	c.getJSON(run+"/posts?id="+url.QueryEscape(post), &pv)
	if pv.ID != post || pv.Text == "" || !members[pv.Account] {
		t.Errorf("post %q: %+v", post, pv)
	}
	var acc struct {
		Account results.Account `json:"account"`
		Edges   []Edge          `json:"edges"`
		Posts   []PostView      `json:"posts"`
	}
	c.getJSON(run+"/accounts/"+url.PathEscape(cl.Members[0].Handle), &acc)
	if acc.Account.ID != cl.Members[0].ID || acc.Account.Cluster == nil || *acc.Account.Cluster != cid || len(acc.Edges) == 0 || len(acc.Posts) == 0 {
		t.Errorf("account %s: %+v, %d edges, %d posts", cl.Members[0].Handle, acc.Account, len(acc.Edges), len(acc.Posts))
	}
	for _, p := range []string{run + "/accounts/nobody-at-all", run + "/posts?id=nope", run + "/clusters/99999", "/api/runs/424242/results"} {
		if code, body := c.do("GET", p, nil); code != 404 || errCode(body) != "not_found" {
			t.Errorf("GET %s: %d %s, want 404 not_found", p, code, body)
		}
	}

	// The report is served with its own CSP (no script at all).
	var rv struct {
		HasReport bool `json:"has_report"`
	}
	c.getJSON(run, &rv)
	resp := c.raw("GET", run+"/report", nil)
	rb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !rv.HasReport {
		t.Error("the analysis job wrote no report.html")
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != 200 || !strings.Contains(csp, "sandbox") || strings.Contains(csp, "script-src") || !bytes.Contains(rb, []byte("brussels-2016")) {
		t.Errorf("report: %d, CSP %q", resp.StatusCode, csp)
	}

	// Deleting an upload that a finished analysis used is allowed; one
	// that does not exist is 404.
	if code, _ := c.do("DELETE", "/api/uploads/"+up.ID, nil); code != 204 {
		t.Errorf("delete upload: %d", code)
	}
	if code, _ := c.do("DELETE", "/api/uploads/"+up.ID, nil); code != 404 {
		t.Errorf("delete upload twice: %d", code)
	}
}

// TestCancelAnalysis starts an analysis made slow on purpose and cancels
// it: the job ends cancelled and the run is recorded as cancelled.
func TestCancelAnalysis(t *testing.T) {
	ts := startServer(t)
	c := ts.tokenClient(store.RoleAnalyst)
	up := uploadSample(t, c)
	c.do("POST", "/api/events", map[string]any{"name": "ev", "t0": "2016-03-22T06:58:00Z"})
	code, body := c.do("POST", "/api/events/ev/analyses", map[string]any{"uploads": []string{up.ID},
		"params": map[string]any{"permutations": 1000, "window": "10s,60s,5m,30m,1h,2h"}})
	if code != 202 {
		t.Fatalf("start: %d %s", code, body)
	}
	var job JobView
	jsonUnmarshal(body, &job)
	// Deleting an upload under a running analysis is refused.
	if code, body := c.do("DELETE", "/api/uploads/"+up.ID, nil); code != 409 {
		t.Errorf("delete upload in use: %d %s, want 409", code, body)
	}
	code, body = c.do("POST", "/api/jobs/"+job.ID+"/cancel", nil)
	if code != 200 {
		t.Fatalf("cancel: %d %s", code, body)
	}
	var v JobView
	jsonUnmarshal(body, &v)
	if v.State != JobCancelled || v.Code != "cancelled" {
		t.Errorf("cancelled job %+v", v)
	}
	if code, _ := c.do("POST", "/api/jobs/"+job.ID+"/cancel", nil); code != 409 {
		t.Errorf("cancel twice: %d, want 409", code)
	}
	runs, _ := ts.db.ListRuns(context.Background(), "ev")
	if v.RunID != 0 {
		if len(runs) != 1 || runs[0].Status != store.RunCancelled {
			t.Errorf("runs after cancel: %+v", runs)
		}
	}
	// The upload is free again.
	if code, _ := c.do("DELETE", "/api/uploads/"+up.ID, nil); code != 204 {
		t.Errorf("delete upload after cancel: %d", code)
	}
}

// TestUploadLimitsAndMultipart: a multipart upload works; an upload over
// --max-upload-bytes is refused with 413 and leaves no file behind; an
// unknown format fails its ingest job with bad_input.
func TestUploadLimitsAndMultipart(t *testing.T) {
	ts := startServer(t, func(o *Options) { o.Config.Server.MaxUploadBytes = 64 << 10 })
	c := ts.tokenClient(store.RoleAnalyst)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "../../etc/posts.jsonl")
	for i := range 50 {
		fmt.Fprintf(fw, `{"id":"%d","account":"a%d","time":"2016-03-22T07:%02d:00Z","text":"hello #tag"}`+"\n", i, i%7, i%60)
	}
	mw.Close()
	resp := c.rawWithType("POST", "/api/uploads", &buf, mw.FormDataContentType())
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("multipart upload: %d %s", resp.StatusCode, b)
	}
	var res struct {
		Upload Upload  `json:"upload"`
		Job    JobView `json:"job"`
	}
	jsonUnmarshal(b, &res)
	if res.Upload.Name != "posts.jsonl" {
		t.Errorf("upload name %q, want the base name posts.jsonl", res.Upload.Name)
	}
	j := c.waitJob(res.Job.ID, 30*time.Second)
	var up Upload
	c.getJSON("/api/uploads/"+res.Upload.ID, &up)
	if j.State != JobOK || up.Posts != 50 {
		t.Errorf("multipart ingest: job %s, %d posts (%s), want ok with 50", j.State, up.Posts, up.Error)
	}

	big := bytes.Repeat([]byte("x"), 100<<10)
	code, body := c.do("POST", "/api/uploads?name=big.csv", bytes.NewReader(big))
	if code != 413 || errCode(body) != "too_large" {
		t.Errorf("100 KiB upload over a 64 KiB limit: %d %s, want 413 too_large", code, body)
	}
	ents, _ := os.ReadDir(ts.srv.uploads.dir)
	if len(ents) != 1 {
		t.Errorf("upload dir holds %d entries after a refused upload, want 1", len(ents))
	}
	code, body = c.do("POST", "/api/uploads?name=junk.bin", bytes.NewReader([]byte("\x00\x01\x02 not a known format at all")))
	if code != 201 {
		t.Fatalf("junk upload: %d %s", code, body)
	}
	jsonUnmarshal(body, &res)
	if j := c.waitJob(res.Job.ID, 30*time.Second); j.State != JobFailed || j.Code != "bad_input" {
		t.Errorf("junk ingest job %+v, want failed bad_input", j)
	}
	c.getJSON("/api/uploads/"+res.Upload.ID, &up)
	if up.State != uploadFailed || up.Error == "" {
		t.Errorf("junk upload %+v", up)
	}
	// An analysis of a failed upload is refused.
	c.do("POST", "/api/events", map[string]any{"name": "ev", "t0": "2016-03-22T06:58:00Z"})
	if code, body := c.do("POST", "/api/events/ev/analyses", map[string]any{"uploads": []string{up.ID}}); code != 409 {
		t.Errorf("analysis of a failed upload: %d %s, want 409", code, body)
	}
}

func (c *client) rawWithType(method, path string, body io.Reader, ctype string) *httpResponse {
	c.t.Helper()
	c.header.Set("Content-Type", ctype)
	defer c.header.Del("Content-Type")
	return c.raw(method, path, body)
}
