package beamcoord

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // plain paths
	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/results"
	"github.com/chorus-osint/chorus/internal/safefile"
	"github.com/chorus-osint/chorus/internal/version"
)

// finalizeFn scores one layer as the local engine's significance() does
// and emits its edges, its summary and the evidence of its significant
// edges. BH needs every candidate p-value of the layer, so this is one
// key per layer: its size is the layer's candidate edges, not its pairs.
type finalizeFn struct {
	Params Params
}

func (fn *finalizeFn) ProcessElement(layer int, edges func(*Edge) bool, accs func(*LayerAcc) bool, info func(int) func(*LayerInfo) bool,
	emitEdge func(int, Edge), emitSummary func(int, string), emitEv func(string, EvRow)) error {
	l := uint8(layer)
	var es []Edge
	var e Edge
	for edges(&e) {
		es = append(es, e)
	}
	var acc LayerAcc
	var a LayerAcc
	for accs(&a) {
		acc = layerAccFn{}.MergeAccumulators(acc, a)
	}
	if acc.Vals == nil {
		acc.Vals = make([]int64, accLen)
	}
	slices.SortFunc(es, func(x, y Edge) int {
		if x.OrdA != y.OrdA {
			return cmpU64(x.OrdA, y.OrdA)
		}
		return cmpU64(x.OrdB, y.OrdB)
	})
	pairs := acc.scalar(statPairs)
	pct := coord.HistPercentile(acc.Vals[offPct:offObs], pairs, 0.99)
	sum := results.Layer{
		Layer: model.Layer(l).String(), WindowSeconds: float64(fn.Params.WindowMs[l]) / 1000,
		Actions: int(acc.scalar(statActions)), Objects: acc.scalar(statObjects) + int64(len(acc.Hot)),
		ActiveAccounts: int(acc.scalar(statAccounts)), Pairs: pairs, Edges: len(es),
		PercentileWeight: pct, RawPairs: acc.scalar(statRawPairs), Truncated: acc.scalar(statTruncated),
	}
	if sum.Actions == 0 {
		sum.PercentileWeight = 0
	}
	var info0 LayerInfo
	if info(layer)(&info0) {
		sum.MaxPartners = info0.MaxPartners
	}
	perms := fn.Params.Permutations
	if perms > 0 && len(es) > 0 {
		fdr := coord.StrataFDR(acc.Vals[offObs:offNull], acc.Vals[offNull:accLen], float64(perms))
		me := make([]model.Edge, len(es))
		for i := range es {
			lambda := (float64(uint32(es[i].NullSum)) + 0.5) / float64(perms)
			p := coord.PoissonTail(int(es[i].Objects), lambda)
			me[i] = model.Edge{P: p, Q: p}
		}
		coord.BenjaminiHochberg(me, float64(pairs))
		for i := range es {
			s := coord.Stratum(es[i].BA, es[i].BB)
			es[i].P = me[i].P
			es[i].Q = math.Max(me[i].Q, fdr[s*coord.HistCap+min(int(es[i].Objects), coord.HistCap-1)])
		}
		sum.Permutations = perms
	} else {
		for i := range es {
			es[i].P, es[i].Q = 1, 1
		}
	}
	li := slices.Index(fn.Params.Layers, l)
	for i := range es {
		e := &es[i]
		if e.Weight > pct {
			sum.OverPercentile++
		}
		if e.Q <= fn.Params.Alpha {
			sum.Significant++
		}
		if e.Q <= fn.Params.Alpha || (fn.Params.EvidenceP > 0 && e.P <= fn.Params.EvidenceP) {
			for k, ev := range e.Evidence {
				sort := fmt.Sprintf("%03d%016x%016x%05d", li, e.OrdA, e.OrdB, k)
				row := EvRow{Sort: sort, Layer: l, IDA: e.IDA, IDB: e.IDB, ObjOrd: ev.Ord, KeyA: ev.PostA, KeyB: ev.PostB, Dt: ev.Dt}
				emitEv(layerKey(l, ev.Ord), row)
			}
		}
		e.Evidence = nil
		emitEdge(0, *e)
	}
	b, err := json.Marshal(sum)
	if err != nil {
		return err
	}
	emitSummary(0, string(b))
	return nil
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// labelFn names the object of each evidence row (dictionary layers) and
// splits the row into its two posts' halves for the post join.
func labelFn(key string, rows func(*EvRow) bool, labels func(*string) bool, emit func(string, EvRow)) {
	var label string
	labels(&label)
	var r EvRow
	for rows(&r) {
		r.Label = label
		a, b := r, r
		a.Role, b.Role = 1, 2
		emit(r.KeyA, a)
		emit(r.KeyB, b)
	}
}

// postJoinFn fills a half row with its post.
func postJoinFn(key string, rows func(*EvRow) bool, infos func(*PostInfo) bool, emit func(string, EvRow)) {
	var info PostInfo
	if !infos(&info) {
		panic("BUG: evidence post not among the posts")
	}
	var r EvRow
	for rows(&r) {
		if r.Role == 1 {
			r.A = info
		} else {
			r.B = info
		}
		emit(r.Sort, r)
	}
}

// mergeHalvesFn joins the two halves of an evidence row.
func mergeHalvesFn(sort string, halves func(*EvRow) bool, emit func(int, EvRow)) {
	var out, h EvRow
	for halves(&h) {
		if h.Role == 1 {
			b := out.B
			out = h
			out.B = b
		} else {
			out.B = h.B
			if out.Sort == "" {
				out.Sort, out.Layer, out.IDA, out.IDB, out.Dt, out.Label = h.Sort, h.Layer, h.IDA, h.IDB, h.Dt, h.Label
			}
		}
	}
	if postLabelled(model.Layer(out.Layer)) {
		for _, lb := range out.A.Labels {
			if lb.Layer == out.Layer {
				out.Label = lb.Key
			}
		}
	}
	emit(0, out)
}

// writeFn writes edges.csv, evidence.csv and layers.json in the local
// engine's formats (internal/export's columns and number formats).
type writeFn struct {
	Params Params
	Dir    string
	// Exact also writes edges-exact.csv: weight, p and q at full
	// precision (bits), for tests that hold the pipeline to the engine.
	Exact bool
}

func (fn *writeFn) ProcessElement(ctx context.Context, _ int, edges func(*Edge) bool, sums func(*string) bool, evs func(*EvRow) bool) error {
	byLayer := map[uint8][]Edge{}
	var e Edge
	for edges(&e) {
		byLayer[e.Layer] = append(byLayer[e.Layer], e)
	}
	summary := map[string]results.Layer{}
	var s string
	for sums(&s) {
		if s == "" {
			continue // the writer's start signal
		}
		var lr results.Layer
		if err := json.Unmarshal([]byte(s), &lr); err != nil {
			return err
		}
		summary[lr.Layer] = lr
	}
	var rows []EvRow
	var r EvRow
	for evs(&r) {
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(x, y EvRow) int { return strings.Compare(x.Sort, y.Sort) })

	if err := fn.write(ctx, "edges.csv", func(w io.Writer) error { return fn.writeEdges(w, byLayer) }); err != nil {
		return err
	}
	if err := fn.write(ctx, "evidence.csv", func(w io.Writer) error { return writeEvidence(w, rows) }); err != nil {
		return err
	}
	if fn.Exact {
		if err := fn.write(ctx, "edges-exact.csv", func(w io.Writer) error { return fn.writeExact(w, byLayer) }); err != nil {
			return err
		}
	}
	out := LayersFile{Version: version.Version, Alpha: fn.Params.Alpha, Seed: fn.Params.Seed}
	for _, l := range fn.Params.Layers {
		name := model.Layer(l).String()
		lr, ok := summary[name]
		if !ok {
			lr = results.Layer{Layer: name, WindowSeconds: float64(fn.Params.WindowMs[l]) / 1000}
		}
		out.Layers = append(out.Layers, lr)
	}
	return fn.write(ctx, "layers.json", func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	})
}

