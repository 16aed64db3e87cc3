package stance

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"slices"
)

// TrainOptions control Train. The zero value trains with the defaults.
type TrainOptions struct {
	// HashBits is the size of the n-gram hash space (2^HashBits); default 18.
	HashBits uint
	// Kind forces "logreg" or "cnb"; empty picks the better one by
	// cross-validation on the training examples.
	Kind string
	// Folds for cross-validation; default 5.
	Folds int
	// MinDF drops n-gram buckets seen in fewer training posts; default 2.
	MinDF int
	// Epochs of full-batch AdaGrad for logreg; default 300.
	Epochs int
}

func (o *TrainOptions) defaults() {
	if o.HashBits == 0 {
		o.HashBits = 18
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.MinDF == 0 {
		o.MinDF = 2
	}
	if o.Epochs == 0 {
		o.Epochs = 300
	}
}

// candidate is one learner configuration tried in cross-validation.
type candidate struct {
	Kind  string  `json:"kind"`
	Param float64 `json:"param"` // L2 strength (logreg) or smoothing alpha (cnb)
	// CV is the mean over folds of (attribution macro-F1 + orientation
	// macro-F1) / 2.
	CV float64 `json:"cv_macro_f1"`
}

// TrainReport records what Train did.
type TrainReport struct {
	Examples   int         `json:"examples"`
	Features   int         `json:"features"`
	Candidates []candidate `json:"candidates"`
	Chosen     candidate   `json:"chosen"`
}

// row is one featurized example.
type row struct {
	feats []feat
	attr  int
	orien int
}

// Train fits a model on exs (use the training split only). It is
// deterministic: no randomness, fixed iteration order.
func Train(exs []Example, opts TrainOptions) (*Model, TrainReport, error) {
	opts.defaults()
	var rep TrainReport
	if len(exs) < opts.Folds*2 {
		return nil, rep, fmt.Errorf("%w: %d training examples, need at least %d", ErrLabels, len(exs), opts.Folds*2)
	}
	rules := NewRules()
	fs := featureSpace{hashBits: opts.HashBits, groups: len(lexicon)}
	rows := make([]row, len(exs))
	var fsc featScratch
	for i, ex := range exs {
		f, _ := rules.featurize(fs, &fsc, ex.Text, ex.Lang, true)
		rows[i] = row{feats: slices.Clone(f), attr: AttributionIndex(ex.Attribution), orien: OrientationIndex(ex.Orientation)}
	}
	rep.Examples = len(rows)

	cands := []candidate{{Kind: "logreg", Param: 1e-4}, {Kind: "logreg", Param: 1e-3}, {Kind: "logreg", Param: 1e-2}, {Kind: "cnb", Param: 0.3}, {Kind: "cnb", Param: 1}}
	if opts.Kind != "" {
		var keep []candidate
		for _, c := range cands {
			if c.Kind == opts.Kind {
				keep = append(keep, c)
			}
		}
		if keep == nil {
			return nil, rep, fmt.Errorf("%w: unknown learner %q (logreg or cnb)", ErrModel, opts.Kind)
		}
		cands = keep
	}
	fold := make([]int, len(exs))
	for i, ex := range exs {
		h := fnv.New32a()
		io.WriteString(h, ex.ID)
		fold[i] = int(h.Sum32() % uint32(opts.Folds))
	}
	best := -1
	for ci := range cands {
		var sum float64
		for k := 0; k < opts.Folds; k++ {
			var tr, te []row
			for i, r := range rows {
				if fold[i] == k {
					te = append(te, r)
				} else {
					tr = append(tr, r)
				}
			}
			lm := fit(tr, fs, cands[ci], opts)
			var ga, pa, gor, por []string
			for _, r := range te {
				a, o := lm.predict(r.feats)
				ga, pa = append(ga, AttributionClasses[r.attr]), append(pa, AttributionClasses[a])
				gor, por = append(gor, OrientationClasses[r.orien]), append(por, OrientationClasses[o])
			}
			sum += (Score(ga, pa, AttributionClasses[:]).MacroF1 + Score(gor, por, OrientationClasses[:]).MacroF1) / 2
		}
		cands[ci].CV = sum / float64(opts.Folds)
		if best < 0 || cands[ci].CV > cands[best].CV {
			best = ci
		}
	}
	rep.Candidates = cands
	rep.Chosen = cands[best]
	lm := fit(rows, fs, rep.Chosen, opts)
	rep.Features = len(lm.idx)
	f := lm.file(fs)
	f.Info = map[string]any{"examples": rep.Examples, "features": rep.Features, "candidates": rep.Candidates,
		"chosen": rep.Chosen, "hash_bits": opts.HashBits, "min_df": opts.MinDF, "folds": opts.Folds}
	m, err := newModel(f, rules)
	if err != nil {
		return nil, rep, fmt.Errorf("BUG: trained model does not load: %w", err)
	}
	return m, rep, nil
}

// linear is a fitted pair of heads over a compact feature index.
type linear struct {
	kind string
	idx  []uint32         // compact -> global feature index (sorted)
	pos  map[uint32]int32 // global -> compact
	w    [2][]float64     // compact×K
	bias [2][]float64
}

var headK = [2]int{4, 3}

func (l *linear) label(r *row, h int) int {
	if h == 0 {
		return r.attr
	}
	return r.orien
}

// fit trains both heads on rows.
func fit(rows []row, fs featureSpace, c candidate, opts TrainOptions) *linear {
	l := &linear{kind: c.Kind, pos: map[uint32]int32{}}
	df := map[uint32]int{}
	for _, r := range rows {
		for _, f := range r.feats {
			df[f.idx]++
		}
	}
	for ix, n := range df {
		if ix >= fs.hashDim() || n >= opts.MinDF {
			l.idx = append(l.idx, ix)
		}
	}
	slices.Sort(l.idx)
	for i, ix := range l.idx {
		l.pos[ix] = int32(i)
	}
	crows := make([][]feat, len(rows)) // compact features
	for i, r := range rows {
		for _, f := range r.feats {
			if p, ok := l.pos[f.idx]; ok {
				crows[i] = append(crows[i], feat{uint32(p), f.val})
			}
		}
	}
	for h := 0; h < 2; h++ {
		k := headK[h]
		labels := make([]int, len(rows))
		for i := range rows {
			labels[i] = l.label(&rows[i], h)
		}
		if c.Kind == "cnb" {
			l.w[h], l.bias[h] = fitCNB(crows, labels, len(l.idx), k, c.Param)
		} else {
			l.w[h], l.bias[h] = fitLogReg(crows, labels, len(l.idx), k, c.Param, opts.Epochs)
		}
	}
	return l
}

// predict classifies a featurized (global-index) row.
func (l *linear) predict(feats []feat) (int, int) {
	var out [2]int
	for h := 0; h < 2; h++ {
		k := headK[h]
		s := make([]float64, k)
		copy(s, l.bias[h])
		for _, f := range feats {
			if p, ok := l.pos[f.idx]; ok {
				for c := 0; c < k; c++ {
					s[c] += l.w[h][int(p)*k+c] * float64(f.val)
				}
			}
		}
		out[h] = argmaxF(s)
	}
	return out[0], out[1]
}

// classWeights returns balanced class weights n/(k·n_c) (0 for absent
// classes).
func classWeights(labels []int, k int) []float64 {
	cnt := make([]float64, k)
	for _, y := range labels {
		cnt[y]++
	}
	w := make([]float64, k)
	for c := range w {
		if cnt[c] > 0 {
			w[c] = float64(len(labels)) / (float64(k) * cnt[c])
		}
	}
	return w
}

// fitLogReg fits multinomial logistic regression with L2 penalty lambda by
// full-batch AdaGrad, class-balanced.
func fitLogReg(rows [][]feat, labels []int, nf, k int, lambda float64, epochs int) ([]float64, []float64) {
	w := make([]float64, nf*k)
	b := make([]float64, k)
	gw := make([]float64, nf*k)
	gb := make([]float64, k)
	aw := make([]float64, nf*k)
	ab := make([]float64, k)
	cw := classWeights(labels, k)
	p := make([]float64, k)
	const lr = 0.5
	n := float64(len(rows))
	for ep := 0; ep < epochs; ep++ {
		clear(gw)
		clear(gb)
		for i, r := range rows {
			copy(p, b)
			for _, f := range r {
				for c := 0; c < k; c++ {
					p[c] += w[int(f.idx)*k+c] * float64(f.val)
				}
			}
			softmax(p)
			y := labels[i]
			for c := 0; c < k; c++ {
				g := p[c]
				if c == y {
					g--
				}
				g *= cw[y] / n
				gb[c] += g
				for _, f := range r {
					gw[int(f.idx)*k+c] += g * float64(f.val)
				}
			}
		}
		for j := range w {
			g := gw[j] + lambda*w[j]
			aw[j] += g * g
			if aw[j] > 0 {
				w[j] -= lr * g / math.Sqrt(aw[j])
			}
		}
		for c := range b {
			ab[c] += gb[c] * gb[c]
			if ab[c] > 0 {
				b[c] -= lr * gb[c] / math.Sqrt(ab[c])
			}
		}
	}
	return w, b
}

// fitCNB fits weight-normalized complement naive Bayes (Rennie et al.
// 2003) and returns it as a linear scorer: score_c = -Σ x_i w_ci (the class
// whose complement fits worst wins), scaled by 10 so the softmax of the
// scores is not flat (the scale does not change the argmax).
func fitCNB(rows [][]feat, labels []int, nf, k int, alpha float64) ([]float64, []float64) {
	tot := make([]float64, nf)
	per := make([]float64, nf*k)
	for i, r := range rows {
		for _, f := range r {
			tot[f.idx] += float64(f.val)
			per[int(f.idx)*k+labels[i]] += float64(f.val)
		}
	}
	w := make([]float64, nf*k)
	for c := 0; c < k; c++ {
		var sum float64
		for j := 0; j < nf; j++ {
			sum += tot[j] - per[j*k+c]
		}
		var norm float64
		for j := 0; j < nf; j++ {
			theta := (alpha + tot[j] - per[j*k+c]) / (alpha*float64(nf) + sum)
			w[j*k+c] = math.Log(theta)
			norm += math.Abs(w[j*k+c])
		}
		for j := 0; j < nf; j++ {
			w[j*k+c] = -10 * w[j*k+c] / norm
		}
	}
	return w, make([]float64, k)
}

// file quantizes the fitted heads into the JSON form.
func (l *linear) file(fs featureSpace) modelFile {
	f := modelFile{Version: modelVersion, Kind: l.kind, HashBits: fs.hashBits, Lexicon: lexiconFingerprint()}
	var buf []byte
	var prev uint32
	for _, ix := range l.idx {
		buf = binary.AppendUvarint(buf, uint64(ix-prev))
		prev = ix
	}
	f.Features = base64.StdEncoding.EncodeToString(buf)
	for h := 0; h < 2; h++ {
		k := headK[h]
		var mx float64
		for _, v := range l.w[h] {
			mx = max(mx, math.Abs(v))
		}
		scale := mx / 127
		if scale == 0 {
			scale = 1
		}
		q := make([]byte, len(l.w[h]))
		for j, v := range l.w[h] {
			q[j] = byte(int8(math.Round(v / scale)))
		}
		head := modelHead{Scale: float32(scale), Weights: base64.StdEncoding.EncodeToString(q)}
		for c := 0; c < k; c++ {
			head.Bias = append(head.Bias, float32(l.bias[h][c]))
			if h == 0 {
				head.Classes = append(head.Classes, AttributionClasses[c])
			} else {
				head.Classes = append(head.Classes, OrientationClasses[c])
			}
		}
		if h == 0 {
			f.Attribution = head
		} else {
			f.Orientation = head
		}
	}
	return f
}

// WriteJSON writes the model in the form LoadModel reads.
func (m *Model) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(&m.file)
}
