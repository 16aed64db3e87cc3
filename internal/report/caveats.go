package report

import (
	"fmt"
	"strings"
	"time"
)

// Caveat thresholds.
const (
	// minuteShareSign: above this share of posts at :00 seconds the
	// timestamps are taken to have minute resolution.
	minuteShareSign = 0.95
	// fewAccounts: fewer accounts than this look like selected timelines.
	fewAccounts = 200
	// top10Sign: the 10 most active accounts writing more than this share
	// dominate the data.
	top10Sign = 0.5
	// missingOriginalsSign: above this share of reposts (with an original
	// id) pointing outside the data, originals are missing.
	missingOriginalsSign = 0.2
)

// caveats derives the data-coverage caveats from coverage.json, run.json
// and results.json.
func caveats(src *source) []Caveat {
	var out []Caveat
	add := func(kind, sev, format string, args ...any) {
		out = append(out, Caveat{Kind: kind, Severity: sev, Text: fmt.Sprintf(format, args...)})
	}
	res, cv := src.res, src.cov
	t0 := res.Event.T0
	if cv == nil {
		add("coverage", "warning", "coverage.json is missing: gaps, timestamp resolution and missing-content signs were not measured (run `chorus analyze` again to measure them)")
	} else {
		bin := time.Duration(cv.BinSeconds) * time.Second
		if cv.EmptyBins > 0 {
			add("gaps", "info", "%s of %s %s bins between the first and the last post hold no post", fmtInt(cv.EmptyBins), fmtInt(len(cv.Volume)), binName(bin))
		}
		if cv.GapsTotal > 0 {
			g := cv.Gaps[0]
			add("gaps", "warning", "%d gaps in the data: runs of empty %s bins where the same hours of the surrounding days predict at least %g posts; the largest, %s to %s (%s), should hold about %s posts",
				cv.GapsTotal, binName(bin), GapMinExpected, fmtTime(g.Start), fmtTime(g.End), fmtDur(g.Hours*3600), fmtNum(g.Expected))
			for _, g := range cv.Gaps {
				if g.End.After(t0.Add(-24*time.Hour)) && g.Start.Before(t0.Add(72*time.Hour)) {
					add("gaps", "warning", "a gap from %s to %s lies within a day before or three days after T0: volume, onset and adoption figures around the event are affected", fmtTime(g.Start), fmtTime(g.End))
					break
				}
			}
		}
		if cv.Posts > 0 && cv.MinuteShare > minuteShareSign {
			add("sampling", "warning", "timestamps have minute resolution (%s of posts fall on :00 seconds): co-actions less than a minute apart cannot be ordered, and a 60 s window spans up to two clock minutes", fmtPct(cv.MinuteShare))
		}
		if cv.Posts > 0 && cv.Accounts < fewAccounts {
			add("sampling", "warning", "only %s accounts: the data look like selected accounts' timelines rather than a collection of the whole conversation; coordination with accounts outside the data is invisible", fmtInt(cv.Accounts))
		}
		if cv.Top10Share > top10Sign {
			add("sampling", "warning", "the 10 most active accounts wrote %s of the posts: figures describe those accounts more than the wider reaction", fmtPct(cv.Top10Share))
		}
		if cv.RepostsWithID > 0 && float64(cv.RepostsMissing) > missingOriginalsSign*float64(cv.RepostsWithID) {
			add("missing", "warning", "%s of %s reposts (%s) point to %s originals that are not in the data: the collection holds reposts without their sources",
				fmtInt(cv.RepostsMissing), fmtInt(cv.RepostsWithID), fmtPct(float64(cv.RepostsMissing)/float64(cv.RepostsWithID)), fmtInt(cv.OriginalsMissing))
		}
		if cv.RepostsInferred > 0 {
			add("missing", "info", "%s reposts were recognised only from an \"RT @handle:\" prefix: their originals' ids and times are unknown", fmtInt(cv.RepostsInferred))
		}
		if cv.SuspendedLinks > 0 {
			add("missing", "warning", "%s posts link to suspended-account pages: content of suspended accounts is missing from the data", fmtInt(cv.SuspendedLinks))
		}
		if cv.SuspensionTalk > 0 {
			add("missing", "info", "%s posts mention a suspension (e.g. \"my other account was suspended\"): accounts were being removed, and their earlier posts are likely missing", fmtInt(cv.SuspensionTalk))
		}
		if cv.DeletedMarkers > 0 {
			add("missing", "warning", "%s posts are platform markers of deleted, removed or unavailable content", fmtInt(cv.DeletedMarkers))
		}
		if cv.EmptyText > 0 {
			add("missing", "info", "%s posts have no text", fmtInt(cv.EmptyText))
		}
		if cv.DerivedIDs > 0 {
			add("ids", "info", "%s posts had no id in the export: their ids are file#line (stable for the same input file only)", fmtInt(cv.DerivedIDs))
		}
		if len(cv.Platforms) > 1 {
			var ps []string
			for _, k := range sortedKeys(cv.Platforms) {
				ps = append(ps, fmt.Sprintf("%s %s", k, fmtInt(cv.Platforms[k])))
			}
			add("sampling", "info", "posts from several platforms (%s): co-actions across platforms depend on shared URLs and texts", strings.Join(ps, ", "))
		}
	}
	tz := paramOr(src, "tz", "UTC")
	add("time", "info", "timestamps without a time zone were taken as %s (--tz); timestamps with an offset were converted; every time in this report is UTC", tz)
	if !t0.IsZero() && (t0.Before(res.Corpus.First) || t0.After(res.Corpus.Last)) && !res.Corpus.First.IsZero() {
		add("time", "warning", "T0 (%s) lies outside the data (%s to %s): before/after comparisons cannot be made", fmtTime(t0), fmtTime(res.Corpus.First), fmtTime(res.Corpus.Last))
	}
	if res.Corpus.Skipped > 0 {
		var reasons []string
		if src.run != nil {
			agg := map[string]int{}
			for _, in := range src.run.Inputs {
				for k, v := range in.SkipReasons {
					agg[k] += v
				}
			}
			for _, k := range sortedKeys(agg) {
				reasons = append(reasons, fmt.Sprintf("%s: %s", k, fmtInt(agg[k])))
			}
		}
		s := fmt.Sprintf("%s input records were skipped as malformed or unusable", fmtInt(int(res.Corpus.Skipped)))
		if len(reasons) > 0 {
			s += " (" + strings.Join(reasons, "; ") + ")"
		}
		add("skipped", "warning", "%s", s)
	}
	if res.Corpus.Duplicates > 0 {
		add("skipped", "info", "%s duplicate posts (same platform and id) were dropped", fmtInt(int(res.Corpus.Duplicates)))
	}
	for _, l := range res.Layers {
		if l.Truncated > 0 {
			bound := "max-partners bound"
			if l.MaxPartners > 0 {
				bound = fmt.Sprintf("each post paired with at most %d later posts in its object-window", l.MaxPartners)
			}
			add("bounded", "warning", "layer %s: %s post pairs were not examined (%s): edges in very busy objects may be missing", l.Layer, fmtInt(int(l.Truncated)), bound)
		}
	}
	if src.ev.missing {
		add("evidence", "warning", "evidence.csv is missing: no example posts can be shown")
	}
	if src.ev.malformed > 0 {
		add("evidence", "warning", "%s evidence.csv rows could not be read", fmtInt(src.ev.malformed))
	}
	return out
}

func binName(d time.Duration) string {
	switch d {
	case time.Hour:
		return "hourly"
	case 24 * time.Hour:
		return "daily"
	case 7 * 24 * time.Hour:
		return "weekly"
	}
	return d.String()
}
