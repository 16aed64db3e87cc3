package stance

import (
	_ "embed"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"math/bits"
	"os"
	"sync"
)

// modelVersion is the model file format version.
const modelVersion = 1

// Model is a trained stance classifier: two linear heads (attribution,
// orientation) over hashed character n-grams and rule cues. Load it with
// LoadModel or DefaultModel; Classify is safe for concurrent use.
type Model struct {
	file  modelFile
	rules *Rules
	fs    featureSpace
	// The weights are kept compact and quantized so a post's lookups stay
	// in cache: present has one bit per feature index, rank[i] counts the
	// set bits before word i, and w[head] holds K int8 weights per present
	// feature in index order (weight = w × scale[head]).
	present []uint64
	rank    []uint32
	w       [2][]int8
	scale   [2]float32
	bias    [2][]float32
	pool    sync.Pool
}

// modelFile is the JSON form.
type modelFile struct {
	Version int `json:"version"`
	// Kind is "logreg" (multinomial logistic regression) or "cnb"
	// (complement naive Bayes).
	Kind     string `json:"kind"`
	HashBits uint   `json:"hash_bits"`
	// Lexicon is a fingerprint of the lexicons the cue features refer to;
	// a model trained with other lexicons is refused.
	Lexicon string `json:"lexicon"`
	// Features lists the feature indices with non-zero weights, as
	// base64 of unsigned varint deltas.
	Features    string    `json:"features"`
	Attribution modelHead `json:"attribution"`
	Orientation modelHead `json:"orientation"`
	// Info records how the model was trained (free-form, for reports).
	Info map[string]any `json:"info,omitempty"`
}

type modelHead struct {
	Classes []string  `json:"classes"`
	Bias    []float32 `json:"bias"`
	// Scale and Weights: weight = int8 × Scale, base64 of len(features)×K
	// bytes, row-major by feature.
	Scale   float32 `json:"scale"`
	Weights string  `json:"weights"`
}

//go:embed model_default.json
var defaultModelJSON []byte

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// DefaultModel returns the model trained on the training split of the
// labelled set and embedded in the binary (built once, shared).
func DefaultModel() (*Model, error) {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = ParseModel(defaultModelJSON)
		if defaultErr != nil {
			defaultErr = fmt.Errorf("embedded model: %w", defaultErr)
		}
	})
	return defaultModel, defaultErr
}

// LoadModel reads a model file written by `chorus stance train`.
func LoadModel(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load stance model: %w", err)
	}
	m, err := ParseModel(b)
	if err != nil {
		return nil, fmt.Errorf("load stance model %s: %w", path, err)
	}
	return m, nil
}

// ParseModel decodes a model from its JSON form.
func ParseModel(b []byte) (*Model, error) {
	var f modelFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	return newModel(f, NewRules())
}

