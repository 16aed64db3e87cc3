package beamcoord_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/chorus-osint/chorus/internal/config"
	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/export"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/pipeline"
	"github.com/chorus-osint/chorus/internal/results"
	"github.com/chorus-osint/chorus/internal/synth"
	"github.com/chorus-osint/chorus/scale/beam/beamcoord"
)

func TestMain(m *testing.M) { ptest.Main(m) }

// engineRun is the local engine's output on files: its result and the
// directory where chorus's exporter wrote it.
type engineRun struct {
	res *coord.Result
	dir string
	c   int // posts
}

// runEngine runs the local engine the way `chorus analyze` does (one
// ingest worker, so that interning follows input order) and exports it.
func runEngine(t *testing.T, cfg config.Config, files []string) engineRun {
	t.Helper()
	ctx := context.Background()
	opts, err := pipeline.IngestOptions(&cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, inputs, err := pipeline.Ingest(ctx, files, opts, 1, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	params, err := pipeline.CoordParams(&cfg, cfg.Coord.Windows[0])
	if err != nil {
		t.Fatal(err)
	}
	res, err := coord.Run(ctx, c, params, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := &pipeline.Analysis{Config: cfg, Corpus: c, Coord: res, Inputs: inputs}
	a.Network = pipeline.BuildNetwork(c, res, &cfg)
	dir := t.TempDir()
	if err := export.WriteAll(dir, a, []string{"test"}, time.Now(), 0); err != nil {
		t.Fatal(err)
	}
	return engineRun{res: res, dir: dir, c: c.Len()}
}

// beamRun is the pipeline's output directory and its hot-key counters.
type beamRun struct {
	dir             string
	slices, overlap int64
}

// runBeam runs the Beam pipeline on Prism and returns its output.
func runBeam(t *testing.T, cfg config.Config, files []string, hotKeyPosts int, sliceMs int64) beamRun {
	t.Helper()
	params, err := pipeline.CoordParams(&cfg, cfg.Coord.Windows[0])
	if err != nil {
		t.Fatal(err)
	}
	bp, err := beamcoord.FromCoord(&params, cfg.Coord.ImageRadius)
	if err != nil {
		t.Fatal(err)
	}
	bp.HotKeyPosts, bp.SliceMs = hotKeyPosts, sliceMs
	bp.EvidenceP = pipeline.CorroborationP(&cfg) // as chorus-beam sets it
	var inputs []beamcoord.Input
	for i, f := range files {
		inputs = append(inputs, beamcoord.Input{Index: i, Path: f})
	}
	out := beamRun{dir: t.TempDir()}
	p, s := beam.NewPipelineWithRoot()
	if err := beamcoord.BuildExact(s, inputs, bp, beamcoord.IngestOptions{Format: cfg.Ingest.Format, TZ: cfg.Ingest.TZ}, out.dir); err != nil {
		t.Fatal(err)
	}
	pr, err := ptest.RunWithMetrics(p)
	if err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	for _, c := range pr.Metrics().AllMetrics().Counters() {
		switch c.Key.Name {
		case "hot_key_slices":
			out.slices += c.Result()
		case "hot_key_overlap_actions":
			out.overlap += c.Result()
		}
	}
	return out
}

func testConfig(layers string, window time.Duration, perms int) config.Config {
	cfg := config.Default()
	cfg.Coord.Layers = strings.Split(layers, ",")
	cfg.Coord.Windows = []time.Duration{window}
	cfg.Coord.Permutations = perms
	cfg.Coord.ImageRadius = 0
	cfg.Coord.Workers = 2
	// The group and membership tests run downstream of Beam (`chorus
	// analyze --from-edges`); the engine's side is compared without them.
	cfg.Coord.GroupResamples = 0
	cfg.Coord.MemberP = 0
	return cfg
}

// compare holds the Beam output to the engine's: edges.csv and
// evidence.csv byte for byte, the layer summaries field for field, and
// every edge's weight, p and q to the bit.
func compare(t *testing.T, eng engineRun, br beamRun) {
	t.Helper()
	beamDir := br.dir
	for _, name := range []string{"edges.csv", "evidence.csv"} {
		want, err := os.ReadFile(filepath.Join(eng.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(beamDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the engine's: %s", name, firstDiff(want, got))
		}
	}
	rj, err := results.ReadResults(filepath.Join(eng.dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(beamDir, "layers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lf beamcoord.LayersFile
	if err := json.Unmarshal(b, &lf); err != nil {
		t.Fatal(err)
	}
	if len(lf.Layers) != len(rj.Layers) {
		t.Fatalf("layers.json has %d layers, engine %d", len(lf.Layers), len(rj.Layers))
	}
	for i := range rj.Layers {
		if lf.Layers[i] != rj.Layers[i] {
			t.Errorf("layer summary differs:\nengine %+v\nbeam   %+v", rj.Layers[i], lf.Layers[i])
		}
	}
	// Full precision.
	f, err := os.Open(filepath.Join(beamDir, "edges-exact.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(bufio.NewReader(f)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, lr := range eng.res.Layers {
		n += len(lr.Edges)
	}
	if len(recs) != n {
		t.Fatalf("beam wrote %d edges, engine has %d", len(recs), n)
	}
	k := 0
	for _, lr := range eng.res.Layers {
		for _, e := range lr.Edges {
			r := recs[k]
			k++
			for j, v := range []float64{e.Weight, e.P, e.Q} {
				bits, _ := strconv.ParseUint(r[3+j], 16, 64)
				if got := math.Float64frombits(bits); got != v {
					t.Errorf("%s edge %s-%s: value %d is %v in beam, %v in the engine", lr.Layer, r[1], r[2], j, got, v)
				}
			}
			if r[6] != strconv.FormatInt(e.MedianDtMs, 10) {
				t.Errorf("%s edge %s-%s: median gap %s, engine %d", lr.Layer, r[1], r[2], r[6], e.MedianDtMs)
			}
		}
	}
}

func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < min(len(wl), len(gl)); i++ {
		if wl[i] != gl[i] {
			return "line " + strconv.Itoa(i+1) + ":\nengine " + wl[i] + "\nbeam   " + gl[i]
		}
	}
	return "engine " + strconv.Itoa(len(wl)) + " lines, beam " + strconv.Itoa(len(gl))
}

func summary(eng engineRun) (edges, sig int) {
	for _, lr := range eng.res.Layers {
		edges += len(lr.Edges)
		sig += lr.Significant
	}
	return
}

// synthFiles generates a synthetic event and splits it into two input
// files, with an overlap of repeated posts (exported twice), so that the
// pipeline's cross-file ordering and duplicate removal are exercised.
func synthFiles(t *testing.T, posts int) []string {
	t.Helper()
	dir := t.TempDir()
	p := synth.Defaults()
	p.Posts, p.Accounts, p.Workers = posts, posts/10, 1
	all := filepath.Join(dir, "all.jsonl")
	if _, err := synth.Generate(context.Background(), p, all, filepath.Join(dir, "labels.json"), nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(all)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	half := len(lines) / 2
	a := strings.Join(lines[:half], "")
	// The second file repeats the last 200 posts of the first.
	c := strings.Join(lines[half-200:], "")
	fa, fc := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	if err := os.WriteFile(fa, []byte(a), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fc, []byte(c), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{fa, fc}
}

const synthLayers = "repost,hashtag,hashtag_seq,url,domain,text,image,reply,mention,staggered"

func TestSynthMatchesEngine(t *testing.T) {
	files := synthFiles(t, 20000)
	cfg := testConfig(synthLayers, 60*time.Second, 10)
	eng := runEngine(t, cfg, files)
	edges, sig := summary(eng)
	if edges < 100 || sig < 10 {
		t.Fatalf("synth event too weak to test anything: %d edges, %d significant", edges, sig)
	}
	br := runBeam(t, cfg, files, 0, 0)
	if br.slices != 0 {
		t.Errorf("%d hot-key slices with splitting off", br.slices)
	}
	compare(t, eng, br)
	t.Logf("%d posts, %d candidate edges, %d significant: identical", eng.c, edges, sig)
}

// TestEvergreenClassesMatchEngine: with 6-hour null blocks and objects
// evergreen from 4 blocks, blocks of the synthetic event are split into
// evergreen and language classes (their p-values differ from a run with
// the evergreen classes off), and the pipeline's shuffle of each block's
// classes gives the engine's output to the bit.
func TestEvergreenClassesMatchEngine(t *testing.T) {
	files := synthFiles(t, 20000)
	cfg := testConfig("hashtag,url,domain,repost,staggered", 60*time.Second, 6)
	cfg.Coord.NullBlock = 6 * time.Hour
	cfg.Coord.EvergreenBlocks = 0
	off := runEngine(t, cfg, files)
	cfg.Coord.EvergreenBlocks = 4
	eng := runEngine(t, cfg, files)
	changed := 0
	for i, lr := range eng.res.Layers {
		for j, e := range lr.Edges {
			if j < len(off.res.Layers[i].Edges) && e.P != off.res.Layers[i].Edges[j].P {
				changed++
			}
		}
	}
	if changed == 0 {
		t.Fatal("no p-value depends on the evergreen classes: the test would not exercise the split")
	}
	if !cfg.Coord.NullByLanguage {
		t.Fatal("language classes are off by default: the test would not exercise them")
	}
	compare(t, eng, runBeam(t, cfg, files, 0, 0))
	t.Logf("%d edges' p-values set by split blocks: identical", changed)
}

// TestHotKeySplitChangesNothing splits every object with more than 30
// actions into 2-window slices: the output must not change.
func TestHotKeySplitChangesNothing(t *testing.T) {
	files := synthFiles(t, 20000)
	cfg := testConfig("hashtag,url,text,staggered,hashtag_seq", 60*time.Second, 6)
	cfg.Coord.IDF = true
	cfg.Coord.MaxPartners = 8 // the cap must hold across slices too
	// The post-pair budget (--max-layer-pairs) at half the busiest layer's
	// post pairs: that layer runs with a lower partner bound, which the
	// pipeline must choose too; the quietest layer keeps 8.
	cfg.Coord.MaxLayerPairs = 0
	var busiest, quietest int64 = 0, math.MaxInt64
	for _, lr := range runEngine(t, cfg, files).res.Layers {
		busiest, quietest = max(busiest, lr.RawPairs), min(quietest, lr.RawPairs)
	}
	cfg.Coord.MaxLayerPairs = busiest / 2
	eng := runEngine(t, cfg, files)
	var trunc int64
	lowered := 0
	for _, lr := range eng.res.Layers {
		trunc += lr.Truncated
		if lr.MaxPartners < 8 {
			lowered++
		}
	}
	if trunc == 0 || lowered == 0 || quietest >= busiest/2 {
		t.Fatalf("the test would not exercise the bounds across slices: %d pairs truncated, %d layers with a lowered bound", trunc, lowered)
	}
	br := runBeam(t, cfg, files, 30, 120_000)
	if br.slices < 10 || br.overlap == 0 {
		t.Fatalf("hot-key splitting barely ran: %d slices, %d overlap actions", br.slices, br.overlap)
	}
	compare(t, eng, br)
	t.Logf("%d hot-key slices swept, %d overlap actions, %d post pairs truncated, %d layers with a lowered partner bound: identical", br.slices, br.overlap, trunc, lowered)
}

// TestRealMatchesEngine holds the pipeline to the engine on real data,
// with hot-key splitting forced on (objects of more than a few actions
// are cut into slices of one or two windows), so that split and unsplit
// objects meet in the same run.
func TestRealMatchesEngine(t *testing.T) {
	for _, tc := range []struct {
		name, layers string
		window       time.Duration
		hot          int
		slice        time.Duration
		file         func(t *testing.T) string
	}{
		// Facebook and Twitter, four layers (testdata/README.md).
		{"german_elections", "url,hashtag,domain,image", time.Minute, 2, time.Minute,
			func(*testing.T) string { return "testdata/german_elections_2021-09-25_26.csv.gz" }},
		// Co-retweet: CooRTweet's worked example, January 2021.
		{"coortweet_russian", "repost", 5 * time.Minute, 4, 10 * time.Minute, russianJanuary},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.file(t)
			cfg := testConfig(tc.layers, tc.window, 10)
			eng := runEngine(t, cfg, []string{f})
			edges, sig := summary(eng)
			if edges < 50 || sig < 5 {
				t.Fatalf("too few edges to test: %d (%d significant)", edges, sig)
			}
			br := runBeam(t, cfg, []string{f}, tc.hot, tc.slice.Milliseconds())
			if br.slices < 10 || br.overlap == 0 {
				t.Fatalf("hot-key splitting barely ran: %d slices, %d overlap actions", br.slices, br.overlap)
			}
			compare(t, eng, br)
			t.Logf("%d posts, %d candidate edges, %d significant, %d hot-key slices: identical", eng.c, edges, sig, br.slices)
		})
	}
}

// russianJanuary cuts January 2021 out of CooRTweet's russian_coord_tweets
// (shared data, not copied into testdata).
func russianJanuary(t *testing.T) string {
	const src = "../../../../shared/data/coortweet-examples/russian_coord_tweets.csv.gz"
	f, err := os.Open(src)
	if err != nil {
		t.Skipf("real data not here: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(zr)
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	for line := 0; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if line > 0 {
			ts, err := strconv.ParseInt(rec[3], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			if ts >= 1612137600 { // 2021-02-01
				continue
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	out := filepath.Join(t.TempDir(), "russian_coord_tweets_2021-01.csv")
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestUnsupported(t *testing.T) {
	cfg := testConfig("near_text", time.Minute, 1)
	params, err := pipeline.CoordParams(&cfg, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := beamcoord.FromCoord(&params, 0); err == nil {
		t.Error("near_text accepted")
	}
	cfg = testConfig("image", time.Minute, 1)
	params, _ = pipeline.CoordParams(&cfg, time.Minute)
	if _, err := beamcoord.FromCoord(&params, 8); err == nil {
		t.Error("image grouping accepted")
	}
	_ = model.LayerImage
}
