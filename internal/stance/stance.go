// Package stance classifies, per post, what the post says about who is
// responsible for a violent event (attribution: asserts, speculates, denies
// or none) and how it regards the group and the attack (orientation:
// supportive, opposing or neutral), for Arabic, English and French.
//
// Two classifiers share one API. Rules is a transparent rule-and-lexicon
// baseline: every decision is explained by the cues that fired, with their
// byte spans in the original text. Model is a small multinomial logistic
// regression (or complement naive Bayes) over hashed character n-grams of
// the normalized text plus the rule cues; it still reports the rule cues.
// The label definitions are in docs/stance-guidelines.md and the measured
// accuracy in docs/stance.md.
//
// Both classifiers are safe for concurrent use once built.
package stance

import "errors"

// Attribution classes.
const (
	Asserts    = "asserts"    // the post presents the group as responsible
	Speculates = "speculates" // responsibility suggested, hedged, asked or left open
	Denies     = "denies"     // the post rejects the group's responsibility
	None       = "none"       // nothing about who did a specific event
)

// Orientation classes.
const (
	Supportive = "supportive" // celebration, praise, the group's own naming
	Opposing   = "opposing"   // condemnation, pejorative naming, mockery
	Neutral    = "neutral"    // reporting or unrelated
)

// AttributionClasses lists the attribution classes in their fixed index
// order (the order of [4]int counts and model outputs).
var AttributionClasses = [4]string{Asserts, Speculates, Denies, None}

// OrientationClasses lists the orientation classes in index order.
var OrientationClasses = [3]string{Supportive, Opposing, Neutral}

// AttributionIndex returns the index of an attribution class, or -1.
func AttributionIndex(s string) int {
	for i, c := range AttributionClasses {
		if c == s {
			return i
		}
	}
	return -1
}

// OrientationIndex returns the index of an orientation class, or -1.
func OrientationIndex(s string) int {
	for i, c := range OrientationClasses {
		if c == s {
			return i
		}
	}
	return -1
}

// Sentinel errors.
var (
	// ErrModel: a model file is missing, malformed or of another version.
	ErrModel = errors.New("invalid stance model")
	// ErrLabels: a labelled CSV is malformed (missing column, unknown class).
	ErrLabels = errors.New("invalid labelled data")
)

// Result is the classification of one post.
type Result struct {
	Attribution string `json:"attribution"`
	Orientation string `json:"orientation"`
	// Confidence is in [0,1]. For Model it is the predicted probability of
	// the attribution class; for Rules a fixed heuristic of how many cues
	// agree (not a calibrated probability; see docs/stance.md).
	Confidence float64 `json:"confidence"`
	// Cues are the lexicon cues that fired, in text order (at most MaxCues).
	Cues []Cue `json:"cues"`
}

// Cue is one lexicon match. Start and End are byte offsets into the
// original text passed to Classify (text[Start:End] is the matched
// phrase), never into the normalized form.
type Cue struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Lang  string `json:"lang"`
}

// MaxCues bounds the cues reported per post (decisions use all matches).
const MaxCues = 64

// Cue kinds.
const (
	KindGroup     = "group"         // neutral name of the group (ISIS, IS, تنظيم الدولة)
	KindGroupPro  = "group-pro"     // the group's own or admiring name (Dawlah, الدولة الإسلامية)
	KindGroupAnti = "group-anti"    // pejorative name (Daesh, Daech, داعش, khawarij)
	KindChannel   = "claim-channel" // the group's claim channels and formats (Amaq, Wilayat X, istishhadi op)
	KindClaim     = "claim"         // claim of responsibility (claimed, تبنى, revendiqué)
	KindAgency    = "agency"        // first-person agency ("we struck"), or group next to an event term (derived)
	KindEvent     = "event"         // an attack or operation term (attack, تفجير, attentat)
	KindHedge     = "hedge"         // maybe, reportedly, ربما, peut-être
	KindDeny      = "deny"          // false flag, nothing to do with, لا علاقة
	KindQuestion  = "question"      // ? ؟ هل est-ce
	KindNegator   = "negator"       // not, لم, ne … pas (reported only when it negates a cue)
	KindNegated   = "negated"       // a cue cancelled or flipped by a preceding negator
	KindPraise    = "praise"        // praise and blessing (تقبله الله, alhamdulillah, blessed)
	KindEnemy     = "enemy-slur"    // the group's words for its enemies (rafidah, crusaders, مرتدين)
	KindCondemn   = "condemn"       // condemnation (terrorists, cowardly, إرهاب)
	KindOpen      = "open"          // responsibility explicitly open ("no claim yet", "who is behind")
)

// DefaultClassifier returns the classifier chorus uses when none is named,
// and its name. It is the rules: on the held-out split the trained model
// does not beat them on attribution macro-F1, the primary task (see
// docs/stance.md for the numbers); the embedded model stays available as
// DefaultModel.
func DefaultClassifier() (Classifier, string, error) {
	return NewRules(), "rules", nil
}

// ByName returns the classifier a --model / --stance-model value names:
// "" or "auto" (DefaultClassifier), "rules", "default" (the embedded
// trained model) or a model file written by `chorus stance train`.
func ByName(name string) (Classifier, string, error) {
	switch name {
	case "", "auto":
		return DefaultClassifier()
	case "rules":
		return NewRules(), "rules", nil
	case "default", "model":
		m, err := DefaultModel()
		return m, "model (embedded)", err
	}
	m, err := LoadModel(name)
	if err != nil {
		return nil, "", err
	}
	return m, "model " + name, nil
}
