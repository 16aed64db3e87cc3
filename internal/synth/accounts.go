package synth

import (
	"math"
	"strconv"
)

// Account roles.
const (
	roleOrganic = iota
	roleHyper
	rolePlanted
	roleOutlet
	roleHijacker
)

// accountIDBase is the numeric id of account 0; account i is
// strconv.Itoa(accountIDBase+i).
const accountIDBase = 40_000_000

// postIDBase is the id of the first post in time order; the post at rank r
// has id postIDBase+r.
const postIDBase = 1_000_000_000_000

// accounts holds per-account attributes as parallel slices indexed by the
// dense account index.
type accounts struct {
	n      int
	lang   []uint8
	lean   []uint8 // orientation leaning
	role   []uint8
	group  []int16 // planted group, -1
	client []uint8
	handle []string
	weight []float64 // organic activity weight (0: no organic posts)
}

func accountID(i int32) string { return strconv.Itoa(accountIDBase + int(i)) }

func appendAccountID(b []byte, i int32) []byte {
	return strconv.AppendInt(b, int64(accountIDBase)+int64(i), 10)
}

// newAccounts draws languages, leanings, clients, handles and lognormal
// activity weights. Roles are assigned later by the generator.
func (g *generator) newAccounts(m int) *accounts {
	a := &accounts{
		n:      m,
		lang:   make([]uint8, m),
		lean:   make([]uint8, m),
		role:   make([]uint8, m),
		group:  make([]int16, m),
		client: make([]uint8, m),
		handle: make([]string, m),
		weight: make([]float64, m),
	}
	r := g.rng
	var hb []byte
	for i := 0; i < m; i++ {
		u := r.Float64()
		switch {
		case u < 0.5:
			a.lang[i] = langEN
		case u < 0.8:
			a.lang[i] = langAR
		default:
			a.lang[i] = langFR
		}
		v := r.Float64()
		switch {
		case v < 0.04:
			a.lean[i] = orSupportive
		case v < 0.44:
			a.lean[i] = orOpposing
		default:
			a.lean[i] = orNeutral
		}
		a.group[i] = -1
		a.client[i] = uint8(r.IntN(len(clients)))
		a.weight[i] = math.Exp(r.NormFloat64() * 1.0)
		l := a.lang[i]
		if r.IntN(5) == 0 { // bilingual handle styles
			l = uint8(r.IntN(numLangs))
		}
		hb = hb[:0]
		hb = append(hb, handleFirst[l][r.IntN(len(handleFirst[l]))]...)
		hb = append(hb, handleSecond[r.IntN(len(handleSecond))]...)
		if r.IntN(2) == 0 {
			hb = append(hb, handleFirst[l][r.IntN(len(handleFirst[l]))]...)
		}
		hb = append(hb, '_')
		hb = strconv.AppendInt(hb, int64(i), 36) // uniqueness
		a.handle[i] = string(hb)
	}
	return a
}

// picker draws indexes with probability proportional to weights
// (cumulative sums and binary search).
type picker struct {
	cum []float64
	idx []int32 // idx[k] is the item of cum[k]; nil means identity
}

func newPicker(w []float64, idx []int32) *picker {
	c := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		c[i] = s
	}
	return &picker{cum: c, idx: idx}
}

func (p *picker) empty() bool { return len(p.cum) == 0 || p.cum[len(p.cum)-1] <= 0 }

// pick maps u in [0,1) to an item.
func (p *picker) pick(u float64) int32 {
	x := u * p.cum[len(p.cum)-1]
	lo, hi := 0, len(p.cum)-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if p.cum[mid] <= x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if p.idx != nil {
		return p.idx[lo]
	}
	return int32(lo)
}
