package stance

import (
	"bytes"
	"fmt"
	"slices"
	"sync"
)

// Rules is the transparent rule-and-lexicon classifier. Build it once with
// NewRules; Classify is safe for concurrent use.
type Rules struct {
	groups   []lexGroup
	kinds    []uint8 // per group: kind code
	isEvent  []bool  // per group: counts as an event term too
	isAgent  []bool  // per group: the group's fighters as agents (asserts alone)
	isResp   []bool  // per group: an explicit claim of responsibility
	phrases  []phrase
	first    map[uint64][]int32 // first-token hash -> phrase indexes, longest first
	prefixes []prefixPhrase
	targets  map[uint64]bool // words before a group name that make it a target ("attack on ISIS")
	by       map[uint64]bool // "by", "par": an event before a group name needs one between
	pool     sync.Pool
}

// kind codes (index into kindNames).
const (
	kGroup uint8 = iota
	kGroupPro
	kGroupAnti
	kChannel
	kClaim
	kAgency
	kEvent
	kHedge
	kDeny
	kQuestion
	kNegator
	kPraise
	kEnemy
	kCondemn
	kOpen
	numKinds
)

var kindNames = [numKinds]string{KindGroup, KindGroupPro, KindGroupAnti, KindChannel, KindClaim, KindAgency,
	KindEvent, KindHedge, KindDeny, KindQuestion, KindNegator, KindPraise, KindEnemy, KindCondemn, KindOpen}

func kindCode(k string) uint8 {
	for i, n := range kindNames {
		if n == k {
			return uint8(i)
		}
	}
	panic("BUG: unknown cue kind " + k)
}

type phrase struct {
	group  int32
	hashes []uint64
	upper  uint32 // bit i: token i must be upper case or a hashtag
}

type prefixPhrase struct {
	group int32
	norm  []byte
}

// match is one lexicon hit in token coordinates.
type match struct {
	group      int32 // lexicon group; -1 for derived cues
	kind       uint8
	ti, tj     int32 // token range [ti, tj)
	start, end int32 // byte span in the original text
	negated    bool
	name       string // derived cues only
	lang       string // derived cues only
}

// scratch is the per-call working state, pooled.
type scratch struct {
	tz      tokenizer
	matches []match
	hedges  []int32 // token indexes of hedges
	cues    []Cue
}

// Words that, right before a group name, make the group the target of the
// event rather than its author.
var targetWords = []string{"on", "against", "vs", "versus", "fighting", "fight", "fights", "targeting", "bombing",
	"bombed", "strikes", "airstrikes", "on", "ضد", "على", "مواقع", "contre", "anti"}

// hasBy reports whether one of toks is "by" or "par".
func (r *Rules) hasBy(toks []token) bool {
	for i := range toks {
		if r.by[toks[i].h1] {
			return true
		}
	}
	return false
}

// NewRules compiles the lexicons.
func NewRules() *Rules {
	r := &Rules{
		groups:  lexicon,
		first:   map[uint64][]int32{},
		targets: map[uint64]bool{},
		by:      map[uint64]bool{},
	}
	var tz tokenizer
	for gi, g := range lexicon {
		r.kinds = append(r.kinds, kindCode(g.kind))
		r.isEvent = append(r.isEvent, g.name == "martyrdom-op" || g.name == "istishhad-ar")
		r.isAgent = append(r.isAgent, g.name == "fighters" || g.name == "fighters-ar" || g.name == "fighters-fr")
		r.isResp = append(r.isResp, g.name == "responsibility" || g.name == "tabanna" || g.name == "revendique")
		for _, ph := range g.phrases {
			r.addPhrase(&tz, int32(gi), ph)
		}
	}
	for _, idx := range r.first {
		slices.SortStableFunc(idx, func(a, b int32) int { return len(r.phrases[b].hashes) - len(r.phrases[a].hashes) })
	}
	for _, w := range targetWords {
		for _, t := range tz.tokenize(w) {
			r.targets[t.h1] = true
		}
	}
	for _, w := range []string{"by", "par"} {
		r.by[tz.tokenize(w)[0].h1] = true
	}
	r.pool.New = func() any { return &scratch{} }
	return r
}

