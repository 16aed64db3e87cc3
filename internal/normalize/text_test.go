package normalize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Arabic, strings taken from the Fifth Tribe and TT datasets.
		{"teh marbuta and hamza alef", "الدولة الإسلامية", "الدوله الاسلاميه"},
		{"already folded", "الدوله الاسلاميه", "الدوله الاسلاميه"},
		{"hamza below and above", "أخبار الإختراق", "اخبار الاختراق"},
		{"madda", "آمين", "امين"},
		{"alef wasla", "ٱلله", "الله"},
		{"alef maksura", "على مستوى", "علي مستوي"},
		{"tatweel", "🔴عاجــل | #العراق", "🔴عاجل | #العراق"},
		{"tatweel after heh (hijri abbreviation)", "1436/9/19 هـ", "1436/9/19 ه"},
		{"harakat and shadda", "إِنَّ صَلَاتِي وَنُسُكِي", "ان صلاتي ونسكي"},
		{"shadda inside word", "النّشرة صوتيّة", "النشره صوتيه"},
		{"arabic-indic digits", "مقتل ٨ من الفوج", "مقتل 8 من الفوج"},
		{"arabic-indic number", "yasār raqum ١٤", "yasar raqum 14"},
		{"persian digits", "۱۴۳۶", "1436"},
		{"urdu keheh, farsi yeh, heh goal", "کیساتھ ہلاک", "كيساته هلاك"},
		{"hamza on waw and yeh", "مؤمن رئيس", "مومن رييس"},
		{"presentation forms (NFKC)", "ﻻ ﷲ", "لا الله"},
		{"RLM before text", "\u200fإِنَّ", "ان"},
		{"ZWJ/ZWNJ padding", "\u200d\u200c\u200c🔊\u200c\u200c و مكتوبة", "🔊 و مكتوبه"},
		{"LRM inside mixed text", "#حلب\u200e Aleppo", "#حلب aleppo"},
		{"bidi embedding and isolates", "\u202bنص\u202c \u2067x\u2069", "نص x"},
		{"BOM", "\ufeffBismillah", "bismillah"},
		// French.
		{"accents", "Élysée", "elysee"},
		{"cedilla", "Ça suffit, garçon", "ca suffit, garcon"},
		{"guillemets stay", "« Paris »", "« paris »"},
		{"curly apostrophe is not folded", "l’État", "l’etat"},
		{"straight apostrophe", "l'État", "l'etat"},
		{"decomposed input", "E\u0301lyse\u0301e", "elysee"},
		{"ligature oe and fi (NFKC)", "Œuvre ﬁn", "œuvre fin"},
		{"nbsp before colon", "Attention\u00a0: Paris", "attention : paris"},
		// English and general.
		{"case", "BREAKING: Islamic State", "breaking: islamic state"},
		{"whitespace collapse", "  a \t\n b\r\n\u3000c  ", "a b c"},
		{"sharp s", "STRASSE Straße", "strasse strasse"},
		{"final sigma", "ΣΟΦΟΣ σοφος", "σοφοσ σοφοσ"},
		{"fullwidth", "ＩＳＩＳ＃１", "isis#1"},
		{"math bold letters", "𝐁𝐑𝐄𝐀𝐊𝐈𝐍𝐆", "breaking"},
		{"control chars dropped", "a\x00b\x7fc", "abc"},
		{"invalid utf-8 dropped", "a\xffb", "ab"},
		{"invalid byte before a decomposable letter", "0\xf1Ӥ", "0и"}, // fuzz: x/text skipped the decomposition
		{"emoji kept, variation selector dropped", "❤️ ❤", "❤ ❤"},
		{"empty", "", ""},
		{"only spaces and controls", " \u200f\u200b ", ""},
		{"devanagari marks kept", "नमस्ते", "नमस्ते"},
		{"hangul syllables kept", "한국어", "한국어"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in)
			if got != tt.want {
				t.Fatalf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Text(got); again != got {
				t.Fatalf("not idempotent: Text(%q) = %q", got, again)
			}
			if b := AppendText([]byte("prefix|"), tt.in); string(b) != "prefix|"+tt.want {
				t.Fatalf("AppendText with prefix = %q", b)
			}
		})
	}
}

