package stance

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// Example is one labelled post (a row of testdata/labelled.csv).
type Example struct {
	ID, Source, Lang, Text string
	Attribution            string
	Orientation            string
	// Split is "train" or "test" (the held-out part).
	Split string
}

// labelledColumns are the required columns of a labelled CSV.
var labelledColumns = []string{"id", "source", "lang", "text", "attribution", "orientation", "split"}

// ReadLabelled reads a labelled CSV with the columns
// id,source,lang,text,attribution,orientation,split (any order, extra
// columns ignored). Unknown class names are an error wrapping ErrLabels.
func ReadLabelled(r io.Reader) ([]Example, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrLabels, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, c := range labelledColumns {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%w: missing column %q (need %v)", ErrLabels, c, labelledColumns)
		}
	}
	var out []Example
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrLabels, err)
		}
		get := func(c string) string {
			if i := col[c]; i < len(rec) {
				return rec[i]
			}
			return ""
		}
		ex := Example{ID: get("id"), Source: get("source"), Lang: get("lang"), Text: get("text"),
			Attribution: get("attribution"), Orientation: get("orientation"), Split: get("split")}
		if AttributionIndex(ex.Attribution) < 0 {
			return nil, fmt.Errorf("%w: record %d: attribution %q is not one of %v", ErrLabels, line, ex.Attribution, AttributionClasses)
		}
		if OrientationIndex(ex.Orientation) < 0 {
			return nil, fmt.Errorf("%w: record %d: orientation %q is not one of %v", ErrLabels, line, ex.Orientation, OrientationClasses)
		}
		out = append(out, ex)
	}
	return out, nil
}

// Scores are accuracy and macro-F1 of one labelling task on a set.
type Scores struct {
	N        int     `json:"n"`
	Accuracy float64 `json:"accuracy"`
	// MacroF1 averages F1 over the classes present in the gold labels (a
	// class with no gold example and no prediction is left out; one that
	// is predicted but absent from gold counts as F1 0).
	MacroF1 float64 `json:"macro_f1"`
}

// Score computes accuracy and macro-F1 of pred against gold over classes.
func Score(gold, pred []string, classes []string) Scores {
	s := Scores{N: len(gold)}
	if len(gold) == 0 {
		return s
	}
	correct := 0
	for i := range gold {
		if gold[i] == pred[i] {
			correct++
		}
	}
	s.Accuracy = float64(correct) / float64(len(gold))
	var sum float64
	k := 0
	for _, c := range classes {
		tp, fp, fn := 0, 0, 0
		for i := range gold {
			switch {
			case gold[i] == c && pred[i] == c:
				tp++
			case pred[i] == c:
				fp++
			case gold[i] == c:
				fn++
			}
		}
		if tp+fn == 0 && fp == 0 {
			continue
		}
		k++
		if tp > 0 {
			sum += 2 * float64(tp) / float64(2*tp+fp+fn)
		}
	}
	if k > 0 {
		s.MacroF1 = sum / float64(k)
	}
	return s
}

// Classifier is what Evaluate needs: Rules and Model both satisfy it.
type Classifier interface {
	Classify(text, lang string) Result
}

// Evaluation holds the scores of one classifier on one set, overall and per
// language.
type Evaluation struct {
	Attribution       Scores            `json:"attribution"`
	Orientation       Scores            `json:"orientation"`
	AttributionByLang map[string]Scores `json:"attribution_by_lang"`
	OrientationByLang map[string]Scores `json:"orientation_by_lang"`
}

// Evaluate classifies exs with c and scores both tasks.
func Evaluate(c Classifier, exs []Example) Evaluation {
	ga, pa, go_, po := make([]string, len(exs)), make([]string, len(exs)), make([]string, len(exs)), make([]string, len(exs))
	for i, ex := range exs {
		r := c.Classify(ex.Text, ex.Lang)
		ga[i], pa[i], go_[i], po[i] = ex.Attribution, r.Attribution, ex.Orientation, r.Orientation
	}
	return scoreAll(exs, ga, pa, go_, po)
}

// EvaluateMajority scores the majority-class baseline: the most frequent
// class of train (per task), predicted for every example of exs.
func EvaluateMajority(train, exs []Example) Evaluation {
	var ca [4]int
	var co [3]int
	for _, ex := range train {
		ca[AttributionIndex(ex.Attribution)]++
		co[OrientationIndex(ex.Orientation)]++
	}
	ma, mo := AttributionClasses[argmax(ca[:])], OrientationClasses[argmax(co[:])]
	ga, pa, go_, po := make([]string, len(exs)), make([]string, len(exs)), make([]string, len(exs)), make([]string, len(exs))
	for i, ex := range exs {
		ga[i], pa[i], go_[i], po[i] = ex.Attribution, ma, ex.Orientation, mo
	}
	return scoreAll(exs, ga, pa, go_, po)
}

func argmax(xs []int) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

func scoreAll(exs []Example, ga, pa, go_, po []string) Evaluation {
	ev := Evaluation{
		Attribution:       Score(ga, pa, AttributionClasses[:]),
		Orientation:       Score(go_, po, OrientationClasses[:]),
		AttributionByLang: map[string]Scores{},
		OrientationByLang: map[string]Scores{},
	}
	byLang := map[string][]int{}
	for i, ex := range exs {
		byLang[ex.Lang] = append(byLang[ex.Lang], i)
	}
	for lang, idx := range byLang {
		pick := func(xs []string) []string {
			out := make([]string, len(idx))
			for k, i := range idx {
				out[k] = xs[i]
			}
			return out
		}
		ev.AttributionByLang[lang] = Score(pick(ga), pick(pa), AttributionClasses[:])
		ev.OrientationByLang[lang] = Score(pick(go_), pick(po), OrientationClasses[:])
	}
	return ev
}

// SplitExamples returns the train and held-out (test) parts.
func SplitExamples(exs []Example) (train, test []Example) {
	for _, ex := range exs {
		if ex.Split == "test" {
			test = append(test, ex)
		} else {
			train = append(train, ex)
		}
	}
	return train, test
}
