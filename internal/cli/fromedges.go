package cli

import (
	"cmp"
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/export"
	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/report"
	"github.com/chorus-osint/chorus/internal/results"
)

// `chorus analyze --from-edges DIR`: cluster and report on edges computed
// elsewhere — the Beam pipeline's output (scale/beam: edges.csv,
// evidence.csv, layers.json) or an earlier analyze directory (edges.csv,
// evidence.csv, results.json). The co-action passes are not rerun: the
// edges, their p- and q-values and the layer summaries are read as
// written, the significant ones are clustered as `chorus analyze` does
// (pipeline.BuildNetwork), and the usual outputs and report are written.
// Only the evidence posts are known, so post counts and time spans cover
// those posts, and indicators (which need every post) are not computed.

// errEdgeDir: the --from-edges directory lacks a file or has a bad one.
var errEdgeDir = errors.New("not an edges directory")

// edgeDirLayers is the layer list of layers.json (scale/beam) or of
// results.json (chorus analyze), with the alpha and seed they were made
// with when known.
type edgeDirLayers struct {
	Alpha  float64         `json:"alpha"`
	Seed   uint64          `json:"seed"`
	Layers []results.Layer `json:"layers"`
}

func analyzeFromEdges(e *env, cfg config.Config, dir string, args []string, started time.Time) int {
	if cfg.Output.Dir == "" {
		fmt.Fprintln(e.stderr, "chorus analyze: --out DIR is required")
		return exitUsage
	}
	log := newLogger(e, &cfg)
	t := time.Now()
	c, res, meta, err := readEdgeDir(dir)
	if err != nil {
		return fail(e, "analyze", err)
	}
	if meta.Alpha > 0 {
		// evidence.csv holds the evidence of the edges significant at the
		// alpha they were scored with: cluster at that alpha.
		cfg.Coord.Alpha = meta.Alpha
	}
	if meta.Seed != 0 {
		cfg.Coord.Seed = meta.Seed
	}
	a := &pipeline.Analysis{Config: cfg, Corpus: c, Coord: res}
	if cfg.Event.T0 != "" {
		if a.Event, err = pipeline.EventFromConfig(&cfg); err != nil {
			return fail(e, "analyze", err)
		}
	} else {
		a.Event.Name = cmp.Or(cfg.Event.Name, "from-edges")
	}
	a.Warnings = append(a.Warnings, "edges read from "+dir+" (--from-edges): post and account counts cover the evidence posts and edge accounts only; indicators were not computed")
	el := time.Since(t)
	a.Phases = append(a.Phases, pipeline.Phase{Name: "read edges", Elapsed: el, Seconds: el.Seconds()})
	t = time.Now()
	pipeline.TestGroups(e.ctx, res, &cfg)
	if err := e.ctx.Err(); err != nil {
		return fail(e, "analyze", err)
	}
	a.Network = pipeline.BuildNetwork(c, res, &cfg)
	el = time.Since(t)
	a.Phases = append(a.Phases, pipeline.Phase{Name: "network", Elapsed: el, Seconds: el.Seconds()})
	if err := export.WriteAll(cfg.Output.Dir, a, append([]string{"chorus", "analyze"}, args...), started, pipeline.PeakRSSMB()); err != nil {
		return fail(e, "analyze", err)
	}
	if err := report.Render(cfg.Output.Dir, report.Options{Log: log}); err != nil {
		return fail(e, "analyze", fmt.Errorf("report: %w", err))
	}
	if !cfg.Output.Quiet {
		printFromEdgesSummary(e, a, dir, time.Since(started))
	}
	return exitOK
}

