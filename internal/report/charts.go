package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/chorus-osint/chorus/internal/indicators"
)

// volumeBin is one bar of the volume chart.
type volumeBin struct {
	Start   time.Time
	Posts   int
	Covered bool
}

// volumeSeries returns the hourly series the volume chart draws: the
// volume indicator's series when present, else coverage.json's hourly
// counts from a week before T0 to three days after.
func volumeSeries(src *source) (bins []volumeBin, bin time.Duration, from string) {
	if v := src.ind.Volume; v != nil && len(v.Series) > 0 {
		for _, b := range v.Series {
			bins = append(bins, volumeBin{Start: b.Start.UTC(), Posts: b.Posts, Covered: b.Covered})
		}
		return bins, time.Duration(v.SeriesBinSeconds * float64(time.Second)), "volume_lift"
	}
	cv := src.cov
	if cv == nil || len(cv.Volume) == 0 {
		return nil, 0, ""
	}
	bin = time.Duration(cv.BinSeconds) * time.Second
	t0 := src.res.Event.T0
	lo, hi := t0.Add(-7*24*time.Hour), t0.Add(3*24*time.Hour)
	if t0.IsZero() || t0.Before(cv.First) || t0.After(cv.Last) {
		lo, hi = cv.VolumeStart, cv.VolumeStart.Add(time.Duration(len(cv.Volume))*bin)
	}
	for i, n := range cv.Volume {
		s := cv.VolumeStart.Add(time.Duration(i) * bin)
		if s.Before(lo) || !s.Before(hi) {
			continue
		}
		bins = append(bins, volumeBin{Start: s, Posts: n, Covered: true})
	}
	if len(bins) > 2000 { // a long span without T0 inside: keep it drawable
		bins = bins[:2000]
	}
	return bins, bin, "coverage"
}

