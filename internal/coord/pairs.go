package coord

import "math"

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
// pairs skipped are counted.
func (s *sweeper) forPairs(run []action, emit func(ai, aj *action, dt int64)) {
	w := s.windowMs
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
			for k := lim; k < len(run) && run[k].T-ai.T <= w; k++ {
				s.stats.Truncated++
			}
		}
	}
}

// forObjects calls fn for every object with two or more actions, in
// object order.
func forObjects(acts *actions, fn func(obj uint32, run []action)) {
	for o := 0; o+1 < len(acts.ObjStart); o++ {
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

// observe sweeps every object into tab (pass 1: weights, directions,
// participation).
func (s *sweeper) observe(acts *actions, tab *pairTable[obsPair]) {
	forObjects(acts, func(obj uint32, run []action) {
		hit := false
		s.forPairs(run, func(ai, aj *action, dt int64) {
			hit = true
			c := makeCoaction(ai, aj, dt)
			v, _ := tab.get(c.key)
			if v.lastObj != obj+1 {
				v.commit()
				v.objects++
				v.lastObj, v.curDt, v.curAFirst = obj+1, c.dt, c.aFirst
			} else if c.dt < v.curDt {
				v.curDt, v.curAFirst = c.dt, c.aFirst
			}
			v.coactions++
			if s.participation != nil {
				s.mark(ai.Acct, obj)
				s.mark(aj.Acct, obj)
			}
		})
		if hit {
			s.stats.Objects++
		}
	})
	tab.each(func(_ uint64, v *obsPair) { v.commit() })
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

// sweepNull folds every object of a permutation into tab.
func (s *sweeper) sweepNull(acts *actions, tab *pairTable[nullPair]) {
	forObjects(acts, func(obj uint32, run []action) {
		s.forPairs(run, func(ai, aj *action, _ int64) {
			key, _ := pairKey(ai.Acct, aj.Acct)
			v, _ := tab.get(key)
			if v.lastObj != obj+1 {
				v.objects++
				v.lastObj = obj + 1
			}
		})
	})
}
