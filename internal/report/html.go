package report

import (
	_ "embed"
	"html/template"
	"io"
	"time"

	"github.com/chorus-osint/chorus/internal/indicators"
)

//go:embed report.html.tmpl
var htmlTemplate string

// view is what the HTML and Markdown templates read beyond report.json:
// the charts and lookups.
type view struct {
	Rep      *Report
	D        *Details
	Volume   *svgChart
	Adoption *svgChart
	Stance   *svgChart
	Network  *svgChart
	Recirc   *svgChart
	Media    *svgChart
	// VolumeBins is the series behind the volume chart (for its table).
	VolumeBins []volumeBin
	VolumeFrom string
	// LayerEvidence maps a layer to the anchor of its first evidence
	// group.
	LayerEvidence map[string]string
	// ClusterEvidence maps a cluster ID to its evidence groups.
	ClusterEvidence map[int][]*EvidenceGroup
	Unclustered     []*EvidenceGroup
	CoverageBin     string
	Problems        map[string]string
}

func newView(src *source, rep *Report, pv *privacy) *view {
	v := &view{Rep: rep, D: rep.Details, LayerEvidence: map[string]string{}, ClusterEvidence: map[int][]*EvidenceGroup{}, Problems: src.ind.problem}
	v.Volume = chartVolume(src, rep)
	v.VolumeBins, _, v.VolumeFrom = volumeSeries(src)
	v.Adoption = chartAdoption(src.ind.Hashtags)
	v.Stance = chartStance(src.ind.Stance, rep)
	v.Network = chartNetwork(src.net, rep.Network, pv)
	v.Recirc = chartRecirculation(src.ind.Recirc)
	v.Media = chartMedia(src.ind.Media)
	for i := range rep.Evidence {
		g := &rep.Evidence[i]
		if _, ok := v.LayerEvidence[g.Layer]; !ok {
			v.LayerEvidence[g.Layer] = g.Anchor
		}
		if g.Cluster != nil {
			v.ClusterEvidence[*g.Cluster] = append(v.ClusterEvidence[*g.Cluster], g)
		} else {
			v.Unclustered = append(v.Unclustered, g)
		}
	}
	if src.cov != nil {
		v.CoverageBin = binUnit(time.Duration(src.cov.BinSeconds) * time.Second)
	}
	return v
}

// gradeClass maps a grade to its CSS class.
func gradeClass(g string) string {
	switch g {
	case "strongly consistent":
		return "g3"
	case "consistent":
		return "g2"
	case "weakly consistent":
		return "g1"
	case "not consistent":
		return "g0"
	}
	return "gna"
}

var funcs = template.FuncMap{
	"plain":   func(s string) string { return svgLabel(s, 2000) },
	"int":     fmtInt,
	"hashtag": hashTag,
	"num":     fmtNum,
	"pval":    fmtP,
	"pct":     fmtPct,
	"dur":     fmtDur,
	"time":    fmtTime,
	"timep":   fmtTimePtr,
	"f":       fnum,
	"anchor":  anchorID,
	"section": sectionOf,
	"period":  periodLabel,
	"itoa":    itoa,
	"grade":   gradeClass,
	"hidden":  hasControl,
	"value":   fmtValue,
	"ci": func(ci []float64, kind string) string {
		switch kind {
		case "pct":
			return fmtCI(ci, fmtPct)
		case "x":
			return fmtCI(ci, func(x float64) string { return fmtNum(x) + "×" })
		}
		return fmtCI(ci, fmtNum)
	},
	"nump": func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fmtNum(*p)
	},
	"pctp": func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fmtPct(*p)
	},
	"durp": func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fmtDur(*p)
	},
	"intp": func(p *int) string {
		if p == nil {
			return "—"
		}
		return itoa(*p)
	},
	"pastp": func(p *indicators.Past) string {
		if p == nil || p.Percentile == nil {
			return "—"
		}
		return ordinal(int(*p.Percentile+0.5)) + " of " + itoa(p.N)
	},
	"add":         func(a, b int) int { return a + b },
	"detailedMax": func() int { return maxDetailedClusters },
	"join": func(s []string) string {
		out := ""
		for i, x := range s {
			if i > 0 {
				out += ", "
			}
			out += x
		}
		return out
	},
	"problem": func(v *view, key string) string {
		if p, ok := v.Problems[key]; ok {
			return p
		}
		return ""
	},
	"rubricValue": func(c GradedCriterion) string {
		if c.Value == nil {
			return "—"
		}
		return fmtValue(*c.Value, c.Unit)
	},
	"cut": func(c Criterion, v float64) string {
		op := "≥ "
		if !c.HigherIsStronger {
			op = "≤ "
		}
		return op + fmtValue(v, c.Unit)
	},
	"overallCuts": func() any { return OverallCuts },
	"gradedValue": func(c GradedCriterion) string {
		if c.Graded == nil {
			return "—"
		}
		return fmtValue(*c.Graded, c.Unit)
	},
	"int64": func(n int64) string { return fmtInt(int(n)) },
	"addf":  func(a, b float64) float64 { return a + b },
	"subf":  func(a, b float64) float64 { return a - b },
	"divf":  func(a, b float64) float64 { return a / b },
	"mulf":  func(a, b float64) float64 { return a * b },
	"deref": func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	},
}

var htmlTmpl = template.Must(template.New("report").Funcs(funcs).Parse(htmlTemplate))

func writeHTML(w io.Writer, rep *Report, v *view) error {
	return htmlTmpl.Execute(w, v)
}
