package server

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/chorus-osint/chorus/internal/results"
)

// runData is what the API reads of one result directory: results.json,
// the significant edges of edges.csv and the evidence of evidence.csv,
// indexed by pair, account and post. It is built once per run (and again
// when results.json changes) and kept in a small cache.
type runData struct {
	dir      string
	mtime    time.Time
	res      *results.Results
	edges    []Edge // significant edges, in file order
	evidence map[pairKey][]Evidence
	byAcct   map[string][]int    // account id -> indexes into edges
	posts    map[string]PostView // post id -> post, from evidence
	cluster  map[string]int      // account id -> cluster id
	layouts  sync.Map            // cluster id -> *Graph
}

type pairKey struct{ layer, a, b string }

// Edge is one significant edge of edges.csv.
type Edge struct {
	Source       string  `json:"source"`
	Target       string  `json:"target"`
	SourceHandle string  `json:"source_handle"`
	TargetHandle string  `json:"target_handle"`
	Layer        string  `json:"layer"`
	Weight       float64 `json:"weight"`
	Objects      int     `json:"objects"`
	CoActions    int     `json:"co_actions"`
	P            float64 `json:"p"`
	Q            float64 `json:"q"`
	MedianDtS    float64 `json:"median_dt_s"`
	// Corroboration is "group N" or "member" when the edge is in the
	// network through the group or membership test (docs/engine.md).
	Corroboration string     `json:"corroboration,omitempty"`
	Evidence      []Evidence `json:"evidence,omitempty"`
}

// Evidence is one co-action behind an edge (evidence.csv).
type Evidence struct {
	Object string  `json:"object"`
	PostA  string  `json:"post_a"`
	TimeA  string  `json:"time_a"`
	PostB  string  `json:"post_b"`
	TimeB  string  `json:"time_b"`
	DtS    float64 `json:"dt_s"`
	FileA  string  `json:"file_a"`
	LineA  int64   `json:"line_a"`
	FileB  string  `json:"file_b"`
	LineB  int64   `json:"line_b"`
	TextA  string  `json:"text_a"`
	TextB  string  `json:"text_b"`
}

// PostView is a post known from the evidence.
type PostView struct {
	ID      string `json:"id"`
	Account string `json:"account"`
	Time    string `json:"time"`
	Text    string `json:"text"`
	File    string `json:"file"`
	Line    int64  `json:"line"`
}

// runCache keeps the runData of the most recently used runs.
type runCache struct {
	mu    sync.Mutex
	max   int
	byDir map[string]*runData
	order []string
	// loading serialises loads of one directory.
	loading map[string]*sync.Mutex
}

func newRunCache(n int) *runCache {
	return &runCache{max: n, byDir: map[string]*runData{}, loading: map[string]*sync.Mutex{}}
}

// get returns the data of result directory dir, loading it when needed.
func (c *runCache) get(dir string) (*runData, error) {
	st, err := os.Stat(filepath.Join(dir, "results.json"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: the run has no results (yet): %s", ErrNotFound, filepath.Base(dir))
		}
		return nil, err
	}
	c.mu.Lock()
	if d, ok := c.byDir[dir]; ok && d.mtime.Equal(st.ModTime()) {
		c.touch(dir)
		c.mu.Unlock()
		return d, nil
	}
	l, ok := c.loading[dir]
	if !ok {
		l = &sync.Mutex{}
		c.loading[dir] = l
	}
	c.mu.Unlock()

	l.Lock()
	defer l.Unlock()
	c.mu.Lock()
	if d, ok := c.byDir[dir]; ok && d.mtime.Equal(st.ModTime()) {
		c.mu.Unlock()
		return d, nil
	}
	c.mu.Unlock()
	d, err := loadRun(dir, st.ModTime())
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if _, ok := c.byDir[dir]; !ok {
		c.order = append(c.order, dir)
	}
	c.byDir[dir] = d
	c.touch(dir)
	for len(c.order) > c.max {
		delete(c.byDir, c.order[0])
		delete(c.loading, c.order[0])
		c.order = c.order[1:]
	}
	c.mu.Unlock()
	return d, nil
}

