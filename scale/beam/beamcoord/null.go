package beamcoord

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/chorus-osint/chorus/internal/coord"
	"github.com/chorus-osint/chorus/internal/model"
)

// The null model as keyed passes (docs/scale.md, "The null model").
//
// The local engine permutes the accounts of a layer's posts within each
// time block: one PCG stream per (layer, permutation), blocks in time
// order, a Fisher–Yates shuffle per block of two or more posts, posts in
// corpus order inside a block. The stream position at the start of a block
// depends only on the sizes of the blocks before it, so:
//
//  1. count the posts of every (layer, block);
//  2. per (layer, permutation), replay the stream over the block sizes
//     (the same draws, no data: 8 bytes of work per post) and record the
//     PCG state at the start of every block;
//  3. per (layer, block), join the block's posts with those states, sort
//     the posts in corpus order and shuffle them once per permutation.
//
// Every post then knows its account in every permutation, and its actions
// go to their (layer, object) keys carrying those accounts, so that the
// observed and the null sweeps of an object run in the same keyed pass.

// acctFn sees every post of one account in one layer with the account's
// sightings: it fixes the account's global ordinal (the smallest
// sighting), counts its actions (activity stratum) and sends each post to
// its null block.
type acctFn struct {
	Params Params
}

func (fn *acctFn) ProcessElement(key string, posts func(*LayerPost) bool, sightings func(*Sighting) bool, minT func(int) func(*int64) bool,
	emitBlock func(uint64, LayerPost), emitAttr func(string, AcctAttr), emitInc func(int, Inc)) {
	l := key[0]
	var ps []LayerPost
	var p LayerPost
	n := uint32(0)
	for posts(&p) {
		ps = append(ps, p)
		n += uint32(len(p.Objs))
	}
	if len(ps) == 0 {
		return
	}
	best := Sighting{Ord: ^uint64(0)}
	var s Sighting
	for sightings(&s) {
		if s.Ord < best.Ord {
			best = s
		}
	}
	if best.Ord == ^uint64(0) {
		panic(fmt.Sprintf("BUG: account %q has posts but no dictionary sighting", key[1:]))
	}
	ref := AcctRef{Ord: best.Ord, Bucket: coord.ActivityBucket(n)}
	emitAttr(layerOrdKey(l, best.Ord), AcctAttr{ID: accountID(key[1:]), Handle: best.Label})
	var inc Inc
	inc.add(statAccounts, 1)
	inc.add(statActions, int64(n))
	emitInc(int(l), inc)
	var t0 int64
	it := minT(int(l))
	if !it(&t0) {
		panic("BUG: layer without a minimum time")
	}
	block := fn.Params.BlockMs[l]
	for i := range ps {
		ps[i].Acct = ref
		emitBlock(blockKey(l, (ps[i].T-t0)/block), ps[i])
	}
}

// accountID is corpus.AccountID for an interning key.
func accountID(k string) string {
	if i := strings.IndexByte(k, ':'); i >= 0 {
		k = k[i+1:]
	}
	if len(k) > 1 && k[0] == '@' {
		return k[1:]
	}
	return k
}

// blockSizesFn collects one layer's block sizes and sends them to every
// permutation.
type blockSizesFn struct {
	Params Params
}

func (fn *blockSizesFn) ProcessElement(layer int, blocks func(*[]byte) bool, emit func(uint64, []byte)) {
	var all [][]byte
	var b []byte
	for blocks(&b) {
		all = append(all, b)
	}
	slices.SortFunc(all, func(x, y []byte) int { return strings.Compare(string(x[:8]), string(y[:8])) })
	packed := make([]byte, 0, 16*len(all))
	for _, x := range all {
		packed = append(packed, x...)
	}
	for perm := 0; perm < fn.Params.Permutations; perm++ {
		emit(uint64(layer)<<32|uint64(perm), packed)
	}
}

// blockSize packs (block, posts) so that byte order is block order.
func blockSize(key uint64, n int64) (int, []byte) {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], key&(1<<56-1))
	binary.BigEndian.PutUint64(b[8:], uint64(n))
	return int(key >> 56), b[:]
}

