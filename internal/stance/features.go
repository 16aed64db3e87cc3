package stance

import (
	"math"
	"slices"
	"unicode/utf8"

	"github.com/chorus-osint/chorus/internal/normalize"
)

// Feature layout of the trained model. Indices [0, 2^hashBits) are hashed
// character n-grams; above them come dense slots for the rule cues:
//
//	one per lexicon group (a cue of that group fired),
//	one per cue kind (at least one cue of that kind),
//	the rules' attribution decision (4), orientation decision (3),
//	the language (ar, en, fr, other).
const (
	ngramMin = 2
	ngramMax = 5
	// maxNgramBytes bounds the normalized text the n-grams are taken from
	// (the rules still read all of it): a 1 MB post costs no more than an
	// 8 KB one.
	maxNgramBytes = 8 << 10
)

// feat is one non-zero feature.
type feat struct {
	idx uint32
	val float32
}

// featureSpace describes the feature layout for one hash size.
type featureSpace struct {
	hashBits uint
	groups   int
}

func (fs featureSpace) hashDim() uint32   { return 1 << fs.hashBits }
func (fs featureSpace) groupBase() uint32 { return fs.hashDim() }
func (fs featureSpace) kindBase() uint32  { return fs.groupBase() + uint32(fs.groups) }
func (fs featureSpace) ruleBase() uint32  { return fs.kindBase() + uint32(numKinds) + 1 } // +1: negated
func (fs featureSpace) langBase() uint32  { return fs.ruleBase() + 4 + 3 }
func (fs featureSpace) dim() uint32       { return fs.langBase() + 4 }

// featScratch holds reusable buffers for featurizing one post.
type featScratch struct {
	rs    scratch
	match []byte
	runes []int32 // byte offsets of rune starts in match, plus the end
	idx   []uint32
	feats []feat
}

// featurize computes the features of text and the rules' result (whose
// cues are left in fsc.rs.cues). With merge, n-gram features are sorted and
// repeated indices summed (training needs unique features for document
// frequencies); without, a repeated n-gram appears once per occurrence,
// which a linear scorer sums to the same value, and the sort is saved.
func (r *Rules) featurize(fs featureSpace, fsc *featScratch, text, lang string, merge bool) ([]feat, Result) {
	res := r.classify(&fsc.rs, text)
	fsc.feats = fsc.feats[:0]

	// Character n-grams over " " + MatchText(text) + " ".
	fsc.match = append(fsc.match[:0], ' ')
	fsc.match = normalize.AppendMatchText(fsc.match, text)
	if len(fsc.match) > maxNgramBytes {
		cut := maxNgramBytes
		for cut > 0 && !utf8.RuneStart(fsc.match[cut]) {
			cut--
		}
		fsc.match = fsc.match[:cut]
	}
	fsc.match = append(fsc.match, ' ')
	b := fsc.match
	fsc.runes = fsc.runes[:0]
	for i := 0; i < len(b); {
		fsc.runes = append(fsc.runes, int32(i))
		_, size := utf8.DecodeRune(b[i:])
		i += size
	}
	fsc.runes = append(fsc.runes, int32(len(b)))
	nr := len(fsc.runes) - 1
	mask := fs.hashDim() - 1
	fsc.idx = fsc.idx[:0]
	for n := ngramMin; n <= ngramMax; n++ {
		for i := 0; i+n <= nr; i++ {
			g := b[fsc.runes[i]:fsc.runes[i+n]]
			h := uint64(14695981039346656037) ^ uint64(n)*0x9E3779B97F4A7C15
			for _, c := range g {
				h ^= uint64(c)
				h *= 1099511628211
			}
			fsc.idx = append(fsc.idx, uint32(h^h>>32)&mask)
		}
	}
	if !merge && len(fsc.idx) > 0 {
		norm := float32(1 / math.Sqrt(float64(len(fsc.idx))))
		for _, ix := range fsc.idx {
			fsc.feats = append(fsc.feats, feat{ix, norm})
		}
	} else if len(fsc.idx) > 0 {
		slices.Sort(fsc.idx)
		norm := float32(1 / math.Sqrt(float64(len(fsc.idx))))
		prev, cnt := fsc.idx[0], 0
		for _, ix := range fsc.idx {
			if ix != prev {
				fsc.feats = append(fsc.feats, feat{prev, float32(cnt) * norm})
				prev, cnt = ix, 0
			}
			cnt++
		}
		fsc.feats = append(fsc.feats, feat{prev, float32(cnt) * norm})
	}

	// Rule cues (binary); the slots are above the hash range, so the list
	// stays sorted after a sort of this tail.
	tail := len(fsc.feats)
	var kinds [numKinds + 1]bool
	for _, m := range fsc.rs.matches {
		if m.group >= 0 && !m.negated {
			fsc.feats = append(fsc.feats, feat{fs.groupBase() + uint32(m.group), 1})
		}
		k := int(m.kind)
		if m.negated {
			k = int(numKinds)
		}
		kinds[k] = true
	}
	for k, on := range kinds {
		if on {
			fsc.feats = append(fsc.feats, feat{fs.kindBase() + uint32(k), 1})
		}
	}
	fsc.feats = append(fsc.feats,
		feat{fs.ruleBase() + uint32(AttributionIndex(res.Attribution)), 1},
		feat{fs.ruleBase() + 4 + uint32(OrientationIndex(res.Orientation)), 1},
		feat{fs.langBase() + uint32(langSlot(lang, text)), 1})
	t := fsc.feats[tail:]
	slices.SortFunc(t, func(a, b feat) int { return int(a.idx) - int(b.idx) })
	// Merge duplicate group slots (a group that fired twice).
	w := tail
	for i := tail; i < len(fsc.feats); i++ {
		if w > tail && fsc.feats[w-1].idx == fsc.feats[i].idx {
			continue
		}
		fsc.feats[w] = fsc.feats[i]
		w++
	}
	fsc.feats = fsc.feats[:w]
	return fsc.feats, res
}

// langSlot maps a language to 0 ar, 1 en, 2 fr, 3 other; an empty lang is
// guessed from the script (Arabic letters vs others).
func langSlot(lang, text string) int {
	switch lang {
	case "ar":
		return 0
	case "en":
		return 1
	case "fr":
		return 2
	case "":
		if DetectLang(text) == "ar" {
			return 0
		}
		return 1
	}
	return 3
}

// DetectLang guesses "ar" when at least 40% of the letters are Arabic,
// else "en" (Latin-script French and English share the lexicons anyway). It
// is a fallback for inputs without a language field.
func DetectLang(text string) string {
	ar, lat := 0, 0
	for _, r := range text {
		switch {
		case r >= 0x0600 && r <= 0x06FF:
			ar++
		case r < 0x250 && (r|0x20 >= 'a' && r|0x20 <= 'z' || r >= 0xC0):
			lat++
		}
	}
	if ar > 0 && ar*5 >= (ar+lat)*2 {
		return "ar"
	}
	return "en"
}