// addPhrase compiles one lexicon phrase (see the syntax in lexicon.go).
func (r *Rules) addPhrase(tz *tokenizer, group int32, ph string) {
	if n := len(ph); n > 1 && ph[n-1] == '*' {
		norm := append([]byte(nil), tz.normalizeWord(ph[:n-1])...)
		r.prefixes = append(r.prefixes, prefixPhrase{group: group, norm: norm})
		return
	}
	var p phrase
	p.group = group
	for _, w := range bytes.Fields([]byte(ph)) {
		up := false
		if w[0] == '^' {
			up, w = true, w[1:]
		}
		for _, t := range tz.tokenize(string(w)) {
			if up {
				p.upper |= 1 << len(p.hashes)
			}
			p.hashes = append(p.hashes, t.h1)
		}
	}
	if len(p.hashes) == 0 || len(p.hashes) > 32 {
		panic(fmt.Sprintf("BUG: lexicon phrase %q has %d words", ph, len(p.hashes)))
	}
	r.phrases = append(r.phrases, p)
	r.first[p.hashes[0]] = append(r.first[p.hashes[0]], int32(len(r.phrases)-1))
}

// tokHas reports whether token t matches hash h.
func tokHas(t *token, h uint64) bool { return t.h1 == h || t.h2 != 0 && t.h2 == h }

// scan finds the lexicon matches in toks (longest match first, left to
// right, non-overlapping).
func (r *Rules) scan(s *scratch, toks []token) {
	s.matches = s.matches[:0]
	all := s.tz.all
	for i := 0; i < len(toks); {
		best, bestLen := int32(-1), 0
		for alt := 0; alt < 2; alt++ {
			h := toks[i].h1
			if alt == 1 {
				h = toks[i].h2
				if h == 0 {
					break
				}
			}
			for _, pi := range r.first[h] {
				p := &r.phrases[pi]
				n := len(p.hashes)
				if n <= bestLen || i+n > len(toks) {
					continue
				}
				ok := true
				for k := 0; k < n && ok; k++ {
					t := &toks[i+k]
					ok = tokHas(t, p.hashes[k]) && (p.upper&(1<<k) == 0 || t.upper)
				}
				if ok {
					best, bestLen = p.group, n
				}
			}
		}
		if best < 0 {
			w := all[toks[i].ns:toks[i].ne]
			for _, pp := range r.prefixes {
				if bytes.HasPrefix(w, pp.norm) {
					best, bestLen = pp.group, 1
					break
				}
			}
		}
		if best < 0 {
			i++
			continue
		}
		j := i + bestLen
		s.matches = append(s.matches, match{group: best, kind: r.kinds[best], ti: int32(i), tj: int32(j),
			start: toks[i].start, end: toks[j-1].end})
		i = j
	}
}

// negationWindow is how many words may stand between a negator and the cue
// it negates.
const negationWindow = 2

// negate marks cues preceded (within negationWindow words, in the same
// clause) by a negator.
func negate(ms []match, toks []token) {
	last := -1 // index of the last negator match
	for i := range ms {
		m := &ms[i]
		if m.kind == kNegator {
			last = i
			continue
		}
		if m.kind == kGroup || m.kind == kGroupPro || m.kind == kGroupAnti || m.kind == kChannel {
			last = -1 // "didn't … after ISIS killed": the scope ends at a new subject
			continue
		}
		if last < 0 {
			continue
		}
		switch m.kind {
		case kClaim, kEvent, kHedge, kDeny, kPraise, kCondemn, kAgency, kOpen, kEnemy:
		default:
			continue
		}
		n := &ms[last]
		if m.ti-n.tj <= negationWindow && toks[n.tj-1].clause == toks[m.ti].clause {
			m.negated = true
		}
	}
}

