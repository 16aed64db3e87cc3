package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchEvent is a realistically sized library entry: ~40 indicators, a
// top-hashtag list of 20, and a few dozen watch-list entries.
func benchEvent(i int) Event {
	ev := genEvent(i, 0)
	ev.Indicators = map[string]float64{}
	for k := range 40 {
		ev.Indicators[fmt.Sprintf("indicator_%02d", k)] = float64(i) + float64(k)/7
	}
	ev.Lists = map[string][]string{}
	for _, l := range []string{"top_hashtags", "top_domains"} {
		for k := range 20 {
			ev.Lists[l] = append(ev.Lists[l], fmt.Sprintf("%s_%d_%d", l, i, k))
		}
	}
	for k := range 30 {
		ev.Watch.Accounts = append(ev.Watch.Accounts, fmt.Sprintf("account_%d_%d", i, k))
	}
	return ev
}

// BenchmarkPutEvent: one upsert transaction (new event each time).
func BenchmarkPutEvent(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	evs := make([]Event, 512)
	for i := range evs {
		evs[i] = benchEvent(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ev := evs[i%len(evs)]
		ev.Name = fmt.Sprintf("bench-%d", i)
		if err := s.PutEvent(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetIndicators: replace a 40-entry vector and two lists.
func BenchmarkSetIndicators(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	ev := benchEvent(1)
	if err := s.PutEvent(ctx, ev); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ev.Indicators["indicator_00"] = float64(i)
		if err := s.SetIndicators(ctx, ev.Name, ev.Indicators, ev.Lists); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportEvents: 1,000 events in one transaction (per event).
func BenchmarkImportEvents(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	evs := make([]Event, 1000)
	for i := range evs {
		evs[i] = benchEvent(i)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.ImportEvents(ctx, evs, true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
}

// BenchmarkPastEvents: fetch the 999 past events of a 1,000-event
// library with their vectors and lists (what analyze does once per run).
func BenchmarkPastEvents(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	evs := make([]Event, 1000)
	for i := range evs {
		evs[i] = benchEvent(i)
	}
	if _, _, err := s.ImportEvents(ctx, evs, false); err != nil {
		b.Fatal(err)
	}
	last := evs[len(evs)-1]
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.PastEvents(ctx, last.T0.Add(time.Second), last.Name)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != 999 || len(got[500].Indicators) != 40 {
			b.Fatalf("%d past events", len(got))
		}
	}
}

// BenchmarkOpen: open an existing 1,000-event library (includes the
// quick_check integrity scan).
func BenchmarkOpen(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	evs := make([]Event, 1000)
	for i := range evs {
		evs[i] = benchEvent(i)
	}
	if _, _, err := s.ImportEvents(ctx, evs, false); err != nil {
		b.Fatal(err)
	}
	path := s.Path()
	s.Close()
	b.ReportAllocs()
	for b.Loop() {
		s, err := Open(ctx, path, nil)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
