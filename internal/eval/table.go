package eval

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/chorus-osint/chorus/internal/synth"
)

// WriteTable writes rep as human-readable tables.
func WriteTable(w io.Writer, rep *Report) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	p := func(format string, a ...any) { fmt.Fprintf(tw, format, a...) }
	a := rep.Accounts
	p("coordinated accounts\tprecision %.3f\trecall %.3f\tF1 %.3f\t(tp %d, fp %d, fn %d)\n", a.Precision, a.Recall, a.F1, a.TP, a.FP, a.FN)
	p("flagged / planted / organic\t%d / %d / %d\tin %d clusters\n", rep.Flagged, rep.Planted, rep.Organic, rep.Clusters)
	p("organic false-positive rate\t%.4f\n", rep.OrganicFPRate)
	if rep.HyperactiveFPRate != nil {
		p("hyperactive flagged\t%.3f\n", *rep.HyperactiveFPRate)
	}
	p("ARI (flagged ∪ planted)\t%.3f\n", rep.ARI)
	p("ARI (planted)\t%.3f\n", rep.ARIPlanted)
	if rep.ARIFlagged != nil {
		p("ARI (flagged)\t%.3f\n", *rep.ARIFlagged)
	}
	if rep.Purity != nil {
		p("cluster purity\t%.3f\n", *rep.Purity)
	}
	if rep.EdgeAUC != nil {
		p("edge ROC-AUC (same group vs other)\t%.3f\n", *rep.EdgeAUC)
	}
	p("\nkind\tprecision\trecall\tF1\ttp/fp/fn\n")
	for _, k := range synth.Kinds {
		s, ok := rep.ByKind[k]
		if !ok {
			continue
		}
		p("%s\t%.3f\t%.3f\t%.3f\t%d/%d/%d\n", k, s.Precision, s.Recall, s.F1, s.TP, s.FP, s.FN)
	}
	p("\ngroup\tkind\tsize\trecall\tclusters\n")
	for _, g := range rep.ByGroup {
		cs := make([]string, len(g.Clusters))
		for i, c := range g.Clusters {
			cs[i] = fmt.Sprint(c)
		}
		p("%d\t%s\t%d\t%.2f\t%s\n", g.ID, g.Kind, g.Size, g.Recall, strings.Join(cs, ","))
	}
	if len(rep.ByLayer) > 0 {
		p("\nlayer\tedges\tsignificant\tsame-group\tprecision\tAUC\tkinds found (share of accounts)\n")
		layers := make([]string, 0, len(rep.ByLayer))
		for l := range rep.ByLayer {
			layers = append(layers, l)
		}
		slices.Sort(layers)
		for _, l := range layers {
			s := rep.ByLayer[l]
			auc := "-"
			if s.AUC != nil {
				auc = fmt.Sprintf("%.3f", *s.AUC)
			}
			var ks []string
			for _, k := range synth.Kinds {
				if v := s.ByKind[k]; v > 0 {
					ks = append(ks, fmt.Sprintf("%s %.2f", k, v))
				}
			}
			p("%s\t%d\t%d\t%d\t%.3f\t%s\t%s\n", l, s.Edges, s.SignificantEdges, s.SameGroup, s.Precision, auc, strings.Join(ks, ", "))
		}
	}
	if s := rep.Stance; s != nil {
		p("\nstance\tposts %d (coverage %.3f)\tattribution accuracy %.3f\tmacro-F1 %.3f\n", s.Posts, s.Coverage, s.Accuracy, s.MacroF1)
		if s.Orientation != nil {
			p("\torientation\taccuracy %.3f\tmacro-F1 %.3f\n", s.Orientation.Accuracy, s.Orientation.MacroF1)
		}
	}
	if len(rep.Indicators) > 0 {
		p("\nindicator\ttruth\tmeasured\terror\n")
		names := make([]string, 0, len(rep.Indicators))
		for n := range rep.Indicators {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			in := rep.Indicators[n]
			p("%s\t%.4g\t%.4g\t%.4g %s\n", n, in.Truth, in.Measured, in.Error, in.Unit)
		}
	}
	if len(rep.IndicatorsMissing) > 0 {
		// Absent, or null: a tag listed without an overtake, an onset of
		// null when no coordinated cluster was found.
		p("\nnot measured (absent or null in results.json):\t%s\n", strings.Join(rep.IndicatorsMissing, ", "))
	}
	for _, n := range rep.Notes {
		p("note:\t%s\n", n)
	}
	return tw.Flush()
}