// touch moves dir to the end of the LRU order. c.mu held.
func (c *runCache) touch(dir string) {
	for i, d := range c.order {
		if d == dir {
			copy(c.order[i:], c.order[i+1:])
			c.order[len(c.order)-1] = dir
			return
		}
	}
}

func loadRun(dir string, mtime time.Time) (*runData, error) {
	res, err := results.ReadResults(filepath.Join(dir, "results.json"))
	if err != nil {
		return nil, err
	}
	d := &runData{dir: dir, mtime: mtime, res: res, evidence: map[pairKey][]Evidence{}, byAcct: map[string][]int{},
		posts: map[string]PostView{}, cluster: map[string]int{}}
	for _, cl := range res.Clusters {
		for _, a := range cl.Accounts {
			d.cluster[a] = cl.ID
		}
	}
	if err := readCSV(filepath.Join(dir, "edges.csv"), d.addEdge); err != nil {
		return nil, err
	}
	if err := readCSV(filepath.Join(dir, "evidence.csv"), d.addEvidence); err != nil {
		return nil, err
	}
	return d, nil
}

// readCSV calls row for every record after the header, with a lookup of
// text cells by column name (the formula guard undone).
func readCSV(path string, row func(col func(string) string) error) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // an older or partial result directory: no edges
	}
	if err != nil {
		return err
	}
	defer f.Close()
	tab, err := results.ReadTable(f, filepath.Base(path))
	if err != nil {
		return err
	}
	for {
		if err := tab.Next(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if err := row(tab.Text); err != nil {
			return err
		}
	}
}

func atof(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func (d *runData) addEdge(col func(string) string) error {
	if col("significant") != "1" && col("corroboration") == "" {
		return nil
	}
	e := Edge{Source: col("source"), Target: col("target"), SourceHandle: col("source_handle"), TargetHandle: col("target_handle"),
		Layer: col("layer"), Weight: atof(col("weight")), Objects: int(atoi(col("objects"))), CoActions: int(atoi(col("co_actions"))),
		P: atof(col("p")), Q: atof(col("q")), MedianDtS: atof(col("median_dt_s")), Corroboration: col("corroboration")}
	i := len(d.edges)
	d.edges = append(d.edges, e)
	d.byAcct[e.Source] = append(d.byAcct[e.Source], i)
	if e.Target != e.Source {
		d.byAcct[e.Target] = append(d.byAcct[e.Target], i)
	}
	return nil
}

func (d *runData) addEvidence(col func(string) string) error {
	k := pairKey{col("layer"), col("source"), col("target")}
	ev := Evidence{Object: col("object"), PostA: col("post_a"), TimeA: col("time_a"), PostB: col("post_b"), TimeB: col("time_b"),
		DtS: atof(col("dt_s")), FileA: col("file_a"), LineA: atoi(col("line_a")), FileB: col("file_b"), LineB: atoi(col("line_b")),
		TextA: col("text_a"), TextB: col("text_b")}
	d.evidence[k] = append(d.evidence[k], ev)
	if _, ok := d.posts[ev.PostA]; !ok {
		d.posts[ev.PostA] = PostView{ID: ev.PostA, Account: k.a, Time: ev.TimeA, Text: ev.TextA, File: ev.FileA, Line: ev.LineA}
	}
	if _, ok := d.posts[ev.PostB]; !ok {
		d.posts[ev.PostB] = PostView{ID: ev.PostB, Account: k.b, Time: ev.TimeB, Text: ev.TextB, File: ev.FileB, Line: ev.LineB}
	}
	return nil
}

// withEvidence returns e with its evidence attached.
func (d *runData) withEvidence(e Edge) Edge {
	e.Evidence = d.evidence[pairKey{e.Layer, e.Source, e.Target}]
	return e
}

// clusterByID returns cluster id.
func (d *runData) clusterByID(id int) (*results.Cluster, error) {
	for i := range d.res.Clusters {
		if d.res.Clusters[i].ID == id {
			return &d.res.Clusters[i], nil
		}
	}
	return nil, fmt.Errorf("cluster %d: %w", id, ErrNotFound)
}
