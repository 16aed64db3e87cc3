package synth

import "time"

// Labels is the ground truth written beside the posts (docs/synth.md
// documents every field). JSON encoding is deterministic: structs keep
// field order and maps are written with sorted keys.
type Labels struct {
	Version   int       `json:"version"`
	Generator string    `json:"generator"`
	Seed      uint64    `json:"seed"`
	Params    ParamsOut `json:"params"`
	T0        time.Time `json:"t0"`
	TClaim    time.Time `json:"t_claim"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Place     string    `json:"place"`
	Posts     int       `json:"posts"`
	Accounts  int       `json:"accounts"`
	// AccountIDs: account i (0-based) has id First+i.
	AccountIDs IDRange `json:"account_ids"`
	// PostIDs: the post on line r (0-based, time order) has id First+r.
	PostIDs IDRange `json:"post_ids"`
	Groups  []Group `json:"groups"`
	// PlantedAccounts maps every planted coordinated account to its group.
	PlantedAccounts map[string]PlantedAccount `json:"planted_accounts"`
	// Hyperactive organic accounts (hundreds of posts, not coordinated).
	Hyperactive []string `json:"hyperactive"`
	// Hijackers are organic opposing accounts that flood campaign hashtags.
	Hijackers []string `json:"hijackers"`
	// Ignored accounts are neither positives nor negatives in scoring
	// (media-outlet accounts).
	Ignored      []string       `json:"ignored"`
	Outlets      []Outlet       `json:"outlets"`
	Recirculated []RecircItem   `json:"recirculated"`
	Hijacks      []Hijack       `json:"hijacks"`
	Stance       StanceLabels   `json:"stance"`
	Indicators   Truth          `json:"indicators"`
	Counts       map[string]int `json:"counts"`
}

// ParamsOut records the generator knobs.
type ParamsOut struct {
	Posts        int     `json:"posts"`
	Accounts     int     `json:"accounts"`
	PreDays      int     `json:"pre_days"`
	PostDays     int     `json:"post_days"`
	Density      float64 `json:"density"`
	Jitter       float64 `json:"jitter"`
	Overlap      float64 `json:"overlap"`
	Noise        float64 `json:"noise"`
	Groups       int     `json:"groups"`
	Actions      int     `json:"actions"`
	GroupMax     int     `json:"group_max"`
	AssertBefore float64 `json:"assert_before"`
	AssertAfter  float64 `json:"assert_after"`
	Hyperactive  int     `json:"hyperactive"`
}

// IDRange is a run of consecutive decimal ids.
type IDRange struct {
	First int64 `json:"first"`
	Count int   `json:"count"`
}

// Coordination kinds (Group.Kind).
const (
	KindCoRetweet       = "co_retweet"
	KindHashtagCampaign = "hashtag_campaign"
	KindCoURL           = "co_url"
	KindCoImage         = "co_image"
	KindCopypasta       = "copypasta"
	KindAutomation      = "automation"
)

// Kinds lists the coordination kinds in generation order.
var Kinds = []string{KindCoRetweet, KindHashtagCampaign, KindCoURL, KindCoImage, KindCopypasta, KindAutomation}

// Group is one planted coordinated group.
type Group struct {
	ID   int    `json:"id"`
	Kind string `json:"kind"`
	// Layer is the co-action network the group should be found in
	// (model layer names: repost, hashtag, url, image, near_text, staggered).
	Layer string `json:"layer"`
	// WindowSeconds is the time window that catches the group's co-actions.
	WindowSeconds int          `json:"window_seconds"`
	Language      string       `json:"language"`
	Orientation   string       `json:"orientation"`
	Members       []string     `json:"members"`
	Actions       []Action     `json:"actions"`
	Objects       GroupObjects `json:"objects"`
}

// Action is one coordinated action: the members' posts in [Start, End].
type Action struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Posts int       `json:"posts"`
}

// GroupObjects are the objects a group's actions share.
type GroupObjects struct {
	Hashtags    []string `json:"hashtags,omitempty"`
	URLs        []string `json:"urls,omitempty"`
	ImageHashes []string `json:"image_hashes,omitempty"`
	ImageRefs   []string `json:"image_refs,omitempty"`
	Texts       []string `json:"texts,omitempty"`
	// PostIDs are the originals a co_retweet group reposts.
	PostIDs []string `json:"post_ids,omitempty"`
}

// PlantedAccount is a planted account's group.
type PlantedAccount struct {
	Group int    `json:"group"`
	Kind  string `json:"kind"`
}

// Outlet is a branded media outlet.
type Outlet struct {
	Name     string   `json:"name"`
	Hashtag  string   `json:"hashtag"`
	Prefix   string   `json:"prefix"`
	Accounts []string `json:"accounts"`
	// FirstRelease is the outlet's first post at or after T0.
	FirstRelease   time.Time `json:"first_release"`
	LatencySeconds float64   `json:"latency_seconds"`
	ReleasePosts   int       `json:"release_posts"`
	ImageHashes    []string  `json:"image_hashes"`
}

// RecircItem is an archival item first seen in the pre-period and
// re-shared after T0.
type RecircItem struct {
	Kind            string    `json:"kind"` // url, image, text
	Key             string    `json:"key"`  // the URL, image hash or exact text
	FirstSeen       time.Time `json:"first_seen"`
	PostsBeforeT0   int       `json:"posts_before_t0"`
	FirstReshare    time.Time `json:"first_reshare"`
	ResharesAfterT0 int       `json:"reshares_after_t0"`
}

// Hijack is a campaign hashtag flooded by opponents.
type Hijack struct {
	Hashtag string `json:"hashtag"`
	Group   int    `json:"group"`
	// Launch is the hashtag's first use; OpposingStart the first opposing use.
	Launch        time.Time `json:"launch"`
	OpposingStart time.Time `json:"opposing_start"`
	// Overtake is the first time the cumulative count of opposing posts
	// carrying the hashtag exceeds the cumulative count of supportive ones
	// (null if never).
	Overtake        *time.Time `json:"overtake"`
	OvertakeSeconds *float64   `json:"overtake_seconds_after_t0"`
	Supportive      int        `json:"supportive_posts"`
	Opposing        int        `json:"opposing_posts"`
}

// StanceLabels gives every post's attribution and orientation as two
// strings with one character per post, in file order (post id
// PostIDFirst+r at index r).
type StanceLabels struct {
	PostIDFirst      int64             `json:"post_id_first"`
	AttributionCodes map[string]string `json:"attribution_codes"`
	OrientationCodes map[string]string `json:"orientation_codes"`
	Attribution      string            `json:"attribution"`
	Orientation      string            `json:"orientation"`
}

// Truth holds the values the event indicators should show.
type Truth struct {
	// OnsetLatencySeconds is from T0 to the first planted coordinated
	// action post at or after T0.
	OnsetLatencySeconds    float64     `json:"onset_latency_seconds"`
	FirstCoordinatedAction time.Time   `json:"first_coordinated_action"`
	FirstCoordinatedGroup  int         `json:"first_coordinated_group"`
	VolumeLift             []LiftTruth `json:"volume_lift"`
	// Unanimity is the share of `asserts` among supportive posts that take
	// an attribution stance (asserts, speculates or denies), in [T0,
	// TClaim) and [TClaim, End).
	UnanimityBeforeClaim *float64 `json:"unanimity_before_claim"`
	UnanimityAfterClaim  *float64 `json:"unanimity_after_claim"`
	StancePostsBefore    int      `json:"unanimity_posts_before_claim"`
	StancePostsAfter     int      `json:"unanimity_posts_after_claim"`
	// CampaignHashtags are the hashtags launched by hashtag_campaign groups.
	CampaignHashtags []string `json:"campaign_hashtags"`
}

// LiftTruth is the volume lift in [T0, T0+W) over the pre-event baseline:
// the mean, over the days d >= ceil(W/24h), d <= PreDays, of the count in
// [T0-d*24h, T0-d*24h+W) (same hour-of-day offsets, pre-event only).
type LiftTruth struct {
	Window           string  `json:"window"`
	Seconds          int     `json:"seconds"`
	Posts            int     `json:"posts"`
	Accounts         int     `json:"accounts"`
	BaselinePosts    float64 `json:"baseline_posts"`
	BaselineAccounts float64 `json:"baseline_accounts"`
	BaselineDays     int     `json:"baseline_days"`
	LiftPosts        float64 `json:"lift_posts"`
	LiftAccounts     float64 `json:"lift_accounts"`
}
