package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// versioned returns event name at version v: the description carries v
// in its place and accounts, the indicators and lists carry v too, so a
// reader can tell a torn (mixed) read from a consistent one.
func versioned(name string, i, v int) Event {
	ev := Event{
		Name:  name,
		T0:    t0Base.Add(time.Duration(i) * time.Minute),
		Place: fmt.Sprintf("v%d", v),
		Watch: Watch{Accounts: []string{fmt.Sprintf("v%d_a", v), fmt.Sprintf("v%d_b", v)}},
	}
	ev.Indicators, ev.Lists = versionedIndicators(v)
	return ev
}

func versionedIndicators(v int) (map[string]float64, map[string][]string) {
	vec := map[string]float64{}
	for k := range 3 + v%5 {
		vec[fmt.Sprintf("k%d", k)] = float64(v)
	}
	return vec, map[string][]string{"top_hashtags": {fmt.Sprintf("v%d", v), fmt.Sprintf("v%d", v)}}
}

// consistent reports what is wrong with an event read concurrently with
// writers, or "".
func consistent(ev Event) string {
	var dv int
	if _, err := fmt.Sscanf(ev.Place, "v%d", &dv); err != nil {
		return "place " + ev.Place
	}
	if len(ev.Watch.Accounts) != 2 || ev.Watch.Accounts[0] != fmt.Sprintf("v%d_a", dv) || ev.Watch.Accounts[1] != fmt.Sprintf("v%d_b", dv) {
		return fmt.Sprintf("description torn: place v%d, accounts %v", dv, ev.Watch.Accounts)
	}
	iv := -1
	for _, x := range ev.Indicators {
		if iv == -1 {
			iv = int(x)
		} else if int(x) != iv {
			return fmt.Sprintf("indicator vector torn: %v", ev.Indicators)
		}
	}
	if iv < 0 {
		return "no indicators"
	}
	if len(ev.Indicators) != 3+iv%5 {
		return fmt.Sprintf("indicator vector of version %d has %d entries", iv, len(ev.Indicators))
	}
	want := fmt.Sprintf("v%d", iv)
	if l := ev.Lists["top_hashtags"]; len(l) != 2 || l[0] != want || l[1] != want {
		return fmt.Sprintf("lists %v do not match indicators of version %d", ev.Lists, iv)
	}
	return ""
}

// TestConcurrentReadWrite runs writers (upserts, indicator updates,
// deletes, runs) and readers (list, past, get, runs) at once; run it with
// -race. Every event a reader sees must be one consistent snapshot, and
// the final state must be each writer's last write.
func TestConcurrentReadWrite(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	const writers, readers, perWriter = 4, 4, 2
	const rounds = 5 // a delete in round 3 (every 4 rounds), re-created in round 4
	var wg sync.WaitGroup
	errc := make(chan error, 64)
	report := func(err error) {
		select {
		case errc <- err:
		default:
		}
	}
	done := make(chan struct{})
	final := make([]map[string]int, writers) // name -> last version, -1 deleted
	nruns := make([]map[string]int, writers) // name -> runs since (re)creation
	for w := range writers {
		final[w] = map[string]int{}
		nruns[w] = map[string]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				for i := range perWriter {
					name := fmt.Sprintf("w%d-%d", w, i)
					v := r*10 + i
					if err := s.PutEvent(ctx, versioned(name, w*perWriter+i, v)); err != nil {
						report(fmt.Errorf("put %s: %w", name, err))
						return
					}
					vec, lists := versionedIndicators(v + 1)
					if err := s.SetIndicators(ctx, name, vec, lists); err != nil {
						report(fmt.Errorf("set %s: %w", name, err))
						return
					}
					if _, err := s.AddRun(ctx, Run{Event: name, Version: "t", Params: []byte(`{}`)}); err != nil {
						report(fmt.Errorf("run %s: %w", name, err))
						return
					}
					final[w][name] = v
					nruns[w][name]++
				}
				if r%4 == 3 {
					name := fmt.Sprintf("w%d-%d", w, r%perWriter)
					if err := s.DeleteEvent(ctx, name); err != nil {
						report(fmt.Errorf("delete %s: %w", name, err))
						return
					}
					final[w][name] = -1
					nruns[w][name] = 0
				}
			}
		}()
	}
	var rwg sync.WaitGroup
	for rd := range readers {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			for n := 0; ; n++ {
				select {
				case <-done:
					return
				default:
				}
				var evs []Event
				var err error
				switch (rd + n) % 4 {
				case 0:
					evs, err = s.ListEvents(ctx)
				case 1:
					evs, err = s.PastEvents(ctx, t0Base.Add(time.Duration(writers*perWriter/2)*time.Minute), "w0-0")
				case 2:
					var ev Event
					ev, err = s.GetEvent(ctx, fmt.Sprintf("w%d-%d", n%writers, n%perWriter))
					if errors.Is(err, ErrNotFound) {
						err = nil
					} else {
						evs = []Event{ev}
					}
				case 3:
					_, err = s.ListRuns(ctx, "")
				}
				if err != nil {
					report(fmt.Errorf("reader %d: %w", rd, err))
					return
				}
				for _, ev := range evs {
					if msg := consistent(ev); msg != "" {
						report(fmt.Errorf("reader %d saw %s: %s", rd, ev.Name, msg))
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	rwg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	for w := range writers {
		for name, v := range final[w] {
			ev, err := s.GetEvent(ctx, name)
			if v < 0 {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("%s: deleted last, got %v", name, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if ev.Place != fmt.Sprintf("v%d", v) || ev.Indicators["k0"] != float64(v+1) {
				t.Errorf("%s: place %s, k0 %v; want version %d / %d", name, ev.Place, ev.Indicators["k0"], v, v+1)
			}
		}
	}
	// Runs of a deleted event went with it; a re-created event has only
	// the runs added since.
	runs, err := s.ListRuns(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range runs {
		got[r.Event]++
	}
	recreated := 0
	for w := range writers {
		for name, n := range nruns[w] {
			if got[name] != n {
				t.Errorf("%s: %d runs, want %d", name, got[name], n)
			}
			if n > 0 && n < rounds {
				recreated++
			}
		}
	}
	if recreated == 0 {
		t.Error("no event was deleted and re-created: the test did not exercise the cascade")
	}
}
