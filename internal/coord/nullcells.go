package coord

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"
)

// Null classes (docs/engine.md, "Null classes"). Inside each time block the
// null shuffles accounts only among posts of the same class: the same
// language (as the export gives it) and the same evergreen bit (on an
// object seen in EvergreenBlocks blocks or more, or not). An account then
// keeps its languages and its taste for long-running popular objects, and
// what the shuffle destroys is still which accounts meet on which objects.
// A class too small or dominated by one object (a campaign burst alone in
// its class would be shuffled among itself and look like chance) is
// pooled; PlanNullCells decides, the same way for every runner.

// NullCellMinPosts is the smallest class of a block that the null shuffles
// on its own.
const NullCellMinPosts = 32

// LanguageKey is the class key part of a post language ("" when absent):
// a hash of the lower-cased code, the same in every runner whatever its
// dictionary order.
func LanguageKey(lang string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(strings.TrimSpace(lang))))
	return h.Sum64()
}

// NullClassKey is a post's class key from its language key and evergreen
// bit (keys order classes: every runner lays a block's posts out by key,
// then corpus order).
func NullClassKey(langKey uint64, evergreen bool) uint64 {
	k := langKey << 1
	if evergreen {
		k |= 1
	}
	return k
}

// NullCell is one class of one block: its key, its posts and the posts of
// its busiest object (a post counts once per object).
type NullCell struct {
	Key       uint64
	Size, Top int
}

// passes reports whether a class (or a pool of classes, with top bounded
// by the sum of their tops) may be shuffled on its own.
func passes(size, top int) bool { return size >= NullCellMinPosts && 2*top <= size }

// PlanNullCells groups the classes of one block (sorted by Key) into the
// groups the null shuffles apart, writing each class's group into group
// (len(cells)) and returning the number of groups. Passing classes are
// groups of their own, in key order; the others are pooled into one more
// group, kept when it passes (its busiest object bounded by the sum of the
// pooled tops) and otherwise merged into the largest passing group (the
// first in key order on ties) if the merge still passes (bound: the two
// tops summed). Failing that, the block is one group.
func PlanNullCells(cells []NullCell, group []int) int {
	n := 0
	poolSize, poolTop := 0, 0
	big, bigSize := -1, -1
	for i, c := range cells {
		if passes(c.Size, c.Top) {
			group[i] = n
			if c.Size > bigSize {
				big, bigSize = n, c.Size
			}
			n++
		} else {
			group[i] = -1
			poolSize += c.Size
			poolTop += c.Top
		}
	}
	if poolSize == 0 && n > 0 {
		return n
	}
	pool := n
	switch {
	case poolSize > 0 && passes(poolSize, poolTop):
		n++
	case big >= 0 && passes(bigSize+poolSize, bigTop(cells, group, big)+poolTop):
		pool = big
	default:
		for i := range group {
			group[i] = 0
		}
		return 1
	}
	for i := range group {
		if group[i] < 0 {
			group[i] = pool
		}
	}
	return n
}

// bigTop is the top of the passing class numbered g.
func bigTop(cells []NullCell, group []int, g int) int {
	for i, c := range cells {
		if group[i] == g {
			return c.Top
		}
	}
	return 0
}

// ShuffleNullCells permutes one block laid out by class (class i holds
// positions starts[i]..starts[i+1]) with rng (seeded by SeedNullBlock):
// group by group in order, a Fisher–Yates shuffle of the group's positions
// (its classes' positions in class order). idx is scratch; the grown
// scratch is returned.
func ShuffleNullCells(rng *rand.Rand, starts []int, group []int, groups int, swap func(i, j int), idx []int) []int {
	if groups == 1 {
		// One group holds every position in order: the same draws as
		// shuffling its index list, without building it.
		if n := starts[len(starts)-1]; n >= 2 {
			rng.Shuffle(n, swap)
		}
		return idx
	}
	for g := range groups {
		idx = idx[:0]
		for i := range group {
			if group[i] == g {
				for p := starts[i]; p < starts[i+1]; p++ {
					idx = append(idx, p)
				}
			}
		}
		if len(idx) >= 2 {
			rng.Shuffle(len(idx), func(x, y int) { swap(idx[x], idx[y]) })
		}
	}
	return idx
}

// ClassTops finds each class's busiest object: Add every action of one
// object's run (by its post's class), then EndRun; Top[c] is the most
// actions one object has in class c.
type ClassTops struct {
	Top     []int
	cnt     []int
	touched []int32
}

// NewClassTops counts for classes 0..n-1.
func NewClassTops(n int) *ClassTops { return &ClassTops{Top: make([]int, n), cnt: make([]int, n)} }

// Add counts one action of the current object in class c.
func (t *ClassTops) Add(c int32) {
	if t.cnt[c] == 0 {
		t.touched = append(t.touched, c)
	}
	t.cnt[c]++
	t.Top[c] = max(t.Top[c], t.cnt[c])
}

// EndRun closes the current object's run.
func (t *ClassTops) EndRun() {
	for _, c := range t.touched {
		t.cnt[c] = 0
	}
	t.touched = t.touched[:0]
}
