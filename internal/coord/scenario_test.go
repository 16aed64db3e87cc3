package coord

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
)

// Scenario files (testdata/scenarios/*.scn) are small text files: posts
// in, edges expected. Lines:
//
//	params KEY=VALUE ...            layers=repost,hashtag window=60s min-weight=1
//	                                min-participation=1 permutations=0
//	post ID ACCOUNT TIME [repost=ID] [tags=a,b] [urls=u1,u2] [reply=ID]
//	                     [media=H] [text=rest of the line]
//	expect LAYER A B objects=N [coactions=N] [afirst=N] [bfirst=N]
//	expect-none LAYER A B
//	expect-count LAYER N            exactly N candidate edges in the layer
//
// TIME is anything ingest.ParseTime accepts (offsets included).
type scenario struct {
	name    string
	params  Params
	posts   []model.Post
	expects []scnExpect
}

type scnExpect struct {
	line   int
	kind   string // expect, expect-none, expect-count
	layer  model.Layer
	a, b   string
	fields map[string]int
	count  int
}

func defaultScenarioParams() Params {
	p := Params{MinWeight: 1, MinParticipation: 1, MaxPartners: 256, MaxPairs: 1 << 22, MinHashtagSeq: 3, Alpha: 0.05, MaxEvidence: 5, NullBlock: time.Hour, Seed: 1, Workers: 1}
	for l := model.Layer(0); l < model.NumLayers; l++ {
		p.Window[l] = 60 * time.Second
	}
	return p
}

func parseScenario(t *testing.T, path string) scenario {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := scenario{name: filepath.Base(path), params: defaultScenarioParams()}
	s := bufio.NewScanner(f)
	ln := 0
	for s.Scan() {
		ln++
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fail := func(format string, args ...any) {
			t.Fatalf("%s:%d: %s", path, ln, fmt.Sprintf(format, args...))
		}
		head, rest, _ := strings.Cut(line, " ")
		switch head {
		case "params":
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				switch k {
				case "layers":
					sc.params.Layers = nil
					for _, n := range strings.Split(v, ",") {
						l, ok := model.ParseLayer(n)
						if !ok {
							fail("unknown layer %q", n)
						}
						sc.params.Layers = append(sc.params.Layers, l)
					}
				case "window":
					d, err := time.ParseDuration(v)
					if err != nil {
						fail("%v", err)
					}
					for l := model.Layer(0); l < model.NumLayers; l++ {
						sc.params.Window[l] = d
					}
				case "min-weight":
					sc.params.MinWeight, _ = strconv.Atoi(v)
				case "min-participation":
					sc.params.MinParticipation, _ = strconv.Atoi(v)
				case "permutations":
					sc.params.Permutations, _ = strconv.Atoi(v)
				case "max-partners":
					sc.params.MaxPartners, _ = strconv.Atoi(v)
				default:
					fail("unknown param %q", k)
				}
			}
		case "post":
			text := ""
			if i := strings.Index(rest, " text="); i >= 0 {
				text, rest = rest[i+6:], rest[:i]
			}
			fs := strings.Fields(rest)
			if len(fs) < 3 {
				fail("post needs ID ACCOUNT TIME")
			}
			tm, err := ingest.ParseTime(fs[2], time.UTC)
			if err != nil {
				fail("%v", err)
			}
			p := model.Post{Platform: model.PlatformTwitter, ID: fs[0], AccountID: fs[1], Handle: fs[1], Time: tm, Text: text, Source: model.SourcePos{File: sc.name, Line: int64(ln)}}
			for _, kv := range fs[3:] {
				k, v, _ := strings.Cut(kv, "=")
				switch k {
				case "repost":
					p.RepostOf = model.Link{PostID: v}
				case "tags":
					p.Hashtags = strings.Split(v, ",")
				case "urls":
					p.URLs = strings.Split(v, ",")
				case "reply":
					p.ReplyTo = model.Link{PostID: v}
				case "media":
					p.Media = []model.Media{{Type: model.MediaPhoto, Hash: v}}
				default:
					fail("unknown post field %q", k)
				}
			}
			sc.posts = append(sc.posts, p)
		case "expect", "expect-none", "expect-count":
			fs := strings.Fields(rest)
			l, ok := model.ParseLayer(fs[0])
			if !ok {
				fail("unknown layer %q", fs[0])
			}
			ex := scnExpect{line: ln, kind: head, layer: l, fields: map[string]int{}}
			if head == "expect-count" {
				ex.count, _ = strconv.Atoi(fs[1])
			} else {
				ex.a, ex.b = fs[1], fs[2]
				for _, kv := range fs[3:] {
					k, v, _ := strings.Cut(kv, "=")
					n, err := strconv.Atoi(v)
					if err != nil {
						fail("%v", err)
					}
					ex.fields[k] = n
				}
			}
			sc.expects = append(sc.expects, ex)
		default:
			fail("unknown directive %q", head)
		}
	}
	return sc
}

