package coord

import (
	"math"

	"github.com/chorus-osint/chorus/internal/hashtab"
)

func pairKey(a, b uint32) (uint64, bool) {
	if a < b {
		return uint64(a)<<32 | uint64(b), true
	}
	return uint64(b)<<32 | uint64(a), false
}

// sweepStats reports the bounded-work rule's effect.
type sweepStats struct {
	// Truncated counts post pairs inside the window that were not
	// examined because a post already had MaxPartners later partners in
	// the same object-window.
	Truncated int64
	// RawPairs counts post pairs examined.
	RawPairs int64
	// Objects counts objects with at least one co-action.
	Objects int64
}

// sweeper generates co-actions. One sweeper per goroutine.
type sweeper struct {
	windowMs    int64
	maxPartners int
	stats       sweepStats
	// participation[acct] counts objects in which acct co-acted; lastObj
	// stamps the object last counted (+1, so 0 means never).
	participation []uint32
	lastObj       []uint32
	// done, when closed, stops the sweep early (the run is being
	// cancelled; its partial result is discarded by the caller).
	done <-chan struct{}
}

func newSweeper(windowMs int64, maxPartners, numAccounts int, trackParticipation bool) *sweeper {
	s := &sweeper{windowMs: windowMs, maxPartners: maxPartners}
	if trackParticipation {
		s.participation = make([]uint32, numAccounts)
		s.lastObj = make([]uint32, numAccounts)
	}
	return s
}

// forPairs calls emit for every pair of posts of one object's run (sorted
// by time) whose accounts differ and whose times are at most windowMs apart
// (inclusive). Each post pairs with at most maxPartners later posts
// (bounded work for objects with very many posters in one window); the
// pairs skipped are counted without being visited (the end of each post's
// window is tracked with a second pointer, so a busy object costs
// O(posts × maxPartners), never O(posts²)).
func (s *sweeper) forPairs(run []action, emit func(ai, aj *action, dt int64)) {
	w := s.windowMs
	hi := 0 // first index after run[i]'s window
	for i := 0; i < len(run); i++ {
		ai := &run[i]
		lim := min(len(run), i+1+s.maxPartners)
		j := i + 1
		for ; j < lim; j++ {
			aj := &run[j]
			dt := aj.T - ai.T
			if dt > w {
				break
			}
			s.stats.RawPairs++
			if aj.Acct != ai.Acct {
				emit(ai, aj, dt)
			}
		}
		if j == lim && lim < len(run) {
			hi = max(hi, lim)
			for hi < len(run) && run[hi].T-ai.T <= w {
				hi++
			}
			s.stats.Truncated += int64(hi - lim)
		}
	}
}

// partnerCap returns the largest partner bound k <= maxPartners under
// which the layer's post pairs fit in budget (budget <= 0: no budget),
// with the post pairs examined under it. It counts each post's later
// partners inside the window with two pointers (O(actions), no pair is
// visited), so the bound is chosen before any sweep runs.
func partnerCap(acts *actions, windowMs int64, maxPartners int, budget int64) (int, int64) {
	hist := make([]int64, maxPartners+1) // posts by later partners (capped)
	for o := 0; o+1 < len(acts.ObjStart); o++ {
		run := acts.A[acts.ObjStart[o]:acts.ObjStart[o+1]]
		PartnerCounts(run, len(run), windowMs, hist)
	}
	return PartnerCapHist(hist, maxPartners, budget)
}

// forObjects calls fn for every object with two or more actions, in
// object order, and returns early once s.done is closed (checked every
// 256 objects, so an interrupt is honoured within milliseconds even in a
// layer that takes minutes).
func (s *sweeper) forObjects(acts *actions, fn func(obj uint32, run []action)) {
	for o := 0; o+1 < len(acts.ObjStart); o++ {
		if o&255 == 0 && s.done != nil {
			select {
			case <-s.done:
				return
			default:
			}
		}
		lo, hi := acts.ObjStart[o], acts.ObjStart[o+1]
		if hi-lo >= 2 {
			fn(uint32(o), acts.A[lo:hi])
		}
	}
}

// coaction describes one post pair as seen from the account pair (A < B).
type coaction struct {
	key          uint64
	dt           uint32
	postA, postB uint32
	aFirst       bool
}

func makeCoaction(ai, aj *action, dt int64) coaction {
	key, aIsI := pairKey(ai.Acct, aj.Acct)
	c := coaction{key: key, dt: uint32(min(dt, math.MaxUint32))}
	if aIsI {
		c.postA, c.postB, c.aFirst = ai.Post, aj.Post, true
	} else {
		c.postA, c.postB = aj.Post, ai.Post
	}
	if dt == 0 {
		c.aFirst = c.postA < c.postB
	}
	return c
}

