package stance

import (
	"testing"
)

func benchTexts(b *testing.B, lang string) []string {
	b.Helper()
	train, test := loadLabelled(b)
	var out []string
	for _, ex := range append(train, test...) {
		if ex.Lang == lang {
			out = append(out, ex.Text)
		}
	}
	return out
}

func benchClassify(b *testing.B, c Classifier, texts []string, lang string) {
	var bytes int64
	for _, t := range texts {
		bytes += int64(len(t))
	}
	b.SetBytes(bytes / int64(len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Classify(texts[i%len(texts)], lang)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

func BenchmarkRulesEnglish(b *testing.B) { benchClassify(b, NewRules(), benchTexts(b, "en"), "en") }
func BenchmarkRulesArabic(b *testing.B)  { benchClassify(b, NewRules(), benchTexts(b, "ar"), "ar") }

func BenchmarkModelEnglish(b *testing.B) {
	m, err := DefaultModel()
	if err != nil {
		b.Fatal(err)
	}
	benchClassify(b, m, benchTexts(b, "en"), "en")
}

func BenchmarkModelArabic(b *testing.B) {
	m, err := DefaultModel()
	if err != nil {
		b.Fatal(err)
	}
	benchClassify(b, m, benchTexts(b, "ar"), "ar")
}

func BenchmarkNewRules(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		NewRules()
	}
}
