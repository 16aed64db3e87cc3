package eval

import (
	"math"
	"slices"
	"strconv"

	"github.com/chorus-osint/chorus/internal/synth"
)

// Report is the outcome of scoring one result directory. JSON field names
// are the `chorus eval --json` contract.
type Report struct {
	Accounts PRF `json:"accounts"`
	// OrganicFPRate is the share of organic accounts (neither planted nor
	// ignored) that were flagged.
	OrganicFPRate     float64  `json:"organic_fp_rate"`
	HyperactiveFPRate *float64 `json:"hyperactive_fp_rate,omitempty"`
	Flagged           int      `json:"flagged"`
	Planted           int      `json:"planted"`
	Organic           int      `json:"organic"`
	UnknownFlagged    int      `json:"unknown_flagged,omitempty"`
	Clusters          int      `json:"clusters"`
	// ARI is over flagged ∪ planted accounts; ARIFlagged over flagged
	// accounts only; ARIPlanted over planted accounts only. Unflagged
	// accounts are singletons on the predicted side, organic accounts
	// singletons on the true side.
	ARI        float64  `json:"ari"`
	ARIFlagged *float64 `json:"ari_flagged,omitempty"`
	ARIPlanted float64  `json:"ari_planted"`
	Purity     *float64 `json:"purity,omitempty"`

	ByKind  map[string]PRF         `json:"by_kind"`
	ByGroup []GroupScore           `json:"by_group"`
	ByLayer map[string]*LayerScore `json:"by_layer,omitempty"`
	EdgeAUC *float64               `json:"edge_auc,omitempty"`

	Stance     *StanceScore         `json:"stance,omitempty"`
	Indicators map[string]Indicator `json:"indicators"`
	// IndicatorsMissing lists truth values results.json gave no measure for.
	IndicatorsMissing []string `json:"indicators_missing,omitempty"`
	Notes             []string `json:"notes,omitempty"`
}

// GroupScore is one planted group's recall and where it went.
type GroupScore struct {
	ID     int     `json:"id"`
	Kind   string  `json:"kind"`
	Size   int     `json:"size"`
	Recall float64 `json:"recall"`
	// Clusters are the predicted clusters mapped to this group.
	Clusters []int `json:"clusters"`
}

// LayerScore tells which kinds a layer's significant edges found.
type LayerScore struct {
	Edges            int `json:"edges"`
	SignificantEdges int `json:"significant_edges"`
	// SameGroup is the number of significant edges joining two members of
	// one planted group; Precision = SameGroup / SignificantEdges.
	SameGroup int      `json:"same_group_edges"`
	Precision float64  `json:"precision"`
	AUC       *float64 `json:"auc,omitempty"`
	// ByKind: share of each kind's planted accounts touched by a
	// significant same-group edge of this layer.
	ByKind map[string]float64 `json:"by_kind"`
}

// StanceScore compares stance.csv with the labelled stance.
type StanceScore struct {
	Posts       int          `json:"posts"`
	Coverage    float64      `json:"coverage"`
	Accuracy    float64      `json:"accuracy"`
	MacroF1     float64      `json:"macro_f1"`
	Orientation *ClassScores `json:"orientation,omitempty"`
	Unknown     int          `json:"unknown_post_ids,omitempty"`
}

// ClassScores is accuracy and macro-F1 of one classification.
type ClassScores struct {
	Accuracy float64 `json:"accuracy"`
	MacroF1  float64 `json:"macro_f1"`
}

// Indicator is one event indicator's truth, measurement and absolute error.
type Indicator struct {
	Truth    float64  `json:"truth"`
	Measured float64  `json:"measured"`
	Error    float64  `json:"error"`
	RelError *float64 `json:"rel_error,omitempty"`
	Unit     string   `json:"unit,omitempty"`
}

