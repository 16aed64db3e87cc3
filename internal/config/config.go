// Package config holds the one Config struct of chorus. Every parameter is
// declared once, in Params, with its name, default and help text; flags,
// the YAML config file, `--help`, docs/parameters.md and the report's
// methods section are all generated from that one list.
package config

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ErrInvalid marks a configuration error (bad value, unknown key).
var ErrInvalid = errors.New("invalid configuration")

// Config is every tunable of chorus. Defaults come from Default().
type Config struct {
	Ingest  Ingest
	Event   Event
	Coord   Coord
	Cluster Cluster
	// Indicators configures the event indicators (internal/indicators).
	Indicators Indicators
	Output     Output
	Stance     Stance
	Store      Store
	// Server configures `chorus serve` (docs/api.md).
	Server Server
	// Runtime configures the Go runtime of the process (memory limit).
	Runtime Runtime
	// Live configures live mode of `chorus serve` and `chorus replay`
	// (docs/live.md).
	Live Live
}

// Runtime configures the process's Go runtime.
type Runtime struct {
	// MemoryLimit is the soft memory limit: "auto", "off", or a size
	// ("6GiB", "4500MB", bytes). See MemoryLimitBytes.
	MemoryLimit string
}

// Live configures live mode: the message streams consumed, and the
// incremental detector's sliding horizon. The co-action parameters
// (layers, window, permutations, alpha, min weight) come from Coord and
// the event (T0) from Event.
type Live struct {
	NATS         string
	NATSEmbedded bool
	NATSDir      string
	NATSStream   string
	NATSSubject  string
	NATSDurable  string
	Kafka        []string
	KafkaTopic   string
	KafkaGroup   string
	Horizon      time.Duration
	Tick         time.Duration
	MaxPosts     int
	Webhook      string
}

// Server configures the HTTP server of `chorus serve`.
type Server struct {
	Addr           string
	DataDir        string
	TLSCert        string
	TLSKey         string
	NoAuth         bool
	SessionTTL     time.Duration
	RequestTimeout time.Duration
	UploadTimeout  time.Duration
	MaxBodyBytes   int64
	MaxUploadBytes int64
	LoginPerIP     int
	LoginPerUser   int
	MaxJobs        int
}

// Store configures the embedded store (event library, runs).
type Store struct {
	// DB is the database path; empty means $CHORUS_DB, else chorus.db
	// (store.ResolvePath).
	DB string
}

// Stance configures attribution-stance classification in analyze.
type Stance struct {
	Model string
}

// Event describes the event under analysis.
type Event struct {
	Name   string
	T0     string
	TClaim string
	Place  string
}

// Coord configures the coordination engine.
type Coord struct {
	Layers           []string
	Windows          []time.Duration
	WindowStaggered  time.Duration
	MinWeight        int
	MinParticipation int
	MaxPartners      int
	MaxLayerPairs    int64
	IDF              bool
	MinHashtagSeq    int
	Permutations     int
	NullBlock        time.Duration
	EvergreenBlocks  int
	NullByLanguage   bool
	Seed             uint64
	Alpha            float64
	GroupP           float64
	GroupTruss       int
	GroupMinAccounts int
	GroupResamples   int
	GroupMaxTies     int
	MemberP          float64
	MaxEvidence      int
	MaxPairs         int
	Workers          int
	NearDupThreshold float64
	NearDupMinRunes  int
	ImageRadius      int
}

// Cluster configures community detection on the significant network.
type Cluster struct {
	Algorithm  string
	Resolution float64
	MinSize    int
	Top        int
}

// Indicators configures the event indicators (docs/indicators.md).
type Indicators struct {
	Windows          []time.Duration
	BaselineDays     int
	SeriesBefore     time.Duration
	SeriesAfter      time.Duration
	SeriesBin        time.Duration
	BurstBin         time.Duration
	BurstStates      int
	BurstScale       float64
	BurstGamma       float64
	TopHashtags      int
	DormantGap       time.Duration
	HijackBin        time.Duration
	HijackMinPosts   int
	OutletMinPosts   int
	RecircMinAge     time.Duration
	RecircMinShares  int
	TopItems         int
	QuoteMinAccounts int
	QuoteContext     time.Duration
	RelayOutlets     []string
	OnsetMinAccounts int
	AutoMinAccounts  int
	AutoMinPosts     int
	AutoMaxCV        float64
	AutoMinGap       time.Duration
	AutoMaxGap       time.Duration
	StanceBin        time.Duration
	Bootstrap        int
}

