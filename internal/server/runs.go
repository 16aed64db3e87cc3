package server

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/chorus-osint/chorus/internal/report"
	"github.com/chorus-osint/chorus/internal/results"
	"github.com/chorus-osint/chorus/internal/store"
)

// Pagination bounds.
const (
	defaultLimit = 50
	maxLimit     = 1000
)

// page reads offset and limit from the query.
func page(r *http.Request) (offset, limit int, err error) {
	q := r.URL.Query()
	limit = defaultLimit
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, badRequest("offset must be a non-negative integer")
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxLimit {
			return 0, 0, badRequest("limit must be 1 to %d", maxLimit)
		}
	}
	return offset, limit, nil
}

// window returns the [offset, offset+limit) slice bounds of n items.
func window(n, offset, limit int) (int, int) {
	if offset > n {
		offset = n
	}
	return offset, min(n, offset+limit)
}

// runOf loads the run named in the path.
func (s *Server) runOf(r *http.Request) (store.Run, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return store.Run{}, fmt.Errorf("run %q: %w", clip(r.PathValue("id"), 40), ErrNotFound)
	}
	return s.store.GetRun(r.Context(), id)
}

// dataOf loads the result data of the run named in the path.
func (s *Server) dataOf(r *http.Request) (*runData, error) {
	run, err := s.runOf(r)
	if err != nil {
		return nil, err
	}
	return s.runs.get(run.ResultDir)
}

func (s *Server) handleListRuns(w http.ResponseWriter, r *http.Request, _ *principal) error {
	runs, err := s.store.ListRuns(r.Context(), r.URL.Query().Get("event"))
	if err != nil {
		return err
	}
	for i := range runs {
		runs[i].Params = nil
	}
	if runs == nil {
		runs = []store.Run{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"runs": runs})
	return nil
}

func (s *Server) handleGetRun(w http.ResponseWriter, r *http.Request, _ *principal) error {
	run, err := s.runOf(r)
	if err != nil {
		return err
	}
	_, statErr := os.Stat(filepath.Join(run.ResultDir, "report.html"))
	writeJSON(w, http.StatusOK, map[string]any{"run": run, "has_report": statErr == nil})
	return nil
}