// chartVolume draws hourly posts with T0, T_claim and coordination onset.
func chartVolume(src *source, rep *Report) *svgChart {
	bins, bin, from := volumeSeries(src)
	c := &svgChart{ID: "chart-volume", Title: "Posts per " + binUnit(bin) + " around the event", W: 920, H: 300, PX: 60, PY: 20, PW: 840, PH: 220, YLabel: "posts"}
	if len(bins) == 0 {
		return c.empty("No volume series: " + src.ind.reason("volume_lift"))
	}
	maxP := 0
	for _, b := range bins {
		maxP = max(maxP, b.Posts)
	}
	ticks := niceTicks(float64(maxP), 4)
	top := ticks[len(ticks)-1]
	y := func(v float64) float64 { return c.PY + c.PH - v/top*c.PH }
	start, end := bins[0].Start, bins[len(bins)-1].Start.Add(bin)
	span := end.Sub(start).Seconds()
	x := func(t time.Time) float64 { return c.PX + t.Sub(start).Seconds()/span*c.PW }
	bw := c.PW / float64(len(bins))
	for _, t := range ticks {
		c.YTicks = append(c.YTicks, svgTick{Pos: y(t), Label: fmtNum(t)})
	}
	for _, b := range bins {
		fill := colourBar
		title := fmt.Sprintf("%s: %s posts", fmtTime(b.Start), fmtInt(b.Posts))
		h := y(0) - y(float64(b.Posts))
		if !b.Covered {
			fill, title, h = colourNoData, fmtTime(b.Start)+": outside the data", c.PH
		}
		if h <= 0 {
			continue
		}
		c.Rects = append(c.Rects, svgRect{X: x(b.Start), Y: y(0) - h, W: math.Max(bw-0.3, 0.5), H: h, Fill: fill, Title: title})
	}
	// Day ticks relative to T0 when T0 is in range, else calendar days.
	t0 := rep.Event.T0
	day := 24 * time.Hour
	step := day * time.Duration(max(1, int(math.Ceil(span/86400/12))))
	if !t0.Before(start) && t0.Before(end) {
		for k := -int(t0.Sub(start) / step); ; k++ {
			t := t0.Add(time.Duration(k) * step)
			if !t.Before(end) {
				break
			}
			if t.Before(start) {
				continue
			}
			lab := "T0"
			if k != 0 {
				lab = fmt.Sprintf("%+d d", k*int(step/day))
			}
			c.XTicks = append(c.XTicks, svgTick{Pos: x(t), Label: lab})
		}
	} else {
		for t := start.Truncate(day).Add(day); t.Before(end); t = t.Add(step) {
			c.XTicks = append(c.XTicks, svgTick{Pos: x(t), Label: t.Format("01-02")})
		}
	}
	mark := func(t time.Time, col, dash, label string) {
		if t.Before(start) || !t.Before(end) {
			return
		}
		c.Lines = append(c.Lines, svgLine{X1: x(t), Y1: c.PY, X2: x(t), Y2: c.PY + c.PH, Stroke: col, Dash: dash, Width: 2, Opacity: 1})
		c.Legend = append(c.Legend, svgLegend{Colour: col, Label: label + " " + fmtTime(t), Dash: dash, Line: true})
	}
	mark(t0, colourT0, "", "T0")
	if tc := rep.Event.TClaim; tc != nil {
		mark(*tc, colourClaim, "6 3", "claim")
	}
	if on := coordinationOnset(src, rep); !on.IsZero() {
		mark(on, colourOnset, "2 3", "coordination onset")
	}
	c.Legend = append(c.Legend, svgLegend{Colour: colourBar, Label: "posts per " + binUnit(bin)})
	if slices.ContainsFunc(bins, func(b volumeBin) bool { return !b.Covered }) {
		c.Legend = append(c.Legend, svgLegend{Colour: colourNoData, Label: "outside the data"})
	}
	c.XLabel = "time (UTC), days from T0"
	c.Desc = fmt.Sprintf("Bar chart of posts per %s from %s to %s; the highest bar is %s posts. Vertical lines mark T0, the claim and the coordination onset. Source: %s.",
		binUnit(bin), fmtTime(start), fmtTime(end), fmtInt(maxP), from)
	return c
}

// coordinationOnset is the onset indicator's first co-action, else the
// earliest cluster co-action at or after T0 among the evidence.
func coordinationOnset(src *source, rep *Report) time.Time {
	if o := src.ind.Onset; o != nil && o.FirstTime != nil {
		return o.FirstTime.UTC()
	}
	var best time.Time
	for _, c := range rep.Clusters {
		if c.FirstAfterT0 != nil && (best.IsZero() || c.FirstAfterT0.Before(best)) {
			best = *c.FirstAfterT0
		}
	}
	return best
}

func binUnit(d time.Duration) string {
	switch d {
	case time.Hour:
		return "hour"
	case 6 * time.Hour:
		return "6 hours"
	case 24 * time.Hour:
		return "day"
	case 7 * 24 * time.Hour:
		return "week"
	}
	if d <= 0 {
		return "bin"
	}
	return d.String()
}

// maxAdoptionLines bounds the hashtag adoption chart.
const maxAdoptionLines = 7