// defaultRelayOutlets are the Islamic State's best-known media outlets
// and their usual spellings (English and French transliterations,
// Arabic). Ambiguous Arabic words (أعماق "depths", النبأ "the news") are
// only listed within their outlet phrases.
const defaultRelayOutlets = "Amaq=amaq/a'maq/a’maq/aamaq/وكالة أعماق," +
	"Nashir=nashir/ناشر نيوز/وكالة ناشر," +
	"al-Hayat=al-hayat media/alhayat media/hayat media center/مركز الحياة," +
	"al-Furqan=al-furqan/alfurqan/furqan media/furqan foundation/مؤسسة الفرقان," +
	"al-Naba=al-naba/alnaba/naba newspaper/صحيفة النبأ," +
	"Dabiq=dabiq magazine/dabiq issue/مجلة دابق," +
	"Rumiyah=rumiyah/rumiya magazine/مجلة رومية," +
	"al-Bayan=al-bayan radio/albayan radio/إذاعة البيان"

// Output configures what analyze writes.
type Output struct {
	Dir     string
	Quiet   bool
	JSONLog bool
}

// Ingest configures the readers.
type Ingest struct {
	Format           string
	TZ               string
	Map              string
	Strict           bool
	MaxRecordBytes   int
	MaxDocumentBytes int64
	RatioAfter       int64
	MaxDepth         int
	MaxDecompressed  int64
	MaxRatio         int64
	MaxCSVFields     int
	MaxFiles         int
}

// Param describes one parameter.
type Param struct {
	// Name is the flag name and the config-file key.
	Name string
	// Section groups parameters ("ingest", "coord", ...) for help and docs;
	// a subcommand binds the sections it uses.
	Section string
	Help    string
	// Default is the default value as text.
	Default string
	value   flag.Value
}

// Value returns the current value as text.
func (p Param) Value() string { return p.value.String() }

// Set parses s into the bound field.
func (p Param) Set(s string) error { return p.value.Set(s) }

// Default returns the configuration with every default applied.
func Default() Config {
	var c Config
	for _, p := range c.Params() {
		if err := p.value.Set(p.Default); err != nil {
			panic(fmt.Sprintf("BUG: default of %s (%q) does not parse: %v", p.Name, p.Default, err))
		}
	}
	return c
}

