package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDefaultsParse(t *testing.T) {
	c := Default()
	if c.Coord.MinWeight != 2 || len(c.Coord.Windows) != 1 || c.Coord.Windows[0] != time.Minute || c.Coord.Alpha != 0.05 {
		t.Fatalf("defaults: %+v", c.Coord)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range c.Params() {
		if seen[p.Name] {
			t.Errorf("parameter %q declared twice", p.Name)
		}
		seen[p.Name] = true
		if p.Help == "" || p.Section == "" {
			t.Errorf("parameter %q lacks help or section", p.Name)
		}
	}
}

func TestLoadYAML(t *testing.T) {
	c := Default()
	err := c.LoadYAML("c.yaml", []byte(`
coord:
  window: [10s, 60s, 5m]
  min-weight: 3
  idf: true
event:
  t0: "2016-03-22T06:58:00Z"
tz: Europe/Brussels
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Coord.Windows) != 3 || c.Coord.Windows[2] != 5*time.Minute || c.Coord.MinWeight != 3 || !c.Coord.IDF || c.Event.T0 != "2016-03-22T06:58:00Z" {
		t.Fatalf("loaded: %+v %+v", c.Coord, c.Event)
	}
	if loc, err := c.Location(); err != nil || loc.String() != "Europe/Brussels" {
		t.Fatalf("tz: %v %v", loc, err)
	}
	for _, bad := range []string{"min-wieght: 3", "min-weight: three", "window: [10x]", ": : :"} {
		c := Default()
		err := c.LoadYAML("bad.yaml", []byte(bad))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "bad.yaml") {
			t.Errorf("%q: err = %v, want ErrInvalid naming the file", bad, err)
		}
	}
}

func TestColumnMapAndValidate(t *testing.T) {
	c := Default()
	c.Ingest.Map = "id=tweet_id, account=user ,time=date"
	m, err := c.ColumnMap()
	if err != nil || m["account"] != "user" || m["id"] != "tweet_id" || len(m) != 3 {
		t.Fatalf("map %v err %v", m, err)
	}
	c.Ingest.Map = "id"
	if err := c.Validate(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad map: %v", err)
	}
	c = Default()
	c.Ingest.TZ = "Mars/Olympus"
	if err := c.Validate(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad tz: %v", err)
	}
}

func FuzzLoadYAML(f *testing.F) {
	f.Add([]byte("coord:\n  window: [10s, 60s]\n  min-weight: 3\n"))
	f.Add([]byte("tz: UTC\nmap: id=x\n"))
	f.Add([]byte("{{{{"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := Default()
		_ = c.LoadYAML("fuzz.yaml", b) // must not panic
	})
}