func printFromEdgesSummary(e *env, a *pipeline.Analysis, dir string, el time.Duration) {
	w := e.stdout
	fmt.Fprintf(w, "read the edges of %d layers from %s (evidence: %d posts; %d accounts with a candidate edge)\n", len(a.Coord.Layers), dir, a.Corpus.Len(), a.Corpus.NumAccounts())
	fmt.Fprintf(w, "%-12s %8s %10s %12s %12s\n", "layer", "window", "pairs", "candidates", "significant")
	for _, l := range a.Coord.Layers {
		fmt.Fprintf(w, "%-12s %8s %10d %12d %12d\n", l.Layer, time.Duration(l.WindowMs)*time.Millisecond, l.Pairs, len(l.Edges), l.Significant)
	}
	printCorroborated(w, a.Coord)
	fmt.Fprintf(w, "%d coordinated clusters, %d accounts in clusters, %d significant account pairs\n", len(a.Network.Clusters), a.Network.AccountsInClusters(), len(a.Network.Edges))
	fmt.Fprintf(w, "wrote %s in %.1fs\n", a.Config.Output.Dir, el.Seconds())
	fmt.Fprintln(w, "Coordination is evidence of organisation, not proof of who carried out the event.")
}

// readEdgeDir rebuilds, from an edges directory, the coord result and a
// corpus holding the edges' accounts and the evidence posts.
func readEdgeDir(dir string) (*corpus.Corpus, *coord.Result, edgeDirLayers, error) {
	var meta edgeDirLayers
	b, err := os.ReadFile(filepath.Join(dir, "layers.json"))
	if errors.Is(err, os.ErrNotExist) {
		b, err = os.ReadFile(filepath.Join(dir, "results.json"))
	}
	if err != nil {
		return nil, nil, meta, fmt.Errorf("%w: %v (need layers.json or results.json)", errEdgeDir, err)
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		return nil, nil, meta, fmt.Errorf("%w: layer summaries: %v", errEdgeDir, err)
	}
	edges, err := readCSVFile(filepath.Join(dir, "edges.csv"), []string{"source", "target", "layer", "weight", "objects", "co_actions", "source_first", "target_first", "p", "q", "median_dt_s", "significant", "source_handle", "target_handle"})
	if err != nil {
		return nil, nil, meta, err
	}
	evs, err := readCSVFile(filepath.Join(dir, "evidence.csv"), []string{"layer", "source", "target", "object", "post_a", "time_a", "post_b", "time_b", "dt_s", "file_a", "line_a", "file_b", "line_b", "text_a", "text_b"})
	if err != nil {
		return nil, nil, meta, err
	}
	alpha := cmp.Or(meta.Alpha, config.Default().Coord.Alpha)
	r := &edgeDirReader{layerIdx: map[model.Layer]int{}}
	res := &coord.Result{}
	for _, s := range meta.Layers {
		l, ok := model.ParseLayer(s.Layer)
		if !ok {
			return nil, nil, meta, fmt.Errorf("%w: unknown layer %q", errEdgeDir, s.Layer)
		}
		r.layerIdx[l] = len(res.Layers)
		res.Layers = append(res.Layers, coord.LayerResult{
			Layer: l, WindowMs: int64(math.Round(s.WindowSeconds * 1000)), Actions: s.Actions, Objects: s.Objects, Accounts: s.ActiveAccounts,
			Pairs: s.Pairs, Permutations: s.Permutations, PercentileWeight: s.PercentileWeight, OverPercentile: s.OverPercentile,
			RawPairs: s.RawPairs, Truncated: s.Truncated, MaxPartners: s.MaxPartners, Partitions: 1,
		})
	}
	r.orderAccounts(edges)
	c := r.c
	type pairKey struct {
		l    model.Layer
		a, b uint32
	}
	edgeAt := map[pairKey][2]int{}
	for i, row := range edges.rows {
		l, ok := model.ParseLayer(edges.get(row, "layer"))
		li, ok2 := r.layerIdx[l]
		if !ok || !ok2 {
			return nil, nil, meta, fmt.Errorf("%w: edges.csv line %d: layer %q not in the layer summaries", errEdgeDir, edges.lines[i], edges.get(row, "layer"))
		}
		a, b := r.acct[edges.get(row, "source")], r.acct[edges.get(row, "target")]
		e := model.Edge{A: a, B: b, Layer: l}
		var perr error
		num := func(col string) float64 {
			v, err := strconv.ParseFloat(edges.get(row, col), 64)
			if err != nil && perr == nil {
				perr = fmt.Errorf("%w: edges.csv line %d: %s: %v", errEdgeDir, edges.lines[i], col, err)
			}
			return v
		}
		e.Weight, e.P, e.Q = num("weight"), num("p"), num("q")
		e.Objects, e.CoActions = uint32(num("objects")), uint32(num("co_actions"))
		e.AFirst, e.BFirst = uint32(num("source_first")), uint32(num("target_first"))
		e.MedianDtMs = int64(math.Round(num("median_dt_s") * 1000))
		if perr != nil {
			return nil, nil, meta, perr
		}
		// p and q are written to 4 digits: keep the written decision.
		if sig := edges.get(row, "significant") == "1"; sig && e.Q > alpha {
			e.Q = alpha
		} else if !sig && e.Q <= alpha {
			e.Q = math.Nextafter(alpha, 1)
		}
		if a > b {
			return nil, nil, meta, fmt.Errorf("BUG: account order inverts edge %s-%s", edges.get(row, "source"), edges.get(row, "target"))
		}
		lr := &res.Layers[li]
		edgeAt[pairKey{l, a, b}] = [2]int{li, len(lr.Edges)}
		lr.Edges = append(lr.Edges, e)
		if e.Q <= alpha {
			lr.Significant++
		}
	}
	if err := r.posts(evs); err != nil {
		return nil, nil, meta, err
	}
	for i, row := range evs.rows {
		l, _ := model.ParseLayer(evs.get(row, "layer"))
		a, b := r.acct[evs.get(row, "source")], r.acct[evs.get(row, "target")]
		at, ok := edgeAt[pairKey{l, a, b}]
		if !ok {
			return nil, nil, meta, fmt.Errorf("%w: evidence.csv line %d: no edge %s-%s in layer %s", errEdgeDir, evs.lines[i], evs.get(row, "source"), evs.get(row, "target"), evs.get(row, "layer"))
		}
		pa, pb := r.postOf[i][0], r.postOf[i][1]
		dt, _ := strconv.ParseFloat(evs.get(row, "dt_s"), 64)
		e := &res.Layers[at[0]].Edges[at[1]]
		e.Evidence = append(e.Evidence, model.Evidence{Object: r.object(l, evs.get(row, "object"), pa, pb), PostA: pa, PostB: pb, DtMs: int64(math.Round(dt * 1000))})
	}
	for i := range res.Layers {
		slices.SortFunc(res.Layers[i].Edges, func(x, y model.Edge) int {
			return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
		})
	}
	return c, res, meta, nil
}