// tally summarises the matches for the decision.
type tally struct {
	count    [numKinds]int // non-negated matches per kind (weak cues excluded)
	negClaim int           // negated claims ("did not claim")
	negPro   int           // negated praise/enemy
	negAnti  int           // negated condemnation ("not terrorists")
	notGroup bool          // a "not IS" phrase
	resp     int           // explicit claims of responsibility
	agents   int           // the group's fighters named as agents
	question bool
	agency   int // derived group+event pairs
	// hedgedAssert: a hedge stands before an assertion cue (or at most two
	// words after it) in the same clause: "reportedly killed by ISIS",
	// "suspected ISIS attack", but not "IS claims X, reportedly killing 22".
	hedgedAssert bool
}

// Classify classifies one post. lang ("ar", "en", "fr" or "") is a hint the
// rules do not need: all three lexicons are matched, since posts mix
// languages.
func (r *Rules) Classify(text, lang string) Result {
	s := r.pool.Get().(*scratch)
	res := r.classify(s, text)
	if len(s.cues) > 0 {
		res.Cues = append(make([]Cue, 0, len(s.cues)), s.cues...)
	}
	r.pool.Put(s)
	return res
}

// classify fills s.cues and returns the result without Cues.
func (r *Rules) classify(s *scratch, text string) Result {
	toks := s.tz.tokenize(text)
	r.scan(s, toks)
	negate(s.matches, toks)
	var t tally
	r.derive(s, toks, text, &t)
	r.collect(s, text, &t)
	return decide(&t)
}

