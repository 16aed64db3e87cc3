package model

// Layer is one kind of co-action in the multiplex account network.
type Layer uint8

// Layers. Each is a kind of shared object two accounts can act on within a
// time window.
const (
	LayerRepost     Layer = iota // retweet / forward of the same original
	LayerHashtag                 // the same normalized hashtag
	LayerHashtagSeq              // the same ordered sequence of >= N hashtags
	LayerURL                     // the same canonical URL
	LayerDomain                  // a URL on the same domain
	LayerText                    // the same normalized text
	LayerNearText                // a near-duplicate text (MinHash/LSH cluster)
	LayerImage                   // the same image (given hash or media key)
	LayerReply                   // a reply to the same post
	LayerMention                 // a mention of the same account
	LayerStaggered               // the same text over a long window (staggered automation)
	NumLayers
)

var layerNames = [NumLayers]string{"repost", "hashtag", "hashtag_seq", "url", "domain", "text", "near_text", "image", "reply", "mention", "staggered"}

// String returns the layer's name as used in flags and outputs.
func (l Layer) String() string {
	if l < NumLayers {
		return layerNames[l]
	}
	return "unknown"
}

// ParseLayer maps a name back to a Layer.
func ParseLayer(s string) (Layer, bool) {
	for i, n := range layerNames {
		if n == s {
			return Layer(i), true
		}
	}
	return 0, false
}

// LayerNames returns all layer names in order.
func LayerNames() []string { return layerNames[:] }

// Evidence is one co-action behind an edge: both accounts acted on Object
// (an ID in the layer's object space) in posts PostA and PostB (corpus post
// indices), DtMs apart.
type Evidence struct {
	Object uint32
	PostA  uint32
	PostB  uint32
	DtMs   int64
}

// Edge is a co-action edge between accounts A < B in one layer.
type Edge struct {
	A, B  uint32
	Layer Layer
	// Objects is the number of distinct objects co-acted on (the weight
	// when IDF weighting is off).
	Objects uint32
	// Weight is Objects, or the IDF-weighted sum over those objects.
	Weight float64
	// CoActions counts raw post pairs within the window.
	CoActions uint32
	// AFirst and BFirst count objects where A (resp. B) posted first.
	AFirst, BFirst uint32
	// MedianDtMs is the median over objects of the smallest gap.
	MedianDtMs int64
	// P is the edge's p-value under the permutation null; Q its
	// Benjamini–Hochberg q-value within the layer.
	P, Q     float64
	Evidence []Evidence
}

// Symmetry is 1 when both accounts lead equally often, 0 when one always
// leads.
func (e *Edge) Symmetry() float64 {
	t := e.AFirst + e.BFirst
	if t == 0 {
		return 1
	}
	d := float64(e.AFirst) - float64(e.BFirst)
	if d < 0 {
		d = -d
	}
	return 1 - d/float64(t)
}