// csvTable is a CSV file held in memory (the edges directory is read in
// several passes): the cells of the columns asked for, as written.
type csvTable struct {
	col   map[string]int // column asked for -> index in a row
	rows  [][]string
	lines []int // the line each row starts on (text cells may hold newlines)
}

func (t *csvTable) get(row []string, col string) string {
	i, ok := t.col[col]
	if !ok {
		panic("BUG: fromedges reads column " + col + " it did not ask for")
	}
	return row[i]
}

func readCSVFile(path string, need []string) (*csvTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errEdgeDir, err)
	}
	defer f.Close()
	tab, err := results.ReadTable(f, filepath.Base(path), need...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errEdgeDir, err)
	}
	t := &csvTable{col: map[string]int{}}
	for _, c := range need {
		t.col[c] = len(t.col)
	}
	for {
		if err := tab.Next(); err == io.EOF {
			return t, nil
		} else if err != nil {
			return nil, fmt.Errorf("%w: %v", errEdgeDir, err)
		}
		row := make([]string, len(need))
		for k, c := range need {
			row[k] = tab.Raw(c)
		}
		t.rows = append(t.rows, row)
		t.lines = append(t.lines, tab.Line())
	}
}

// edgeDirReader builds the corpus of an edges directory.
type edgeDirReader struct {
	c        *corpus.Corpus
	layerIdx map[model.Layer]int
	acct     map[string]uint32 // id cell → account
	postOf   [][2]uint32       // evidence row → its two posts
	objs     map[model.Layer]map[string]uint32
}

