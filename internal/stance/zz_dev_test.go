package stance

import (
	"fmt"
	"os"
	"testing"
)

func TestZZDev(t *testing.T) {
	if os.Getenv("STANCE_DEV") == "" {
		t.Skip()
	}
	f, _ := os.Open("testdata/labelled.csv")
	exs, err := ReadLabelled(f)
	if err != nil {
		t.Fatal(err)
	}
	train, test := SplitExamples(exs)
	set := train
	if os.Getenv("STANCE_DEV") == "test" {
		set = test
	}
	r := NewRules()
	ev := Evaluate(r, set)
	fmt.Printf("rules attr %+v orient %+v\n", ev.Attribution, ev.Orientation)
	for l, s := range ev.AttributionByLang {
		fmt.Printf("  %s attr %+v orient %+v\n", l, s, ev.OrientationByLang[l])
	}
	mj := EvaluateMajority(train, set)
	fmt.Printf("major attr %+v orient %+v\n", mj.Attribution, mj.Orientation)
	conf := map[string]int{}
	for _, ex := range set {
		res := r.Classify(ex.Text, ex.Lang)
		conf[ex.Attribution+">"+res.Attribution]++
		if os.Getenv("SHOW") == "a" && res.Attribution != ex.Attribution || os.Getenv("SHOW") == "o" && res.Orientation != ex.Orientation {
			fmt.Printf("%s gold=%s/%s pred=%s/%s | %.110s\n", ex.ID, ex.Attribution, ex.Orientation, res.Attribution, res.Orientation, ex.Text)
			for _, c := range res.Cues {
				fmt.Printf("     %s:%s %q\n", c.Kind, c.Name, ex.Text[c.Start:c.End])
			}
		}
	}
	fmt.Println(conf)
}

func TestZZTrain(t *testing.T) {
	if os.Getenv("STANCE_TRAIN") == "" {
		t.Skip()
	}
	f, _ := os.Open("testdata/labelled.csv")
	exs, _ := ReadLabelled(f)
	train, test := SplitExamples(exs)
	m, rep, err := Train(train, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%+v\n", rep)
	ev := Evaluate(m, test)
	fmt.Printf("model TEST attr %+v orient %+v\n", ev.Attribution, ev.Orientation)
	for l, s := range ev.AttributionByLang {
		fmt.Printf("  %s attr %+v orient %+v\n", l, s, ev.OrientationByLang[l])
	}
	ev = Evaluate(NewRules(), test)
	fmt.Printf("rules TEST attr %+v orient %+v\n", ev.Attribution, ev.Orientation)
	for l, s := range ev.AttributionByLang {
		fmt.Printf("  %s attr %+v orient %+v\n", l, s, ev.OrientationByLang[l])
	}
	out, _ := os.Create("/tmp/stance/model.json")
	m.WriteJSON(out)
	out.Close()
}
