package indicators

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chorus-osint/chorus/internal/corpus"
	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/normalize"
)

// state is what the indicators share during one Compute: the input, the
// event times in unix ms, and lazily built indexes.
type state struct {
	in     *Input
	p      *Params
	c      *corpus.Corpus
	n      int
	t0     int64
	tclaim int64 // 0 when none
	first  int64 // first post time (0 when no posts)
	last   int64
	// i0 is the first post at or after T0.
	i0 int

	acc accCounter

	// text identity, built on first use (see textIdentity).
	textBuilt bool
	textID    []uint32
	numText   int
	// byText lists non-repost posts with a text identity, grouped by
	// identity and time-ordered within each group; textStart[k] is where
	// identity k's run begins (len numText+1).
	byText    []uint32
	textStart []uint32

	// ecosystem accounts, built on first use.
	ecoBuilt  bool
	eco       []bool
	ecoSource string
}

func newState(in *Input, p *Params) *state {
	c := in.Corpus
	s := &state{in: in, p: p, c: c, n: c.Len(), t0: in.Event.T0.UnixMilli()}
	if !in.Event.TClaim.IsZero() {
		s.tclaim = in.Event.TClaim.UnixMilli()
	}
	if s.n > 0 {
		s.first, s.last = c.Time[0], c.Time[s.n-1]
	}
	s.i0 = s.lowerBound(s.t0)
	s.acc = accCounter{stamp: make([]uint32, c.NumAccounts())}
	return s
}

// lowerBound returns the first post with time >= t.
func (s *state) lowerBound(t int64) int {
	i, _ := slices.BinarySearch(s.c.Time, t)
	return i
}

// postsIn returns the post range [lo, hi) with times in [from, to).
func (s *state) postsIn(from, to int64) (int, int) {
	if to <= from {
		return 0, 0
	}
	return s.lowerBound(from), s.lowerBound(to)
}

// accCounter counts distinct accounts with an epoch-stamped array: one
// word per account, no clearing between counts.
type accCounter struct {
	stamp []uint32
	epoch uint32
}

// next starts a new count.
func (a *accCounter) next() {
	a.epoch++
	if a.epoch == 0 { // wrapped: clear once every 2^32 counts
		clear(a.stamp)
		a.epoch = 1
	}
}

// add reports whether acct is new in the current count.
func (a *accCounter) add(acct uint32) bool {
	if a.stamp[acct] == a.epoch {
		return false
	}
	a.stamp[acct] = a.epoch
	return true
}

// countRange returns posts and distinct accounts in [lo, hi).
func (s *state) countRange(lo, hi int) (posts, accounts int) {
	s.acc.next()
	for i := lo; i < hi; i++ {
		if s.acc.add(s.c.Account[i]) {
			accounts++
		}
	}
	return hi - lo, accounts
}

// meanGapMs is the mean inter-post gap in [from, to), or 0 with fewer than
// two posts.
func (s *state) meanGapMs(from, to int64) float64 {
	lo, hi := s.postsIn(from, to)
	if hi-lo < 2 {
		return 0
	}
	return float64(s.c.Time[hi-1]-s.c.Time[lo]) / float64(hi-lo-1)
}

// coverage returns the span the data are taken to cover. A collection
// rarely starts exactly with a post, so the start (end) is moved back
// (forward) by five mean inter-post gaps of the nearest day, capped at one
// hour: under Poisson posting the first post comes later than that with
// probability e^-5 < 1%.
func (s *state) coverage() (from, to int64) {
	if s.n == 0 {
		return 0, 0
	}
	const hour = int64(time.Hour / time.Millisecond)
	slack := func(g float64) int64 {
		return min(int64(5*g), hour)
	}
	from = s.first - slack(s.meanGapMs(s.first, s.first+24*hour))
	to = s.last + slack(s.meanGapMs(s.last-24*hour, s.last+1))
	return from, to
}

