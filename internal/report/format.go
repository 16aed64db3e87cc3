package report

import (
	"math"
	"strconv"
	"strings"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// fmtInt formats n with thin thousands separators ("14,187").
func fmtInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// fmtNum formats x with about three significant digits.
func fmtNum(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return "n/a"
	case x == math.Trunc(x) && math.Abs(x) < 1e15:
		return fmtInt(int(x))
	case math.Abs(x) >= 100:
		return fmtInt(int(math.Round(x)))
	case math.Abs(x) >= 10:
		return strconv.FormatFloat(x, 'f', 1, 64)
	case math.Abs(x) >= 1:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return strconv.FormatFloat(x, 'g', 2, 64)
}

// fmtP formats a p-value ("3.2e-12"; "< 1e-300" when it underflowed).
func fmtP(p float64) string {
	if p < 1e-300 {
		return "< 1e-300"
	}
	return fmtNum(p)
}

// fmtPct formats a share as a percentage ("42%", "3.5%").
func fmtPct(x float64) string {
	p := 100 * x
	if p != 0 && math.Abs(p) < 10 {
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(p), 'f', 0, 64) + "%"
}

// fmtCI formats an interval with f, or "" when there is none.
func fmtCI(ci []float64, f func(float64) string) string {
	if len(ci) != 2 {
		return ""
	}
	return f(ci[0]) + " – " + f(ci[1])
}

// fmtDur formats seconds as a human duration ("45 s", "12 min",
// "3 h 20 min", "2.5 days"); negative values read "… before".
func fmtDur(s float64) string {
	neg := s < 0
	s = math.Abs(s)
	var out string
	switch {
	case s < 90:
		out = strconv.FormatFloat(math.Round(s), 'f', 0, 64) + " s"
	case s < 5400:
		out = strconv.FormatFloat(math.Round(s/60), 'f', 0, 64) + " min"
	case s < 48*3600:
		h := int(s / 3600)
		m := int(math.Round((s - float64(h)*3600) / 60))
		if m == 60 {
			h, m = h+1, 0
		}
		out = itoa(h) + " h"
		if m > 0 {
			out += " " + itoa(m) + " min"
		}
	default:
		out = strconv.FormatFloat(s/86400, 'f', 1, 64) + " days"
	}
	if neg {
		return out + " before"
	}
	return out
}

// fmtTime formats t as "2016-03-22 06:58:00 UTC".
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

// fmtTimePtr is fmtTime for an optional time.
func fmtTimePtr(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return fmtTime(*t)
}

// fmtHours formats hours for rubric values.
func fmtValue(v float64, unit string) string {
	switch unit {
	case "share":
		return fmtPct(v)
	case "h":
		return fmtDur(v * 3600)
	case "×":
		return fmtNum(v) + "×"
	}
	return fmtNum(v) + " " + unit
}

// ordinal returns "1st", "2nd", "53rd".
func ordinal(n int) string {
	suf := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suf = "st"
		case 2:
			suf = "nd"
		case 3:
			suf = "rd"
		}
	}
	return itoa(n) + suf
}

// anchorID makes s safe as an HTML id and URL fragment.
func anchorID(parts ...string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('-')
		}
		for _, r := range strings.ToLower(p) {
			switch {
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
				b.WriteRune(r)
			default:
				b.WriteByte('_')
			}
		}
	}
	return b.String()
}

// truncate shortens s to n runes, marking the cut.
func truncate(s string, n int) string {
	k := 0
	for i := range s {
		if k == n {
			return s[:i] + "…"
		}
		k++
	}
	return s
}
