package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"github.com/chorus-osint/chorus/internal/results"
)

// wantCSP is the Content Security Policy every report must carry.
const wantCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

// renderHostile renders the hostile result directory with opts and
// returns the three files.
func renderHostile(t *testing.T, opts Options) (htmlOut, mdOut, jsonOut string) {
	t.Helper()
	_, htmlOut, mdOut, jsonOut = renderHostileDir(t, opts)
	return
}

// renderHostileDir is renderHostile that also returns the directory.
func renderHostileDir(t *testing.T, opts Options) (dir, htmlOut, mdOut, jsonOut string) {
	t.Helper()
	dir = t.TempDir()
	writeHostileDir(t, dir)
	if err := Render(dir, opts); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return dir, read("report.html"), read("report.md"), read("report.json")
}

// isInvisible reports bidi controls, zero-width and other format
// characters.
func isInvisible(r rune) bool {
	return unicode.Is(unicode.Cf, r)
}

func TestXSSHTML(t *testing.T) {
	page, _, _ := renderHostile(t, Options{})
	// Every payload must have reached the page (as text), or the test
	// proves nothing.
	for _, marker := range []string{"event name", "place", "handle", "hashtag", "recirc url", "outlet", "auto text", "quote", "input file", "text a", "object", "warning", "onset note", "tz", "lang", "group handle", "member handle"} {
		if !strings.Contains(page, marker) {
			t.Errorf("field %q did not reach the HTML", marker)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;window.__pwned=1") {
		t.Error("script payload not shown as escaped text")
	}
	if !strings.Contains(page, "&amp;lt;script&amp;gt;") {
		t.Error("entity payload was decoded instead of shown literally")
	}
	if !strings.Contains(page, "{{.}}") {
		t.Error("template syntax in data was not shown literally")
	}
	lower := strings.ToLower(page)
	for _, bad := range []string{"<script", "<img", "<iframe", "<link", "<object", "<embed", "<svg onload", "javascript:window", "<style>body"} {
		if i := strings.Index(lower, bad); i >= 0 && !(bad == "javascript:window" && isEscapedText(lower, i)) {
			t.Errorf("raw %q in the HTML at %d: %q", bad, i, around(page, i))
		}
	}
	if m := regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`).FindString(page); m != "" {
		t.Errorf("event handler attribute in the HTML: %q", m)
	}

	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	styles, csp, bidiText := 0, false, 0
	var walk func(n *html.Node, isolated, inSVGText bool)
	walk = func(n *html.Node, isolated, inSVGText bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "img", "link", "object", "embed", "base", "form", "frame", "audio", "video", "foreignobject":
				t.Errorf("forbidden element <%s> in the HTML", n.Data)
			case "style":
				styles++
			case "meta":
				if attr(n, "http-equiv") == "Content-Security-Policy" && attr(n, "content") == wantCSP {
					csp = true
				}
			case "bdi":
				isolated = true
			}
			if attr(n, "dir") == "auto" {
				isolated = true
			}
			if n.Data == "text" || n.Data == "title" || n.Data == "desc" {
				inSVGText = inSVGText || n.Parent != nil && isSVG(n)
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				if strings.HasPrefix(k, "on") {
					t.Errorf("event handler attribute %s on <%s>", a.Key, n.Data)
				}
				if k == "href" || k == "src" || k == "xlink:href" || k == "action" || k == "formaction" {
					if !strings.HasPrefix(a.Val, "#") {
						t.Errorf("<%s %s=%q>: only in-page links are allowed", n.Data, a.Key, a.Val)
					}
				}
				if k == "style" && strings.Contains(strings.ToLower(a.Val), "url(") {
					t.Errorf("<%s style=%q> fetches a URL", n.Data, a.Val)
				}
				if strings.IndexFunc(a.Val, isInvisible) >= 0 {
					t.Errorf("<%s %s=%q> carries invisible characters", n.Data, a.Key, a.Val)
				}
			}
		}
		if n.Type == html.TextNode && strings.IndexFunc(n.Data, isInvisible) >= 0 {
			bidiText++
			if !isolated {
				t.Errorf("text with bidi/zero-width characters outside <bdi>/dir=auto: %q", n.Data)
			}
			if inSVGText {
				t.Errorf("SVG text keeps bidi/zero-width characters: %q", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, isolated, inSVGText)
		}
	}
	walk(doc, false, false)
	if !csp {
		t.Errorf("no Content-Security-Policy meta tag with %q", wantCSP)
	}
	if styles != 1 {
		t.Errorf("%d <style> elements, want only the report's own", styles)
	}
	if bidiText == 0 {
		t.Error("the bidi payload never reached the page")
	}
}

// isEscapedText reports whether position i of s lies in text (not in a
// tag): the last '<' before it is followed by a '>' before i.
func isEscapedText(s string, i int) bool {
	lt := strings.LastIndex(s[:i], "<")
	gt := strings.LastIndex(s[:i], ">")
	return gt > lt
}

func isSVG(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == "svg" {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func around(s string, i int) string {
	return s[max(0, i-60):min(len(s), i+80)]
}

// stripCodeSpans removes Markdown code spans (matching backtick runs).
func stripCodeSpans(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '`' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		fence := s[i:j]
		end := strings.Index(s[j:], fence)
		if end < 0 {
			b.WriteString(fence)
			i = j
			continue
		}
		b.WriteString("CODE")
		i = j + end + len(fence)
	}
	return b.String()
}

func TestXSSMarkdown(t *testing.T) {
	_, md, _ := renderHostile(t, Options{})
	if !strings.Contains(md, "window.__pwned") {
		t.Fatal("payloads did not reach report.md")
	}
	rest := stripCodeSpans(md)
	// Outside code spans only our own anchors may be HTML.
	anchors := regexp.MustCompile(`<a id="[a-z0-9_-]+"></a>`)
	rest = anchors.ReplaceAllString(rest, "")
	for _, bad := range []string{"<", "javascript:", "pwned", "evil.example", "{{", "](java", "onerror"} {
		if i := strings.Index(rest, bad); i >= 0 {
			t.Errorf("%q outside a code span in report.md: %q", bad, around(rest, i))
		}
	}
	if i := strings.IndexFunc(md, isInvisible); i >= 0 {
		t.Errorf("invisible character in report.md: %q", around(md, i))
	}
	if !strings.Contains(md, "[U+202E]") {
		t.Error("bidi override not made visible in report.md")
	}
	// A newline inside user text must not end the code span's line.
	for _, line := range strings.Split(md, "\n") {
		if strings.Contains(line, "line 2") && !strings.Contains(line, "↵") {
			t.Errorf("multi-line text broke the Markdown line: %q", line)
		}
	}
}

func TestXSSJSON(t *testing.T) {
	dir, _, _, js := renderHostileDir(t, Options{})
	if !json.Valid([]byte(js)) {
		t.Fatal("report.json is not valid JSON")
	}
	if strings.Contains(js, "<script") || strings.Contains(js, "<img") {
		t.Error("report.json holds unescaped markup (want \\u003c)")
	}
	var rep Report
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	res, err := results.ReadResults(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Event.Name != res.Event.Name || rep.Event.Place != res.Event.Place {
		t.Errorf("report.json must keep the exact hostile strings, got %q / %q", rep.Event.Name, rep.Event.Place)
	}
}