// textIdentity assigns every post a text identity: its near-duplicate
// cluster when it (or an exact copy of its text) is in one, else its exact
// normalized text (TextHash), else none. Reposts get the identity of the
// text they carry. It also builds byText.
func (s *state) textIdentity() {
	if s.textBuilt {
		return
	}
	s.textBuilt = true
	c := s.c
	type hp struct {
		h uint64
		i uint32
	}
	hs := make([]hp, 0, s.n)
	for i, h := range c.TextHash {
		if h != 0 {
			hs = append(hs, hp{h, uint32(i)})
		}
	}
	slices.SortFunc(hs, func(a, b hp) int {
		if a.h != b.h {
			if a.h < b.h {
				return -1
			}
			return 1
		}
		return int(a.i) - int(b.i)
	})
	s.textID = make([]uint32, s.n)
	for i := range s.textID {
		s.textID[i] = ids.None
	}
	var nd []uint32
	numND := 0
	if s.in.NearDup != nil {
		nd, numND = s.in.NearDup.Cluster, s.in.NearDup.NumClusters
	}
	// Exact-text classes first get the near-dup cluster of any member.
	next := uint32(numND)
	for j := 0; j < len(hs); {
		k := j
		cl := ids.None
		for ; k < len(hs) && hs[k].h == hs[j].h; k++ {
			if nd != nil && cl == ids.None && nd[hs[k].i] != ids.None {
				cl = nd[hs[k].i]
			}
		}
		if cl == ids.None {
			cl = next
			next++
		}
		for ; j < k; j++ {
			s.textID[hs[j].i] = cl
		}
	}
	// Posts in a near-dup cluster without a TextHash (cannot happen with
	// the builder's thresholds, but keep the cluster).
	for i, cl := range nd {
		if cl != ids.None && s.textID[i] == ids.None {
			s.textID[i] = cl
		}
	}
	s.numText = int(next)
	// Counting sort of non-repost posts by identity, stable in time.
	s.textStart = make([]uint32, s.numText+1)
	for i, t := range s.textID {
		if t != ids.None && c.Repost[i] == ids.None {
			s.textStart[t+1]++
		}
	}
	for k := 1; k <= s.numText; k++ {
		s.textStart[k] += s.textStart[k-1]
	}
	s.byText = make([]uint32, s.textStart[s.numText])
	fill := slices.Clone(s.textStart[:s.numText])
	for i, t := range s.textID {
		if t != ids.None && c.Repost[i] == ids.None {
			s.byText[fill[t]] = uint32(i)
			fill[t]++
		}
	}
}

// textRun returns the non-repost posts of text identity k in time order.
func (s *state) textRun(k int) []uint32 { return s.byText[s.textStart[k]:s.textStart[k+1]] }

// ecosystem returns the watched ecosystem as a per-account mask: the
// watch list's accounts and media outlets, or, when the watch list names
// none that occur, the accounts of coordinated clusters. source says which
// ("watch_list", "clusters" or "" when neither exists).
func (s *state) ecosystem() ([]bool, string) {
	if s.ecoBuilt {
		return s.eco, s.ecoSource
	}
	s.ecoBuilt = true
	w := s.in.Watch
	m := s.matchAccounts(append(slices.Clone(w.Accounts), w.MediaOutlets...))
	if len(m) > 0 {
		s.eco = make([]bool, s.c.NumAccounts())
		for _, a := range m {
			s.eco[a] = true
		}
		s.ecoSource = "watch_list"
		return s.eco, s.ecoSource
	}
	if len(s.in.Clusters) > 0 {
		s.eco = make([]bool, s.c.NumAccounts())
		for _, cl := range s.in.Clusters {
			for _, a := range cl.Accounts {
				if int(a) < len(s.eco) {
					s.eco[a] = true
				}
			}
		}
		s.ecoSource = "clusters"
	}
	return s.eco, s.ecoSource
}

// handleKey folds a handle or id for matching: trimmed, no '@', lower case.
func handleKey(h string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@"))
}

// matchAccounts returns the corpus accounts whose handle or id matches one
// of names (sorted, distinct).
func (s *state) matchAccounts(names []string) []uint32 {
	if len(names) == 0 {
		return nil
	}
	want := make(map[string]bool, len(names))
	for _, n := range names {
		if k := handleKey(n); k != "" {
			want[k] = true
		}
	}
	var out []uint32
	for a := 0; a < s.c.NumAccounts(); a++ {
		if want[handleKey(s.c.AccountHandle[a])] || want[handleKey(s.c.AccountID(uint32(a)))] {
			out = append(out, uint32(a))
		}
	}
	return out
}

// tagKey normalizes a hashtag as the corpus does.
func tagKey(h string) string { return normalize.Hashtag(h) }

// msTime converts unix ms to UTC time.
func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func msTimePtr(ms int64) *time.Time {
	t := msTime(ms)
	return &t
}

// windowName formats a duration compactly ("1h", "30m", "90s").
func windowName(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return d.String()
}

// fptr returns &v, or nil when v is not finite (JSON has no NaN).
func fptr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// secs converts a ms difference to seconds.
func secs(ms int64) float64 { return float64(ms) / 1000 }

// ms converts a duration to milliseconds.
func ms(d time.Duration) int64 { return int64(d / time.Millisecond) }

// truncRunes shortens s to at most n runes, marking the cut with "…".
func truncRunes(s string, n int) string {
	k := 0
	for i := range s {
		if k == n {
			return s[:i] + "…"
		}
		k++
	}
	return s
}
