package report

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/indicators"
	"github.com/chorus-osint/chorus/internal/results"
)

// payloads are hostile strings: markup, event handlers, script URLs,
// entity tricks, bidi overrides and zero-width characters, template
// syntax. Every field of the hostile result directory carries them.
var payloads = []string{
	`<script>window.__pwned=1;alert(1)</script>`,
	`"><img src=x onerror="window.__pwned=1">`,
	`javascript:window.__pwned=1`,
	`</script><script>window.__pwned=1</script>`,
	`<svg onload="window.__pwned=1"><circle r=9></svg>`,
	`&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp; &#60;b&#62;`,
	"\u202Etxt.exe\u202C admin\u202Dx\u2066y\u2069",
	"\u202Eunterminated override \u2067unterminated isolate",
	"a\u200Bb\u200Cc\u200Dd\uFEFFe\u2060f",
	`<style>body{display:none}</style>`,
	`<a href="https://evil.example/x">click</a> https://evil.example/y`,
	`{{.}} {{template "u" .}} ${x} <%= x %>`,
	`<!-- ]]> <![CDATA[ x`,
	`' onmouseover='window.__pwned=1' x='`,
	`<iframe src="https://evil.example/"></iframe><link rel=stylesheet href=https://evil.example/x.css>`,
	"**bold** _em_ [link](javascript:alert(1)) ![img](https://evil.example/i.png) `code` | pipe | <b>",
	arabicText,
}

// arabicText is a right-to-left text on its own (the browser test checks
// its direction).
const arabicText = "بيان الدولة الإسلامية: نحن المسؤولون عن الهجوم"

// hostile returns every payload, then the field's name and i, so every
// field carries every attack and differs from the others.
func hostile(i int, field string) string {
	return strings.Join(payloads, " ") + " " + field + " " + strconv.Itoa(i)
}

