package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestDistIsCSPSafe checks the committed build: an index.html whose only
// scripts are external module files, no inline style or script, and no
// HTML-parsing sinks in the JavaScript (post texts must only ever reach the
// page through textContent).
func TestDistIsCSPSafe(t *testing.T) {
	d := Dist()
	idx, err := fs.ReadFile(d, "index.html")
	if err != nil {
		t.Fatal("web/dist/index.html missing: run `npm run build` in web/")
	}
	html := string(idx)
	for _, m := range regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`).FindAllStringSubmatch(html, -1) {
		if !strings.Contains(m[1], `src="/assets/`) || strings.TrimSpace(m[2]) != "" {
			t.Errorf("inline or foreign script in index.html: %q", m[0])
		}
	}
	if strings.Contains(html, "<style") || strings.Contains(html, " style=") || strings.Contains(html, "onload=") {
		t.Error("inline style or handler in index.html")
	}
	js, _ := fs.Glob(d, "assets/*.js")
	if len(js) == 0 {
		t.Fatal("no built JavaScript in web/dist/assets")
	}
	for _, p := range js {
		b, _ := fs.ReadFile(d, p)
		for _, sink := range []string{".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function("} {
			if strings.Contains(string(b), sink) {
				t.Errorf("%s uses %s", p, sink)
			}
		}
	}
}
