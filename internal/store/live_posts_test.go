package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

func livePost(i int, timeMs int64) LivePost {
	return LivePost{
		Key:  fmt.Appendf(nil, "twitter\x00%d\x00", i),
		Time: timeMs,
		Data: fmt.Appendf(nil, "post %d with some body text of a realistic length, #tag https://example.org/%d", i, i),
	}
}

func TestRecordLivePostsDedupe(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	batch := []LivePost{livePost(1, 1000), livePost(2, 2000), livePost(1, 1000)}
	out := make([]LiveOutcome, len(batch))
	if err := s.RecordLivePosts(ctx, batch, out); err != nil {
		t.Fatal(err)
	}
	if want := []LiveOutcome{LiveNew, LiveNew, LiveDuplicate}; fmt.Sprint(out) != fmt.Sprint(want) {
		t.Fatalf("outcomes %v, want %v (a repeat inside one batch is a duplicate)", out, want)
	}
	// The same batch again (a redelivery): all duplicates.
	if err := s.RecordLivePosts(ctx, batch[:2], out[:2]); err != nil {
		t.Fatal(err)
	}
	if out[0] != LiveDuplicate || out[1] != LiveDuplicate {
		t.Fatalf("redelivery outcomes %v, want duplicates", out[:2])
	}
	c, err := s.LiveCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Keys != 2 || c.Held != 2 || c.Newest != 2000 {
		t.Fatalf("counts %+v, want 2 keys, 2 held, newest 2000", c)
	}
}

func TestLivePostsSurviveReopenAndPrune(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "live.db")
	s := openTestPath(t, path)
	var batch []LivePost
	for i := range 100 {
		batch = append(batch, livePost(i, int64(i)*1000))
	}
	out := make([]LiveOutcome, len(batch))
	if err := s.RecordLivePosts(ctx, batch, out); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTestPath(t, path)
	var got []int64
	err := s.LoadLivePosts(ctx, 50_000, func(p LivePost) error {
		if string(p.Data) != string(livePost(int(p.Time/1000), p.Time).Data) {
			t.Fatalf("data of %d changed: %q", p.Time, p.Data)
		}
		got = append(got, p.Time)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 50 || got[0] != 50_000 || got[49] != 99_000 {
		t.Fatalf("loaded %d posts (%v…), want the 50 from 50 s in time order", len(got), got[:min(3, len(got))])
	}
	// Release data before 80 s, delete keys before 20 s.
	r, err := s.PruneLivePosts(ctx, 80_000, 20_000)
	if err != nil {
		t.Fatal(err)
	}
	if r.Released != 80 || r.Deleted != 20 {
		t.Fatalf("pruned %+v, want 80 released, 20 deleted", r)
	}
	c, _ := s.LiveCounts(ctx)
	if c.Keys != 80 || c.Held != 20 || c.PrunedBefore != 20_000 {
		t.Fatalf("counts %+v, want 80 keys, 20 held, cutoff 20000", c)
	}
	// A redelivered post whose key was kept is a duplicate; one whose key
	// was deleted is refused as stale (never counted twice); a new post
	// older than the released horizon is recorded without data.
	batch = []LivePost{livePost(30, 30_000), livePost(10, 10_000), livePost(500, 40_000)}
	out = out[:3]
	if err := s.RecordLivePosts(ctx, batch, out); err != nil {
		t.Fatal(err)
	}
	if want := []LiveOutcome{LiveDuplicate, LiveStale, LiveNew}; fmt.Sprint(out) != fmt.Sprint(want) {
		t.Fatalf("outcomes %v, want %v", out, want)
	}
	c, _ = s.LiveCounts(ctx)
	if c.Keys != 81 || c.Held != 20 {
		t.Fatalf("counts %+v, want 81 keys, 20 held", c)
	}
	// The cutoff never moves back.
	if _, err := s.PruneLivePosts(ctx, 80_000, 5_000); err != nil {
		t.Fatal(err)
	}
	if c, _ = s.LiveCounts(ctx); c.PrunedBefore != 20_000 {
		t.Fatalf("cutoff moved back to %d", c.PrunedBefore)
	}
	if _, err := s.PruneLivePosts(ctx, 1000, 2000); err == nil {
		t.Fatal("keys cutoff after data cutoff accepted")
	}
}

// BenchmarkRecordLivePosts: batches of new posts of ~300 bytes, one
// transaction each (the live consumers' batch shape). posts/s is the
// number to compare with the 50k posts/s target (docs/live.md).
func BenchmarkRecordLivePosts(b *testing.B) {
	for _, size := range []int{1000, 4000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) { benchRecordLive(b, size) })
	}
}

func benchRecordLive(b *testing.B, batchSize int) {
	ctx := context.Background()
	s := openTest(b)
	batch := make([]LivePost, batchSize)
	out := make([]LiveOutcome, batchSize)
	data := make([]byte, 300)
	for i := range data {
		data[i] = byte('a' + i%26)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range batch {
			batch[i] = LivePost{Key: fmt.Appendf(batch[i].Key[:0], "twitter\x00%019d\x00", n), Time: int64(n), Data: data}
			n++
		}
		if err := s.RecordLivePosts(ctx, batch, out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "posts/s")
}

func TestLiveAlerts(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.AddLiveAlert(ctx, 1000, []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddLiveAlert(ctx, 2000, []string{"c"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddLiveAlert(ctx, 3000, []string{"bad\nname"}); err == nil {
		t.Fatal("an account with a newline was accepted")
	}
	got, err := s.LiveAlerts(ctx, 0)
	if err != nil || fmt.Sprint(got) != "[[a b] [c]]" {
		t.Fatalf("alerts %v, %v", got, err)
	}
	if n, err := s.PruneLiveAlerts(ctx, 1500); err != nil || n != 1 {
		t.Fatalf("pruned %d, %v; want 1", n, err)
	}
	if got, _ = s.LiveAlerts(ctx, 0); fmt.Sprint(got) != "[[c]]" {
		t.Fatalf("after prune: %v", got)
	}
}