// handleResults serves results.json as written.
func (s *Server) handleResults(w http.ResponseWriter, r *http.Request, _ *principal) error {
	run, err := s.runOf(r)
	if err != nil {
		return err
	}
	f, err := os.Open(filepath.Join(run.ResultDir, "results.json"))
	if err != nil {
		return fmt.Errorf("run %d has no results.json: %w", run.ID, ErrNotFound)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	http.ServeContent(w, r, "", st.ModTime(), f)
	return nil
}

// clusterSummary is a cluster without its post list.
type clusterSummary struct {
	results.Cluster
	Posts int `json:"posts"`
}

func (s *Server) handleClusters(w http.ResponseWriter, r *http.Request, _ *principal) error {
	d, err := s.dataOf(r)
	if err != nil {
		return err
	}
	offset, limit, err := page(r)
	if err != nil {
		return err
	}
	lo, hi := window(len(d.res.Clusters), offset, limit)
	out := make([]clusterSummary, 0, hi-lo)
	for _, cl := range d.res.Clusters[lo:hi] {
		n := len(cl.Posts)
		cl.Posts = nil
		if len(cl.Accounts) > 50 {
			cl.Accounts, cl.Handles = cl.Accounts[:50], cl.Handles[:min(50, len(cl.Handles))]
		}
		out = append(out, clusterSummary{Cluster: cl, Posts: n})
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": len(d.res.Clusters), "offset": lo, "limit": limit, "clusters": out})
	return nil
}

func clusterID(r *http.Request) (int, error) {
	id, err := strconv.Atoi(r.PathValue("cid"))
	if err != nil || id < 0 {
		return 0, fmt.Errorf("cluster %q: %w", clip(r.PathValue("cid"), 40), ErrNotFound)
	}
	return id, nil
}

// memberView is a cluster member with its account facts.
type memberView struct {
	ID     string   `json:"id"`
	Handle string   `json:"handle"`
	Degree float64  `json:"degree"`
	Posts  int      `json:"posts"`
	Layers []string `json:"layers"`
}

func (s *Server) handleCluster(w http.ResponseWriter, r *http.Request, _ *principal) error {
	d, err := s.dataOf(r)
	if err != nil {
		return err
	}
	id, err := clusterID(r)
	if err != nil {
		return err
	}
	cl, err := d.clusterByID(id)
	if err != nil {
		return err
	}
	acc := make(map[string]*results.Account, len(d.res.Accounts))
	for i := range d.res.Accounts {
		acc[d.res.Accounts[i].ID] = &d.res.Accounts[i]
	}
	members := make([]memberView, 0, len(cl.Accounts))
	for i, a := range cl.Accounts {
		m := memberView{ID: a}
		if i < len(cl.Handles) {
			m.Handle = cl.Handles[i]
		}
		if x := acc[a]; x != nil {
			m.Degree, m.Posts, m.Layers = x.Degree, x.Posts, x.Layers
		}
		members = append(members, m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"cluster": cl, "members": members})
	return nil
}

func (s *Server) handleClusterGraph(w http.ResponseWriter, r *http.Request, _ *principal) error {
	d, err := s.dataOf(r)
	if err != nil {
		return err
	}
	id, err := clusterID(r)
	if err != nil {
		return err
	}
	g, err := d.clusterGraph(id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

// handleEdges lists significant edges, filtered by cluster (both ends in
// it), account (either end) and layer, paginated, with their evidence
// unless evidence=0.
func (s *Server) handleEdges(w http.ResponseWriter, r *http.Request, _ *principal) error {
	d, err := s.dataOf(r)
	if err != nil {
		return err
	}
	offset, limit, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	layer, account := q.Get("layer"), q.Get("account")
	withEvidence := q.Get("evidence") != "0"
	cluster := -1
	if v := q.Get("cluster"); v != "" {
		if cluster, err = strconv.Atoi(v); err != nil || cluster < 0 {
			return badRequest("cluster must be a cluster id")
		}
		if _, err := d.clusterByID(cluster); err != nil {
			return err
		}
	}
	keep := func(e *Edge) bool {
		if layer != "" && e.Layer != layer {
			return false
		}
		if cluster >= 0 {
			ca, oka := d.cluster[e.Source]
			cb, okb := d.cluster[e.Target]
			if !oka || !okb || ca != cluster || cb != cluster {
				return false
			}
		}
		return true
	}
	candidates := d.edges
	var idx []int
	if account != "" {
		idx = d.byAcct[account]
	}
	out := []Edge{}
	total := 0
	visit := func(e *Edge) {
		if !keep(e) {
			return
		}
		if total >= offset && len(out) < limit {
			if withEvidence {
				out = append(out, d.withEvidence(*e))
			} else {
				out = append(out, *e)
			}
		}
		total++
	}
	if account != "" {
		for _, i := range idx {
			visit(&d.edges[i])
		}
	} else {
		for i := range candidates {
			visit(&candidates[i])
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "offset": offset, "limit": limit, "edges": out})
	return nil
}

func (s *Server) handleAccounts(w http.ResponseWriter, r *http.Request, _ *principal) error {
	d, err := s.dataOf(r)
	if err != nil {
		return err
	}
	offset, limit, err := page(r)
	if err != nil {
		return err
	}
	accs := d.res.Accounts
	if v := r.URL.Query().Get("cluster"); v != "" {
		c, err := strconv.Atoi(v)
		if err != nil {
			return badRequest("cluster must be a cluster id")
		}
		var f []results.Account
		for _, a := range accs {
			if a.Cluster != nil && *a.Cluster == c {
				f = append(f, a)
			}
		}
		accs = f
	}
	lo, hi := window(len(accs), offset, limit)
	out := accs[lo:hi]
	if out == nil {
		out = []results.Account{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": len(accs), "offset": lo, "limit": limit, "accounts": out})
	return nil
}

// handleAccount shows an account (by id or handle, case-insensitively):
// its facts, cluster, edges (first 200) and the posts of its evidence.
func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request, _ *principal) error {
	d, err := s.dataOf(r)
	if err != nil {
		return err
	}
	want, err := pathValue(r, "account")
	if err != nil {
		return err
	}
	var acc *results.Account
	for i := range d.res.Accounts {
		a := &d.res.Accounts[i]
		if a.ID == want || strings.EqualFold(a.Handle, want) || strings.EqualFold(a.ID, want) {
			acc = a
			break
		}
	}
	if acc == nil {
		return fmt.Errorf("account %q is not in the network of this run: %w", clip(want, 60), ErrNotFound)
	}
	edges := []Edge{}
	posts := []PostView{}
	seen := map[string]bool{}
	for n, i := range d.byAcct[acc.ID] {
		if n >= 200 {
			break
		}
		e := d.withEvidence(d.edges[i])
		edges = append(edges, e)
		for _, ev := range e.Evidence {
			for _, pid := range []string{ev.PostA, ev.PostB} {
				if p, ok := d.posts[pid]; ok && p.Account == acc.ID && !seen[pid] {
					seen[pid] = true
					posts = append(posts, p)
				}
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"account": acc, "edges_total": len(d.byAcct[acc.ID]), "edges": edges, "posts": posts})
	return nil
}

// handlePost shows a post known from the evidence (?id=POST_ID: ids hold
// '/' and '#').
func (s *Server) handlePost(w http.ResponseWriter, r *http.Request, _ *principal) error {
	d, err := s.dataOf(r)
	if err != nil {
		return err
	}
	id := r.URL.Query().Get("id")
	if id == "" {
		return badRequest("give the post id: ?id=POST_ID")
	}
	p, ok := d.posts[id]
	if !ok {
		return fmt.Errorf("post %q is not in the evidence of this run: %w", clip(id, 80), ErrNotFound)
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// handleReport serves report.html (or report.md / report.json with
// ?format=md|json) of a run; HTML gets its own strict CSP (no script at
// all, sandboxed).
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request, _ *principal) error {
	run, err := s.runOf(r)
	if err != nil {
		return err
	}
	name, ctype := "report.html", "text/html; charset=utf-8"
	switch r.URL.Query().Get("format") {
	case "", "html":
	case "md":
		name, ctype = "report.md", "text/markdown; charset=utf-8"
	case "json":
		name, ctype = "report.json", "application/json; charset=utf-8"
	default:
		return badRequest("format must be html, md or json")
	}
	f, err := os.Open(filepath.Join(run.ResultDir, name))
	if err != nil {
		return fmt.Errorf("run %d has no %s (POST /api/runs/%d/report renders it): %w", run.ID, name, run.ID, ErrNotFound)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Security-Policy", reportCSP)
	w.Header().Set("Content-Type", ctype)
	if name != "report.html" {
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="run-%d-%s"`, run.ID, name))
	}
	http.ServeContent(w, r, "", st.ModTime(), f)
	return nil
}

// handleRenderReport (re-)renders the report of a run from its result
// directory.
func (s *Server) handleRenderReport(w http.ResponseWriter, r *http.Request, p *principal) error {
	run, err := s.runOf(r)
	if err != nil {
		return err
	}
	if err := report.Render(run.ResultDir, report.Options{Log: s.log}); err != nil {
		return err
	}
	s.log.Info("report rendered", "run", run.ID, "user", p.User)
	writeJSON(w, http.StatusOK, map[string]any{"run": run.ID, "files": report.Files})
	return nil
}

func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request, _ *principal) error {
	writeJSON(w, http.StatusOK, map[string]any{"alerts": s.alerts.list()})
	return nil
}