// Params lists every parameter bound to c's fields. This is the single
// declaration of names, defaults and help.
func (c *Config) Params() []Param {
	return []Param{
		{Name: "format", Section: "ingest", Default: "", Help: "input format (empty: sniffed per file; `chorus formats` lists them)", value: (*stringValue)(&c.Ingest.Format)},
		{Name: "tz", Section: "ingest", Default: "UTC", Help: "time zone of timestamps that carry none (IANA name, e.g. Europe/Brussels)", value: (*stringValue)(&c.Ingest.TZ)},
		{Name: "map", Section: "ingest", Default: "", Help: "generic-schema column mapping, e.g. id=tweet_id,account=user,time=date,text=body", value: (*stringValue)(&c.Ingest.Map)},
		{Name: "strict", Section: "ingest", Default: "false", Help: "stop at the first malformed record instead of skipping and counting it", value: (*boolValue)(&c.Ingest.Strict)},
		{Name: "max-record-bytes", Section: "ingest", Default: "16777216", Help: "largest accepted line / record in bytes", value: (*intValue)(&c.Ingest.MaxRecordBytes)},
		{Name: "max-document-bytes", Section: "ingest", Default: "2147483648", Help: "largest whole-file JSON document (Telegram result.json, a top-level array) in bytes", value: (*int64Value)(&c.Ingest.MaxDocumentBytes)},
		{Name: "max-depth", Section: "ingest", Default: "128", Help: "deepest accepted JSON nesting", value: (*intValue)(&c.Ingest.MaxDepth)},
		{Name: "max-decompressed", Section: "ingest", Default: "274877906944", Help: "largest accepted decompressed size of one file in bytes", value: (*int64Value)(&c.Ingest.MaxDecompressed)},
		{Name: "max-ratio", Section: "ingest", Default: "2000", Help: "largest accepted decompression ratio (bomb guard; applies after --ratio-after bytes)", value: (*int64Value)(&c.Ingest.MaxRatio)},
		{Name: "ratio-after", Section: "ingest", Default: "67108864", Help: "decompressed bytes read before --max-ratio applies", value: (*int64Value)(&c.Ingest.RatioAfter)},
		{Name: "max-csv-fields", Section: "ingest", Default: "4096", Help: "most fields accepted in one CSV record", value: (*intValue)(&c.Ingest.MaxCSVFields)},
		{Name: "max-files", Section: "ingest", Default: "100000", Help: "most input files accepted in one run", value: (*intValue)(&c.Ingest.MaxFiles)},

		{Name: "event", Section: "event", Default: "", Help: "event name (used in the report and the event library)", value: (*stringValue)(&c.Event.Name)},
		{Name: "t0", Section: "event", Default: "", Help: "event time T0 (RFC 3339, e.g. 2016-03-22T06:58:00Z; naive times use --tz)", value: (*stringValue)(&c.Event.T0)},
		{Name: "t-claim", Section: "event", Default: "", Help: "time of the official claim of responsibility, if any", value: (*stringValue)(&c.Event.TClaim)},
		{Name: "place", Section: "event", Default: "", Help: "where the event happened (free text, for the report)", value: (*stringValue)(&c.Event.Place)},

		{Name: "layers", Section: "coord", Default: "repost,hashtag,hashtag_seq,url,domain,text,near_text,image,reply,mention,staggered", Help: "co-action layers to compute", value: (*stringsValue)(&c.Coord.Layers)},
		{Name: "window", Section: "coord", Default: "60s", Help: "co-action window (inclusive); a list (10s,60s,5m,30m) runs a window sweep and the first is used for the results", value: (*durationsValue)(&c.Coord.Windows)},
		{Name: "window-staggered", Section: "coord", Default: "30m", Help: "window of the staggered layer (same text posted at spaced intervals)", value: (*durationValue)(&c.Coord.WindowStaggered)},
		{Name: "min-weight", Section: "coord", Default: "2", Help: "minimum distinct objects co-acted on for an edge", value: (*intValue)(&c.Coord.MinWeight)},
		{Name: "min-participation", Section: "coord", Default: "2", Help: "minimum objects an account must co-act on (with anyone) in a layer", value: (*intValue)(&c.Coord.MinParticipation)},
		{Name: "max-partners", Section: "coord", Default: "256", Help: "bounded work: each post pairs with at most this many later posts in one object-window (truncation is reported)", value: (*intValue)(&c.Coord.MaxPartners)},
		{Name: "max-layer-pairs", Section: "coord", Default: "30000000", Help: "bounded work: post pairs examined per layer at most; a layer whose busy object-windows would exceed it gets a lower partner bound (reported per layer; 0: no bound)", value: (*int64Value)(&c.Coord.MaxLayerPairs)},
		{Name: "idf", Section: "coord", Default: "false", Help: "weight objects by log(accounts/accounts on the object)", value: (*boolValue)(&c.Coord.IDF)},
		{Name: "min-hashtag-seq", Section: "coord", Default: "3", Help: "minimum hashtags for the hashtag-sequence layer", value: (*intValue)(&c.Coord.MinHashtagSeq)},
		{Name: "permutations", Section: "coord", Default: "20", Help: "permutations of the null model per layer (0 disables significance)", value: (*intValue)(&c.Coord.Permutations)},
		{Name: "null-block", Section: "coord", Default: "1h", Help: "time stratum within which the null model shuffles post times", value: (*durationValue)(&c.Coord.NullBlock)},
		{Name: "null-by-language", Section: "coord", Default: "true", Help: "the null model shuffles accounts only among posts of the same language (as the export gives it), so an account's languages are kept", value: (*boolValue)(&c.Coord.NullByLanguage)},
		{Name: "evergreen-blocks", Section: "coord", Default: "24", Help: "an object seen in at least this many null blocks is evergreen: the null shuffles posts on evergreen objects among themselves within each block, so accounts that favour long-running popular objects are judged against that (0: off)", value: (*intValue)(&c.Coord.EvergreenBlocks)},
		{Name: "seed", Section: "coord", Default: "1", Help: "random seed (null model, clustering)", value: (*uint64Value)(&c.Coord.Seed)},
		{Name: "alpha", Section: "coord", Default: "0.05", Help: "q-value (Benjamini–Hochberg) threshold for a significant edge", value: (*floatValue)(&c.Coord.Alpha)},
		{Name: "group-p", Section: "coord", Default: "0.0001", Help: "group test: a pair's own p-value at most this (and not significant alone) makes a suggestive tie; groups of suggestive ties closing triangles are tested against resampled tie graphs (docs/engine.md, \"Corroborated groups\")", value: (*floatValue)(&c.Coord.GroupP)},
		{Name: "group-truss", Section: "coord", Default: "3", Help: "group test: every tie of a group lies in at least this many minus 2 triangles of the group's ties (3: one)", value: (*intValue)(&c.Coord.GroupTruss)},
		{Name: "group-min-accounts", Section: "coord", Default: "4", Help: "group test: fewest accounts of a group (a lone triangle of three accounts with the same tastes is common by chance)", value: (*intValue)(&c.Coord.GroupMinAccounts)},
		{Name: "group-resamples", Section: "coord", Default: "499", Help: "group test: resampled tie graphs per layer (a group's p-value is at least 1/(resamples+1) and must reach alpha over the number of layers tested; 0 disables the group test)", value: (*intValue)(&c.Coord.GroupResamples)},
		{Name: "group-max-ties", Section: "coord", Default: "100000", Help: "group test: at most this many suggestive ties per layer, those with the smallest p-values (bounded work)", value: (*intValue)(&c.Coord.GroupMaxTies)},
		{Name: "member-p", Section: "coord", Default: "0.001", Help: "membership test: ties of own p-value at most this count towards an account's ties into a significant structure of its layer, tested against the ties expected by chance (Bonferroni; docs/engine.md, \"Corroborated members\"; 0 disables it)", value: (*floatValue)(&c.Coord.MemberP)},
		{Name: "max-evidence", Section: "coord", Default: "5", Help: "co-actions kept as evidence per edge", value: (*intValue)(&c.Coord.MaxEvidence)},
		{Name: "max-pairs", Section: "coord", Default: "8000000", Help: "account pairs held in memory at once per layer; above it pairs are processed in exact hash partitions and the null model samples one partition (about 80 bytes per pair)", value: (*intValue)(&c.Coord.MaxPairs)},
		{Name: "workers", Section: "coord", Default: "0", Help: "parallel workers (0: all cores)", value: (*intValue)(&c.Coord.Workers)},
		{Name: "neardup-threshold", Section: "coord", Default: "0.7", Help: "Jaccard similarity of 5-character shingles above which two texts are near-duplicates", value: (*floatValue)(&c.Coord.NearDupThreshold)},
		{Name: "neardup-min-runes", Section: "coord", Default: "30", Help: "shortest normalized text (characters) considered for near-duplicates", value: (*intValue)(&c.Coord.NearDupMinRunes)},

		{Name: "image-radius", Section: "coord", Default: "7", Help: "perceptual hashes (pHash, 64 bits) within this many bits are the same image (0: exact keys only; at most 11)", value: (*intValue)(&c.Coord.ImageRadius)},

		{Name: "cluster-algorithm", Section: "cluster", Default: "leiden", Help: "community detection: leiden or louvain", value: (*stringValue)(&c.Cluster.Algorithm)},
		{Name: "resolution", Section: "cluster", Default: "1", Help: "modularity resolution (higher: smaller clusters)", value: (*floatValue)(&c.Cluster.Resolution)},
		{Name: "min-cluster-size", Section: "cluster", Default: "2", Help: "smallest cluster reported", value: (*intValue)(&c.Cluster.MinSize)},
		{Name: "top", Section: "cluster", Default: "0", Help: "graph exports keep only the top N edges by weight (0: all)", value: (*intValue)(&c.Cluster.Top)},

		{Name: "lift-windows", Section: "indicators", Default: "1h,6h,24h,72h", Help: "volume-lift windows [T0, T0+w); also the hashtag adoption offsets", value: (*durationsValue)(&c.Indicators.Windows)},
		{Name: "baseline-days", Section: "indicators", Default: "7", Help: "pre-event days whose same-hour windows form the volume baseline", value: (*intValue)(&c.Indicators.BaselineDays)},
		{Name: "series-before", Section: "indicators", Default: "168h", Help: "volume and burst series start this long before T0", value: (*durationValue)(&c.Indicators.SeriesBefore)},
		{Name: "series-after", Section: "indicators", Default: "72h", Help: "volume and burst series end this long after T0", value: (*durationValue)(&c.Indicators.SeriesAfter)},
		{Name: "series-bin", Section: "indicators", Default: "1h", Help: "bin width of the volume series", value: (*durationValue)(&c.Indicators.SeriesBin)},
		{Name: "burst-bin", Section: "indicators", Default: "10m", Help: "bin width of the burst automaton", value: (*durationValue)(&c.Indicators.BurstBin)},
		{Name: "burst-states", Section: "indicators", Default: "3", Help: "states of Kleinberg's burst automaton (base state included)", value: (*intValue)(&c.Indicators.BurstStates)},
		{Name: "burst-scale", Section: "indicators", Default: "2", Help: "rate ratio between successive burst states (Kleinberg's s)", value: (*floatValue)(&c.Indicators.BurstScale)},
		{Name: "burst-gamma", Section: "indicators", Default: "1", Help: "cost of moving up one burst state, in units of ln(bins) (Kleinberg's gamma)", value: (*floatValue)(&c.Indicators.BurstGamma)},
		{Name: "top-hashtags", Section: "indicators", Default: "20", Help: "hashtags reported (and burst-tested) per list", value: (*intValue)(&c.Indicators.TopHashtags)},
		{Name: "dormant-gap", Section: "indicators", Default: "48h", Help: "a hashtag unused for this long before T0 and used after it is revived", value: (*durationValue)(&c.Indicators.DormantGap)},
		{Name: "hijack-bin", Section: "indicators", Default: "1h", Help: "bin width of the hashtag stance series", value: (*durationValue)(&c.Indicators.HijackBin)},
		{Name: "hijack-min-posts", Section: "indicators", Default: "10", Help: "fewest stance-labelled posts for a hashtag's hijacking analysis", value: (*intValue)(&c.Indicators.HijackMinPosts)},
		{Name: "outlet-min-posts", Section: "indicators", Default: "3", Help: "fewest original posts for a detected branded outlet (text prefix or hashtag series)", value: (*intValue)(&c.Indicators.OutletMinPosts)},
		{Name: "recirc-min-age", Section: "indicators", Default: "24h", Help: "an item recirculates when first seen at least this long before T0", value: (*durationValue)(&c.Indicators.RecircMinAge)},
		{Name: "recirc-min-shares", Section: "indicators", Default: "2", Help: "fewest shares after T0 for a recirculated item to be listed", value: (*intValue)(&c.Indicators.RecircMinShares)},
		{Name: "top-items", Section: "indicators", Default: "50", Help: "items listed per indicator (recirculated items, quote clusters, automation groups)", value: (*intValue)(&c.Indicators.TopItems)},
		{Name: "quote-min-accounts", Section: "indicators", Default: "3", Help: "fewest distinct accounts for a quote cluster", value: (*intValue)(&c.Indicators.QuoteMinAccounts)},
		{Name: "quote-context", Section: "indicators", Default: "1h", Help: "a quote's synchronous burst (most accounts posting it within --window) is tested against the quote's own rate this long either side of the burst", value: (*durationValue)(&c.Indicators.QuoteContext)},
		{Name: "relay-outlets", Section: "indicators", Default: defaultRelayOutlets, Help: "known media outlets whose releases supporters relay: Name=spelling/spelling entries (case and Arabic orthography folded; matched as whole words, or as the start of a hashtag); a post naming one with a release word (claims, statement, agency, بيان, revendique…) is a relay of that outlet; empty: none", value: (*stringsValue)(&c.Indicators.RelayOutlets)},
		{Name: "onset-min-accounts", Section: "indicators", Default: "3", Help: "smallest coordinated cluster whose first co-action after T0 sets the onset latency", value: (*intValue)(&c.Indicators.OnsetMinAccounts)},
		{Name: "auto-min-accounts", Section: "indicators", Default: "4", Help: "fewest distinct accounts in a staggered-automation run", value: (*intValue)(&c.Indicators.AutoMinAccounts)},
		{Name: "auto-min-posts", Section: "indicators", Default: "5", Help: "fewest posts in a staggered-automation run", value: (*intValue)(&c.Indicators.AutoMinPosts)},
		{Name: "auto-max-cv", Section: "indicators", Default: "0.35", Help: "largest coefficient of variation of inter-arrival gaps of a staggered-automation run (Poisson posting gives about 1)", value: (*floatValue)(&c.Indicators.AutoMaxCV)},
		{Name: "auto-min-gap", Section: "indicators", Default: "30s", Help: "smallest median gap of a staggered-automation run (faster is synchronous posting, left to the co-action layers)", value: (*durationValue)(&c.Indicators.AutoMinGap)},
		{Name: "auto-max-gap", Section: "indicators", Default: "1h", Help: "a gap longer than this splits a text's posts into separate runs", value: (*durationValue)(&c.Indicators.AutoMaxGap)},
		{Name: "stance-bin", Section: "indicators", Default: "1h", Help: "bin width of the attribution-stance series", value: (*durationValue)(&c.Indicators.StanceBin)},
		{Name: "bootstrap", Section: "indicators", Default: "1000", Help: "bootstrap resamples for confidence intervals (seeded by --seed; 0 disables)", value: (*intValue)(&c.Indicators.Bootstrap)},

		{Name: "stance-model", Section: "stance", Default: "auto", Help: "attribution-stance classifier: auto (the better on held-out data), rules, default (embedded trained model), a model file, or none", value: (*stringValue)(&c.Stance.Model)},

		{Name: "out", Section: "output", Default: "", Help: "output directory", value: (*stringValue)(&c.Output.Dir)},
		{Name: "quiet", Section: "output", Default: "false", Help: "no progress output", value: (*boolValue)(&c.Output.Quiet)},
		{Name: "json-log", Section: "output", Default: "false", Help: "structured JSON logs on stderr", value: (*boolValue)(&c.Output.JSONLog)},
		{Name: "memory-limit", Section: "runtime", Default: "auto", Help: "soft memory limit of the process (Go GC target; GOMEMLIMIT wins when set): auto (a fifth of physical memory, at least 2GiB), off, or a size such as 6GiB or 4500MB", value: (*stringValue)(&c.Runtime.MemoryLimit)},

		{Name: "addr", Section: "server", Default: "127.0.0.1:8080", Help: "address the server listens on; a non-loopback address needs users (chorus users add) and refuses --no-auth", value: (*stringValue)(&c.Server.Addr)},
		{Name: "data-dir", Section: "server", Default: "", Help: "directory for uploads and analysis results of the server (empty: chorus-data beside the database)", value: (*stringValue)(&c.Server.DataDir)},
		{Name: "tls-cert", Section: "server", Default: "", Help: "TLS certificate file (PEM); with --tls-key the server speaks HTTPS only", value: (*stringValue)(&c.Server.TLSCert)},
		{Name: "tls-key", Section: "server", Default: "", Help: "TLS private key file (PEM)", value: (*stringValue)(&c.Server.TLSKey)},
		{Name: "no-auth", Section: "server", Default: "false", Help: "serve without authentication (every request acts as admin); refused unless the address is loopback", value: (*boolValue)(&c.Server.NoAuth)},
		{Name: "session-ttl", Section: "server", Default: "12h", Help: "lifetime of a login session", value: (*durationValue)(&c.Server.SessionTTL)},
		{Name: "request-timeout", Section: "server", Default: "30s", Help: "time limit of one API request (uploads use --upload-timeout)", value: (*durationValue)(&c.Server.RequestTimeout)},
		{Name: "upload-timeout", Section: "server", Default: "1h", Help: "time limit of one upload request", value: (*durationValue)(&c.Server.UploadTimeout)},
		{Name: "max-body-bytes", Section: "server", Default: "1048576", Help: "largest JSON request body in bytes", value: (*int64Value)(&c.Server.MaxBodyBytes)},
		{Name: "max-upload-bytes", Section: "server", Default: "4294967296", Help: "largest uploaded file in bytes", value: (*int64Value)(&c.Server.MaxUploadBytes)},
		{Name: "login-per-ip", Section: "server", Default: "10", Help: "login attempts allowed per client address per minute (burst; refills continuously)", value: (*intValue)(&c.Server.LoginPerIP)},
		{Name: "login-per-user", Section: "server", Default: "5", Help: "login attempts allowed per user name per minute (burst; refills continuously)", value: (*intValue)(&c.Server.LoginPerUser)},
		{Name: "max-jobs", Section: "server", Default: "1", Help: "analyses the server runs at once (more wait in a queue)", value: (*intValue)(&c.Server.MaxJobs)},

		{Name: "db", Section: "store", Default: "", Help: "event library database (SQLite file); empty: $CHORUS_DB, else chorus.db in the current directory", value: (*stringValue)(&c.Store.DB)},

		{Name: "nats", Section: "live", Default: "", Help: "NATS server URL to consume posts from in live mode (JetStream, durable consumer); empty: no NATS", value: (*stringValue)(&c.Live.NATS)},
		{Name: "nats-embedded", Section: "live", Default: "false", Help: "start an embedded NATS server with JetStream (single-box setup; clients connect to --nats, default nats://127.0.0.1:4222)", value: (*boolValue)(&c.Live.NATSEmbedded)},
		{Name: "nats-dir", Section: "live", Default: "", Help: "JetStream storage directory of the embedded NATS server (empty: nats beside the database)", value: (*stringValue)(&c.Live.NATSDir)},
		{Name: "nats-stream", Section: "live", Default: "CHORUS", Help: "JetStream stream holding posts (created if missing)", value: (*stringValue)(&c.Live.NATSStream)},
		{Name: "nats-subject", Section: "live", Default: "chorus.posts", Help: "subject posts are published on; one message holds one or more records in any supported format", value: (*stringValue)(&c.Live.NATSSubject)},
		{Name: "nats-durable", Section: "live", Default: "chorus", Help: "durable consumer name (a restart resumes from its acknowledged position)", value: (*stringValue)(&c.Live.NATSDurable)},
		{Name: "kafka", Section: "live", Default: "", Help: "Kafka seed brokers (host:port list) to consume posts from in live mode; empty: no Kafka", value: (*stringsValue)(&c.Live.Kafka)},
		{Name: "kafka-topic", Section: "live", Default: "chorus-posts", Help: "Kafka topic holding posts", value: (*stringValue)(&c.Live.KafkaTopic)},
		{Name: "kafka-group", Section: "live", Default: "chorus", Help: "Kafka consumer group (a restart resumes from its committed offsets)", value: (*stringValue)(&c.Live.KafkaGroup)},
		{Name: "live-horizon", Section: "live", Default: "6h", Help: "sliding horizon of the live detector: co-actions older than this (in post time) are forgotten", value: (*durationValue)(&c.Live.Horizon)},
		{Name: "live-tick", Section: "live", Default: "10s", Help: "how often (wall time) the live detector re-tests significance and raises alerts", value: (*durationValue)(&c.Live.Tick)},
		{Name: "live-max-posts", Section: "live", Default: "2000000", Help: "most posts the live detector holds (bounded memory; the oldest leave first)", value: (*intValue)(&c.Live.MaxPosts)},
		{Name: "webhook", Section: "live", Default: "", Help: "URL that receives each live alert as a JSON POST (empty: dashboard and log only)", value: (*stringValue)(&c.Live.Webhook)},
	}
}

