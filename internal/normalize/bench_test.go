package normalize

import (
	"testing"
)

// Tweet-length inputs (about 140 characters) for the benchmarks; the
// Arabic and English ones are real Fifth Tribe / TT tweets.
const (
	benchEnglish = "RT @Terror_Monitor: #IRAQ #IslamicState Claims 3 Suicide Bombings On #ISF In West #Mosul. #TerrorMonitor https://t.co/CSYd70va6W"
	benchArabic  = "🔴عاجــل | #العراق | مقتل ٨ من الفوج السادس بالجيش العراقي في قصف استهدف قاعدة الحبانية #الدولة_الإسلامية https://t.co/g4vz77lEVt"
	benchFrench  = "« L’Élysée a réagi » : l'attentat de Bruxelles, ça suffit ! #Bruxelles #JeSuisBruxelles https://t.co/Tr377gMjvo"
	benchURL     = "http://foreignpolicy.com/2016/03/09/its-time-to-seriously-consider-partitioning-syria/?utm_content=bufferaf137&utm_medium=social&utm_source=twitter.com&utm_campaign=buffer"
)

var benchTexts = []struct{ name, s string }{
	{"english", benchEnglish},
	{"arabic", benchArabic},
	{"french", benchFrench},
}

func BenchmarkAppendText(b *testing.B) {
	for _, bt := range benchTexts {
		b.Run(bt.name, func(b *testing.B) {
			buf := make([]byte, 0, 512)
			b.ReportAllocs()
			b.SetBytes(int64(len(bt.s)))
			for b.Loop() {
				buf = AppendText(buf[:0], bt.s)
			}
		})
	}
}

func BenchmarkText(b *testing.B) {
	for _, bt := range benchTexts {
		b.Run(bt.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bt.s)))
			for b.Loop() {
				_ = Text(bt.s)
			}
		})
	}
}

func BenchmarkAppendMatchText(b *testing.B) {
	for _, bt := range benchTexts {
		b.Run(bt.name, func(b *testing.B) {
			buf := make([]byte, 0, 512)
			b.ReportAllocs()
			b.SetBytes(int64(len(bt.s)))
			for b.Loop() {
				buf = AppendMatchText(buf[:0], bt.s)
			}
		})
	}
}

func BenchmarkHashtag(b *testing.B) {
	for _, tag := range []struct{ name, s string }{
		{"english", "Caliphate_State_Strikes_France"},
		{"arabic", "الدولة_الإسلامية"},
		{"key", "islamicstate"},
	} {
		b.Run(tag.name, func(b *testing.B) {
			buf := make([]byte, 0, 64)
			b.ReportAllocs()
			b.SetBytes(int64(len(tag.s)))
			for b.Loop() {
				buf = AppendHashtag(buf[:0], tag.s)
			}
		})
	}
}

func BenchmarkURL(b *testing.B) {
	for _, u := range []struct{ name, s string }{
		{"tco", "https://t.co/CSYd70va6W"},
		{"tracking", benchURL},
		{"youtu.be", "https://youtu.be/dQw4w9WgXcQ?si=AbCdEf&t=42"},
	} {
		b.Run("Append/"+u.name, func(b *testing.B) {
			buf := make([]byte, 0, 512)
			b.ReportAllocs()
			b.SetBytes(int64(len(u.s)))
			for b.Loop() {
				buf, _ = AppendURL(buf[:0], u.s)
			}
		})
		b.Run("URL/"+u.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(u.s)))
			for b.Loop() {
				_, _ = URL(u.s)
			}
		})
	}
}

func BenchmarkExtract(b *testing.B) {
	for _, bt := range benchTexts {
		b.Run(bt.name, func(b *testing.B) {
			dst := make([]string, 0, 16)
			b.ReportAllocs()
			b.SetBytes(int64(len(bt.s)))
			for b.Loop() {
				dst = ExtractHashtags(bt.s, dst[:0])
				dst = ExtractMentions(bt.s, dst[:0])
				dst = ExtractURLs(bt.s, dst[:0])
			}
		})
	}
}

// BenchmarkNearDupPipeline is the per-post cost of the near-duplicate
// pass: MatchText, shingles, SimHash and a 64-hash MinHash signature.
func BenchmarkNearDupPipeline(b *testing.B) {
	mh := NewMinHasher(64, 1)
	for _, bt := range benchTexts {
		b.Run(bt.name, func(b *testing.B) {
			buf := make([]byte, 0, 512)
			sh := make([]uint64, 0, 256)
			sig := make([]uint64, 0, 64)
			b.ReportAllocs()
			b.SetBytes(int64(len(bt.s)))
			for b.Loop() {
				buf = AppendMatchText(buf[:0], bt.s)
				sh = ShinglesBytes(buf, 5, sh[:0])
				_ = SimHash(sh)
				sig = mh.Signature(sh, sig[:0])
			}
		})
	}
}

func BenchmarkShingles(b *testing.B) {
	for _, bt := range benchTexts {
		m := MatchText(bt.s)
		b.Run(bt.name, func(b *testing.B) {
			sh := make([]uint64, 0, 256)
			b.ReportAllocs()
			b.SetBytes(int64(len(m)))
			for b.Loop() {
				sh = Shingles(m, 5, sh[:0])
			}
		})
	}
}

func BenchmarkSimHash(b *testing.B) {
	sh := Shingles(MatchText(benchArabic), 5, nil)
	b.ReportAllocs()
	for b.Loop() {
		_ = SimHash(sh)
	}
}

func BenchmarkMinHashSignature(b *testing.B) {
	for _, k := range []int{64, 128} {
		sh := Shingles(MatchText(benchArabic), 5, nil)
		mh := NewMinHasher(k, 1)
		b.Run(map[int]string{64: "k64", 128: "k128"}[k], func(b *testing.B) {
			sig := make([]uint64, 0, k)
			b.ReportAllocs()
			for b.Loop() {
				sig = mh.Signature(sh, sig[:0])
			}
		})
	}
}

func BenchmarkHash64(b *testing.B) {
	m := MatchText(benchEnglish)
	b.ReportAllocs()
	b.SetBytes(int64(len(m)))
	for b.Loop() {
		_ = Hash64(m)
	}
}