// Evaluate scores r against l.
func Evaluate(l *synth.Labels, r *Result) *Report {
	rep := &Report{ByKind: map[string]PRF{}, Indicators: map[string]Indicator{}, Notes: slices.Clone(r.Notes)}
	ignored := map[string]bool{}
	for _, a := range l.Ignored {
		ignored[a] = true
	}
	inRange := func(id string) bool {
		v, err := strconv.ParseInt(id, 10, 64)
		return err == nil && v >= l.AccountIDs.First && v < l.AccountIDs.First+int64(l.AccountIDs.Count)
	}

	// predicted partition: first cluster wins for an account listed twice
	clusterOf := map[string]int{}
	var flagged []string
	for ci, c := range r.Clusters {
		for _, a := range c.Accounts {
			if _, dup := clusterOf[a]; dup || ignored[a] {
				continue
			}
			clusterOf[a] = ci
			flagged = append(flagged, a)
		}
	}
	slices.Sort(flagged)
	rep.Clusters = len(r.Clusters)
	rep.Flagged = len(flagged)
	rep.Planted = len(l.PlantedAccounts)
	rep.Organic = l.Accounts - len(l.PlantedAccounts) - len(l.Ignored)

	tp, fpOrg := 0, 0
	for _, a := range flagged {
		if _, ok := l.PlantedAccounts[a]; ok {
			tp++
		} else {
			fpOrg++
			if !inRange(a) {
				rep.UnknownFlagged++
			}
		}
	}
	rep.Accounts = newPRF(tp, fpOrg, len(l.PlantedAccounts)-tp)
	if rep.Organic > 0 {
		rep.OrganicFPRate = float64(fpOrg) / float64(rep.Organic)
	}
	if len(l.Hyperactive) > 0 {
		n := 0
		for _, h := range l.Hyperactive {
			if _, ok := clusterOf[h]; ok {
				n++
			}
		}
		v := float64(n) / float64(len(l.Hyperactive))
		rep.HyperactiveFPRate = &v
	}

	groupOf := func(a string) int {
		if pa, ok := l.PlantedAccounts[a]; ok {
			return pa.Group
		}
		return -1
	}
	kindOf := map[int]string{}
	size := map[int]int{}
	for _, g := range l.Groups {
		kindOf[g.ID] = g.Kind
		size[g.ID] = len(g.Members)
	}

	// map clusters to the group they overlap most (ties: lower group id)
	clusterGroup := make([]int, len(r.Clusters))
	overlapSum, clusteredSum := 0, 0
	for ci := range r.Clusters {
		cnt := map[int]int{}
		members := 0
		for _, a := range r.Clusters[ci].Accounts {
			if clusterOf[a] != ci || ignored[a] {
				continue
			}
			members++
			if g := groupOf(a); g >= 0 {
				cnt[g]++
			}
		}
		best, bestN := -1, 0
		for g, n := range cnt {
			if n > bestN || n == bestN && g < best {
				best, bestN = g, n
			}
		}
		clusterGroup[ci] = best
		overlapSum += bestN
		clusteredSum += members
	}
	if clusteredSum > 0 {
		v := float64(overlapSum) / float64(clusteredSum)
		rep.Purity = &v
	}

	// per kind: predicted = accounts of clusters mapped to a group of the kind
	for _, kind := range synth.Kinds {
		tpK, fpK, trueK := 0, 0, 0
		for _, pa := range l.PlantedAccounts {
			if pa.Kind == kind {
				trueK++
			}
		}
		if trueK == 0 {
			continue
		}
		for _, a := range flagged {
			g := clusterGroup[clusterOf[a]]
			if g < 0 || kindOf[g] != kind {
				continue
			}
			if pa, ok := l.PlantedAccounts[a]; ok && pa.Kind == kind {
				tpK++
			} else {
				fpK++
			}
		}
		rep.ByKind[kind] = newPRF(tpK, fpK, trueK-tpK)
	}
	for _, g := range l.Groups {
		gs := GroupScore{ID: g.ID, Kind: g.Kind, Size: len(g.Members), Clusters: []int{}}
		found := 0
		for _, m := range g.Members {
			if _, ok := clusterOf[m]; ok {
				found++
			}
		}
		if len(g.Members) > 0 {
			gs.Recall = float64(found) / float64(len(g.Members))
		}
		for ci, cg := range clusterGroup {
			if cg == g.ID {
				gs.Clusters = append(gs.Clusters, r.Clusters[ci].ID)
			}
		}
		rep.ByGroup = append(rep.ByGroup, gs)
	}

	// adjusted Rand indexes
	planted := make([]string, 0, len(l.PlantedAccounts))
	for a := range l.PlantedAccounts {
		planted = append(planted, a)
	}
	slices.Sort(planted)
	labelsFor := func(items []string) ([]int, []int) {
		truth := make([]int, len(items))
		pred := make([]int, len(items))
		for i, a := range items {
			if g := groupOf(a); g >= 0 {
				truth[i] = g
			} else {
				truth[i] = -1 - i // singleton
			}
			if c, ok := clusterOf[a]; ok {
				pred[i] = c
			} else {
				pred[i] = -1 - i
			}
		}
		return truth, pred
	}
	union := slices.Clone(flagged)
	for _, a := range planted {
		if _, ok := clusterOf[a]; !ok {
			union = append(union, a)
		}
	}
	slices.Sort(union)
	rep.ARI = adjustedRand(labelsFor(union))
	rep.ARIPlanted = adjustedRand(labelsFor(planted))
	if len(flagged) > 0 {
		v := adjustedRand(labelsFor(flagged))
		rep.ARIFlagged = &v
	}

	if r.Edges != nil {
		scoreEdges(rep, l, r.Edges, groupOf)
	}
	if r.Stance != nil {
		rep.Stance = scoreStance(l, r.Stance)
	}
	scoreIndicators(rep, l, r)
	return rep
}