// chartAdoption draws the cumulative adopters of the top hashtags.
func chartAdoption(h *indicators.Hashtags) *svgChart {
	c := &svgChart{ID: "chart-adoption", Title: "Hashtag adoption: distinct accounts using each tag since T0", W: 920, H: 300, PX: 60, PY: 20, PW: 640, PH: 230, YLabel: "accounts"}
	if h == nil || len(h.Tags) == 0 {
		return c.empty("No hashtag adoption data.")
	}
	tags := slices.Clone(h.Tags)
	slices.SortStableFunc(tags, func(a, b indicators.TagStat) int { return cmp.Compare(b.Adopters, a.Adopters) })
	if len(tags) > maxAdoptionLines {
		c.Note = fmt.Sprintf("The %d most adopted of %d listed hashtags are drawn; the table lists all.", maxAdoptionLines, len(tags))
		tags = tags[:maxAdoptionLines]
	}
	var offs []string
	maxA := 0
	for _, t := range tags {
		if len(t.Adoption) > len(offs) {
			offs = offs[:0]
			for _, a := range t.Adoption {
				offs = append(offs, a.Offset)
			}
		}
		for _, a := range t.Adoption {
			maxA = max(maxA, a.Accounts)
		}
	}
	if len(offs) == 0 {
		return c.empty("No hashtag adoption data.")
	}
	ticks := niceTicks(float64(maxA), 4)
	top := ticks[len(ticks)-1]
	y := func(v float64) float64 { return c.PY + c.PH - v/top*c.PH }
	x := func(i int) float64 {
		if len(offs) == 1 {
			return c.PX + c.PW/2
		}
		return c.PX + float64(i)/float64(len(offs)-1)*c.PW
	}
	for _, t := range ticks {
		c.YTicks = append(c.YTicks, svgTick{Pos: y(t), Label: fmtNum(t)})
	}
	for i, o := range offs {
		c.XTicks = append(c.XTicks, svgTick{Pos: x(i), Label: "T0+" + o})
	}
	dashes := []string{"", "6 3", "2 3", "8 3 2 3"}
	for k, t := range tags {
		col := paletteAt(k)
		dash := dashes[k%len(dashes)]
		var xs, ys []float64
		for i, a := range t.Adoption {
			xs = append(xs, x(i))
			ys = append(ys, y(float64(a.Accounts)))
			c.Circles = append(c.Circles, svgCircle{X: x(i), Y: y(float64(a.Accounts)), R: 3.5, Fill: col, Title: fmt.Sprintf("%s at T0+%s: %d accounts", svgLabel(hashTag(t.Hashtag), 60), a.Offset, a.Accounts)})
		}
		label := svgLabel(hashTag(t.Hashtag), 28)
		c.Polys = append(c.Polys, svgPoly{Points: points(xs, ys), Stroke: col, Dash: dash, Title: label})
		c.Legend = append(c.Legend, svgLegend{Colour: col, Label: fmt.Sprintf("%s (%s, %d)", label, t.Status, t.Adopters), Dash: dash, Line: true})
	}
	c.XLabel = "time since T0"
	c.Desc = fmt.Sprintf("Line chart of cumulative distinct accounts using each of the %d most adopted hashtags at %d offsets after T0; the largest reaches %d accounts.", len(tags), len(offs), maxA)
	return c
}

// stanceColours are the attribution classes' colours.
var stanceColours = []struct{ Class, Colour, Label string }{
	{"asserts", "#D55E00", "asserts responsibility"},
	{"speculates", "#E69F00", "speculates"},
	{"denies", "#0072B2", "denies"},
	{"none", "#CCCCCC", "no attribution"},
}