// permStatesFn replays one permutation's stream over the layer's blocks
// and emits the stream state at the start of every block that shuffles.
func (fn *blockSizesFn) states(lp uint64, packed []byte, emit func(uint64, PermState)) error {
	l, perm := uint8(lp>>32), int(uint32(lp))
	src := coord.NullPCG(fn.Params.Seed, model.Layer(l), perm)
	rng := rand.New(src)
	for off := 0; off+16 <= len(packed); off += 16 {
		block := int64(binary.BigEndian.Uint64(packed[off:]))
		n := int(binary.BigEndian.Uint64(packed[off+8:]))
		if n < 2 {
			continue
		}
		st, err := src.MarshalBinary()
		if err != nil {
			return err
		}
		emit(blockKey(l, block), PermState{Perm: uint32(perm), State: st})
		coord.ShuffleBlock(rng, n, nil)
	}
	return nil
}

type permStatesFn struct {
	Params Params
}

func (fn *permStatesFn) ProcessElement(lp uint64, packed []byte, emit func(uint64, PermState)) error {
	s := blockSizesFn{Params: fn.Params}
	return s.states(lp, packed, emit)
}

// HotKey describes an object split into time slices: its ordinal and label
// (its slices do not meet its dictionary sightings) and, for IDF, its
// distinct accounts.
type HotKey struct {
	Ord   string
	Label string
	Accts int64
}

// blockFn shuffles one (layer, block) once per permutation and emits every
// action of its posts to its object key (or to the time slices of a hot
// object) with the post's account in each permutation.
type blockFn struct {
	Params Params
}

func (fn *blockFn) ProcessElement(bk uint64, posts func(*LayerPost) bool, states func(*PermState) bool, hot func(string) func(*HotKey) bool,
	emit func(string, Act), emitT func(string, int64), emitHotAcct func(string)) error {
	l := uint8(bk >> 56)
	var ps []LayerPost
	var p LayerPost
	for posts(&p) {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(x, y LayerPost) int { return strings.Compare(x.Key, y.Key) })
	perms := fn.Params.Permutations
	null := make([][]AcctRef, len(ps)) // [post][perm]
	for i := range null {
		null[i] = make([]AcctRef, perms)
		for k := range null[i] {
			null[i][k] = ps[i].Acct
		}
	}
	if len(ps) >= 2 && perms > 0 {
		seen := 0
		var st PermState
		abuf := make([]AcctRef, len(ps))
		for states(&st) {
			seen++
			src := &rand.PCG{}
			if err := src.UnmarshalBinary(st.State); err != nil {
				return fmt.Errorf("null stream state: %w", err)
			}
			for i := range ps {
				abuf[i] = ps[i].Acct
			}
			coord.ShuffleBlock(rand.New(src), len(abuf), func(x, y int) { abuf[x], abuf[y] = abuf[y], abuf[x] })
			for i := range ps {
				null[i][st.Perm] = abuf[i]
			}
		}
		if seen != perms {
			panic(fmt.Sprintf("BUG: block %x has %d posts but %d of %d permutation states", bk, len(ps), seen, perms))
		}
	}
	w, slice := fn.Params.WindowMs[l], fn.Params.sliceMs(l)
	for i := range ps {
		a := Act{Key: ps[i].Key, T: ps[i].T, Acct: ps[i].Acct, Null: null[i]}
		for _, obj := range ps[i].Objs {
			ok := objectKey(l, obj)
			var h HotKey
			if fn.Params.HotKeyPosts > 0 && hot(ok)(&h) {
				// Owned by the slice holding the post; also the overlap of
				// every earlier slice whose end is within the window.
				s := floorDiv(a.T, slice)
				a.Own = true
				emit(sliceKey(l, s, obj), a)
				emitT(sliceKey(l, s, obj), ownedTime(a.T, true))
				a.Own = false
				for s2 := s - 1; a.T-(s2+1)*slice <= w; s2-- {
					emit(sliceKey(l, s2, obj), a)
					emitT(sliceKey(l, s2, obj), ownedTime(a.T, false))
				}
				if fn.Params.IDF {
					emitHotAcct(ordKey(a.Acct.Ord) + ok)
				}
				continue
			}
			a.Own = true
			emit(ok, a)
			emitT(ok, ownedTime(a.T, true))
		}
	}
	return nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// sliceKey is the shuffle key of one time slice of a hot object.
func sliceKey(l uint8, s int64, obj string) string {
	var b [10]byte
	b[0], b[1] = l, 1
	binary.BigEndian.PutUint64(b[2:], uint64(s)^(1<<63))
	return string(b[:]) + obj
}

// ownedTime packs an action's time and whether its key owns it into one
// int64 (time<<1 | owned), for the partner-bound pass: it needs only the
// times of each object's run, so it shuffles 8 bytes per action instead
// of the action.
func ownedTime(t int64, own bool) int64 {
	v := t << 1
	if own {
		v |= 1
	}
	return v
}