// BindFlags registers the parameters of the given sections on fs.
func (c *Config) BindFlags(fs *flag.FlagSet, sections ...string) {
	want := map[string]bool{}
	for _, s := range sections {
		want[s] = true
	}
	for _, p := range c.Params() {
		if want[p.Section] {
			fs.Var(p.value, p.Name, p.Help)
		}
	}
}

// LoadFile reads a YAML file of `name: value` pairs (the flag names; nested
// sections are allowed and flattened) into c. Unknown keys are errors.
func (c *Config) LoadFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config %s: %w", path, err)
	}
	return c.LoadYAML(path, b)
}

// LoadYAML is LoadFile on bytes; name is used in messages.
func (c *Config) LoadYAML(name string, b []byte) error {
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrInvalid, name, err)
	}
	flat := map[string]any{}
	flatten("", raw, flat)
	byName := map[string]Param{}
	for _, p := range c.Params() {
		byName[p.Name] = p
	}
	keys := make([]string, 0, len(flat))
	for k := range flat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p, ok := byName[k]
		if !ok {
			return fmt.Errorf("%w: %s: unknown key %q (`chorus params` lists them)", ErrInvalid, name, k)
		}
		v := flat[k]
		var s string
		switch x := v.(type) {
		case []any:
			parts := make([]string, len(x))
			for i, e := range x {
				parts[i] = fmt.Sprint(e)
			}
			s = strings.Join(parts, ",")
		case nil:
			s = ""
		default:
			s = fmt.Sprint(x)
		}
		if err := p.Set(s); err != nil {
			return fmt.Errorf("%w: %s: %s: %v", ErrInvalid, name, k, err)
		}
	}
	return nil
}

