// Package results defines results.json and run.json, the machine-readable
// outputs of `chorus analyze` that eval, the report and the server read.
// Field names are a public contract (docs/outputs.md); add, never rename.
package results

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Results is results.json. It holds no timings, so that a rerun on the same
// inputs with the same parameters gives a byte-identical file.
type Results struct {
	Version  string     `json:"chorus_version"`
	Event    Event      `json:"event"`
	Corpus   Corpus     `json:"corpus"`
	Layers   []Layer    `json:"layers"`
	Clusters []Cluster  `json:"clusters"`
	Accounts []Account  `json:"accounts"`
	Edges    int        `json:"edges_count"`
	Sweep    []SweepRow `json:"window_sweep,omitempty"`
	// GroupTests holds each layer's group test (docs/engine.md,
	// "Corroborated groups").
	GroupTests []GroupTest `json:"group_tests,omitempty"`
	Suggest    string      `json:"suggested_window,omitempty"`
	// Indicators holds the event indicators, keyed by name
	// (volume_lift, bursts, hashtags, …; docs/indicators.md).
	Indicators map[string]any `json:"indicators"`
	Warnings   []string       `json:"warnings"`
	Statement  string         `json:"statement"`
}

// Statement is printed in every output: what coordination means.
const Statement = "Coordination among accounts is evidence of organisation, not proof that any group carried out the event."

// Event identifies the analysed event.
type Event struct {
	Name   string     `json:"name"`
	T0     time.Time  `json:"t0"`
	TClaim *time.Time `json:"t_claim,omitempty"`
	Place  string     `json:"place,omitempty"`
}

// Corpus summarises what was read.
type Corpus struct {
	Posts      int       `json:"posts"`
	Accounts   int       `json:"accounts"`
	First      time.Time `json:"first"`
	Last       time.Time `json:"last"`
	Duplicates int64     `json:"duplicates_dropped"`
	Skipped    int64     `json:"records_skipped"`
	Files      int       `json:"files"`
}

// Layer summarises one co-action layer.
type Layer struct {
	Layer            string  `json:"layer"`
	WindowSeconds    float64 `json:"window_s"`
	Actions          int     `json:"actions"`
	Objects          int64   `json:"objects_with_coactions"`
	ActiveAccounts   int     `json:"active_accounts"`
	Pairs            int64   `json:"pairs"`
	Edges            int     `json:"candidate_edges"`
	Significant      int     `json:"significant_edges"`
	Permutations     int     `json:"permutations"`
	PercentileWeight float64 `json:"p99_weight"`
	OverPercentile   int     `json:"edges_over_p99"`
	RawPairs         int64   `json:"post_pairs_examined"`
	Truncated        int64   `json:"post_pairs_truncated"`
	// MaxPartners is the partner bound the layer ran with (lower than the
	// max-partners parameter when max-layer-pairs required it).
	MaxPartners int `json:"max_partners,omitempty"`
}

// GroupTest is one layer's group test: groups of suggestive ties (pairs
// too weak alone) that close triangles, against resampled tie graphs.
type GroupTest struct {
	Layer       string  `json:"layer"`
	SuggestiveP float64 `json:"suggestive_p"`
	Truss       int     `json:"truss"`
	Resamples   int     `json:"resamples"`
	Ties        int     `json:"suggestive_ties"`
	Dropped     int     `json:"ties_dropped,omitempty"`
	// Level is the p-value a group had to reach: alpha over the number of
	// layers with a candidate group.
	Level float64 `json:"level"`
	// NullBestMedian and NullBestMin summarise the score (log10 density
	// tail) of the most surprising group of each resampled graph.
	NullBestMedian float64 `json:"null_best_score_median"`
	NullBestMin    float64 `json:"null_best_score_min"`
	// Groups lists the most surprising groups (at most 50; GroupsTotal
	// counts all).
	Groups      []Group `json:"groups"`
	GroupsTotal int     `json:"groups_total"`
	// Members are the accounts corroborated as members of the layer's
	// significant structures (the membership test).
	Members []Member `json:"members"`
}

// Member is an account corroborated as a member of a significant structure
// of its layer: its ties into the structure against those expected by
// chance (Bonferroni over Tests).
type Member struct {
	Account       string  `json:"account"`
	Handle        string  `json:"handle"`
	StructureSize int     `json:"structure_size"`
	Ties          int     `json:"ties"`
	Expected      float64 `json:"expected_ties"`
	P             float64 `json:"p"`
	Tests         int     `json:"tests"`
}

// Group is one candidate group of the group test.
type Group struct {
	ID          int      `json:"id"`
	Size        int      `json:"size"`
	Ties        int      `json:"ties"`
	Expected    float64  `json:"expected_ties"`
	Score       float64  `json:"score"`
	P           float64  `json:"p"`
	Significant bool     `json:"significant"`
	Accounts    []string `json:"accounts"`
	Handles     []string `json:"handles"`
}

// Cluster is one coordinated cluster.
type Cluster struct {
	ID             int            `json:"id"`
	Size           int            `json:"size"`
	Accounts       []string       `json:"accounts"`
	Handles        []string       `json:"handles"`
	Layers         []string       `json:"layers"`
	LayerEdges     map[string]int `json:"layer_edges"`
	Edges          int            `json:"edges"`
	Density        float64        `json:"density"`
	First          *time.Time     `json:"first_coaction,omitempty"`
	Last           *time.Time     `json:"last_coaction,omitempty"`
	MedianDtSecond float64        `json:"median_dt_s"`
	TopObjects     []Object       `json:"top_objects"`
	Posts          []string       `json:"posts"`
}

// Object is a shared object with a display label.
type Object struct {
	Layer string `json:"layer"`
	Label string `json:"object"`
	Count int    `json:"count"`
}

// Account is an account with at least one significant edge.
type Account struct {
	ID      string   `json:"id"`
	Handle  string   `json:"handle"`
	Cluster *int     `json:"cluster"`
	Degree  float64  `json:"degree"`
	Posts   int      `json:"posts"`
	Layers  []string `json:"layers"`
}

// SweepRow is one window of the window sweep.
type SweepRow struct {
	Window      string `json:"window"`
	Edges       int    `json:"edges"`
	Significant int    `json:"significant"`
	Clusters    int    `json:"clusters"`
	Accounts    int    `json:"accounts_in_clusters"`
}

// Run is run.json: how the results were made.
type Run struct {
	Version    string            `json:"chorus_version"`
	GoVersion  string            `json:"go_version"`
	Command    []string          `json:"command"`
	Started    time.Time         `json:"started"`
	Inputs     []Input           `json:"inputs"`
	Parameters map[string]string `json:"parameters"`
	Timings    []Timing          `json:"timings"`
	PeakRSSMB  float64           `json:"peak_rss_mb,omitempty"`
}

// Input is one input file's identity and read summary.
type Input struct {
	Path        string         `json:"path"`
	SHA256      string         `json:"sha256"`
	Size        int64          `json:"size"`
	Format      string         `json:"format"`
	Posts       int64          `json:"posts"`
	Skipped     int64          `json:"skipped"`
	SkipReasons map[string]int `json:"skip_reasons,omitempty"`
}

// Timing is one phase's wall time.
type Timing struct {
	Phase   string  `json:"phase"`
	Seconds float64 `json:"seconds"`
}

// ReadResults loads a results.json.
func ReadResults(path string) (*Results, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Results
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: not a chorus results file: %w", path, err)
	}
	return &r, nil
}