// edgeScore is the ranking score of an edge: 1-p when p is given, else
// the weight.
func edgeScore(e *Edge) float64 {
	if !math.IsNaN(e.P) {
		return 1 - e.P
	}
	return e.Weight
}

func scoreEdges(rep *Report, l *synth.Labels, edges []Edge, groupOf func(string) int) {
	rep.ByLayer = map[string]*LayerScore{}
	touched := map[string]map[string]bool{} // layer -> accounts touched by significant same-group edges
	var all []float64
	var allPos []bool
	byLayerScores := map[string][]float64{}
	byLayerPos := map[string][]bool{}
	for i := range edges {
		e := &edges[i]
		ls := rep.ByLayer[e.Layer]
		if ls == nil {
			ls = &LayerScore{ByKind: map[string]float64{}}
			rep.ByLayer[e.Layer] = ls
			touched[e.Layer] = map[string]bool{}
		}
		ls.Edges++
		ga, gb := groupOf(e.Source), groupOf(e.Target)
		same := ga >= 0 && ga == gb
		s := edgeScore(e)
		all, allPos = append(all, s), append(allPos, same)
		byLayerScores[e.Layer] = append(byLayerScores[e.Layer], s)
		byLayerPos[e.Layer] = append(byLayerPos[e.Layer], same)
		if !e.Significant {
			continue
		}
		ls.SignificantEdges++
		if same {
			ls.SameGroup++
			touched[e.Layer][e.Source] = true
			touched[e.Layer][e.Target] = true
		}
	}
	kindSize := map[string]int{}
	for _, pa := range l.PlantedAccounts {
		kindSize[pa.Kind]++
	}
	for layer, ls := range rep.ByLayer {
		if ls.SignificantEdges > 0 {
			ls.Precision = float64(ls.SameGroup) / float64(ls.SignificantEdges)
		}
		if auc, ok := rocAUC(byLayerScores[layer], byLayerPos[layer]); ok {
			ls.AUC = &auc
		}
		perKind := map[string]int{}
		for a := range touched[layer] {
			perKind[l.PlantedAccounts[a].Kind]++
		}
		for kind, n := range kindSize {
			ls.ByKind[kind] = float64(perKind[kind]) / float64(n)
		}
	}
	if auc, ok := rocAUC(all, allPos); ok {
		rep.EdgeAUC = &auc
	}
}

func scoreStance(l *synth.Labels, rows []StanceRow) *StanceScore {
	attrName := map[byte]string{}
	for k, v := range l.Stance.AttributionCodes {
		if len(k) == 1 {
			attrName[k[0]] = v
		}
	}
	orName := map[byte]string{}
	for k, v := range l.Stance.OrientationCodes {
		if len(k) == 1 {
			orName[k[0]] = v
		}
	}
	var ta, pa, to, po []string
	s := &StanceScore{}
	seen := map[int64]bool{}
	for _, r := range rows {
		id, err := strconv.ParseInt(r.PostID, 10, 64)
		k := id - l.Stance.PostIDFirst
		if err != nil || k < 0 || k >= int64(len(l.Stance.Attribution)) {
			s.Unknown++
			continue
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		ta = append(ta, attrName[l.Stance.Attribution[k]])
		pa = append(pa, r.Attribution)
		to = append(to, orName[l.Stance.Orientation[k]])
		po = append(po, r.Orientation)
	}
	s.Posts = len(ta)
	if n := len(l.Stance.Attribution); n > 0 {
		s.Coverage = float64(s.Posts) / float64(n)
	}
	s.Accuracy, s.MacroF1 = classScores(ta, pa)
	oa, om := classScores(to, po)
	s.Orientation = &ClassScores{Accuracy: oa, MacroF1: om}
	return s
}
