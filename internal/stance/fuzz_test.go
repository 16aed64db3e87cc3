package stance

import (
	"os"
	"testing"
)

func FuzzClassify(f *testing.F) {
	if fh, err := os.Open("testdata/labelled.csv"); err == nil {
		exs, _ := ReadLabelled(fh)
		fh.Close()
		for i, ex := range exs {
			if i%12 == 0 {
				f.Add(ex.Text, ex.Lang)
			}
		}
	}
	for _, s := range []string{"", "?", "؟", "not ^IS", "didn't claim", "n'a rien à voir", "\u202bال\u202c", "ﷺ", "#wilayat", "IS IS IS"} {
		f.Add(s, "")
	}
	r := NewRules()
	m, err := DefaultModel()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		for _, c := range []Classifier{r, m} {
			res := c.Classify(text, lang)
			if AttributionIndex(res.Attribution) < 0 || OrientationIndex(res.Orientation) < 0 {
				t.Fatalf("invalid classes %q %q", res.Attribution, res.Orientation)
			}
			if !(res.Confidence >= 0 && res.Confidence <= 1) {
				t.Fatalf("confidence %v", res.Confidence)
			}
			if len(res.Cues) > MaxCues {
				t.Fatalf("%d cues", len(res.Cues))
			}
			for _, cu := range res.Cues {
				if cu.Start < 0 || cu.Start > cu.End || cu.End > len(text) {
					t.Fatalf("cue %+v outside text of %d bytes", cu, len(text))
				}
				if cu.Name == "" || cu.Kind == "" {
					t.Fatalf("unnamed cue %+v", cu)
				}
			}
		}
	})
}
