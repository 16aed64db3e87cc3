package indicators

import (
	"bytes"
	"cmp"
	"slices"
	"time"

	"github.com/chorus-osint/chorus/internal/ids"
	"github.com/chorus-osint/chorus/internal/normalize"
)

// Quotes is the quote indicator: texts copied by many accounts
// (near-duplicate clusters, exact copies, and watch-list quotes) and how
// they spread across accounts and languages after T0.
type Quotes struct {
	Clusters []QuoteCluster `json:"clusters"`
	Notes    []string       `json:"notes"`
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

func (s *state) quotes() Quotes {
	q := Quotes{Clusters: []QuoteCluster{}, Notes: []string{}}
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
	var out []QuoteCluster
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
		out = append(out, s.quoteCluster(s.c.Text[run[0]], src, run, after, lc))
	}
	slices.SortFunc(out, func(a, b QuoteCluster) int {
		if a.Accounts != b.Accounts {
			return b.Accounts - a.Accounts
		}
		if a.Posts != b.Posts {
			return b.Posts - a.Posts
		}
		return a.First.Compare(*b.First)
	})
	if len(out) > s.p.TopItems {
		out = out[:s.p.TopItems]
	}
	q.Clusters = append(s.watchQuotes(lc), out...)
	return q
}

// quoteCluster describes the posts of one copied text (run: all, after:
// those at or after T0, both time-ordered).
func (s *state) quoteCluster(text, src string, run, after []uint32, lc *accCounter) QuoteCluster {
	c := s.c
	qc := QuoteCluster{Text: truncRunes(text, 500), Source: src, Posts: len(after), PostsTotal: len(run), Languages: []LangN{}, Spread: []Spread{}}
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

// watchQuotes matches the watch list's quotes by containment of their
// normalized text (normalize.MatchText) in each original post's.
func (s *state) watchQuotes(lc *accCounter) []QuoteCluster {
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
		buf = normalize.AppendMatchText(buf[:0], c.Text[i])
		for k := range qs {
			if bytes.Contains(buf, qs[k].norm) {
				runs[k] = append(runs[k], uint32(i))
			}
		}
	}
	out := make([]QuoteCluster, 0, len(qs))
	for k, q := range qs {
		run := runs[k]
		j, _ := slices.BinarySearchFunc(run, s.t0, func(p uint32, t int64) int { return cmp.Compare(c.Time[p], t) })
		out = append(out, s.quoteCluster(q.text, "watch_list", run, run[j:], lc))
	}
	return out
}
