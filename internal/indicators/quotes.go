package indicators

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/normalize"
)

// Quotes is the quote indicator: texts copied by many accounts
// (near-duplicate clusters, exact copies, and watch-list quotes) and how
// they spread across accounts and languages after T0.
//
// Clusters lists the watch-list quotes, then the copied texts with the
// most accounts after T0 (the biggest quotes, organic or not).
// EventClusters lists the copied texts whose spread after T0 came in a
// significant synchronous burst — many accounts posting the text within
// one co-action window, far more than the text's own rate around that
// moment predicts — most significant first: a leader's quote re-shared at
// once by many accounts is found there even when ordinary reaction
// messages outnumber it (docs/indicators.md, "Quote spread").
type Quotes struct {
	Clusters      []QuoteCluster `json:"clusters"`
	EventClusters []QuoteCluster `json:"event_clusters"`
	// Tested is the number of copied texts tested for a burst;
	// BurstWindows the co-action windows per text (T0 to the last post);
	// the burst p-values are Bonferroni-adjusted by Tested × BurstWindows.
	Tested       int         `json:"tested"`
	BurstWindows int         `json:"burst_windows"`
	Params       QuoteParams `json:"params"`
	Notes        []string    `json:"notes"`
}

// QuoteCluster is one copied text.
type QuoteCluster struct {
	// Text is the earliest post's text (or the watch-list quote).
	Text string `json:"text"`
	// Source is "near_dup" (MinHash cluster), "exact" (same normalized
	// text) or "watch_list".
	Source string `json:"source"`
	// Posts and Accounts count original posts at or after T0; PostsTotal
	// counts all.
	Posts      int        `json:"posts"`
	Accounts   int        `json:"accounts"`
	PostsTotal int        `json:"posts_total"`
	Languages  []LangN    `json:"languages"`
	First      *time.Time `json:"first"`
	FirstAfter *time.Time `json:"first_after_t0"`
	Last       *time.Time `json:"last"`
	// Spread is the cumulative number of accounts and languages in
	// [T0, T0+offset), per lift window.
	Spread []Spread `json:"spread"`
	// Burst is the text's largest synchronous burst at or after T0; nil
	// when it has no posts after T0.
	Burst *QuoteBurst `json:"burst"`
}

