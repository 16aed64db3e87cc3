package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestLinksResolve checks the promise that every number links to the
// rows behind it: every in-page link of report.html and report.md must
// land on an element (an id) of the same file. It renders the bundled
// sample (most indicators present, some not computed) and the hostile
// directory (every indicator present, hostile ids and labels).
func TestLinksResolve(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the bundled sample")
	}
	sampleDir, hostileDir := renderSampleAndHostile(t)
	for _, tc := range []struct{ name, dir string }{{"sample", sampleDir}, {"hostile", hostileDir}} {
		t.Run(tc.name+"/html", func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(tc.dir, "report.html"))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := html.Parse(strings.NewReader(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			var hrefs []string
			var walk func(n *html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode {
					if id := attr(n, "id"); id != "" {
						ids[id] = true
					}
					if h := attr(n, "href"); strings.HasPrefix(h, "#") {
						hrefs = append(hrefs, h[1:])
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(doc)
			checkLinks(t, hrefs, ids)
		})
		t.Run(tc.name+"/markdown", func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(tc.dir, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			md := string(b)
			ids := map[string]bool{}
			for _, m := range regexp.MustCompile(`<a id="([^"]+)"></a>`).FindAllStringSubmatch(md, -1) {
				ids[m[1]] = true
			}
			var hrefs []string
			// Links are written by the report itself; user text sits in
			// code spans, which are removed first so that a hostile
			// "](#x)" inside them does not count.
			for _, m := range regexp.MustCompile(`\]\(#([^)\s]+)\)`).FindAllStringSubmatch(stripCodeSpans(md), -1) {
				hrefs = append(hrefs, m[1])
			}
			checkLinks(t, hrefs, ids)
		})
	}
}

func checkLinks(t *testing.T, hrefs []string, ids map[string]bool) {
	t.Helper()
	if len(hrefs) < 10 {
		t.Fatalf("only %d in-page links: the report should link its figures to their rows", len(hrefs))
	}
	bad := map[string]int{}
	for _, h := range hrefs {
		if !ids[h] {
			bad[h]++
		}
	}
	for h, n := range bad {
		t.Errorf("link to #%s (%d times) has no target", h, n)
	}
}

// renderSampleAndHostile renders the bundled sample's report and the
// hostile directory's (every indicator present, hostile ids and labels)
// into two temporary directories.
func renderSampleAndHostile(t *testing.T) (sampleDir, hostileDir string) {
	t.Helper()
	sampleDir, c := sampleCopy(t)
	if err := Render(sampleDir, Options{Corpus: c}); err != nil {
		t.Fatal(err)
	}
	hostileDir = t.TempDir()
	writeHostileDir(t, hostileDir)
	if err := Render(hostileDir, Options{}); err != nil {
		t.Fatal(err)
	}
	return sampleDir, hostileDir
}