// chartStance draws the attribution shares per bin as stacked bars.
func chartStance(st *indicators.StanceMetrics, rep *Report) *svgChart {
	c := &svgChart{ID: "chart-stance", Title: "Attribution stance of posts over time (shares per bin)", W: 920, H: 280, PX: 60, PY: 20, PW: 840, PH: 200, YLabel: "share of posts"}
	if st == nil || len(st.Series) == 0 || st.LabelledPosts == 0 {
		return c.empty("No stance series.")
	}
	var bins []indicators.StanceBin
	for _, b := range st.Series {
		n := 0
		for _, v := range b.Counts {
			n += v
		}
		if n > 0 {
			bins = append(bins, b)
		}
	}
	if len(bins) == 0 {
		return c.empty("No labelled posts in the stance series.")
	}
	bin := time.Duration(st.BinSeconds * float64(time.Second))
	if bin <= 0 {
		bin = time.Hour
	}
	start, end := bins[0].Start, bins[len(bins)-1].Start.Add(bin)
	span := end.Sub(start).Seconds()
	x := func(t time.Time) float64 { return c.PX + t.Sub(start).Seconds()/span*c.PW }
	bw := c.PW * bin.Seconds() / span
	for _, v := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.YTicks = append(c.YTicks, svgTick{Pos: c.PY + c.PH - v*c.PH, Label: fmtPct(v)})
	}
	for _, b := range bins {
		n := 0
		for _, v := range b.Counts {
			n += v
		}
		acc := 0.0
		for _, sc := range stanceColours {
			k := b.Counts[sc.Class]
			if k == 0 {
				continue
			}
			h := float64(k) / float64(n) * c.PH
			c.Rects = append(c.Rects, svgRect{X: x(b.Start), Y: c.PY + c.PH - acc - h, W: math.Max(bw-0.5, 0.5), H: h, Fill: sc.Colour,
				Title: fmt.Sprintf("%s: %d of %d posts %s", fmtTime(b.Start), k, n, sc.Label)})
			acc += h
		}
	}
	step := time.Duration(max(1, int(math.Ceil(span/3600/12)))) * time.Hour
	for t := start; t.Before(end); t = t.Add(step) {
		c.XTicks = append(c.XTicks, svgTick{Pos: x(t), Label: t.Format("01-02 15h")})
	}
	for _, sc := range stanceColours {
		c.Legend = append(c.Legend, svgLegend{Colour: sc.Colour, Label: sc.Label})
	}
	if tc := rep.Event.TClaim; tc != nil && !tc.Before(start) && tc.Before(end) {
		c.Lines = append(c.Lines, svgLine{X1: x(*tc), Y1: c.PY, X2: x(*tc), Y2: c.PY + c.PH, Stroke: "#000000", Dash: "6 3", Width: 2, Opacity: 1})
		c.Legend = append(c.Legend, svgLegend{Colour: "#000000", Label: "claim " + fmtTime(*tc), Dash: "6 3", Line: true})
	}
	c.XLabel = "time (UTC)"
	c.Desc = fmt.Sprintf("Stacked bars of the shares of asserting, speculating, denying and non-attributing posts in %d bins of %s from %s.", len(bins), binUnit(bin), fmtTime(start))
	return c
}

// hbar is one bar of a horizontal bar chart.
type hbar struct {
	Label  string
	Value  float64
	Second float64 // drawn lighter behind Value (0: none)
	Title  string
}

// chartHBars draws a horizontal bar chart.
func chartHBars(id, title, unit string, bars []hbar, format func(float64) string, legend []svgLegend, marker *float64, markerLabel string) *svgChart {
	rowH := 22.0
	c := &svgChart{ID: id, Title: title, W: 920, PX: 300, PY: 10, PW: 560, YLabel: ""}
	c.PH = rowH * float64(max(1, len(bars)))
	c.H = c.PH + 60
	if len(bars) == 0 {
		return c.empty("No data.")
	}
	maxV := 0.0
	for _, b := range bars {
		maxV = math.Max(maxV, math.Max(b.Value, b.Second))
	}
	if marker != nil {
		maxV = math.Max(maxV, *marker)
	}
	ticks := niceTicks(maxV, 5)
	top := ticks[len(ticks)-1]
	x := func(v float64) float64 { return c.PX + v/top*c.PW }
	for _, t := range ticks {
		c.XTicks = append(c.XTicks, svgTick{Pos: x(t), Label: format(t)})
	}
	for i, b := range bars {
		yy := c.PY + float64(i)*rowH
		if b.Second > 0 {
			c.Rects = append(c.Rects, svgRect{X: c.PX, Y: yy + 3, W: x(b.Second) - c.PX, H: rowH - 6, Fill: "#BBBBBB", Title: b.Title})
		}
		c.Rects = append(c.Rects, svgRect{X: c.PX, Y: yy + 6, W: math.Max(x(b.Value)-c.PX, 1), H: rowH - 12, Fill: "#0072B2", Title: b.Title})
		c.Texts = append(c.Texts, svgText{X: c.PX - 6, Y: yy + rowH/2 + 4, Text: b.Label, Anchor: "end", Size: 12})
		c.Texts = append(c.Texts, svgText{X: x(math.Max(b.Value, b.Second)) + 4, Y: yy + rowH/2 + 4, Text: format(b.Value), Anchor: "start", Size: 11, Fill: "#333333"})
	}
	if marker != nil {
		c.Lines = append(c.Lines, svgLine{X1: x(*marker), Y1: c.PY, X2: x(*marker), Y2: c.PY + c.PH, Stroke: "#D55E00", Dash: "6 3", Width: 2, Opacity: 1})
		legend = append(legend, svgLegend{Colour: "#D55E00", Label: markerLabel, Dash: "6 3", Line: true})
	}
	c.Legend = legend
	c.XLabel = unit
	c.Desc = fmt.Sprintf("Horizontal bar chart of %d rows; the largest value is %s.", len(bars), format(maxV))
	return c
}

