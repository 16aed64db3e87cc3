package live

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chorus-osint/chorus/internal/ingest"
	"github.com/chorus-osint/chorus/internal/model"
)

func addSeeds(f *testing.F) {
	for _, name := range []string{"generic_posts.jsonl", "twitter_v2_two_tweets.jsonl", "twarc_v1_sample.csv", "telegram_result.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzDecodeMessage: any message payload decodes to posts or a counted
// error, never a panic; every decoded post survives the store codec and
// the replay encoding.
func FuzzDecodeMessage(f *testing.F) {
	addSeeds(f)
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"))
	db := openStore(f, "")
	p := newPipeline(f, db, testConfig(), &countingDetector{})
	f.Fuzz(func(t *testing.T, payload []byte) {
		var d Decoded
		err := p.Decode(context.Background(), "fuzz", payload, &d)
		if err != nil {
			if len(d.Posts) != 0 {
				t.Fatalf("error %v with %d posts kept", err, len(d.Posts))
			}
			if !errors.Is(err, ingest.ErrUnknownFormat) && !errors.Is(err, ingest.ErrLimit) && !errors.Is(err, ingest.ErrMalformed) {
				t.Logf("decode error outside the ingest sentinels: %v", err)
			}
			return
		}
		for i := range d.Posts {
			var back model.Post
			if err := decodePost(appendPost(nil, &d.Posts[i]), &back); err != nil {
				t.Fatalf("post %d does not survive the codec: %v", i, err)
			}
			if string(appendKey(nil, &back)) != string(appendKey(nil, &d.Posts[i])) {
				t.Fatalf("post %d: key changed through the codec", i)
			}
		}
	})
}

// FuzzDecodePost: the store codec never panics on damaged bytes and
// never allocates beyond the input.
func FuzzDecodePost(f *testing.F) {
	db := openStore(f, "")
	p := newPipeline(f, db, testConfig(), &countingDetector{})
	b, err := os.ReadFile("testdata/generic_posts.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	var d Decoded
	if err := p.Decode(context.Background(), "seed", b, &d); err != nil {
		f.Fatal(err)
	}
	for i := range d.Posts {
		f.Add(appendPost(nil, &d.Posts[i]))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var q model.Post
		if err := decodePost(b, &q); err != nil {
			if !errors.Is(err, ErrCorruptRecord) {
				t.Fatalf("error %v is not ErrCorruptRecord", err)
			}
			return
		}
		if again := appendPost(nil, &q); string(again) != string(b) {
			// Varints have one canonical form per value except for
			// over-long encodings; a decoded post re-encodes canonically.
			var q2 model.Post
			if err := decodePost(again, &q2); err != nil || string(appendPost(nil, &q2)) != string(again) {
				t.Fatalf("re-encoding is not stable: %v", err)
			}
		}
	})
}

// TestDecodeMutations feeds the decoder seeded random mutations of the
// fuzz seeds (byte flips, deletions, insertions): no panic, every
// message either decodes or fails as a whole, and none takes long. It
// complements FuzzDecodeMessage, whose sniffing path Go's fuzzer explores
// slowly (docs/security.md, "Fuzzing record").
func TestDecodeMutations(t *testing.T) {
	p := newPipeline(t, openStore(t, ""), testConfig(), &countingDetector{})
	var seeds [][]byte
	for _, name := range []string{"generic_posts.jsonl", "twitter_v2_two_tweets.jsonl", "twarc_v1_sample.csv", "telegram_result.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	n := 3000
	if testing.Short() {
		n = 300
	}
	r := rand.New(rand.NewPCG(9, 9))
	var worst time.Duration
	ok := 0
	for range n {
		b := append([]byte(nil), seeds[r.IntN(len(seeds))]...)
		for k := r.IntN(8) + 1; k > 0 && len(b) > 0; k-- {
			i := r.IntN(len(b))
			switch r.IntN(3) {
			case 0:
				b[i] = byte(r.IntN(256))
			case 1:
				b = append(b[:i], b[min(len(b), i+r.IntN(16)+1):]...)
			default:
				b = append(b[:i], append([]byte{byte(r.IntN(256))}, b[i:]...)...)
			}
		}
		start := time.Now()
		var d Decoded
		if err := p.Decode(context.Background(), "mut", b, &d); err == nil {
			ok++
		} else if len(d.Posts) != 0 {
			t.Fatalf("failed message kept %d posts", len(d.Posts))
		}
		worst = max(worst, time.Since(start))
	}
	t.Logf("%d mutated messages, %d decoded, slowest %s", n, ok, worst)
	if worst > 2*time.Second {
		t.Fatalf("a %d-byte message took %s", len(seeds[0]), worst)
	}
}