// orderAccounts numbers the edges' accounts. edges.csv lists each layer's
// edges sorted by (source, target) in the writer's account order, with
// source < target: those constraints are kept (a topological order, ties
// by first appearance), so that clustering sees the accounts in the
// writer's order wherever the file determines it.
func (r *edgeDirReader) orderAccounts(edges *csvTable) {
	first := map[string]int{}
	var names []string
	handle := map[string]string{}
	node := func(id, h string) int {
		n, ok := first[id]
		if !ok {
			n = len(names)
			first[id] = n
			names = append(names, id)
			handle[id] = h
		}
		return n
	}
	succ := map[int][]int{}
	indeg := map[int]int{}
	before := func(x, y int) {
		if x != y {
			succ[x] = append(succ[x], y)
			indeg[y]++
		}
	}
	var prevL string
	prevA, prevB := -1, -1
	for _, row := range edges.rows {
		a := node(edges.get(row, "source"), edges.get(row, "source_handle"))
		b := node(edges.get(row, "target"), edges.get(row, "target_handle"))
		before(a, b)
		if l := edges.get(row, "layer"); l == prevL {
			if a == prevA {
				before(prevB, b)
			} else {
				before(prevA, a)
			}
		} else {
			prevL = l
		}
		prevA, prevB = a, b
	}
	h := &intHeap{}
	for n := range names {
		if indeg[n] == 0 {
			heap.Push(h, n)
		}
	}
	r.c = corpus.NewBuilder(0).Build()
	r.acct = make(map[string]uint32, len(names))
	for h.Len() > 0 {
		n := heap.Pop(h).(int)
		id := names[n]
		r.acct[id] = r.c.Accounts.Intern("edges:" + results.UnCSVText(id))
		r.c.AccountHandle = append(r.c.AccountHandle, results.UnCSVText(handle[id]))
		r.c.AccountPlatform = append(r.c.AccountPlatform, model.PlatformUnknown)
		for _, m := range succ[n] {
			if indeg[m]--; indeg[m] == 0 {
				heap.Push(h, m)
			}
		}
	}
	if len(r.acct) != len(names) {
		panic("BUG: account order constraints of edges.csv have a cycle")
	}
}

