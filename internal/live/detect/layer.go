package detect

import (
	"github.com/chorus-osint/chorus/internal/hashtab"
	"github.com/chorus-osint/chorus/internal/model"
)

// act is one held action in an object's run: runs are ordered by (t, seq),
// the order coord gives actions of one object (time, then corpus order,
// which for a stream is arrival order).
type act struct {
	t    int64 // post time, unix ms
	seq  uint64
	acct uint32
	slot uint32 // post slot
}

func before(a, b *act) bool { return a.t < b.t || a.t == b.t && a.seq < b.seq }

// layerState is one layer's co-action state over the held posts.
//
// Exactness: a post pair (i, j), i before j in an object's run, is a
// co-action when the accounts differ, t_j - t_i <= window and j - i <=
// maxPartners (coord's sweep). The state holds, for every account pair,
// the number of distinct objects with at least one co-action (the weight)
// and the number of co-actions, maintained under insertion anywhere in a
// run (late posts) and removal of a run's oldest action (expiry), through
// per (pair, object) and per (account, object) multiplicities.
type layerState struct {
	layer       model.Layer
	window      int64
	maxPartners int

	objIDs  map[string]uint32
	objKey  []string
	objDisp []string
	runs    [][]act
	objFree []uint32
	actions int // held actions

	pairs    *hashtab.Table[uint32] // pair key (a<<32|b, a<b) -> pair id
	pairKey  []uint64
	pairObjs []uint32 // distinct objects co-acted on
	pairCo   []uint32 // co-actions (post pairs)
	pairFree []uint32
	pairObj  *hashtab.Table[uint32] // (pair id+1)<<32 | obj -> co-actions of the pair on obj
	acctObj  *hashtab.Table[uint32] // (acct+1)<<32 | obj -> pairs of acct with a co-action on obj

	cnt  []uint32 // per account: held actions (activity)
	part []uint32 // per account: objects co-acted on with anyone (participation)

	rawPairs int64  // held post pairs inside the window (any accounts)
	version  uint64 // bumped by every insert and removal (a re-evaluation of unchanged state reuses the null)

	classBuf []classAcc // Evaluate scratch (buildClasses)
}

func newLayerState(l model.Layer, window int64, maxPartners int) *layerState {
	return &layerState{layer: l, window: window, maxPartners: maxPartners, objIDs: map[string]uint32{},
		pairs: hashtab.New[uint32](1024), pairObj: hashtab.New[uint32](1024), acctObj: hashtab.New[uint32](1024)}
}

// growAccounts makes room for account ids < n.
func (s *layerState) growAccounts(n int) {
	for len(s.cnt) < n {
		s.cnt = append(s.cnt, 0)
		s.part = append(s.part, 0)
	}
}

// object interns key (bytes of the extractor) and returns its id.
func (s *layerState) object(key []byte, p *model.Post) uint32 {
	if o, ok := s.objIDs[string(key)]; ok {
		return o
	}
	k := string(key)
	var o uint32
	if n := len(s.objFree); n > 0 {
		o = s.objFree[n-1]
		s.objFree = s.objFree[:n-1]
		s.objKey[o], s.objDisp[o] = k, display(s.layer, key, p)
	} else {
		o = uint32(len(s.objKey))
		s.objKey = append(s.objKey, k)
		s.objDisp = append(s.objDisp, display(s.layer, key, p))
		s.runs = append(s.runs, nil)
	}
	s.objIDs[k] = o
	return o
}

// insert adds action x to object o's run and updates the pairs.
func (s *layerState) insert(o uint32, x act) {
	s.version++
	r := s.runs[o]
	p := len(r)
	for p > 0 && before(&x, &r[p-1]) {
		p--
	}
	mp, w := s.maxPartners, s.window
	lo := max(0, p-mp)
	if p < len(r) {
		// A late post: pairs (i, i+mp) that it now separates by mp+1
		// positions leave the bounded sweep.
		for i := lo; i < p; i++ {
			if j := i + mp; j >= p && j < len(r) && r[j].t-r[i].t <= w {
				s.coaction(o, &r[i], &r[j], -1)
			}
		}
	}
	r = append(r, act{})
	copy(r[p+1:], r[p:])
	r[p] = x
	s.runs[o] = r
	for i := lo; i < p; i++ {
		if x.t-r[i].t <= w {
			s.coaction(o, &r[i], &r[p], +1)
		}
	}
	for j := p + 1; j < len(r) && j <= p+mp; j++ {
		if r[j].t-x.t > w {
			break
		}
		s.coaction(o, &r[p], &r[j], +1)
	}
	s.cnt[x.acct]++
	s.actions++
}