// Pairs that must share a key; all spellings occur in the datasets.
func TestTextVariantsMatch(t *testing.T) {
	pairs := [][2]string{
		{"الدولة الإسلامية", "الدوله الاسلاميه"},
		{"الدولة_الإسلامية", "الدولة_الاسلامية"}, // both in tt_train_pro entities
		{"الأنبار", "الانبار"},                   // both in Fifth Tribe hashtags
		{"عاجــل", "عاجل"},
		{"إِنَّ صَلَاتِي", "ان صلاتي"},
		{"أمريكا تحت الإختراق", "امريكا تحت الاختراق"},
		{"élysée", "ELYSEE"},
		{"Élysée", "E\u0301lyse\u0301e"},
		{"IslamicState", "islamicstate"},
		{"\u200fحلب\u200e", "حلب"},
		{"٢٠١٦", "2016"},
	}
	for _, p := range pairs {
		if a, b := Text(p[0]), Text(p[1]); a != b {
			t.Errorf("Text(%q) = %q, Text(%q) = %q; want equal", p[0], a, p[1], b)
		}
	}
	// And pairs that must stay apart.
	apart := [][2]string{
		{"حلب", "حلم"},
		{"paris", "pâris2"},
		{"سوريا", "سوري"},
	}
	for _, p := range apart {
		if a, b := Text(p[0]), Text(p[1]); a == b {
			t.Errorf("Text(%q) == Text(%q) == %q; want different", p[0], p[1], a)
		}
	}
}

// exactText is the reference: whole-string NFKD, then the same per-rune
// folding, then NFC. The fast path must agree with it on every input.
func exactText(s string) string {
	w := textWriter{keepMarks: true}
	w.decomposed(norm.NFKD.String(strings.ToValidUTF8(s, "")))
	if w.compose {
		return norm.NFC.String(string(w.dst))
	}
	return string(w.dst)
}

// Unicode scalar values, alone and in contexts that exercise
// decomposition and reordering: the fast path agrees with the reference,
// the result is idempotent and valid UTF-8.
func TestTextAllRunes(t *testing.T) {
	if testing.Short() {
		t.Skip("exhaustive")
	}
	ctx := make([]string, 3)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		// Planes 0–2 and 14 hold every assigned character with a case,
		// decomposition or mark; of the rest, sample.
		if (r >= 0x30000 && r < 0xE0000 || r >= 0xF0000) && r%97 != 0 {
			continue
		}
		c := string(r)
		ctx = append(ctx[:0], c)
		if r < 0x10000 || r >= 0x1D400 && r < 0x1D800 { // astral: contexts only for math letters
			ctx = append(ctx, "Ab"+c+"\u0301x", "ا"+c+"\u064e")
		}
		for _, s := range ctx {
			got := Text(s)
			if !utf8.ValidString(got) {
				t.Fatalf("U+%04X: invalid UTF-8 %q", r, got)
			}
			if want := exactText(s); got != want {
				t.Fatalf("U+%04X in %q: fast %q, exact %q", r, s, got, want)
			}
			if again := Text(got); again != got {
				t.Fatalf("U+%04X in %q: Text %q, Text(Text) %q", r, s, got, again)
			}
		}
	}
}

// For Latin-script text, Text must equal an independent construction from
// the standard library and x/text: lower-case, NFKD, drop marks, fields.
func TestTextLatinReference(t *testing.T) {
	ref := func(s string) string {
		d := norm.NFKD.String(strings.ToLower(s))
		d = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, d)
		return strings.Join(strings.Fields(d), " ")
	}
	for _, s := range []string{
		"Weekly updates of military operations of Jamàt Ansar Dine in Maqhribul Islam against French crusaders.",
		"Yasār raqum — L’Élysée a réagi à l’attentat : « Nous sommes en guerre »",
		"Çà et là, où êtes-vous ? Noël, Zoë, naïve, cœur",
		"ÀÁÂÃÄÅ ÈÉÊË ÌÍÎÏ ÒÓÔÕÖ ÙÚÛÜ Ýÿ Ñ",
	} {
		if got, want := Text(s), ref(s); got != want {
			t.Errorf("Text(%q)\n got %q\nwant %q", s, got, want)
		}
	}
}

