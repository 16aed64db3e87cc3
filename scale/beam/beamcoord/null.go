package beamcoord

import (
	"cmp"
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
// time block, within each class group of the block (language and
// evergreen bit, coord.PlanNullCells); every block of every permutation
// has its own random stream (coord.SeedNullBlock(seed, layer, permutation,
// block)). So a block is shuffled where its posts meet, with no state from
// other blocks:
//
//  1. per (layer, object), the distinct null blocks it is seen in (capped
//     at EvergreenBlocks): the evergreen objects, a side input;
//  2. per (layer, block), the block's posts laid out by class key, then
//     corpus order, are shuffled group by group once per permutation.
//
// Every post then knows its account in every permutation, and its actions
// go to their (layer, object) keys carrying those accounts, so that the
// observed and the null sweeps of an object run in the same keyed pass.

// acctFn sees every post of one account in one layer with the account's
// sightings: it fixes the account's global ordinal (the smallest
// sighting), counts its actions (activity stratum), sends each post to
// its null block and, when evergreen classes are on, each of its objects
// with that block (ObjBlock).
type acctFn struct {
	Params Params
}

func (fn *acctFn) ProcessElement(key string, posts func(*LayerPost) bool, sightings func(*Sighting) bool, minT func(int) func(*int64) bool,
	emitBlock func(uint64, LayerPost), emitObjBlock func(string, int64), emitAttr func(string, AcctAttr), emitInc func(int, Inc)) {
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
		b := (ps[i].T - t0) / block
		emitBlock(blockKey(l, b), ps[i])
		if fn.Params.EvergreenBlocks > 0 {
			for _, obj := range ps[i].Objs {
				emitObjBlock(objectKey(l, obj), b)
			}
		}
	}
}

// blockSetFn collects the distinct null blocks of an object, up to Cap
// (enough to call it evergreen).
type blockSetFn struct {
	Cap int
}

func (fn *blockSetFn) CreateAccumulator() []int64 { return nil }

func (fn *blockSetFn) AddInput(acc []int64, b int64) []int64 {
	if len(acc) >= fn.Cap || slices.Contains(acc, b) {
		return acc
	}
	return append(acc, b)
}

func (fn *blockSetFn) MergeAccumulators(a, b []int64) []int64 {
	for _, x := range b {
		a = fn.AddInput(a, x)
	}
	return a
}

// evergreenFn keeps the objects seen in EvergreenBlocks blocks or more.
type evergreenFn struct {
	Params Params
}

func (fn *evergreenFn) ProcessElement(k string, blocks []int64, emit func(string, int64)) {
	if len(blocks) >= fn.Params.EvergreenBlocks {
		emit(k, int64(len(blocks)))
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

func (fn *blockFn) ProcessElement(bk uint64, posts func(*LayerPost) bool, hot func(string) func(*HotKey) bool, ever func(string) func(*int64) bool,
	emit func(string, Act), emitT func(string, int64), emitHotAcct func(string)) {
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
		order, rel, group, groups := fn.classes(l, ps, ever)
		src := &rand.PCG{}
		rng := rand.New(src)
		abuf := make([]AcctRef, len(ps))
		var idx []int
		for perm := range perms {
			for j, i := range order {
				abuf[j] = ps[i].Acct
			}
			coord.SeedNullBlock(src, fn.Params.Seed, model.Layer(l), perm, int64(bk&(1<<56-1)))
			idx = coord.ShuffleNullCells(rng, rel, group, groups, func(x, y int) { abuf[x], abuf[y] = abuf[y], abuf[x] }, idx)
			for j, i := range order {
				null[i][perm] = abuf[j]
			}
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
}

// classes lays a block's posts (in corpus order) out as the local engine
// lays out its slots — by class key (language and evergreen bit), then
// corpus order — and plans the shuffle groups (coord.PlanNullCells) from
// each class's size and busiest object.
func (fn *blockFn) classes(l uint8, ps []LayerPost, ever func(string) func(*int64) bool) (order []int, rel, group []int, groups int) {
	key := make([]uint64, len(ps))
	for i := range ps {
		hot := false
		for _, obj := range ps[i].Objs {
			var n int64
			if fn.Params.EvergreenBlocks > 0 && ever(objectKey(l, obj))(&n) {
				hot = true
				break
			}
		}
		key[i] = coord.NullClassKey(ps[i].Lang, hot)
	}
	order = make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(key[x], key[y]) })
	var cells []coord.NullCell
	count := map[string]int{}
	for k, i := range order {
		if k == 0 || key[i] != key[order[k-1]] {
			rel = append(rel, k)
			cells = append(cells, coord.NullCell{Key: key[i]})
			clear(count)
		}
		c := &cells[len(cells)-1]
		c.Size++
		for _, obj := range ps[i].Objs {
			count[obj]++
			c.Top = max(c.Top, count[obj])
		}
	}
	rel = append(rel, len(ps))
	group = make([]int, len(cells))
	return order, rel, group, coord.PlanNullCells(cells, group)
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