// QuoteBurst describes how synchronously a copied text spread after T0.
// The burst is the most accounts that posted it within one co-action
// window (--window), tested against the text's own rate in
// --quote-context either side of the window (burstScan.localRate): the
// p-value is P(X >= accounts), X ~ Poisson(rate × window).
type QuoteBurst struct {
	Accounts  int       `json:"accounts"`
	Posts     int       `json:"posts"`
	Languages int       `json:"languages"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	OffsetS   float64   `json:"offset_s"`
	// ContextPosts are the text's posts in the context either side.
	ContextPosts int     `json:"context_posts"`
	Expected     float64 `json:"expected"`
	// Log10P is log10 of the burst's one-window p-value.
	Log10P float64 `json:"log10_p"`
	// SyncPosts are the text's posts after T0 with another account's copy
	// within the window either side; SyncExpected their expectation at
	// the local rates; SyncLog10P log10 of the synchrony p-value. A text
	// re-shared in several small bursts is found by this test.
	SyncPosts    int     `json:"sync_posts"`
	SyncExpected float64 `json:"sync_expected"`
	SyncLog10P   float64 `json:"sync_log10_p"`
	// PAdjusted is the smaller of the two Bonferroni-adjusted p-values
	// (burst: × 2 × Quotes.Tested × Quotes.BurstWindows; synchrony: × 2 ×
	// Quotes.Tested); Significant when it is at most --alpha and the burst
	// has at least --quote-min-accounts accounts.
	PAdjusted   float64 `json:"p_adjusted"`
	Significant bool    `json:"significant"`

	rank float64 // log10 of PAdjusted before clamping (ranking key)
}

// LangN is a language and its post count ("und" when unknown).
type LangN struct {
	Lang  string `json:"lang"`
	Posts int    `json:"posts"`
}

// Spread is a quote's reach at one offset.
type Spread struct {
	Offset    string `json:"offset"`
	Accounts  int    `json:"accounts"`
	Languages int    `json:"languages"`
}

// quoteCand is one copied text with enough accounts after T0.
type quoteCand struct {
	text       string
	src        string
	run, after []uint32
	accounts   int
	burst      QuoteBurst
}

func (s *state) quotes() Quotes {
	q := Quotes{Clusters: []QuoteCluster{}, EventClusters: []QuoteCluster{}, Params: s.p.quoteParams(), Notes: []string{}}
	s.textIdentity()
	numND := 0
	if s.in.NearDup != nil {
		numND = s.in.NearDup.NumClusters
	} else {
		q.Notes = append(q.Notes, "no near-duplicate clusters: exact copies only")
	}
	if s.i0 >= s.n {
		q.Notes = append(q.Notes, "no posts at or after T0")
	}
	lc := &accCounter{stamp: make([]uint32, s.c.Langs.Len()+1)}
	var cands []quoteCand
	for k := 0; k < s.numText; k++ {
		run := s.textRun(k)
		j, _ := slices.BinarySearchFunc(run, s.t0, func(p uint32, t int64) int { return cmp.Compare(s.c.Time[p], t) })
		after := run[j:]
		if len(after) < s.p.QuoteMinAccounts {
			continue
		}
		s.acc.next()
		na := 0
		for _, p := range after {
			if s.acc.add(s.c.Account[p]) {
				na++
			}
		}
		if na < s.p.QuoteMinAccounts {
			continue
		}
		src := "exact"
		if k < numND {
			src = "near_dup"
		}
		cands = append(cands, quoteCand{text: s.c.Text.At(int(run[0])), src: src, run: run, after: after, accounts: na})
	}
	watch := s.watchQuoteRuns()
	// Burst test: Bonferroni over every tested text and every co-action
	// window from T0 to the last post.
	q.Tested = len(cands) + len(watch)
	if s.n > 0 && s.last >= s.t0 {
		q.BurstWindows = int((s.last-s.t0)/ms(s.p.QuoteWindow)) + 1
	}
	bs := newBurstScan(s)
	for i := range cands {
		cands[i].burst = bs.scan(cands[i].run, cands[i].after, q.Tested, q.BurstWindows)
	}
	for i := range watch {
		watch[i].burst = bs.scan(watch[i].run, watch[i].after, q.Tested, q.BurstWindows)
	}
	// The biggest texts by accounts after T0.
	slices.SortFunc(cands, func(a, b quoteCand) int {
		if a.accounts != b.accounts {
			return b.accounts - a.accounts
		}
		if len(a.after) != len(b.after) {
			return len(b.after) - len(a.after)
		}
		return cmp.Compare(s.c.Time[a.run[0]], s.c.Time[b.run[0]])
	})
	for _, w := range watch {
		q.Clusters = append(q.Clusters, s.quoteCluster(w, lc))
	}
	for _, cd := range cands[:min(len(cands), s.p.TopItems)] {
		q.Clusters = append(q.Clusters, s.quoteCluster(cd, lc))
	}
	// The texts that spread in a significant burst, most significant
	// first (then most accounts in the burst, then most accounts).
	var ev []quoteCand
	for _, cd := range slices.Concat(watch, cands) {
		if cd.burst.Significant {
			ev = append(ev, cd)
		}
	}
	slices.SortStableFunc(ev, func(a, b quoteCand) int {
		if c := cmp.Compare(a.burst.rank, b.burst.rank); c != 0 {
			return c
		}
		if a.burst.Accounts != b.burst.Accounts {
			return b.burst.Accounts - a.burst.Accounts
		}
		return b.accounts - a.accounts
	})
	for _, cd := range ev[:min(len(ev), s.p.TopItems)] {
		q.EventClusters = append(q.EventClusters, s.quoteCluster(cd, lc))
	}
	if len(ev) == 0 && len(cands)+len(watch) > 0 {
		q.Notes = append(q.Notes, "no copied text spread in a significant synchronous burst after T0")
	}
	return q
}

// burstScan finds a text's largest synchronous burst: a sliding co-action
// window over its posts after T0, with per-account counts so that each
// post is added and removed once.
type burstScan struct {
	s     *state
	cnt   []int32
	langs *accCounter
}

func newBurstScan(s *state) *burstScan {
	return &burstScan{s: s, cnt: make([]int32, s.c.NumAccounts()), langs: &accCounter{stamp: make([]uint32, s.c.Langs.Len()+1)}}
}

func (b *burstScan) scan(run, after []uint32, tests, windows int) QuoteBurst {
	s, c := b.s, b.s.c
	if len(after) == 0 {
		return QuoteBurst{PAdjusted: 1}
	}
	w := ms(s.p.QuoteWindow)
	best, bestLo, bestHi := 0, 0, 0
	distinct, lo := 0, 0
	for hi, p := range after {
		a := c.Account[p]
		if b.cnt[a] == 0 {
			distinct++
		}
		b.cnt[a]++
		for c.Time[p]-c.Time[after[lo]] > w {
			x := c.Account[after[lo]]
			b.cnt[x]--
			if b.cnt[x] == 0 {
				distinct--
			}
			lo++
		}
		if distinct > best {
			best, bestLo, bestHi = distinct, lo, hi
		}
	}
	for _, p := range after[lo:] {
		b.cnt[c.Account[p]] = 0
	}
	ts, te := c.Time[after[bestLo]], c.Time[after[bestHi]]
	ctx, rate := b.localRate(run, ts, te)
	mu := rate * float64(w)
	b.langs.next()
	nl := 0
	for _, p := range after[bestLo : bestHi+1] {
		if b.langs.add(c.Lang[p] + 1) {
			nl++
		}
	}
	lp := log10PoissonTail(best, mu)
	qb := QuoteBurst{Accounts: best, Posts: bestHi - bestLo + 1, Languages: nl, Start: msTime(ts), End: msTime(te), OffsetS: secs(ts - s.t0),
		ContextPosts: ctx, Expected: mu, Log10P: lp}
	// Synchrony: posts with another account's copy within the window
	// either side, against the same local rates (1 - e^(-2·rate·window)
	// per post). Such posts come at least in pairs, so pairs are tested:
	// P(Poisson(expected/2) >= ceil(observed/2)).
	for i, p := range after {
		t, a := c.Time[p], c.Account[p]
		sync := false
		for j := i - 1; j >= 0 && t-c.Time[after[j]] <= w && !sync; j-- {
			sync = c.Account[after[j]] != a
		}
		for j := i + 1; j < len(after) && c.Time[after[j]]-t <= w && !sync; j++ {
			sync = c.Account[after[j]] != a
		}
		if sync {
			qb.SyncPosts++
		}
		_, r := b.localRate(run, t-w, t+w)
		qb.SyncExpected += -math.Expm1(-2 * r * float64(w))
	}
	qb.SyncLog10P = log10PoissonTail((qb.SyncPosts+1)/2, qb.SyncExpected/2)
	// Two tests per text, Bonferroni-adjusted: the burst over every text
	// and window, synchrony over every text.
	pb := math.Pow(10, lp) * float64(tests) * float64(windows) * 2
	ps := math.Pow(10, qb.SyncLog10P) * float64(tests) * 2
	qb.PAdjusted = math.Min(1, math.Min(pb, ps))
	qb.Significant = best >= s.p.QuoteMinAccounts && qb.PAdjusted <= s.p.Alpha
	// Ranking key: the smaller adjusted p, in log10 (no underflow).
	qb.rank = math.Min(lp+math.Log10(float64(tests)*float64(windows)*2), qb.SyncLog10P+math.Log10(float64(tests)*2))
	return qb
}

// localRate returns a text's posts in --quote-context either side of
// [from, to] (that span excluded) and its rate per ms there: the posts
// plus one, over the time they cover (a text that starts or stops near
// the span has an empty stretch of context), at least a quarter of the
// context; with no posts, one post over the whole context.
func (b *burstScan) localRate(run []uint32, from, to int64) (int, float64) {
	c := b.s.c
	ctxMs := ms(b.s.p.QuoteContext)
	tm := func(p uint32, t int64) int { return cmp.Compare(c.Time[p], t) }
	i0, _ := slices.BinarySearchFunc(run, from-ctxMs, tm)
	i1, _ := slices.BinarySearchFunc(run, from, tm)
	i2, _ := slices.BinarySearchFunc(run, to+1, tm)
	i3, _ := slices.BinarySearchFunc(run, to+ctxMs+1, tm)
	n := (i1 - i0) + (i3 - i2)
	span := 2 * ctxMs
	if n > 0 {
		first, last := from, to
		if i0 < i1 {
			first = c.Time[run[i0]]
		}
		if i2 < i3 {
			last = c.Time[run[i3-1]]
		}
		span = max((last-first)-(to-from), ctxMs/4)
	}
	return n, float64(n+1) / float64(span)
}

// quoteCluster describes the posts of one copied text (run: all, after:
// those at or after T0, both time-ordered).
func (s *state) quoteCluster(cd quoteCand, lc *accCounter) QuoteCluster {
	c := s.c
	run, after := cd.run, cd.after
	qc := QuoteCluster{Text: truncRunes(cd.text, 500), Source: cd.src, Posts: len(after), PostsTotal: len(run), Languages: []LangN{}, Spread: []Spread{}}
	if len(after) > 0 {
		b := cd.burst
		qc.Burst = &b
	}
	if len(run) > 0 {
		qc.First, qc.Last = msTimePtr(c.Time[run[0]]), msTimePtr(c.Time[run[len(run)-1]])
	}
	if len(after) > 0 {
		qc.FirstAfter = msTimePtr(c.Time[after[0]])
	}
	langs := map[uint32]int{}
	for _, p := range after {
		langs[c.Lang[p]]++
	}
	for l, n := range langs {
		name := "und"
		if l != ids.None {
			name = c.Langs.Key(l)
		}
		qc.Languages = append(qc.Languages, LangN{name, n})
	}
	slices.SortFunc(qc.Languages, func(a, b LangN) int {
		if a.Posts != b.Posts {
			return b.Posts - a.Posts
		}
		return cmp.Compare(a.Lang, b.Lang)
	})
	for _, w := range s.p.Windows {
		end := s.t0 + ms(w)
		s.acc.next()
		lc.next()
		na, nl := 0, 0
		for _, p := range after {
			if c.Time[p] >= end {
				break
			}
			if s.acc.add(c.Account[p]) {
				na++
			}
			if lc.add(c.Lang[p] + 1) { // ids.None wraps to 0 ("und")
				nl++
			}
		}
		qc.Spread = append(qc.Spread, Spread{Offset: windowName(w), Accounts: na, Languages: nl})
	}
	s.acc.next()
	na := 0
	for _, p := range after {
		if s.acc.add(c.Account[p]) {
			na++
		}
	}
	qc.Accounts = na
	return qc
}

// watchQuoteRuns matches the watch list's quotes by containment of their
// normalized text (normalize.MatchText) in each original post's.
func (s *state) watchQuoteRuns() []quoteCand {
	type wq struct {
		text string
		norm []byte
	}
	var qs []wq
	for _, t := range s.in.Watch.Quotes {
		n := normalize.MatchText(t)
		if len([]rune(n)) >= 10 {
			qs = append(qs, wq{t, []byte(n)})
		}
	}
	if len(qs) == 0 {
		return nil
	}
	c := s.c
	runs := make([][]uint32, len(qs))
	var buf []byte
	for i := 0; i < s.n; i++ {
		if c.Repost[i] != ids.None {
			continue
		}
		buf = normalize.AppendMatchText(buf[:0], c.Text.At(i))
		for k := range qs {
			if bytes.Contains(buf, qs[k].norm) {
				runs[k] = append(runs[k], uint32(i))
			}
		}
	}
	out := make([]quoteCand, 0, len(qs))
	for k, q := range qs {
		run := runs[k]
		j, _ := slices.BinarySearchFunc(run, s.t0, func(p uint32, t int64) int { return cmp.Compare(c.Time[p], t) })
		s.acc.next()
		na := 0
		for _, p := range run[j:] {
			if s.acc.add(c.Account[p]) {
				na++
			}
		}
		out = append(out, quoteCand{text: q.text, src: "watch_list", run: run, after: run[j:], accounts: na})
	}
	return out
}
