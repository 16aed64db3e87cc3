package coord

import (
	"math"
	"slices"
)

// pairRec is one co-action: accounts A < B (packed in Key) acted on Obj
// within the window in posts PostA and PostB, DtMs apart; AFirst says
// whether A's post came first. Records are emitted raw (one per post pair)
// in object order and folded per (pair, object) after a stable sort by
// Key.
type pairRec struct {
	Key    uint64 // A<<32 | B, A < B
	Obj    uint32
	DtMs   uint32
	PostA  uint32
	PostB  uint32
	AFirst bool
}

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

// sweeper generates co-action records. One sweeper per goroutine.
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

// sweepAll emits the observed records of every object, in object order.
func (s *sweeper) sweepAll(acts *actions, out []pairRec) []pairRec {
	for o := 0; o+1 < len(acts.ObjStart); o++ {
		lo, hi := acts.ObjStart[o], acts.ObjStart[o+1]
		if hi-lo < 2 {
			continue
		}
		obj := uint32(o)
		before := len(out)
		s.forPairs(acts.A[lo:hi], func(ai, aj *action, dt int64) {
			key, aIsI := pairKey(ai.Acct, aj.Acct)
			r := pairRec{Key: key, Obj: obj, DtMs: uint32(min(dt, math.MaxUint32))}
			if aIsI {
				r.PostA, r.PostB, r.AFirst = ai.Post, aj.Post, true
			} else {
				r.PostA, r.PostB = aj.Post, ai.Post
			}
			if dt == 0 {
				r.AFirst = r.PostA < r.PostB
			}
			out = append(out, r)
			if s.participation != nil {
				s.mark(ai.Acct, obj)
				s.mark(aj.Acct, obj)
			}
		})
		if len(out) > before {
			s.stats.Objects++
		}
	}
	return out
}

func (s *sweeper) mark(a, obj uint32) {
	if s.lastObj[a] != obj+1 {
		s.lastObj[a] = obj + 1
		s.participation[a]++
	}
}

// sweepNull emits (pair, object) keys of every object, in object order:
// only the pair and the object matter in a null permutation.
func (s *sweeper) sweepNull(acts *actions, out []kv) []kv {
	for o := 0; o+1 < len(acts.ObjStart); o++ {
		lo, hi := acts.ObjStart[o], acts.ObjStart[o+1]
		if hi-lo < 2 {
			continue
		}
		obj := uint32(o)
		s.forPairs(acts.A[lo:hi], func(ai, aj *action, _ int64) {
			key, _ := pairKey(ai.Acct, aj.Acct)
			out = append(out, kv{K: key, V: obj})
		})
	}
	return out
}

// kv is a sort key with a 32-bit payload: a record index (observed pass)
// or an object (null pass).
type kv struct {
	K uint64
	V uint32
}

// sortKV orders kvs by K, stably (payloads arrive in object order, which
// the folds rely on). Large inputs use an LSD radix sort with 16-bit digits
// that skips digits shared by every key, so account IDs below 65,536 need
// two passes. buf is scratch space, returned for reuse.
func sortKV(kvs, buf []kv) ([]kv, []kv) {
	if len(kvs) < 1<<12 {
		slices.SortStableFunc(kvs, func(x, y kv) int {
			switch {
			case x.K < y.K:
				return -1
			case x.K > y.K:
				return 1
			}
			return 0
		})
		return kvs, buf
	}
	if cap(buf) < len(kvs) {
		buf = make([]kv, len(kvs))
	}
	buf = buf[:len(kvs)]
	src, dst := kvs, buf
	var count [1 << 16]int
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count[:])
		for i := range src {
			count[(src[i].K>>shift)&0xffff]++
		}
		if count[(src[0].K>>shift)&0xffff] == len(src) {
			continue // every key has this digit
		}
		sum := 0
		for d := range count {
			c := count[d]
			count[d] = sum
			sum += c
		}
		for i := range src {
			d := (src[i].K >> shift) & 0xffff
			dst[count[d]] = src[i]
			count[d]++
		}
		src, dst = dst, src
	}
	return src, dst
}
