package report

import (
	"time"

	"github.com/chorus-osint/chorus/internal/results"
)

// FormatVersion names report.json's schema; it changes when a field is
// renamed or removed.
const FormatVersion = "chorus-report/1"

// Report is report.json: everything the HTML and Markdown reports show,
// with the privacy options already applied.
type Report struct {
	Format    string            `json:"format"`
	Version   string            `json:"chorus_version"`
	Event     EventInfo         `json:"event"`
	Privacy   PrivacyInfo       `json:"privacy"`
	Statement string            `json:"statement"`
	Overall   Overall           `json:"overall"`
	Summary   []Answer          `json:"summary"`
	Criteria  []GradedCriterion `json:"criteria"`
	Ungraded  []UngradedInfo    `json:"ungraded"`
	Corpus    results.Corpus    `json:"corpus"`
	Layers    []results.Layer   `json:"layers"`
	// Clusters are the largest clusters (at most maxClusterRows);
	// ClustersOmitted counts the others (all are in clusters.csv).
	Clusters        []ClusterInfo `json:"clusters"`
	ClustersOmitted int           `json:"clusters_omitted"`
	// GroupTests are the group tests (docs/engine.md, "Corroborated
	// groups") of the layers with suggestive ties, with their significant
	// groups; GroupTestLayers counts the layers the test ran on.
	GroupTests      []GroupTestInfo `json:"group_tests"`
	GroupTestLayers int             `json:"group_test_layers"`
	// CoreAccounts are the accounts with the highest coordination degree.
	CoreAccounts []AccountInfo     `json:"core_accounts"`
	Evidence     []EvidenceGroup   `json:"evidence"`
	Network      NetworkInfo       `json:"network"`
	Indicators   []IndicatorStatus `json:"indicators"`
	// Details are the indicators themselves, privacy options applied.
	Details  *Details  `json:"details"`
	Caveats  []Caveat  `json:"caveats"`
	Coverage *Coverage `json:"coverage"`
	Warnings []string  `json:"warnings"`
	Methods  Methods   `json:"methods"`
}

// GroupTestInfo is one layer's group test.
type GroupTestInfo struct {
	Layer          string      `json:"layer"`
	Ties           int         `json:"suggestive_ties"`
	Tested         int         `json:"groups_tested"`
	Resamples      int         `json:"resamples"`
	NullBestMedian float64     `json:"null_best_score_median"`
	Groups         []GroupInfo `json:"significant_groups"`
	// Members are the accounts the membership test admitted.
	Members []MemberInfo `json:"members"`
}

// MemberInfo is an account corroborated as a member of a significant
// structure: its weak ties into it against those expected by chance.
type MemberInfo struct {
	Account       AccountInfo `json:"account"`
	StructureSize int         `json:"structure_size"`
	Ties          int         `json:"ties"`
	Expected      float64     `json:"expected_ties"`
	P             float64     `json:"p"`
}

// GroupInfo is a significant group of the group test.
type GroupInfo struct {
	ID       int           `json:"id"`
	Size     int           `json:"size"`
	Ties     int           `json:"ties"`
	Expected float64       `json:"expected_ties"`
	Score    float64       `json:"score"`
	P        float64       `json:"p"`
	Accounts []AccountInfo `json:"accounts"`
}

// EventInfo identifies the event.
type EventInfo struct {
	Name   string     `json:"name"`
	Place  string     `json:"place,omitempty"`
	T0     time.Time  `json:"t0"`
	TClaim *time.Time `json:"t_claim,omitempty"`
}

// PrivacyInfo records the privacy options applied.
type PrivacyInfo struct {
	Pseudonymized bool `json:"pseudonymized"`
	// KeyGiven is true when the pseudonyms were keyed by a user-given key
	// (and are therefore comparable across reports with the same key).
	KeyGiven     bool `json:"pseudonym_key_given"`
	TextRedacted bool `json:"text_redacted"`
}

