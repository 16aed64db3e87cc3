package report

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// The charts are plain data (coordinates, colours, labels) that the HTML
// template turns into inline SVG; user text only ever reaches the SVG as
// escaped template values.

// Palette is Okabe & Ito's colour-blind-safe palette (without yellow,
// too pale on white, and black, kept for markers).
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933"}

// otherColour is used past the palette's end.
const otherColour = "#8C8C8C"

// Marker colours.
const (
	colourT0     = "#000000"
	colourClaim  = "#D55E00"
	colourOnset  = "#0072B2"
	colourBar    = "#56B4E9"
	colourNoData = "#DDDDDD"
)

func paletteAt(i int) string {
	if i >= 0 && i < len(palette) {
		return palette[i]
	}
	return otherColour
}

type svgChart struct {
	ID, Title, Desc string
	W, H            float64
	// Plot area.
	PX, PY, PW, PH float64
	XTicks, YTicks []svgTick
	XLabel, YLabel string
	Rects          []svgRect
	Lines          []svgLine
	Polys          []svgPoly
	Circles        []svgCircle
	Texts          []svgText
	Legend         []svgLegend
	// Note is printed under the chart (what was omitted).
	Note string
}

// empty turns c into a small placeholder saying why there is no chart.
func (c *svgChart) empty(why string) *svgChart {
	c.Desc, c.Note = why, why
	c.H, c.PH = 24, 0
	c.XTicks, c.YTicks, c.Legend = nil, nil, nil
	c.Texts = []svgText{{X: 8, Y: 16, Text: "no chart", Anchor: "start", Size: 12, Fill: "#666666"}}
	return c
}

type svgTick struct {
	Pos   float64
	Label string
}

type svgRect struct {
	X, Y, W, H  float64
	Fill, Title string
}

type svgLine struct {
	X1, Y1, X2, Y2 float64
	Stroke, Dash   string
	Width, Opacity float64
}

type svgPoly struct {
	Points        string
	Stroke, Title string
	Dash          string
}

type svgCircle struct {
	X, Y, R     float64
	Fill, Title string
}

type svgText struct {
	X, Y         float64
	Text, Anchor string
	Fill         string
	Size         float64
	Bold         bool
}

type svgLegend struct {
	Colour, Label, Dash string
	Line                bool
}

// points formats a polyline's points.
func points(xs, ys []float64) string {
	var b strings.Builder
	for i := range xs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fnum(xs[i]))
		b.WriteByte(',')
		b.WriteString(fnum(ys[i]))
	}
	return b.String()
}

// fnum formats a coordinate with one decimal.
func fnum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

// svgLabel prepares user text for an SVG label: bidi controls,
// zero-width and other format characters removed (SVG text has no
// reliable bidi isolation), and shortened to n runes.
func svgLabel(s string, n int) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cc, r) {
			continue
		}
		b.WriteRune(r)
	}
	return truncate(strings.TrimSpace(b.String()), n)
}

// niceTicks returns about n round tick values covering [0, max].
func niceTicks(maxV float64, n int) []float64 {
	if maxV <= 0 {
		return []float64{0, 1}
	}
	raw := maxV / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for v := 0.0; v <= maxV+step*0.999; v += step {
		out = append(out, v)
	}
	return out
}
