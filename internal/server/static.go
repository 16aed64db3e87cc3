package server

import (
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// serveAssets serves the built dashboard: files under assets/ with a long
// cache life (their names carry a content hash), everything else is the
// single page index.html (routing is in the URL fragment).
func (s *Server) serveAssets(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	fsys := s.opts.Assets
	if fsys == nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("chorus: the dashboard is not built into this binary; the JSON API is under /api/ (docs/api.md)\n"))
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" || name == "index.html" {
		s.serveIndex(w, r, fsys)
		return
	}
	st, err := fs.Stat(fsys, name)
	if err != nil || st.IsDir() {
		if strings.HasPrefix(name, "assets/") || strings.Contains(path.Base(name), ".") {
			http.NotFound(w, r)
			return
		}
		s.serveIndex(w, r, fsys)
		return
	}
	if strings.HasPrefix(name, "assets/") {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	http.ServeFileFS(w, r, fsys, name)
}

func (s *Server) serveIndex(w http.ResponseWriter, r *http.Request, fsys fs.FS) {
	b, err := fs.ReadFile(fsys, "index.html")
	if err != nil {
		http.Error(w, "dashboard index missing", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}