func flatten(prefix string, in map[string]any, out map[string]any) {
	for k, v := range in {
		if m, ok := v.(map[string]any); ok {
			// Sections nest for readability; keys are the flag names.
			flatten(prefix, m, out)
			continue
		}
		out[prefix+k] = v
	}
}

// Validate checks values that cannot be checked one at a time.
func (c *Config) Validate() error {
	if _, err := c.Location(); err != nil {
		return err
	}
	if _, err := c.ColumnMap(); err != nil {
		return err
	}
	if _, err := c.MemoryLimitBytes(1 << 30); err != nil {
		return err
	}
	if c.Ingest.MaxRecordBytes < 1024 {
		return fmt.Errorf("%w: max-record-bytes must be at least 1024", ErrInvalid)
	}
	if !(c.Coord.GroupP > 0 && c.Coord.GroupP < 1) {
		return fmt.Errorf("%w: group-p must be in (0, 1), got %g", ErrInvalid, c.Coord.GroupP)
	}
	if c.Coord.MemberP < 0 || c.Coord.MemberP >= 1 {
		return fmt.Errorf("%w: member-p must be in [0, 1), got %g", ErrInvalid, c.Coord.MemberP)
	}
	if c.Coord.GroupTruss < 3 || c.Coord.GroupResamples < 0 || c.Coord.GroupMaxTies < 0 {
		return fmt.Errorf("%w: group-truss must be at least 3, group-resamples and group-max-ties at least 0", ErrInvalid)
	}
	if c.Coord.GroupMinAccounts < 3 {
		return fmt.Errorf("%w: group-min-accounts must be at least 3", ErrInvalid)
	}
	return nil
}

// Location resolves the tz parameter.
func (c *Config) Location() (*time.Location, error) {
	if c.Ingest.TZ == "" || strings.EqualFold(c.Ingest.TZ, "UTC") {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(c.Ingest.TZ)
	if err != nil {
		return nil, fmt.Errorf("%w: tz %q: %v", ErrInvalid, c.Ingest.TZ, err)
	}
	return loc, nil
}

// ColumnMap parses the map parameter ("field=column,...").
func (c *Config) ColumnMap() (map[string]string, error) {
	if strings.TrimSpace(c.Ingest.Map) == "" {
		return nil, nil
	}
	out := map[string]string{}
	for _, kv := range strings.Split(c.Ingest.Map, ",") {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("%w: map entry %q is not field=column", ErrInvalid, kv)
		}
		out[k] = v
	}
	return out, nil
}

// Snapshot returns every parameter's current value by name, for run.json
// and the report's methods section.
func (c *Config) Snapshot() map[string]string {
	out := map[string]string{}
	for _, p := range c.Params() {
		out[p.Name] = p.Value()
	}
	return out
}