// derive adds agency cues (a group name next to an event term) and a
// question-mark cue, and counts the matches.
func (r *Rules) derive(s *scratch, toks []token, text string, t *tally) {
	n := len(s.matches)
	for i := 0; i < n; i++ {
		m := &s.matches[i]
		g := r.groups[m.group]
		if m.negated {
			switch m.kind {
			case kClaim, kOpen:
				t.negClaim++
			case kPraise, kEnemy:
				t.negPro++
			case kCondemn:
				t.negAnti++
			}
			continue
		}
		if !g.weak {
			t.count[m.kind]++
		}
		if r.isEvent[m.group] {
			t.count[kEvent]++
		}
		if r.isAgent[m.group] {
			t.agents++
		}
		if r.isResp[m.group] {
			t.resp++
		}
		if m.kind == kDeny && (g.name == "not-group" || g.name == "not-group-ar" || g.name == "not-group-fr") {
			t.notGroup = true
		}
		if m.kind != kGroup && m.kind != kGroupPro && m.kind != kGroupAnti && m.kind != kChannel {
			continue
		}
		if m.ti > 0 && r.targets[toks[m.ti-1].h1] {
			continue // "attack on ISIS": the group is the target
		}
		for j := max(0, i-3); j < min(n, i+4); j++ {
			e := &s.matches[j]
			if j == i || e.negated || !(e.kind == kEvent || r.isEvent[e.group]) {
				continue
			}
			gap := e.ti - m.tj
			if e.ti < m.ti {
				gap = m.ti - e.tj
				// "killed by ISIS", "attaque par l'EI": in Latin script an
				// event before the name needs "by"; Arabic puts the actor
				// after the event ("هجوم لمقاتلي الدولة").
				if g.lang != "ar" && !r.hasBy(toks[e.tj:m.ti]) {
					continue
				}
			}
			if gap > 3 {
				continue
			}
			s.matches = append(s.matches, match{group: -1, kind: kAgency, ti: min(m.ti, e.ti), tj: max(m.tj, e.tj),
				start: min(m.start, e.start), end: max(m.end, e.end), name: "group+event", lang: g.lang})
			t.agency++
			break
		}
	}
	// Hedged assertions. Hedges are in token order, hence in clause order:
	// binary-search the first hedge of the assertion's clause.
	s.hedges = s.hedges[:0]
	for j := range s.matches[:n] {
		h := &s.matches[j]
		if h.kind == kHedge && !h.negated && !r.groups[h.group].weak {
			s.hedges = append(s.hedges, h.ti)
		}
	}
	for i := range s.matches {
		if len(s.hedges) == 0 || t.hedgedAssert {
			break
		}
		a := &s.matches[i]
		if a.negated || !(a.kind == kAgency || a.kind == kClaim || a.group >= 0 && r.isAgent[a.group]) {
			continue
		}
		cl := toks[a.ti].clause
		k, _ := slices.BinarySearchFunc(s.hedges, cl, func(ti int32, c int32) int { return int(toks[ti].clause - c) })
		if k < len(s.hedges) && toks[s.hedges[k]].clause == cl && s.hedges[k] <= a.tj+2 {
			t.hedgedAssert = true
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '?' || c == 0xd8 && i+1 < len(text) && text[i+1] == 0x9f { // ? or ؟ (U+061F = d8 9f)
			end := i + 1
			if c == 0xd8 {
				end = i + 2
			}
			s.matches = append(s.matches, match{group: -1, kind: kQuestion, start: int32(i), end: int32(end),
				name: "question-mark", lang: ""})
			t.question = true
			break
		}
	}
	if t.count[kQuestion] > 0 {
		t.question = true
	}
}

// collect turns the matches into cues in text order. Negators are reported
// only when they negate something.
func (r *Rules) collect(s *scratch, text string, t *tally) {
	s.cues = s.cues[:0]
	ms := s.matches
	slices.SortStableFunc(ms, func(a, b match) int { return int(a.start) - int(b.start) })
	for i := range ms {
		m := &ms[i]
		if len(s.cues) >= MaxCues {
			break
		}
		if m.kind == kNegator && !(i+1 < len(ms) && ms[i+1].negated) {
			continue
		}
		c := Cue{Start: int(m.start), End: int(m.end)}
		if m.group < 0 {
			c.Name, c.Lang = m.name, m.lang
		} else {
			g := &r.groups[m.group]
			c.Name, c.Lang = g.name, g.lang
		}
		c.Kind = kindNames[m.kind]
		if m.negated {
			c.Kind = KindNegated
		}
		s.cues = append(s.cues, c)
	}
}

// decide applies the decision rules documented in docs/stance.md.
func decide(t *tally) Result {
	c := &t.count
	group := c[kGroup] + c[kGroupPro] + c[kGroupAnti] + c[kChannel]
	assertEv := t.agency + c[kAgency] + t.agents
	if t.resp > 0 && group > 0 || c[kClaim] > 0 && group > 0 && c[kEvent] > 0 {
		assertEv++
	}
	if c[kChannel] > 0 && c[kEvent] > 0 {
		assertEv++
	}
	hedged := t.hedgedAssert
	open := c[kOpen] > 0 || t.negClaim > 0
	var res Result
	switch {
	case c[kDeny] > 0 && (t.notGroup || group > 0 || c[kEvent] > 0 || c[kClaim] > 0):
		res.Attribution, res.Confidence = Denies, 0.6
	case assertEv > 0 && (hedged || open || t.question && c[kChannel] == 0):
		res.Attribution, res.Confidence = Speculates, 0.55
	case assertEv > 0:
		res.Attribution, res.Confidence = Asserts, min(0.95, 0.6+0.1*float64(assertEv))
	case open && group > 0:
		res.Attribution, res.Confidence = Speculates, 0.5
	default:
		res.Attribution, res.Confidence = None, 0.7
		if group > 0 && c[kEvent] > 0 {
			res.Confidence = 0.5
		}
	}
	pro := c[kGroupPro] + c[kPraise] + c[kEnemy] + t.negAnti
	if c[kChannel] > 0 {
		pro++
	}
	anti := c[kGroupAnti] + c[kCondemn] + t.negPro
	switch {
	case pro > anti:
		res.Orientation = Supportive
	case anti > pro:
		res.Orientation = Opposing
	default:
		res.Orientation = Neutral
	}
	return res
}