type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// posts adds the evidence posts to the corpus in time order (a post is its
// id, file and line) and records each evidence row's two posts.
func (r *edgeDirReader) posts(evs *csvTable) error {
	type post struct {
		id, file, text string
		line, t        int64
		acct           uint32
		tags, media    []string
	}
	type key struct {
		id, file string
		line     int64
	}
	idx := map[key]int{}
	var ps []post
	refs := make([][2]int, len(evs.rows))
	for i, row := range evs.rows {
		l, _ := model.ParseLayer(evs.get(row, "layer"))
		for side, s := range [2]string{"a", "b"} {
			line, err := strconv.ParseInt(evs.get(row, "line_"+s), 10, 64)
			if err != nil {
				return fmt.Errorf("%w: evidence.csv line %d: line_%s: %v", errEdgeDir, evs.lines[i], s, err)
			}
			tm, err := time.Parse(time.RFC3339, evs.get(row, "time_"+s))
			if err != nil {
				return fmt.Errorf("%w: evidence.csv line %d: time_%s: %v", errEdgeDir, evs.lines[i], s, err)
			}
			k := key{results.UnCSVText(evs.get(row, "post_"+s)), results.UnCSVText(evs.get(row, "file_"+s)), line}
			j, ok := idx[k]
			if !ok {
				acct, ok := r.acct[evs.get(row, [2]string{"source", "target"}[side])]
				if !ok {
					return fmt.Errorf("%w: evidence.csv line %d: account not in edges.csv", errEdgeDir, evs.lines[i])
				}
				j = len(ps)
				idx[k] = j
				ps = append(ps, post{id: k.id, file: k.file, line: line, t: tm.UnixMilli(), text: results.UnCSVText(evs.get(row, "text_"+s)), acct: acct})
			}
			// Labels that pipeline.ObjectLabel takes from the post.
			obj := results.UnCSVText(evs.get(row, "object"))
			switch l {
			case model.LayerHashtagSeq:
				ps[j].tags = nil
				for _, t := range strings.Split(obj, " ") {
					ps[j].tags = append(ps[j].tags, strings.TrimPrefix(t, "#"))
				}
			case model.LayerImage:
				ps[j].media = []string{obj}
			}
			refs[i][side] = j
		}
	}
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Or(cmp.Compare(ps[x].t, ps[y].t), cmp.Compare(ps[x].file, ps[y].file), cmp.Compare(ps[x].line, ps[y].line), cmp.Compare(ps[x].id, ps[y].id))
	})
	pos := make([]uint32, len(ps))
	c := r.c
	files := map[string]uint16{}
	for n, j := range order {
		p := &ps[j]
		pos[j] = uint32(n)
		f, ok := files[p.file]
		if !ok {
			f = uint16(len(c.Files))
			files[p.file] = f
			c.Files = append(c.Files, p.file)
		}
		c.PostID.Append(p.id)
		c.Platform = append(c.Platform, model.PlatformUnknown)
		c.Time = append(c.Time, p.t)
		c.Account = append(c.Account, p.acct)
		c.Text.Append(p.text)
		c.TextHash = append(c.TextHash, 0)
		for _, col := range []*[]uint32{&c.Lang, &c.Client, &c.Repost, &c.RepostAcc, &c.Quote, &c.Reply} {
			*col = append(*col, ids.None)
		}
		c.Flags = append(c.Flags, 0)
		c.SrcFile = append(c.SrcFile, f)
		c.SrcLine = append(c.SrcLine, p.line)
		c.SrcOffset = append(c.SrcOffset, 0)
		for _, t := range p.tags {
			id := c.Tags.Intern(strings.ToLower(t))
			if int(id) == len(c.TagDisplay) {
				c.TagDisplay = append(c.TagDisplay, t)
			}
			c.TagIDs = append(c.TagIDs, id)
		}
		for _, m := range p.media {
			c.MediaIDs = append(c.MediaIDs, c.Media.Intern(m))
		}
		c.TagOff = append(c.TagOff, uint32(len(c.TagIDs)))
		c.URLOff = append(c.URLOff, uint32(len(c.URLIDs)))
		c.MentionOff = append(c.MentionOff, uint32(len(c.MentionIDs)))
		c.MediaOff = append(c.MediaOff, uint32(len(c.MediaIDs)))
	}
	r.postOf = make([][2]uint32, len(refs))
	for i, rf := range refs {
		r.postOf[i] = [2]uint32{pos[rf[0]], pos[rf[1]]}
	}
	return nil
}

// object returns the object ID of an evidence label in layer l, filling
// the dictionary pipeline.ObjectLabel reads so that it gives the label back
// (layers labelled from the post — texts, hashtag sequences, images — use
// the post).
func (r *edgeDirReader) object(l model.Layer, label string, pa, pb uint32) uint32 {
	label = results.UnCSVText(label)
	if r.objs == nil {
		r.objs = map[model.Layer]map[string]uint32{}
	}
	m := r.objs[l]
	if m == nil {
		m = map[string]uint32{}
		r.objs[l] = m
	}
	if id, ok := m[label]; ok {
		return id
	}
	c := r.c
	var id uint32
	switch l {
	case model.LayerRepost:
		id = c.Reposted.Intern(strings.TrimPrefix(label, "repost of "))
	case model.LayerHashtag:
		t := strings.TrimPrefix(label, "#")
		id = c.Tags.Intern(strings.ToLower(t))
		if int(id) == len(c.TagDisplay) {
			c.TagDisplay = append(c.TagDisplay, t)
		}
	case model.LayerURL:
		id = c.URLs.Intern(label)
	case model.LayerDomain:
		id = c.Domains.Intern(label)
	case model.LayerReply:
		id = c.Replied.Intern(strings.TrimPrefix(label, "reply to "))
	case model.LayerMention:
		id = c.Mentions.Intern(strings.TrimPrefix(label, "@"))
	default: // labelled from the post: any distinct number
		id = uint32(len(m))
	}
	m[label] = id
	return id
}