// lexiconFingerprint identifies the lexicon layout (group names, kinds and
// phrases), which the cue features depend on.
func lexiconFingerprint() string {
	h := fnv.New64a()
	for _, g := range lexicon {
		fmt.Fprintf(h, "%s|%s|%s|%v|", g.name, g.kind, g.lang, g.weak)
		for _, p := range g.phrases {
			fmt.Fprintf(h, "%s;", p)
		}
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

func newModel(f modelFile, rules *Rules) (*Model, error) {
	if f.Version != modelVersion {
		return nil, fmt.Errorf("%w: version %d, this chorus reads %d (retrain with `chorus stance train`)", ErrModel, f.Version, modelVersion)
	}
	if f.Lexicon != lexiconFingerprint() {
		return nil, fmt.Errorf("%w: trained with other lexicons (fingerprint %s, now %s); retrain with `chorus stance train`", ErrModel, f.Lexicon, lexiconFingerprint())
	}
	if f.HashBits < 8 || f.HashBits > 24 {
		return nil, fmt.Errorf("%w: hash_bits %d out of range 8..24", ErrModel, f.HashBits)
	}
	m := &Model{file: f, rules: rules, fs: featureSpace{hashBits: f.HashBits, groups: len(lexicon)}}
	raw, err := base64.StdEncoding.DecodeString(f.Features)
	if err != nil {
		return nil, fmt.Errorf("%w: features: %v", ErrModel, err)
	}
	var idx []uint32
	var cur uint64
	dim := uint64(m.fs.dim())
	for len(raw) > 0 {
		d, n := binary.Uvarint(raw)
		if n <= 0 {
			return nil, fmt.Errorf("%w: features: bad varint", ErrModel)
		}
		raw = raw[n:]
		cur += d
		if cur >= dim {
			return nil, fmt.Errorf("%w: feature %d outside dimension %d", ErrModel, cur, dim)
		}
		idx = append(idx, uint32(cur))
	}
	for h, head := range []modelHead{f.Attribution, f.Orientation} {
		want := AttributionClasses[:]
		if h == 1 {
			want = OrientationClasses[:]
		}
		if len(head.Classes) != len(want) || len(head.Bias) != len(want) {
			return nil, fmt.Errorf("%w: head %d has %d classes, want %v", ErrModel, h, len(head.Classes), want)
		}
		for i := range want {
			if head.Classes[i] != want[i] {
				return nil, fmt.Errorf("%w: head %d class %d is %q, want %q", ErrModel, h, i, head.Classes[i], want[i])
			}
		}
		k := len(want)
		wb, err := base64.StdEncoding.DecodeString(head.Weights)
		if err != nil || len(wb) != len(idx)*k {
			return nil, fmt.Errorf("%w: head %d weights: %d bytes for %d features × %d classes", ErrModel, h, len(wb), len(idx), k)
		}
		if math.IsNaN(float64(head.Scale)) || math.IsInf(float64(head.Scale), 0) {
			return nil, fmt.Errorf("%w: head %d scale is not finite", ErrModel, h)
		}
		m.w[h] = make([]int8, len(wb))
		for j, b := range wb {
			m.w[h][j] = int8(b)
		}
		m.scale[h] = head.Scale
		m.bias[h] = append([]float32(nil), head.Bias...)
	}
	m.present = make([]uint64, dim/64+1)
	for _, ix := range idx {
		m.present[ix>>6] |= 1 << (ix & 63)
	}
	m.rank = make([]uint32, len(m.present))
	var n uint32
	for i, wd := range m.present {
		m.rank[i] = n
		n += uint32(bits.OnesCount64(wd))
	}
	m.pool.New = func() any { return &featScratch{} }
	return m, nil
}

// Kind is "logreg" or "cnb".
func (m *Model) Kind() string { return m.file.Kind }

// Info returns the training record stored in the model file.
func (m *Model) Info() map[string]any { return m.file.Info }

// Classify classifies one post. lang is "ar", "en", "fr", another code, or
// "" (guessed from the script). The cues are the rule cues.
func (m *Model) Classify(text, lang string) Result {
	fsc := m.pool.Get().(*featScratch)
	feats, _ := m.rules.featurize(m.fs, fsc, text, lang, false)
	var pa [4]float64
	var po [3]float64
	m.scoreHead(0, feats, pa[:])
	m.scoreHead(1, feats, po[:])
	res := Result{}
	ia, io := argmaxF(pa[:]), argmaxF(po[:])
	res.Attribution, res.Orientation = AttributionClasses[ia], OrientationClasses[io]
	res.Confidence = pa[ia]
	if len(fsc.rs.cues) > 0 {
		res.Cues = append(make([]Cue, 0, len(fsc.rs.cues)), fsc.rs.cues...)
	}
	m.pool.Put(fsc)
	return res
}

// scoreHead writes softmax(bias + w·x) of head h into out.
func (m *Model) scoreHead(h int, feats []feat, out []float64) {
	k := len(out)
	var acc [4]float32
	w := m.w[h]
	for _, f := range feats {
		wd := f.idx >> 6
		if int(wd) >= len(m.present) {
			continue
		}
		word, bit := m.present[wd], f.idx&63
		if word>>bit&1 == 0 {
			continue
		}
		r := int(m.rank[wd]) + bits.OnesCount64(word&(1<<bit-1))
		row := w[r*k : r*k+k]
		for c := range k {
			acc[c] += float32(row[c]) * f.val
		}
	}
	for c := range out {
		out[c] = float64(m.bias[h][c]) + float64(acc[c]*m.scale[h])
	}
	softmax(out)
}

func softmax(x []float64) {
	mx := x[0]
	for _, v := range x {
		mx = max(mx, v)
	}
	var sum float64
	for i, v := range x {
		x[i] = math.Exp(v - mx)
		sum += x[i]
	}
	for i := range x {
		x[i] /= sum
	}
}

func argmaxF(x []float64) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}
