package stance

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDefaultModelLoads(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatalf("embedded model (retrain with `chorus stance train` after changing the lexicons): %v", err)
	}
	if m.Kind() != "logreg" && m.Kind() != "cnb" {
		t.Errorf("kind %q", m.Kind())
	}
	res := m.Classify("#AmaqAgency Islamic State fighters shoot down a helicopter", "en")
	if res.Attribution != Asserts || len(res.Cues) == 0 {
		t.Errorf("model on an Amaq claim: %s with %d cues", res.Attribution, len(res.Cues))
	}
}

func TestModelRoundTripAndErrors(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	m2, err := LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	_, test := loadLabelled(t)
	for _, ex := range test[:50] {
		a, b := m.Classify(ex.Text, ex.Lang), m2.Classify(ex.Text, ex.Lang)
		if a.Attribution != b.Attribution || a.Orientation != b.Orientation || a.Confidence != b.Confidence {
			t.Fatalf("%s: reloaded model differs", ex.ID)
		}
	}
	var f map[string]any
	if err := json.Unmarshal(buf.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	bad := map[string]func(map[string]any){
		"version":  func(f map[string]any) { f["version"] = 99 },
		"lexicon":  func(f map[string]any) { f["lexicon"] = "0000" },
		"features": func(f map[string]any) { f["features"] = "!!" },
		"weights":  func(f map[string]any) { f["attribution"].(map[string]any)["weights"] = "AAAA" },
		"classes":  func(f map[string]any) { f["orientation"].(map[string]any)["classes"] = []string{"a", "b", "c"} },
		"hashbits": func(f map[string]any) { f["hash_bits"] = 40 },
	}
	for name, mut := range bad {
		var g map[string]any
		json.Unmarshal(buf.Bytes(), &g)
		mut(g)
		b, _ := json.Marshal(g)
		if _, err := ParseModel(b); !errors.Is(err, ErrModel) {
			t.Errorf("%s: err = %v, want ErrModel", name, err)
		}
	}
	if _, err := ParseModel([]byte("not json")); !errors.Is(err, ErrModel) {
		t.Errorf("garbage: %v", err)
	}
	if _, err := LoadModel(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("missing file loaded")
	}
}

// TestTrainDeterministic trains twice on a small slice and gets the same
// bytes, and the trained model learns something on its own training data.
func TestTrainDeterministic(t *testing.T) {
	train, _ := loadLabelled(t)
	small := train[:120]
	opts := TrainOptions{HashBits: 14, Folds: 2, Epochs: 40, Kind: "logreg"}
	m1, rep, err := Train(small, opts)
	if err != nil {
		t.Fatal(err)
	}
	m2, _, err := Train(small, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b1, b2 bytes.Buffer
	m1.WriteJSON(&b1)
	m2.WriteJSON(&b2)
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Fatal("training is not deterministic")
	}
	if rep.Chosen.Kind != "logreg" || rep.Features == 0 {
		t.Errorf("report %+v", rep)
	}
	ev := Evaluate(m1, small)
	if ev.Attribution.Accuracy < 0.8 {
		t.Errorf("training accuracy %.3f: the learner does not fit", ev.Attribution.Accuracy)
	}
	if _, _, err := Train(small[:3], opts); !errors.Is(err, ErrLabels) {
		t.Errorf("3 examples: %v", err)
	}
}

func TestReadLabelledErrors(t *testing.T) {
	for name, in := range map[string]string{
		"missing column": "id,text\n1,x\n",
		"bad class":      "id,source,lang,text,attribution,orientation,split\n1,s,en,x,claims,neutral,train\n",
		"bad orient":     "id,source,lang,text,attribution,orientation,split\n1,s,en,x,none,happy,train\n",
		"empty":          "",
	} {
		if _, err := ReadLabelled(bytes.NewBufferString(in)); !errors.Is(err, ErrLabels) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