// Case folding: folding first with x/text/cases changes nothing.
func TestTextAgreesWithCasesFold(t *testing.T) {
	fold := cases.Fold()
	for _, tw := range loadTTEntities(t) {
		if a, b := Text(tw.Text), Text(fold.String(tw.Text)); a != b {
			t.Errorf("Text(%q) = %q but Text(Fold) = %q", tw.Text, a, b)
		}
	}
}

func TestAppendTextNoAllocs(t *testing.T) {
	for _, s := range []string{benchEnglish, benchArabic, benchFrench} {
		buf := make([]byte, 0, 1024)
		n := testing.AllocsPerRun(100, func() { buf = AppendText(buf[:0], s) })
		if n != 0 {
			t.Errorf("AppendText(%.20q…) allocates %.0f times", s, n)
		}
		n = testing.AllocsPerRun(100, func() { buf = AppendMatchText(buf[:0], s) })
		if n != 0 {
			t.Errorf("AppendMatchText(%.20q…) allocates %.0f times", s, n)
		}
	}
	key := "already normalised ascii text"
	if n := testing.AllocsPerRun(100, func() { _ = Text(key) }); n != 0 {
		t.Errorf("Text of a key allocates %.0f times", n)
	}
}

func TestMatchText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"RT @GIIMedia_CH004: Rules Of Imarah Part2 - Conditions of Imamah\nhttps://t.co/Ga9SUS308a\nIntroductions", "rules of imarah part2 conditions of imamah introductions"},
		{"Rules Of Imarah Part2 - Conditions of Imamah https://t.co/OTHERLINK1 Introductions", "rules of imarah part2 conditions of imamah introductions"},
		{"RT @a: RT @b: nested", "nested"},
		{"\u200fRT @Foo: hello", "hello"},
		{"rt @foo:hello", "hello"},
		{"not RT @foo: inside", "not rt inside"},
		{"@AHWAAL_UMMAT10: \"مصطفى الزبيدي\" جیش", "مصطفي الزبيدي جيش"},
		{"mail me at abu@example.com", "mail me at abu example com"},
		{"#Brussels city center.. #Belgium", "brussels city center belgium"},
		{"🔴عاجــل | #العراق | مقتل ٨", "عاجل العراق مقتل 8"},
		{"#الدولة_الإسلامية", "الدوله الاسلاميه"},
		{"see www.example.com/x now", "see now"},
		{"gluedhttps://t.co/x text", "glued text"},
		{"l’État l'État", "l etat l etat"},
		{"Bothers &amp; Sisters…", "bothers amp sisters"},
		{"🔥🔥🔥", ""},
		{"", ""},
		{"2,000 killed", "2 000 killed"},
	}
	for _, tt := range tests {
		got := MatchText(tt.in)
		if got != tt.want {
			t.Errorf("MatchText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := MatchText(got); again != got {
			t.Errorf("MatchText not idempotent on %q: %q", got, again)
		}
	}
}

// Two copies of a message that differ only in t.co links, mentions and
// emoji match after MatchText; real retweet/original pair shapes.
func TestMatchTextCopiesMatch(t *testing.T) {
	a := "RT @Terror_Monitor: #IRAQ\n#IslamicState Claims 3 Suicide Bombings On #ISF In West #Mosul. #TerrorMonitor https://t.co/CSYd70va6W"
	b := "#IRAQ #IslamicState claims 3 suicide bombings on #ISF in West #Mosul 🔥 #TerrorMonitor http://t.co/AAAAAAAAAA @someone"
	if MatchText(a) != MatchText(b) {
		t.Fatalf("copies differ:\n%q\n%q", MatchText(a), MatchText(b))
	}
}
