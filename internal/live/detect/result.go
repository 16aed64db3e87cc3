package detect

import "time"

// Result is one evaluation of the live detector: the held horizon, the
// significant clusters now, and which of them are new.
type Result struct {
	At         time.Time    // wall time of the evaluation
	Horizon    [2]time.Time // post-time span held
	Posts      int          // posts held in the horizon
	Accounts   int          // accounts with a held post
	Dropped    int64        // posts dropped by the MaxPosts bound or as older than the horizon
	Clusters   []Cluster    // significant clusters now (largest first)
	New        []Cluster    // subset of Clusters first seen in this evaluation
	Layers     []LayerStat  // per layer: actions, candidate pairs, significant edges
	EvalMillis int64
}

// Cluster is one significant cluster of co-acting accounts.
type Cluster struct {
	ID                          int      // stable across evaluations
	Accounts                    []string // account handles (or ids when no handle)
	Layers                      []string
	Edges                       int
	FirstCoAction, LastCoAction time.Time // post time
	// FirstPostSeen is the wall time the detector received the first post
	// of the cluster's first co-action (for detection latency).
	FirstPostSeen time.Time
	TopObjects    []string // a few shared objects (hashtags, URLs, reposted ids, texts)
}

// LayerStat summarises one layer of an evaluation.
type LayerStat struct {
	Layer       string
	Actions     int
	Pairs       int
	Significant int
	// Corroborated counts the ties below significance that the group or
	// membership test adds to the network.
	Corroborated int
}