// removeFirst removes the oldest action of object o's run (the evicted
// post's) and its pairs. It reports whether the object is now empty.
func (s *layerState) removeFirst(o uint32, slot uint32) bool {
	s.version++
	r := s.runs[o]
	if len(r) == 0 || r[0].slot != slot {
		panic("BUG: detect: evicted action is not the oldest of its run")
	}
	for j := 1; j < len(r) && j <= s.maxPartners; j++ {
		if r[j].t-r[0].t > s.window {
			break
		}
		s.coaction(o, &r[0], &r[j], -1)
	}
	s.cnt[r[0].acct]--
	s.actions--
	r[0] = act{}
	r = r[1:]
	if len(r) == 0 {
		s.runs[o] = nil
		delete(s.objIDs, s.objKey[o])
		s.objKey[o], s.objDisp[o] = "", ""
		s.objFree = append(s.objFree, o)
		return true
	}
	s.runs[o] = r
	return false
}

// coaction adds (d = +1) or removes (d = -1) the post pair (ai, aj) on
// object o.
func (s *layerState) coaction(o uint32, ai, aj *act, d int) {
	s.rawPairs += int64(d)
	a, b := ai.acct, aj.acct
	if a == b {
		return
	}
	if a > b {
		a, b = b, a
	}
	key := uint64(a)<<32 | uint64(b)
	var pid uint32
	if d > 0 {
		v, fresh := s.pairs.Get(key)
		if fresh {
			if n := len(s.pairFree); n > 0 {
				*v = s.pairFree[n-1]
				s.pairFree = s.pairFree[:n-1]
				s.pairKey[*v] = key
			} else {
				*v = uint32(len(s.pairKey))
				s.pairKey = append(s.pairKey, key)
				s.pairObjs = append(s.pairObjs, 0)
				s.pairCo = append(s.pairCo, 0)
			}
		}
		pid = *v
		s.pairCo[pid]++
		m, _ := s.pairObj.Get(uint64(pid+1)<<32 | uint64(o))
		if *m++; *m == 1 {
			s.pairObjs[pid]++
			s.touch(a, o, +1)
			s.touch(b, o, +1)
		}
		return
	}
	v := s.pairs.Lookup(key)
	if v == nil {
		panic("BUG: detect: removing a co-action of an unknown pair")
	}
	pid = *v
	s.pairCo[pid]--
	pk := uint64(pid+1)<<32 | uint64(o)
	m, _ := s.pairObj.Get(pk)
	if *m--; *m == 0 {
		s.pairObj.Delete(pk)
		s.pairObjs[pid]--
		s.touch(a, o, -1)
		s.touch(b, o, -1)
	}
	if s.pairCo[pid] == 0 {
		s.pairs.Delete(key)
		s.pairKey[pid] = 0
		s.pairFree = append(s.pairFree, pid)
	}
}

// touch counts, per (account, object), the pairs with a co-action there;
// participation is the number of objects where that count is positive.
func (s *layerState) touch(a, o uint32, d int) {
	k := uint64(a+1)<<32 | uint64(o)
	v, _ := s.acctObj.Get(k)
	if d > 0 {
		if *v++; *v == 1 {
			s.part[a]++
		}
		return
	}
	if *v--; *v == 0 {
		s.acctObj.Delete(k)
		s.part[a]--
	}
}

// bytes estimates the layer's memory.
func (s *layerState) bytes() int {
	n := s.pairs.Bytes() + s.pairObj.Bytes() + s.acctObj.Bytes()
	n += len(s.pairKey) * 16
	n += len(s.cnt) * 8
	for _, r := range s.runs {
		n += cap(r) * 32
	}
	n += len(s.objKey) * 64
	return n
}