// LayersFile is layers.json: results.json's per-layer summaries.
type LayersFile struct {
	Version string          `json:"chorus_version"`
	Alpha   float64         `json:"alpha"`
	Seed    uint64          `json:"seed"`
	Layers  []results.Layer `json:"layers"`
}

// write writes one output file. A local file is written atomically (temp
// file, fsync, rename: an interrupted run leaves the old file or the new
// one, never half of it); a remote one through Beam's file system, whose
// object stores publish an object only when its upload completes.
func (fn *writeFn) write(ctx context.Context, name string, body func(io.Writer) error) error {
	if !isRemote(fn.Dir) {
		p := filepath.Join(fn.Dir, name)
		if err := os.MkdirAll(fn.Dir, 0o755); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
		return safefile.Write(p, body)
	}
	p := fn.Dir + "/" + name
	fs, err := filesystem.New(ctx, p)
	if err != nil {
		return err
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, p)
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := body(w); err != nil {
		w.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	return w.Close()
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }

func fmtTime(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339) }

func (fn *writeFn) writeEdges(w io.Writer, byLayer map[uint8][]Edge) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"source", "target", "layer", "weight", "objects", "co_actions", "source_first", "target_first", "symmetry", "p", "q", "median_dt_s", "significant", "source_handle", "target_handle", "corroboration"})
	for _, l := range fn.Params.Layers {
		es := byLayer[l]
		slices.SortFunc(es, func(x, y Edge) int {
			if x.OrdA != y.OrdA {
				return cmpU64(x.OrdA, y.OrdA)
			}
			return cmpU64(x.OrdB, y.OrdB)
		})
		for i := range es {
			e := &es[i]
			sig := "0"
			if e.Q <= fn.Params.Alpha {
				sig = "1"
			}
			me := model.Edge{AFirst: e.AFirst, BFirst: e.BFirst}
			cw.Write([]string{
				results.CSVText(e.IDA), results.CSVText(e.IDB), model.Layer(l).String(), ftoa(e.Weight),
				strconv.Itoa(int(e.Objects)), strconv.Itoa(int(e.CoActions)), strconv.Itoa(int(e.AFirst)), strconv.Itoa(int(e.BFirst)),
				ftoa(me.Symmetry()), strconv.FormatFloat(e.P, 'g', 4, 64), strconv.FormatFloat(e.Q, 'g', 4, 64), ftoa(float64(e.MedianDtMs) / 1000), sig,
				// corroboration: the group and membership tests run
				// downstream, in `chorus analyze --from-edges`.
				results.CSVText(e.HandleA), results.CSVText(e.HandleB), "",
			})
		}
		if err := cw.Error(); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeEvidence(w io.Writer, rows []EvRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"layer", "source", "target", "object", "post_a", "time_a", "post_b", "time_b", "dt_s", "file_a", "line_a", "file_b", "line_b", "text_a", "text_b"})
	for _, r := range rows {
		cw.Write([]string{
			model.Layer(r.Layer).String(), results.CSVText(r.IDA), results.CSVText(r.IDB), results.CSVText(r.Label),
			results.CSVText(r.A.ID), fmtTime(r.A.T), results.CSVText(r.B.ID), fmtTime(r.B.T), ftoa(float64(r.Dt) / 1000),
			results.CSVText(r.A.File), strconv.FormatInt(r.A.Line, 10), results.CSVText(r.B.File), strconv.FormatInt(r.B.Line, 10),
			results.CSVText(r.A.Text), results.CSVText(r.B.Text),
		})
	}
	cw.Flush()
	return cw.Error()
}

func (fn *writeFn) writeExact(w io.Writer, byLayer map[uint8][]Edge) error {
	cw := csv.NewWriter(w)
	for _, l := range fn.Params.Layers {
		for _, e := range byLayer[l] {
			cw.Write([]string{model.Layer(l).String(), e.IDA, e.IDB, strconv.FormatUint(math.Float64bits(e.Weight), 16),
				strconv.FormatUint(math.Float64bits(e.P), 16), strconv.FormatUint(math.Float64bits(e.Q), 16), strconv.FormatInt(e.MedianDtMs, 10)})
		}
	}
	cw.Flush()
	return cw.Error()
}
