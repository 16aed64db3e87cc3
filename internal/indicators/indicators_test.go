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

// TestResultParams: automation, quotes, media releases, ecosystem share
// and hashtags carry the parameters they were computed with under
// "params", taken from the config (changed values show through).
func TestResultParams(t *testing.T) {
	var b posts
	b.add("a", t0.Add(time.Hour), "hello #tag", tags("tag"))
	c := b.corpus()
	cfg := config.Default()
	for name, v := range map[string]string{"auto-min-accounts": "6", "auto-max-gap": "90m", "quote-min-accounts": "4", "top-items": "7",
		"quote-context": "2h", "window": "30s,5m", "alpha": "0.01", "outlet-min-posts": "5", "relay-outlets": "Amaq=amaq/a'maq,Dabiq=dabiq issue",
		"dormant-gap": "36h", "top-hashtags": "9", "lift-windows": "2h,12h"} {
		if !setParam(&cfg, name, v) {
			t.Fatalf("no parameter %s", name)
		}
	}
	r := mustCompute(t, Input{Corpus: c, Event: Event{T0: t0}}, ParamsFromConfig(&cfg))
	raw, err := json.Marshal(r.Map())
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]struct {
		Params map[string]any `json:"params"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"automation":      `{"max_cv":0.35,"max_gap_s":5400,"min_accounts":6,"min_gap_s":30,"min_posts":5,"top_items":7}`,
		"quotes":          `{"alpha":0.01,"burst_context_s":7200,"burst_window_s":30,"min_accounts":4,"top_items":7,"windows":["2h","12h"]}`,
		"media_releases":  `{"outlet_min_posts":5,"relay_outlets":["Amaq","Dabiq"],"top_items":7}`,
		"ecosystem_share": `{"windows":["2h","12h"]}`,
		"hashtags":        `{"dormant_gap_s":129600,"top_hashtags":9,"windows":["2h","12h"]}`,
	}
	for k, w := range want {
		p, ok := got[k]
		if !ok || p.Params == nil {
			t.Errorf("%s has no params", k)
			continue
		}
		if js, _ := json.Marshal(p.Params); string(js) != w {
			t.Errorf("%s params %s, want %s", k, js, w)
		}
	}
}

func setParam(cfg *config.Config, name, v string) bool {
	for _, p := range cfg.Params() {
		if p.Name == name {
			return p.Set(v) == nil
		}
	}
	return false
}
