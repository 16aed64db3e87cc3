package stance

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Rules is the transparent rule-and-lexicon classifier. Build it once with
// NewRules; Classify is safe for concurrent use.
type Rules struct {
	groups  []lexGroup
	kinds   []uint8 // per group: kind code
	isEvent []bool  // per group: counts as an event term too
	isAgent []bool  // per group: the group's fighters as agents (asserts alone)
	isResp  []bool  // per group: an explicit claim of responsibility
	// isNotGroup: per group, a denial that names its own negation ("not
	// ISIS", "not behind"): enough to deny, and not negated again by a
	// preceding negator (French "ne … pas derrière").
	isNotGroup []bool
	phrases    []phrase
	first      map[uint64][]int32 // first-token hash -> phrase indexes, longest first
	prefixes   []prefixPhrase
	targets    map[uint64]bool    // words before a group name that make it a target ("attack on ISIS")
	by         map[uint64]bool    // "by", "par", "de": an event before a group name needs one between
	vocative   map[uint64]bool    // "O", "يا": the group's fighters addressed, not agents
	frames     []frame            // "it was", "c'est", "هل هم": a frame before a group name identifies the author
	frameLast  map[uint64][]int32 // last-word hash -> frame indexes
	fillers    map[uint64]bool    // a word allowed between a frame and the group name ("it's those ISIS …")
	modals     map[uint64]bool    // "will", "سوف", "va": after a hedged group name, a threat rather than a guess
	pool       sync.Pool
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

// frame is a copula frame: the token hashes, and per token whether the
// word must have carried a dropped "'s" ("it's").
type frame struct {
	hashes []uint64
	apostS uint32
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

// Copula frames that, right before a group name (at most one filler word
// between, same clause), identify the group as the author: "it was ISIS",
// "was this IS?", "if it's ISIS again", "c'est Daech", "serait-ce les lions
// du Califat", "هل هم أسود الخلافة", "ربما تكون الدولة". A "~" marks a word
// that must carry "'s" ("it's"). The group's own name after the frame is
// what makes the frame an attribution; a hedge or a question before it
// makes it speculation (the decision rules).
var frameTexts = []string{
	"it was", "it is", "~it", "was it", "is it", "was this", "is this", "this was", "that was", "~that",
	"could it be", "could this be", "might it be", "would it be", "must be", "must have been",
	"c'est", "c'était", "ce sont", "ce serait", "serait-ce", "est-ce", "était-ce", "ce n'est",
	"هو", "هي", "هم", "إنه", "إنها", "إنهم", "كان", "كانت", "يكون", "تكون", "لعله", "لعلها", "لعلهم",
}

// Words allowed between a frame and the group name.
var fillerWords = []string{"the", "those", "these", "again", "really", "just", "a", "an", "le", "la", "les", "l",
	"ces", "encore", "un", "une", "vraiment", "مجددا", "ثانية"}

// Future and modal markers after a group name.
var modalWords = []string{"will", "would", "may", "might", "could", "can", "plans", "threatens", "سوف", "va", "vont",
	"pourrait", "menace"}

// Vocatives: the group's fighters addressed ("O soldiers of the Caliphate,
// strike them") are not named as agents of an event.
var vocativeWords = []string{"o", "oh", "ya", "يا", "ô", "ayyuha", "أيها"}

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
		r.isEvent = append(r.isEvent, g.name == "martyrdom-op" || g.name == "istishhad-ar" || g.name == "murdered" || g.name == "irhab-act")
		r.isAgent = append(r.isAgent, g.name == "fighters" || g.name == "fighters-ar" || g.name == "fighters-fr")
		r.isResp = append(r.isResp, g.name == "responsibility" || g.name == "tabanna" || g.name == "revendique")
		r.isNotGroup = append(r.isNotGroup, g.kind == KindDeny && (strings.HasPrefix(g.name, "not-group") || strings.HasPrefix(g.name, "not-behind")))
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
	// "attackers pledged allegiance to ISIS": allegiance, like "by", makes
	// the name the agent's group.
	for _, w := range []string{"by", "par", "de", "du", "des", "allegiance", "allégeance"} {
		r.by[tz.tokenize(w)[0].h1] = true
	}
	r.vocative = map[uint64]bool{}
	for _, w := range vocativeWords {
		r.vocative[tz.tokenize(w)[0].h1] = true
	}
	r.frameLast = map[uint64][]int32{}
	r.modals = map[uint64]bool{}
	for _, w := range modalWords {
		r.modals[tz.tokenize(w)[0].h1] = true
	}
	r.fillers = map[uint64]bool{}
	for _, w := range fillerWords {
		r.fillers[tz.tokenize(w)[0].h1] = true
	}
	for _, ft := range frameTexts {
		var f frame
		for _, w := range bytes.Fields([]byte(ft)) {
			if w[0] == '~' {
				f.apostS |= 1 << len(f.hashes)
				w = w[1:]
			}
			for _, t := range tz.tokenize(string(w)) {
				f.hashes = append(f.hashes, t.h1)
			}
		}
		r.frames = append(r.frames, f)
		last := f.hashes[len(f.hashes)-1]
		r.frameLast[last] = append(r.frameLast[last], int32(len(r.frames)-1))
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
func (r *Rules) negate(ms []match, toks []token) {
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
		if r.isNotGroup[m.group] {
			continue // "ne sont pas derrière": the cue carries the negation
		}
		n := &ms[last]
		if m.ti-n.tj <= negationWindow && toks[n.tj-1].clause == toks[m.ti].clause {
			m.negated = true
		}
	}
}

// hedgeWindow is how many words before an assertion cue a hedge of the
// same clause may stand and still qualify it: "reportedly killed by
// ISIS", "maybe the soldiers of the Caliphate have reached Paris", but not
// "a man suspected of providing weapons to the IS jihadi behind the attack".
const hedgeWindow = 4

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
	// hedgedAssert: a hedge stands before an assertion cue (at most
	// hedgeWindow words before, or at most two words after it) in the same clause: "reportedly killed by ISIS",
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
	r.negate(s.matches, toks)
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
		// The fighters are agents when named in the sentence, not when
		// addressed ("O soldiers of the Caliphate, strike them") or used
		// as a hashtag (#جنود_الخلافة marks a topic, not who acted).
		if r.isAgent[m.group] && !toks[m.tj-1].tag && !(m.ti > 0 && tokHasAny(&toks[m.ti-1], r.vocative)) {
			t.agents++
		}
		if r.isResp[m.group] {
			t.resp++
		}
		if r.isNotGroup[m.group] {
			t.notGroup = true
		}
		if m.kind != kGroup && m.kind != kGroupPro && m.kind != kGroupAnti && m.kind != kChannel {
			continue
		}
		if m.ti > 0 && r.targets[toks[m.ti-1].h1] {
			continue // "attack on ISIS": the group is the target
		}
		found := false
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
			// "ISIS will attack", "ISIS may attack ships": a threat or a
			// plan, not an event done (guidelines: future plans are none).
			if e.ti > m.ti && r.anyModal(toks[m.tj:e.ti]) {
				continue
			}
			s.matches = append(s.matches, match{group: -1, kind: kAgency, ti: min(m.ti, e.ti), tj: max(m.tj, e.tj),
				start: min(m.start, e.start), end: max(m.end, e.end), name: "group+event", lang: g.lang})
			t.agency++
			found = true
			break
		}
		if found || m.kind == kChannel {
			continue
		}
		if name, ti := r.frameBefore(toks, m, s.matches[:n]); name != "" {
			s.matches = append(s.matches, match{group: -1, kind: kAgency, ti: ti, tj: m.tj,
				start: toks[ti].start, end: m.end, name: name, lang: g.lang})
			t.agency++
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
		for ; k < len(s.hedges) && toks[s.hedges[k]].clause == cl && s.hedges[k] <= a.tj+2; k++ {
			if s.hedges[k] >= a.ti-hedgeWindow {
				t.hedgedAssert = true
				break
			}
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '?' && inURL(text, i) {
			continue // "watch?v=": a query string, not a question
		}
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

// inURL reports whether text[i] lies in a URL: the run of non-space bytes
// around it contains "://" or starts with "www.".
func inURL(text string, i int) bool {
	st := i
	for st > 0 && text[st-1] != ' ' && text[st-1] != '\n' && text[st-1] != '\t' {
		st--
	}
	run := text[st:i]
	return strings.Contains(run, "://") || strings.HasPrefix(run, "www.")
}

// matchFrames checks the frames idx ending right before toks[end] in
// clause cl.
func (r *Rules) matchFrames(toks []token, idx []int32, end, cl int32) (string, int32) {
	for _, fi := range idx {
		f := &r.frames[fi]
		st := end - int32(len(f.hashes))
		if st < 0 || toks[st].clause != cl {
			continue
		}
		ok := true
		for k := range f.hashes {
			t := &toks[st+int32(k)]
			if !tokHas(t, f.hashes[k]) || f.apostS&(1<<k) != 0 && !t.apostS {
				ok = false
				break
			}
		}
		if ok {
			return "frame+group", st
		}
	}
	return "", 0
}

// anyModal reports whether one of toks is a future or modal marker.
func (r *Rules) anyModal(toks []token) bool {
	for i := range toks {
		if tokHasAny(&toks[i], r.modals) {
			return true
		}
	}
	return false
}

// tokHasAny reports whether t (or its alternative form) is in set.
func tokHasAny(t *token, set map[uint64]bool) bool {
	return set[t.h1] || t.h2 != 0 && set[t.h2]
}

// frameBefore looks right before the group name m (at most one filler word
// between, same clause) for a copula frame ("it was ISIS", "c'est Daech",
// "هل هم أسود الخلافة") or a non-weak hedge ("probably Daesh", "ربما
// داعش"). It returns the derived cue's name and first token, or "".
func (r *Rules) frameBefore(toks []token, m *match, ms []match) (string, int32) {
	cl := toks[m.ti].clause
	for gap := int32(0); gap <= 1; gap++ {
		end := m.ti - gap // the frame ends before toks[end]
		if gap == 1 && (end < 1 || !tokHasAny(&toks[end], r.fillers)) {
			break
		}
		if end < 1 {
			break
		}
		lt := &toks[end-1]
		for alt := 0; alt < 2; alt++ {
			h := lt.h1
			if alt == 1 {
				if h = lt.h2; h == 0 {
					break
				}
			}
			if name, st := r.matchFrames(toks, r.frameLast[h], end, cl); name != "" {
				return name, st
			}
		}
		// "perhaps ISIS will attack ships": a hedged future is a threat,
		// not a guess about an event.
		if m.tj < int32(len(toks)) && tokHasAny(&toks[m.tj], r.modals) {
			continue
		}
		for j := range ms {
			h := &ms[j]
			if h.kind == kHedge && !h.negated && !r.groups[h.group].weak && h.tj == end && toks[h.ti].clause == cl {
				return "hedge+group", h.ti
			}
		}
	}
	return "", 0
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
