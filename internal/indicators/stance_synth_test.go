package indicators

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
	"github.com/chorus-osint/chorus/internal/stance"
	"github.com/chorus-osint/chorus/internal/synth"
)

// Issue 7's synth bar: the unanimity measured from the rule classifier's
// per-post stance matches the planted truth within a few points, before
// and after the claim and along the series.
const (
	maxUnanimityError = 0.05 // absolute, supporters' assert share per period
	maxSeriesError    = 0.05 // absolute, assert share of a series bin
	// Series bins are compared when the truth has at least this many
	// attributing posts in the bin (fewer: a handful of posts swing the share).
	minSeriesAttributing = 100
	synthStanceBin       = 6 * time.Hour
)

// synthEvent generates a synthetic event and returns its corpus, labels
// and the planted stance of every corpus post.
func synthEvent(t *testing.T, posts, seed int) (*corpus.Corpus, *synth.Labels, []StanceLabel) {
	t.Helper()
	dir := t.TempDir()
	sp := synth.Defaults()
	sp.Posts, sp.Seed = posts, uint64(seed)
	postsPath, labelsPath := filepath.Join(dir, "posts.jsonl"), filepath.Join(dir, "labels.json")
	if _, err := synth.Generate(context.Background(), sp, postsPath, labelsPath, nil); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(labelsPath)
	if err != nil {
		t.Fatal(err)
	}
	var lab synth.Labels
	if err := json.Unmarshal(raw, &lab); err != nil {
		t.Fatal(err)
	}
	cb := corpus.NewBuilder(lab.Posts)
	if _, err := ingest.ReadFile(context.Background(), postsPath, ingest.Options{}, func(p *model.Post) error { cb.Add(p); return nil }); err != nil {
		t.Fatal(err)
	}
	c := cb.Build()
	truth := make([]StanceLabel, c.Len())
	for i := range truth {
		id, err := strconv.ParseInt(c.PostID.At(i), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		r := int(id - lab.Stance.PostIDFirst)
		truth[i] = ParseStanceLabel(lab.Stance.AttributionCodes[lab.Stance.Attribution[r:r+1]], lab.Stance.OrientationCodes[lab.Stance.Orientation[r:r+1]])
	}
	return c, &lab, truth
}

// TestSynthStanceUnanimity classifies every post of synthetic events (two
// sizes, two seeds) with the rules and compares the stance indicators with
// the same indicators on the planted labels.
func TestSynthStanceUnanimity(t *testing.T) {
	if testing.Short() {
		t.Skip("synthetic events")
	}
	rules := stance.NewRules()
	p := testParams()
	p.StanceBin = synthStanceBin
	p.Bootstrap = 0
	for _, run := range []struct{ posts, seed int }{{12000, 3}, {12000, 11}, {30000, 3}, {30000, 11}} {
		t.Run(fmt.Sprintf("posts%d_seed%d", run.posts, run.seed), func(t *testing.T) {
			c, lab, truth := synthEvent(t, run.posts, run.seed)
			pred := make([]StanceLabel, c.Len())
			var agree, n int
			for i := range pred {
				lang := ""
				if l := c.Lang[i]; l != ^uint32(0) {
					lang = c.Langs.Key(l)
				}
				pred[i] = NewStanceLabel(rules.Classify(c.Text.At(i), lang))
				n++
				if pred[i].Attribution == truth[i].Attribution {
					agree++
				}
			}
			ev := Event{T0: lab.T0, TClaim: lab.TClaim}
			want := mustCompute(t, Input{Corpus: c, Event: ev, Stance: truth}, p).Stance
			got := mustCompute(t, Input{Corpus: c, Event: ev, Stance: pred}, p).Stance
			// The indicator on the planted labels is the generator's truth.
			for _, x := range []struct {
				name       string
				truth, ind *float64
			}{{"before", lab.Indicators.UnanimityBeforeClaim, want.UnanimityBeforeClaim}, {"after", lab.Indicators.UnanimityAfterClaim, want.UnanimityAfterClaim}} {
				if x.truth == nil || x.ind == nil || math.Abs(*x.truth-*x.ind) > 1e-9 {
					t.Fatalf("unanimity %s claim on the planted labels %v, labels file %v", x.name, x.ind, x.truth)
				}
			}
			t.Logf("attribution accuracy %.3f over %d posts", float64(agree)/float64(n), n)
			check := func(what string, w, g *float64, tol float64) {
				t.Helper()
				switch {
				case w == nil && g == nil:
				case w == nil || g == nil:
					t.Errorf("%s: truth %v, measured %v", what, fmtPtr(w), fmtPtr(g))
				default:
					t.Logf("%s: truth %.3f measured %.3f (error %+.3f)", what, *w, *g, *g-*w)
					if math.Abs(*g-*w) > tol {
						t.Errorf("%s: measured %.3f, truth %.3f: off by more than %.2f", what, *g, *w, tol)
					}
				}
			}
			check("supporters' unanimity before claim", want.UnanimityBeforeClaim, got.UnanimityBeforeClaim, maxUnanimityError)
			check("supporters' unanimity after claim", want.UnanimityAfterClaim, got.UnanimityAfterClaim, maxUnanimityError)
			check("supporters' unanimity after T0", want.UnanimityAfterT0, got.UnanimityAfterT0, maxUnanimityError)
			for k := range want.Periods {
				check("all posts' assert share "+want.Periods[k].Period, want.Periods[k].All.AssertShare, got.Periods[k].All.AssertShare, maxUnanimityError)
			}
			if len(want.Series) != len(got.Series) {
				t.Fatalf("series of %d bins, truth %d", len(got.Series), len(want.Series))
			}
			attributing := func(c map[string]int) int { return c[stance.Asserts] + c[stance.Speculates] + c[stance.Denies] }
			compared, comparedSup := 0, 0
			for b, wb := range want.Series {
				at := "bin +" + wb.Start.Sub(lab.T0).String()
				if attributing(wb.SupportersCounts) >= minSeriesAttributing {
					comparedSup++
					check("supporters' unanimity "+at, wb.Unanimity, got.Series[b].Unanimity, maxSeriesError)
				}
				if attributing(wb.Counts) >= minSeriesAttributing {
					compared++
					check("all posts' assert share "+at, wb.AssertShare, got.Series[b].AssertShare, maxSeriesError)
				}
			}
			if compared < 3 || comparedSup < 2 {
				t.Errorf("only %d series bins (%d for supporters) with %d attributing posts", compared, comparedSup, minSeriesAttributing)
			}
		})
	}
}

func fmtPtr(x *float64) string {
	if x == nil {
		return "none"
	}
	return strconv.FormatFloat(*x, 'f', 3, 64)
}
