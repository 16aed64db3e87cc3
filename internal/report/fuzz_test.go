package report

import (
	"bytes"
	"os"
	"regexp"
	"strconv"
	"time"

	"github.com/chorus-osint/chorus/internal/results"
	"path/filepath"
	"strings"
	"testing"
)

// handlerAttr matches an event-handler attribute inside a tag.
var handlerAttr = regexp.MustCompile(`<[a-z][^>]*\son[a-z]+\s*=`)

// FuzzEvidenceCSV renders a report whose evidence.csv is arbitrary bytes
// (seeded from testdata): Render must not panic, and the HTML must stay
// free of markup from the data. Run it with -fuzzminimizetime=3s: the
// default minimisation (60 s per new input) stalls short runs.
func FuzzEvidenceCSV(f *testing.F) {
	for _, name := range []string{"evidence-sample.csv", "evidence-hostile.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("layer,source\n\"unterminated"))
	f.Add([]byte("layer,source,target,object,post_a,time_a,post_b,time_b,dt_s,file_a,line_a,file_b,line_b,text_a,text_b\n" +
		"url,a0,a1,<b>x</b>,p1,2016-03-22T07:00:00Z,p2,2016-03-22T07:00:05Z,5,f,1,f,2,\"<script>alert(1)</script>\",'=1+1\n" +
		"repost,a3,a4,@a0,p3,2016-03-21T07:00:00Z,p4,2016-03-21T07:00:05Z,5,f,3,f,4,\u202etxt,\n"))
	// A small result directory keeps each execution fast under the
	// fuzzer's instrumentation: two clusters of three accounts, a0…a5.
	dir := f.TempDir()
	writeSmallDir(f, dir)
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, "evidence.csv"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		// Render's steps without the three fsynced writes (slow under the
		// fuzzer): load, build, then the HTML and Markdown into memory.
		opts := Options{}
		opts.defaults()
		src, err := load(dir, &opts)
		if err != nil {
			return // a malformed evidence.csv may be refused, never crash
		}
		rep, v, err := build(src, &opts)
		if err != nil {
			t.Fatal(err)
		}
		var b, md bytes.Buffer
		if err := writeHTML(&b, rep, v); err != nil {
			t.Fatal(err)
		}
		if err := writeMarkdown(&md, rep, v); err != nil {
			t.Fatal(err)
		}
		low := strings.ToLower(b.String())
		for _, bad := range []string{"<script", "<img", "<iframe", "<svg onload"} {
			if strings.Contains(low, bad) {
				t.Fatalf("%q in the HTML", bad)
			}
		}
		if !strings.Contains(low, " on") {
			return
		}
		if m := handlerAttr.FindString(low); m != "" {
			t.Fatalf("event handler attribute in the HTML: %q", m)
		}
	})
}

// writeSmallDir writes a minimal result directory (results.json only).
func writeSmallDir(tb testing.TB, dir string) {
	t0 := time.Date(2016, 3, 22, 6, 58, 0, 0, time.UTC)
	res := results.Results{Event: results.Event{Name: "small", T0: t0}, Edges: 6, Statement: results.Statement}
	for c := 0; c < 2; c++ {
		cl := results.Cluster{ID: c, Size: 3, Layers: []string{"url"}, LayerEdges: map[string]int{"url": 3}}
		for k := 0; k < 3; k++ {
			id := "a" + strconv.Itoa(3*c+k)
			cl.Accounts, cl.Handles = append(cl.Accounts, id), append(cl.Handles, "H"+id)
			res.Accounts = append(res.Accounts, results.Account{ID: id, Handle: "H" + id, Cluster: &cl.ID, Degree: 2})
		}
		res.Clusters = append(res.Clusters, cl)
	}
	writeJSONFile(tb, filepath.Join(dir, "results.json"), res)
}

// FuzzMarkdownCode checks the Markdown code span of any string: one
// line, a fence that no backtick run inside can close.
func FuzzMarkdownCode(f *testing.F) {
	for _, p := range payloads {
		f.Add(p)
	}
	f.Add("``` x ``")
	f.Add(" `a` ")
	f.Add("a|b\nc\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		for _, table := range []bool{false, true} {
			got := codeSpan(s, table)
			if strings.Trim(s, "\r") == "" {
				if got != "—" {
					t.Fatalf("empty string gave %q", got)
				}
				continue
			}
			if strings.ContainsAny(got, "\n\r") {
				t.Fatalf("code span of %q spans lines: %q", s, got)
			}
			n := 0
			for n < len(got) && got[n] == '`' {
				n++
			}
			if n == 0 || len(got) < 2*n || got[len(got)-n:] != strings.Repeat("`", n) {
				t.Fatalf("code span of %q is not fenced: %q", s, got)
			}
			inner := got[n : len(got)-n]
			for i := 0; i < len(inner); {
				if inner[i] != '`' {
					i++
					continue
				}
				j := i
				for j < len(inner) && inner[j] == '`' {
					j++
				}
				if j-i == n {
					t.Fatalf("a run of %d backticks inside closes the span early: %q", n, got)
				}
				i = j
			}
			if table && strings.Contains(strings.ReplaceAll(inner, `\|`, ""), "|") {
				t.Fatalf("unescaped pipe in a table cell: %q", got)
			}
		}
	})
}