// Answer answers one of the analyst's questions.
type Answer struct {
	ID        string `json:"id"`
	Question  string `json:"question"`
	Available bool   `json:"available"`
	// Figure is the measured value, Baseline what it is compared with,
	// Uncertainty its interval or limits, Reading the plain-language
	// conclusion; Reason says why the answer is missing.
	Figure      string `json:"figure"`
	Baseline    string `json:"baseline"`
	Uncertainty string `json:"uncertainty"`
	Reading     string `json:"reading"`
	Reason      string `json:"reason,omitempty"`
	// Anchor is the report section holding the rows behind the figure.
	Anchor string `json:"anchor"`
	// Criterion is the rubric criterion the answer relates to, if any,
	// and Grade its grade.
	Criterion string `json:"criterion,omitempty"`
	Grade     string `json:"grade,omitempty"`
}

// UngradedInfo is an indicator shown but not graded.
type UngradedInfo struct {
	Indicator string `json:"indicator"`
	Why       string `json:"why"`
}

// ClusterInfo is one coordinated cluster.
type ClusterInfo struct {
	ID     int    `json:"id"`
	Anchor string `json:"anchor"`
	// Detailed is true for the clusters whose accounts, objects and
	// evidence the report shows (the maxDetailedClusters largest).
	Detailed   bool           `json:"detailed"`
	Size       int            `json:"size"`
	Layers     []string       `json:"layers"`
	LayerEdges map[string]int `json:"layer_edges"`
	Edges      int            `json:"edges"`
	Density    float64        `json:"density"`
	First      *time.Time     `json:"first_coaction"`
	Last       *time.Time     `json:"last_coaction"`
	// FirstAfterT0 is the earliest co-action at or after T0 among the
	// evidence rows (evidence.csv keeps max-evidence co-actions per pair).
	FirstAfterT0 *time.Time       `json:"first_coaction_after_t0"`
	MedianDtS    float64          `json:"median_dt_s"`
	TopObjects   []results.Object `json:"top_objects"`
	// Accounts lists the cluster's accounts by degree (at most
	// maxClusterAccounts); AccountsOmitted counts the rest.
	Accounts        []AccountInfo `json:"accounts"`
	AccountsOmitted int           `json:"accounts_omitted"`
	EvidenceRows    int           `json:"evidence_rows"`
}

// AccountInfo is one account of the significant network.
type AccountInfo struct {
	ID      string   `json:"id"`
	Handle  string   `json:"handle"`
	Cluster *int     `json:"cluster"`
	Degree  float64  `json:"degree"`
	Posts   int      `json:"posts"`
	Layers  []string `json:"layers"`
}

// EvidenceGroup is the sampled evidence of one cluster and layer.
type EvidenceGroup struct {
	Anchor string `json:"anchor"`
	// Cluster is nil for pairs whose accounts are not in one cluster.
	Cluster *int          `json:"cluster"`
	Layer   string        `json:"layer"`
	Total   int           `json:"total_rows"`
	Rows    []EvidenceRow `json:"rows"`
}

// NetworkInfo describes the network picture.
type NetworkInfo struct {
	NodesShown int    `json:"nodes_shown"`
	NodesTotal int    `json:"nodes_total"`
	EdgesShown int    `json:"edges_shown"`
	EdgesTotal int    `json:"edges_total"`
	Omitted    string `json:"omitted"`
	Layout     string `json:"layout"`
}

// Caveat is one data-coverage caveat.
type Caveat struct {
	Kind string `json:"kind"`
	// Severity is "warning" (may change conclusions) or "info".
	Severity string `json:"severity"`
	Text     string `json:"text"`
}

// Methods records how the results were made.
type Methods struct {
	Version    string           `json:"chorus_version"`
	GoVersion  string           `json:"go_version"`
	Command    []string         `json:"command"`
	Started    *time.Time       `json:"started,omitempty"`
	Inputs     []results.Input  `json:"inputs"`
	Parameters []ParamInfo      `json:"parameters"`
	Timings    []results.Timing `json:"timings"`
	// Missing is set when run.json was not found.
	Missing string `json:"missing,omitempty"`
}

// ParamInfo is one parameter with its value and meaning.
type ParamInfo struct {
	Name    string `json:"name"`
	Section string `json:"section"`
	Value   string `json:"value"`
	Default string `json:"default"`
	Help    string `json:"help"`
}