// writeHostileDir writes a complete result directory whose every
// user-derived field carries hostile payloads: event name and place,
// handles and ids, hashtags, URLs, texts, object labels, outlet names,
// file names, parameter values, notes and warnings.
func writeHostileDir(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2016, 3, 22, 6, 58, 0, 0, time.UTC)
	tc := t0.Add(10 * time.Hour)
	k := 0
	h := func(field string) string { k++; return hostile(k, field) }
	hp := func(field string) *string { s := h(field); return &s }
	f := func(v float64) *float64 { return &v }
	tp := func(d time.Duration) *time.Time { x := t0.Add(d); return &x }
	iv := func(i int) *int { return &i }

	var accounts []results.Account
	var clusters []results.Cluster
	for c := 0; c < 3; c++ {
		cl := results.Cluster{ID: c, LayerEdges: map[string]int{"repost": 4, "url": 2}, Layers: []string{"repost", "url"}, Edges: 6, Density: 0.8,
			First: tp(-time.Hour), Last: tp(5 * time.Hour), MedianDtSecond: 12, Posts: []string{h("post")}}
		for a := 0; a < 6; a++ {
			id := "acc" + strconv.Itoa(c*10+a) + h("id")
			handle := h("handle")
			cl.Accounts = append(cl.Accounts, id)
			cl.Handles = append(cl.Handles, handle)
			accounts = append(accounts, results.Account{ID: id, Handle: handle, Cluster: iv(c), Degree: float64(10 - a), Posts: 5 + a, Layers: []string{"repost", "url"}})
		}
		cl.Size = len(cl.Accounts)
		cl.TopObjects = []results.Object{{Layer: "url", Label: h("url"), Count: 3}, {Layer: "text", Label: h("text label"), Count: 2}, {Layer: "hashtag", Label: "#" + h("tag"), Count: 2},
			{Layer: "text", Label: arabicText, Count: 2}} // right to left on its own
		clusters = append(clusters, cl)
	}
	vol := indicators.VolumeLift{DataFirst: tp(-72 * time.Hour), DataLast: tp(72 * time.Hour), SeriesBinSeconds: 3600, Notes: []string{h("note")}}
	for w, d := range []time.Duration{time.Hour, 24 * time.Hour} {
		vol.Windows = append(vol.Windows, indicators.LiftWindow{Window: []string{"1h", "24h"}[w], Seconds: d.Seconds(), Complete: true, Posts: 400, PostsCI: []float64{360, 440}, Accounts: 90,
			BaselineDays: 3, BaselinePosts: f(40), BaselinePostsSD: f(8), BaselineAccounts: f(20), LiftPosts: f(10), LiftPostsCI: []float64{7, 14}, LiftAccounts: f(4.5)})
	}
	for i := -72; i < 72; i++ {
		vol.Series = append(vol.Series, indicators.VolumeBin{Start: t0.Add(time.Duration(i) * time.Hour), OffsetH: float64(i), Posts: 20 + (i+72)%13, Accounts: 9, Covered: i > -70})
	}
	tags := []indicators.TagStat{}
	for i := 0; i < 4; i++ {
		tags = append(tags, indicators.TagStat{Hashtag: "#" + h("hashtag"), Key: h("key"), Status: "new", FirstSeen: t0, PostsAfterT0: 30, Adopters: 10 + i,
			Adoption: []indicators.Adoption{{Offset: "1h", Accounts: 2 + i}, {Offset: "24h", Accounts: 10 + i}}})
	}
	stance := indicators.StanceMetrics{LabelledPosts: 300, BinSeconds: 3600, UnanimityBeforeClaim: f(0.85), UnanimityAfterT0: f(0.8), Notes: []string{h("stance note")},
		Periods: []indicators.StancePeriod{{Period: "before_claim", From: t0, To: tc,
			All:        indicators.StanceCounts{Posts: 200, Counts: map[string]int{"asserts": 80, "speculates": 20, "denies": 5, "none": 95}, Attributing: 105, AssertShare: f(0.76), AssertShareCI: []float64{0.67, 0.83}},
			Supporters: indicators.StanceCounts{Posts: 100, Counts: map[string]int{"asserts": 85, "speculates": 15}, Attributing: 100, AssertShare: f(0.85), AssertShareCI: []float64{0.77, 0.91}}}}}
	for i := 0; i < 12; i++ {
		stance.Series = append(stance.Series, indicators.StanceBin{Start: t0.Add(time.Duration(i) * time.Hour), Counts: map[string]int{"asserts": 5 + i, "speculates": 3, "denies": 1, "none": 4}})
	}
	ind := map[string]any{
		"volume_lift": vol,
		"bursts":      indicators.Bursts{BinSeconds: 600, States: 3, Scale: 2, Gamma: 1, Series: []indicators.BurstSeries{{Name: "#" + h("burst"), Kind: "hashtag", Total: 50, Bursts: []indicators.Burst{{Onset: t0.Add(time.Hour), End: t0.Add(3 * time.Hour), OnsetOffsetS: 3600, Level: 2, Posts: 40}}}}, Notes: []string{}},
		"hashtags":    indicators.Hashtags{RankWindow: "24h", Counts: map[string]int{"new": 4}, Tags: tags, TopNew: tags, Notes: []string{h("hashtag note")}},
		"hijacking":   indicators.Hijacking{BinSeconds: 3600, Hashtags: []indicators.HijackTag{{Hashtag: "#" + h("hijack"), Key: h("k"), Posts: 20, Supportive: 10, Opposing: 8, OpposingShare: f(0.44)}}, Notes: []string{}},
		"media_releases": indicators.MediaReleases{Outlets: []indicators.Outlet{{Outlet: h("outlet"), DetectedBy: []string{"prefix"}, Accounts: []string{clusters[0].Handles[0], h("outlet account")}, Prefix: h("prefix"),
			FirstRelease: tp(2 * time.Hour), LatencySeconds: f(7200), Releases1h: 0, Releases24h: 5, ReleasesAfterT0: 9,
			Relayed: &indicators.Relays{Posts: 3, Accounts: 2, FirstInData: tp(-time.Hour), First: tp(time.Hour), LatencySeconds: f(3600), Relays24h: 3,
				Evidence: []indicators.RelayPost{{PostID: h("relay post"), Account: h("relay account"), Time: t0.Add(time.Hour), Repost: true, Text: h("relay text"), Spelling: h("relay spelling")}}}}},
			Notes: []string{h("media note")}},
		"recirculation": indicators.Recirculation{Share: f(0.4), ShareCI: []float64{0.3, 0.5}, ItemsAfterT0: 10, Revived: 4, MinAgeSeconds: 86400,
			ByKind: map[string]indicators.RecircCounts{"url": {ItemsAfterT0: 5, Revived: 2, Share: f(0.4)}},
			Items: []indicators.RecircItem{{Key: h("recirc url"), Kind: "url", FirstSeen: t0.Add(-48 * time.Hour), FirstPost: h("first post"), FirstAfterT0: t0.Add(time.Hour), SharesBefore: 2, SharesAfterT0: 9, RateRatio: f(5)},
				{Key: h("recirc text"), Kind: "text", FirstSeen: t0.Add(-60 * time.Hour), FirstPost: h("first post 2"), FirstAfterT0: t0.Add(2 * time.Hour), SharesBefore: 1, SharesAfterT0: 4}}, Notes: []string{}},
		"quotes": indicators.Quotes{Clusters: []indicators.QuoteCluster{{Text: h("quote"), Source: "near_dup", Posts: 7, Accounts: 5, PostsTotal: 9, FirstAfter: tp(time.Hour), Languages: []indicators.LangN{{Lang: h("lang"), Posts: 7}}}},
			EventClusters: []indicators.QuoteCluster{{Text: h("event quote"), Source: "near_dup", Posts: 7, Accounts: 5, PostsTotal: 9, FirstAfter: tp(time.Hour), Languages: []indicators.LangN{{Lang: h("event lang"), Posts: 7}},
				Burst: &indicators.QuoteBurst{Accounts: 5, Posts: 5, Languages: 1, Start: t0.Add(time.Hour), End: t0.Add(time.Hour + 20*time.Second), OffsetS: 3600, Expected: 0.01, Log10P: -12, SyncPosts: 5, SyncExpected: 0.1, PAdjusted: 1e-6, Significant: true}}},
			Tested: 10, BurstWindows: 100, Notes: []string{}},
		"onset_latency": indicators.OnsetLatency{Seconds: f(1500), Cluster: iv(0), ClusterSize: 6, FirstPost: hp("onset post"), FirstTime: tp(25 * time.Minute), Layer: "repost", Accounts: []string{clusters[0].Accounts[0], clusters[0].Accounts[1]}, MinAccounts: 3, Source: "clusters", Notes: []string{h("onset note")}},
		"automation": indicators.Automation{Runs: 2, Groups: []indicators.AutoGroup{{Text: h("auto text"), Texts: []string{h("auto text 2")}, Accounts: []string{clusters[1].Accounts[0]}, Handles: []string{clusters[1].Handles[0]},
			Posts: 12, Runs: 2, MedianGapS: 300, CV: 0.1, PPoisson: 0.001, First: t0.Add(time.Hour), Last: t0.Add(3 * time.Hour), AfterT0: true, Clients: []indicators.ClientN{{Client: h("client"), Posts: 12}}}}, Notes: []string{}},
		"ecosystem_share": indicators.EcosystemShare{Source: "clusters", EcosystemAccounts: 18, AfterT0: indicators.EcoCounts{Posts: 400, EcoPosts: 100, PostShare: f(0.25), Accounts: 90, EcoAccounts: 18, AccountShare: f(0.2)}, Notes: []string{}},
		"stance":          stance,
	}
	res := results.Results{
		Version: h("version"),
		Event:   results.Event{Name: h("event name"), T0: t0, TClaim: &tc, Place: h("place")},
		Corpus:  results.Corpus{Posts: 5000, Accounts: 150, First: t0.Add(-72 * time.Hour), Last: t0.Add(72 * time.Hour), Skipped: 3, Duplicates: 2, Files: 1},
		Layers: []results.Layer{{Layer: "repost", WindowSeconds: 60, Actions: 900, Pairs: 300, Edges: 40, Significant: 30, Permutations: 20, Truncated: 5},
			{Layer: "url", WindowSeconds: 60, Actions: 700, Pairs: 200, Edges: 20, Significant: 12, Permutations: 20}},
		Clusters: clusters, Accounts: accounts, Edges: 42, Indicators: ind,
		GroupTests: []results.GroupTest{{Layer: "url", SuggestiveP: 1e-4, Truss: 3, Resamples: 99, Ties: 9, GroupsTotal: 1,
			Groups: []results.Group{{ID: 1, Size: 3, Ties: 3, Expected: 0.01, Score: -6, P: 0.01, Significant: true,
				Accounts: []string{clusters[2].Accounts[0], h("group id")}, Handles: []string{clusters[2].Handles[0], h("group handle")}}},
			Members: []results.Member{{Account: h("member id"), Handle: h("member handle"), StructureSize: 6, Ties: 4, Expected: 0.01, P: 1e-9, Tests: 300}}}},
		Warnings:  []string{h("warning")},
		Statement: results.Statement,
	}
	writeJSONFile(t, filepath.Join(dir, "results.json"), res)
	file := h("input file") + ".csv"
	run := results.Run{Version: h("run version"), GoVersion: "go1.26", Command: []string{"chorus", "analyze", "--event", res.Event.Name, file},
		Started: t0, Inputs: []results.Input{{Path: file, SHA256: h("sha"), Size: 10, Format: h("format"), Posts: 5000, Skipped: 3, SkipReasons: map[string]int{h("reason"): 3}}},
		Parameters: map[string]string{"event": res.Event.Name, "place": res.Event.Place, "tz": h("tz"), "alpha": "0.05", h("unknown param"): h("value")}}
	writeJSONFile(t, filepath.Join(dir, "run.json"), run)

	ev, err := os.Create(filepath.Join(dir, "evidence.csv"))
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(ev)
	w.Write(evidenceCols)
	eg, err := os.Create(filepath.Join(dir, "edges.csv"))
	if err != nil {
		t.Fatal(err)
	}
	we := csv.NewWriter(eg)
	we.Write([]string{"source", "target", "layer", "weight", "objects", "co_actions", "source_first", "target_first", "symmetry", "p", "q", "median_dt_s", "significant", "source_handle", "target_handle"})
	for _, cl := range clusters {
		for i := 0; i+1 < len(cl.Accounts); i++ {
			a, b := cl.Accounts[i], cl.Accounts[i+1]
			for _, layer := range []string{"repost", "url"} {
				ta := t0.Add(time.Duration(i) * time.Minute)
				w.Write([]string{layer, results.CSVText(a), results.CSVText(b), results.CSVText(h("object")), results.CSVText(h("post a")), ta.Format(time.RFC3339), results.CSVText(h("post b")), ta.Add(7 * time.Second).Format(time.RFC3339), "7",
					results.CSVText(file), "12", results.CSVText(file), "13", results.CSVText(h("text a") + "\n" + h("line 2")), results.CSVText("=cmd|' /C calc'!A0 " + h("text b"))})
				we.Write([]string{results.CSVText(a), results.CSVText(b), layer, "3", "3", "3", "1", "2", "0.5", "0.01", "0.02", "7", "1", results.CSVText(cl.Handles[i]), results.CSVText(cl.Handles[i+1])})
			}
		}
	}
	w.Flush()
	we.Flush()
	if err := errorsJoin(w.Error(), ev.Close(), we.Error(), eg.Close()); err != nil {
		t.Fatal(err)
	}
	cv := &Coverage{Posts: 5000, Accounts: 150, First: t0.Add(-72 * time.Hour), Last: t0.Add(72 * time.Hour), BinSeconds: 3600, VolumeStart: t0.Add(-72 * time.Hour),
		Volume: make([]int, 145), Gaps: []Gap{{Start: t0.Add(-10 * time.Hour), End: t0.Add(-6 * time.Hour), Hours: 4, Expected: 80}}, GapsTotal: 1, EmptyBins: 4,
		MinuteShare: 0.99, Top10Share: 0.6, Reposts: 100, RepostsWithID: 90, RepostsMissing: 50, OriginalsMissing: 20, SuspendedLinks: 3, DeletedMarkers: 2, Platforms: map[string]int{"twitter": 5000}}
	if err := WriteCoverage(dir, cv); err != nil {
		t.Fatal(err)
	}
}

func writeJSONFile(t testing.TB, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func errorsJoin(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
