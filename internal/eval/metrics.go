package eval

import (
	"math"
	"slices"
)

// PRF is precision, recall and F1 with the counts behind them. Precision
// is 0 when nothing was predicted, recall 0 when nothing is true.
type PRF struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
}

func newPRF(tp, fp, fn int) PRF {
	r := PRF{TP: tp, FP: fp, FN: fn}
	if tp+fp > 0 {
		r.Precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r.Recall = float64(tp) / float64(tp+fn)
	}
	if r.Precision+r.Recall > 0 {
		r.F1 = 2 * r.Precision * r.Recall / (r.Precision + r.Recall)
	}
	return r
}

func choose2(n int) float64 { return float64(n) * float64(n-1) / 2 }

// adjustedRand is the Hubert-Arabie adjusted Rand index of two labelings of
// the same items. When both labelings are trivial in the same way (the
// expected index equals the maximum), it is 1 if they are identical and 0
// otherwise.
func adjustedRand(a, b []int) float64 {
	if len(a) != len(b) {
		panic("BUG: adjustedRand on labelings of different length")
	}
	type cell struct{ x, y int }
	n := len(a)
	if n < 2 {
		return 1
	}
	cells := map[cell]int{}
	ra, rb := map[int]int{}, map[int]int{}
	for i := range a {
		cells[cell{a[i], b[i]}]++
		ra[a[i]]++
		rb[b[i]]++
	}
	var sumCells, sumA, sumB float64
	for _, c := range cells {
		sumCells += choose2(c)
	}
	for _, c := range ra {
		sumA += choose2(c)
	}
	for _, c := range rb {
		sumB += choose2(c)
	}
	expected := sumA * sumB / choose2(n)
	maxIdx := (sumA + sumB) / 2
	if maxIdx == expected {
		if sumCells == sumA && sumCells == sumB {
			return 1
		}
		return 0
	}
	return (sumCells - expected) / (maxIdx - expected)
}

// rocAUC is the area under the ROC curve of scores for positives against
// negatives (Mann-Whitney U with average ranks for ties); NaN scores are
// dropped. ok is false without both classes.
func rocAUC(scores []float64, pos []bool) (auc float64, ok bool) {
	type sc struct {
		s float64
		p bool
	}
	v := make([]sc, 0, len(scores))
	for i, s := range scores {
		if !math.IsNaN(s) {
			v = append(v, sc{s, pos[i]})
		}
	}
	slices.SortFunc(v, func(x, y sc) int {
		switch {
		case x.s < y.s:
			return -1
		case x.s > y.s:
			return 1
		}
		return 0
	})
	var np, nn int
	var rankSum float64
	for i := 0; i < len(v); {
		j := i
		for j < len(v) && v[j].s == v[i].s {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			if v[k].p {
				np++
				rankSum += avg
			} else {
				nn++
			}
		}
		i = j
	}
	if np == 0 || nn == 0 {
		return 0, false
	}
	u := rankSum - float64(np)*float64(np+1)/2
	return u / (float64(np) * float64(nn)), true
}

// classScores returns accuracy and macro-F1 over the classes that occur in
// truth or prediction.
func classScores(truth, pred []string) (acc, macro float64) {
	if len(truth) == 0 {
		return 0, 0
	}
	classes := map[string]bool{}
	tp, fp, fn := map[string]int{}, map[string]int{}, map[string]int{}
	correct := 0
	for i := range truth {
		classes[truth[i]] = true
		classes[pred[i]] = true
		if truth[i] == pred[i] {
			correct++
			tp[truth[i]]++
		} else {
			fp[pred[i]]++
			fn[truth[i]]++
		}
	}
	names := make([]string, 0, len(classes))
	for c := range classes {
		names = append(names, c)
	}
	slices.Sort(names) // fixed summation order
	sum := 0.0
	for _, c := range names {
		sum += newPRF(tp[c], fp[c], fn[c]).F1
	}
	return float64(correct) / float64(len(truth)), sum / float64(len(classes))
}