func buildCorpus(posts []model.Post) *corpus.Corpus {
	b := corpus.NewBuilder(len(posts))
	for i := range posts {
		b.Add(&posts[i])
	}
	return b.Build()
}

func TestScenarios(t *testing.T) {
	files, _ := filepath.Glob("testdata/scenarios/*.scn")
	if len(files) == 0 {
		t.Fatal("no scenario files")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			sc := parseScenario(t, path)
			c := buildCorpus(sc.posts)
			res, err := Run(t.Context(), c, sc.params, nil)
			if err != nil {
				t.Fatal(err)
			}
			acct := func(name string) uint32 {
				id, ok := c.Accounts.Lookup("twitter:" + name)
				if !ok {
					t.Fatalf("%s: unknown account %q", path, name)
				}
				return id
			}
			find := func(l model.Layer, a, b string) (*model.Edge, int) {
				x, y := acct(a), acct(b)
				if x > y {
					x, y = y, x
				}
				for _, lr := range res.Layers {
					if lr.Layer != l {
						continue
					}
					for i := range lr.Edges {
						if lr.Edges[i].A == x && lr.Edges[i].B == y {
							return &lr.Edges[i], len(lr.Edges)
						}
					}
					return nil, len(lr.Edges)
				}
				t.Fatalf("layer %s not computed", l)
				return nil, 0
			}
			for _, ex := range sc.expects {
				switch ex.kind {
				case "expect-count":
					n := 0
					for _, lr := range res.Layers {
						if lr.Layer == ex.layer {
							n = len(lr.Edges)
						}
					}
					if n != ex.count {
						t.Errorf("%s:%d: layer %s has %d edges, want %d", path, ex.line, ex.layer, n, ex.count)
					}
				case "expect-none":
					if e, _ := find(ex.layer, ex.a, ex.b); e != nil {
						t.Errorf("%s:%d: unexpected %s edge %s–%s (objects %d)", path, ex.line, ex.layer, ex.a, ex.b, e.Objects)
					}
				case "expect":
					e, _ := find(ex.layer, ex.a, ex.b)
					if e == nil {
						t.Errorf("%s:%d: missing %s edge %s–%s", path, ex.line, ex.layer, ex.a, ex.b)
						continue
					}
					// Direction fields are relative to the order written.
					aFirst, bFirst := e.AFirst, e.BFirst
					if acct(ex.a) > acct(ex.b) {
						aFirst, bFirst = bFirst, aFirst
					}
					got := map[string]int{"objects": int(e.Objects), "coactions": int(e.CoActions), "afirst": int(aFirst), "bfirst": int(bFirst)}
					for k, want := range ex.fields {
						if g, ok := got[k]; !ok {
							t.Fatalf("%s:%d: unknown field %q", path, ex.line, k)
						} else if g != want {
							t.Errorf("%s:%d: %s edge %s–%s: %s = %d, want %d", path, ex.line, ex.layer, ex.a, ex.b, k, g, want)
						}
					}
				}
			}
		})
	}
}