// maxRecircBars bounds the recirculation chart.
const maxRecircBars = 12

func chartRecirculation(r *indicators.Recirculation) *svgChart {
	title := "Recirculated items: shares after T0 (blue) and before (grey)"
	if r == nil || len(r.Items) == 0 {
		return chartHBars("chart-recirc", title, "shares", nil, fmtNum, nil, nil, "")
	}
	var bars []hbar
	for _, it := range r.Items[:min(len(r.Items), maxRecircBars)] {
		bars = append(bars, hbar{Label: it.Kind + ": " + svgLabel(it.Key, 36), Value: float64(it.SharesAfterT0), Second: float64(it.SharesBefore),
			Title: fmt.Sprintf("%s first seen %s: %d shares before T0, %d after", svgLabel(it.Key, 80), fmtTime(it.FirstSeen), it.SharesBefore, it.SharesAfterT0)})
	}
	c := chartHBars("chart-recirc", title, "shares", bars, fmtNum, []svgLegend{{Colour: "#0072B2", Label: "shares after T0"}, {Colour: "#BBBBBB", Label: "shares before T0"}}, nil, "")
	if len(r.Items) > maxRecircBars {
		c.Note = fmt.Sprintf("The first %d of %d listed items are drawn; the table lists all.", maxRecircBars, len(r.Items))
	}
	return c
}

func chartMedia(m *indicators.MediaReleases) *svgChart {
	title := "Media outlets: time from T0 to the first release"
	if m == nil {
		return chartHBars("chart-media", title, "hours after T0", nil, fmtNum, nil, nil, "")
	}
	var bars []hbar
	var past *float64
	for _, o := range m.Outlets {
		if o.LatencySeconds == nil {
			continue
		}
		h := *o.LatencySeconds / 3600
		bars = append(bars, hbar{Label: svgLabel(o.Outlet, 36), Value: h, Title: fmt.Sprintf("%s: first release %s (%s after T0), %d releases in 24 h", svgLabel(o.Outlet, 60), fmtTimePtr(o.FirstRelease), fmtDur(*o.LatencySeconds), o.Releases24h)})
		if o.Past != nil && o.Past.Median != nil && past == nil {
			v := *o.Past.Median / 3600
			past = &v
		}
	}
	slices.SortStableFunc(bars, func(a, b hbar) int { return cmp.Compare(a.Value, b.Value) })
	return chartHBars("chart-media", title, "hours after T0", bars, fmtNum, []svgLegend{{Colour: "#0072B2", Label: "hours from T0 to first release"}}, past, "past events' median")
}

// hashTag returns a hashtag with its '#'.
func hashTag(s string) string {
	if s == "" || s[0] == '#' {
		return s
	}
	return "#" + s
}