// obsPair accumulates one account pair in the observed pass. Post pairs
// arrive object by object, so "distinct objects" only needs the object
// being folded (lastObj); the direction of an object is decided at its
// smallest gap and committed when the next object starts.
type obsPair struct {
	objects, coactions uint32
	lastObj            uint32 // object being folded, +1 (0: none)
	aFirst, bFirst     uint32
	curDt              uint32
	curAFirst          bool
	edge               int32 // candidate edge index + 1 (0: not a candidate)
}

func (v *obsPair) commit() {
	if v.lastObj == 0 {
		return
	}
	if v.curAFirst {
		v.aFirst++
	} else {
		v.bFirst++
	}
}

// partOf assigns a pair key to one of parts hash partitions (a multiplier
// unrelated to the table's, so partitions are uniform random samples of
// pairs).
func partOf(key uint64, parts int) int {
	if parts <= 1 {
		return 0
	}
	return int(uint32((key*0xD6E8FEB86659FD93)>>32) % uint32(parts))
}

// count sweeps every object once without storing pairs: it counts post
// pairs and objects with co-actions and each account's participation, so
// that the layer's pair storage can be planned.
func (s *sweeper) count(acts *actions) {
	s.forObjects(acts, func(obj uint32, run []action) {
		hit := false
		s.forPairs(run, func(ai, aj *action, _ int64) {
			hit = true
			if s.participation != nil {
				s.mark(ai.Acct, obj)
				s.mark(aj.Acct, obj)
			}
		})
		if hit {
			s.stats.Objects++
		}
	})
}

// observe sweeps every object into tab (weights and directions), keeping
// only the pairs of hash partition part of parts.
func (s *sweeper) observe(acts *actions, tab *hashtab.Table[obsPair], part, parts int) {
	s.forObjects(acts, func(obj uint32, run []action) {
		s.forPairs(run, func(ai, aj *action, dt int64) {
			c := makeCoaction(ai, aj, dt)
			if partOf(c.key, parts) != part {
				return
			}
			v, _ := tab.Get(c.key)
			if v.lastObj != obj+1 {
				v.commit()
				v.objects++
				v.lastObj, v.curDt, v.curAFirst = obj+1, c.dt, c.aFirst
			} else if c.dt < v.curDt {
				v.curDt, v.curAFirst = c.dt, c.aFirst
			}
			v.coactions++
		})
	})
	tab.Each(func(_ uint64, v *obsPair) { v.commit() })
}

func (s *sweeper) mark(a, obj uint32) {
	if s.lastObj[a] != obj+1 {
		s.lastObj[a] = obj + 1
		s.participation[a]++
	}
}

// nullPair accumulates one account pair in a null permutation.
type nullPair struct {
	objects uint32
	lastObj uint32
}

// nullSweep is one worker's state for null permutations: a table for the
// sampled partition of pairs (its weight histogram estimates the whole
// null's) and the candidates' distinct objects.
type nullSweep struct {
	tab     *hashtab.Table[nullPair]
	parts   int
	cand    *hashtab.Table[int32] // candidate key -> edge index
	bloom   bloom                 // quick rejection of non-candidates
	lastObj []uint32              // per candidate: object last counted, +1
	objects []uint32              // per candidate: distinct objects, summed over permutations
}

// sweepNull folds every object of a permutation: pairs of partition 0 into
// the sample table, and candidates' distinct objects into ns.objects.
func (s *sweeper) sweepNull(acts *actions, ns *nullSweep) {
	clear(ns.lastObj)
	s.forObjects(acts, func(obj uint32, run []action) {
		s.forPairs(run, func(ai, aj *action, _ int64) {
			key, _ := pairKey(ai.Acct, aj.Acct)
			if partOf(key, ns.parts) == 0 {
				v, _ := ns.tab.Get(key)
				if v.lastObj != obj+1 {
					v.objects++
					v.lastObj = obj + 1
				}
			}
			if ns.bloom.has(key) {
				if e := ns.cand.Lookup(key); e != nil && ns.lastObj[*e] != obj+1 {
					ns.lastObj[*e] = obj + 1
					ns.objects[*e]++
				}
			}
		})
	})
}

// bloom is a small Bloom filter over pair keys (3 probes in one 64-bit
// word per key: one cache line per lookup).
type bloom struct {
	words []uint64
	mask  uint64
}

func newBloom(n int) bloom {
	size := 1
	for size < max(n/4, 1) { // 16 bits per key
		size <<= 1
	}
	return bloom{words: make([]uint64, size), mask: uint64(size - 1)}
}

func (b *bloom) bits(key uint64) (uint64, uint64) {
	h := key * 0x9E3779B97F4A7C15
	h ^= h >> 29
	return h & b.mask, 1<<(h>>40&63) | 1<<(h>>46&63) | 1<<(h>>52&63)
}

func (b *bloom) add(key uint64) {
	w, m := b.bits(key)
	b.words[w] |= m
}

func (b *bloom) has(key uint64) bool {
	if len(b.words) == 0 {
		return false
	}
	w, m := b.bits(key)
	return b.words[w]&m == m
}
