package indicators

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/config"
)

// The results.json contract: exactly these keys under "indicators".
var wantKeys = []string{"automation", "bursts", "ecosystem_share", "hashtags", "hijacking", "media_releases", "onset_latency", "quotes", "recirculation", "stance", "volume_lift"}

func TestResultKeys(t *testing.T) {
	var b posts
	b.add("a", t0, "x")
	r := mustCompute(t, Input{Corpus: b.corpus(), Event: Event{T0: t0}}, testParams())
	for _, v := range []any{r, r.Map()} {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, wantKeys) {
			t.Errorf("keys %v, want %v", keys, wantKeys)
		}
	}
}

func TestEmptyAndDegenerateInputs(t *testing.T) {
	var empty posts
	cases := map[string]Input{
		"no posts":        {Corpus: empty.corpus(), Event: Event{T0: t0}},
		"T0 far before":   {Corpus: oneDay(t).corpus(), Event: Event{T0: t0.Add(-1000 * time.Hour)}},
		"T0 far after":    {Corpus: oneDay(t).corpus(), Event: Event{T0: t0.Add(1000 * time.Hour), TClaim: t0.Add(1001 * time.Hour)}},
		"claim before T0": {Corpus: oneDay(t).corpus(), Event: Event{T0: t0, TClaim: t0.Add(-time.Hour)}},
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			if in.Corpus.Len() > 0 {
				in.Stance = make([]StanceLabel, in.Corpus.Len())
				for i := range in.Stance {
					in.Stance[i] = StanceLabel{AttrAsserts, OrientSupportive}
				}
			}
			r := mustCompute(t, in, testParams())
			if len(r.VolumeLift.Notes) == 0 {
				t.Error("volume lift gives no note")
			}
			r.Vector()
		})
	}
}

// oneDay is a corpus of one post every 10 minutes for a day from T0-12h.
func oneDay(t *testing.T) *posts {
	t.Helper()
	var b posts
	for k := range 144 {
		b.add("u"+strconv.Itoa(k%20), t0.Add(-12*time.Hour+time.Duration(k)*10*time.Minute), text20("post "+strconv.Itoa(k%30)), tags("t"+strconv.Itoa(k%4)))
	}
	return &b
}

func TestInputErrors(t *testing.T) {
	c := oneDay(t).corpus()
	p := testParams()
	for name, in := range map[string]Input{
		"nil corpus":   {Event: Event{T0: t0}},
		"zero T0":      {Corpus: c},
		"short stance": {Corpus: c, Event: Event{T0: t0}, Stance: make([]StanceLabel, 3)},
	} {
		if _, err := Compute(context.Background(), in, p); !errors.Is(err, ErrInput) {
			t.Errorf("%s: err %v, want ErrInput", name, err)
		}
	}
	bad := p
	bad.Windows = nil
	if _, err := Compute(context.Background(), Input{Corpus: c, Event: Event{T0: t0}}, bad); !errors.Is(err, ErrParams) {
		t.Errorf("no windows: err %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Compute(ctx, Input{Corpus: c, Event: Event{T0: t0}}, p); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	c := oneDay(t).corpus()
	labels := make([]StanceLabel, c.Len())
	for i := range labels {
		labels[i] = StanceLabel{uint8(1 + i%4), uint8(1 + i%3)}
	}
	in := Input{Corpus: c, Event: Event{T0: t0, TClaim: t0.Add(3 * time.Hour)}, Stance: labels}
	a, _ := json.Marshal(mustCompute(t, in, testParams()))
	b, _ := json.Marshal(mustCompute(t, in, testParams()))
	if !bytes.Equal(a, b) {
		t.Error("two runs differ")
	}
}

func TestParamsFromConfigDefaults(t *testing.T) {
	cfg := config.Default()
	p := ParamsFromConfig(&cfg)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(p.Windows) != 4 || p.Windows[3] != 72*time.Hour || p.BaselineDays != 7 || p.Alpha != cfg.Coord.Alpha {
		t.Errorf("params %+v", p)
	}
	if err := cfg.LoadYAML("test", []byte("indicators:\n  baseline-days: 3\n  lift-windows: [2h]\n")); err != nil {
		t.Fatal(err)
	}
	p = ParamsFromConfig(&cfg)
	if p.BaselineDays != 3 || len(p.Windows) != 1 || p.Windows[0] != 2*time.Hour {
		t.Errorf("from YAML %+v", p)
	}
}
