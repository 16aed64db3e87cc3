package normalize

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// Hash64 equals XXH64 with seed 0 for inputs under 32 bytes (published
// test vectors), and is frozen for longer ones: stored keys depend on it.
func TestHash64KnownAnswers(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
	}{
		{"", 0xEF46DB3751D8E999},  // XXH64("", 0)
		{"a", 0xD24EC4F1A98C6E5B}, // XXH64("a", 0)
		{"abc", 0x44BC2CF5AD770999},
	}
	for _, tt := range tests {
		if got := Hash64(tt.in); got != tt.want {
			t.Errorf("Hash64(%q) = %#x, want %#x", tt.in, got, tt.want)
		}
	}
	// Frozen values (first implementation); a change here invalidates
	// every stored exact-text key.
	frozen := map[string]uint64{
		"rules of imarah part2 conditions of imamah introductions": 0xf1195d9ce5208547,
		"الدوله الاسلاميه":                                         0xe8f23fba228fe449,
	}
	for s, want := range frozen {
		if got := Hash64(s); got != want {
			t.Errorf("Hash64(%q) = %#x, want %#x", s, got, want)
		}
	}
}

// Shingle, SimHash and MinHash values are stored with results; they must
// not change between versions or machines.
func TestFingerprintsFrozen(t *testing.T) {
	sh := Shingles("عاجل العراق مقتل 8 من الفوج السادس بالجيش العراقي", 5, nil)
	sig := NewMinHasher(64, 1).Signature(sh, nil)
	got := []uint64{Shingles("الدوله", 5, nil)[0], SimHash(sh), sig[0], sig[63]}
	want := []uint64{0x3aa0468a78d3f0ec, 0xf2e7a29c570e93b4, 0x18e18b4d9d25da0a, 0xb500c15e89cc679a}
	if !slices.Equal(got, want) {
		t.Errorf("fingerprints changed: got %#x, want %#x", got, want)
	}
}

func TestHash64Spread(t *testing.T) {
	seen := make(map[uint64]string)
	for _, tw := range loadTTEntities(t) {
		m := MatchText(tw.Text)
		h := Hash64(m)
		if prev, ok := seen[h]; ok && prev != m {
			t.Fatalf("collision: %q and %q", prev, m)
		}
		seen[h] = m
	}
}

// refShingles is the definition written out plainly.
func refShingles(s string, k int) []uint64 {
	rs := []rune(s)
	if len(rs) == 0 {
		return nil
	}
	if len(rs) < k {
		k = len(rs)
	}
	var out []uint64
	for i := 0; i+k <= len(rs); i++ {
		h := uint64(fnvOffset)
		for _, r := range rs[i : i+k] {
			h ^= uint64(uint32(r))
			h *= fnvPrime
		}
		out = append(out, fmix64(h))
	}
	return out
}

func TestShingles(t *testing.T) {
	for _, s := range []string{"", "a", "abcd", "abcde", "abcdef", "الدوله الاسلاميه", "عاجل العراق مقتل 8", "rules of imarah part2 conditions of imamah", "🔥x🔥y🔥z"} {
		for _, k := range []int{1, 3, 5, 7} {
			got := Shingles(s, k, nil)
			want := refShingles(s, k)
			if b := ShinglesBytes([]byte(s), k, nil); !slices.Equal(b, got) {
				t.Errorf("ShinglesBytes(%q, %d) = %x, Shingles %x", s, k, b, got)
			}
			if !slices.Equal(got, want) {
				t.Errorf("Shingles(%q, %d) = %x, want %x", s, k, got, want)
			}
			n := len([]rune(s))
			wantLen := max(n-k+1, 0)
			if n > 0 && n < k {
				wantLen = 1
			}
			if len(got) != wantLen {
				t.Errorf("Shingles(%q, %d): %d shingles, want %d", s, k, len(got), wantLen)
			}
		}
	}
	// k <= 0 means the default; appending keeps dst.
	if got, want := Shingles("abcdefg", 0, []uint64{42}), append([]uint64{42}, refShingles("abcdefg", DefaultShingleK)...); !slices.Equal(got, want) {
		t.Errorf("default k / append: %x, want %x", got, want)
	}
	// Runes, not bytes: a 6-letter Arabic word has 2 five-shingles.
	if n := len(Shingles("الدوله", 5, nil)); n != 2 {
		t.Errorf("Arabic 6 runes: %d shingles, want 2", n)
	}
}

func naiveSimHash(sh []uint64) uint64 {
	var counts [64]int
	for _, x := range sh {
		for j := 0; j < 64; j++ {
			if x>>j&1 == 1 {
				counts[j]++
			}
		}
	}
	var out uint64
	for j := 0; j < 64; j++ {
		if 2*counts[j] > len(sh) {
			out |= 1 << j
		}
	}
	return out
}

func TestSimHashMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 2000; trial++ {
		n := rng.IntN(300)
		sh := make([]uint64, n)
		for i := range sh {
			sh[i] = rng.Uint64()
			if trial%3 == 0 { // skewed bits, repeats
				sh[i] &= 0xF0F0F0F0FFFF0000
			}
		}
		if got, want := SimHash(sh), naiveSimHash(sh); got != want {
			t.Fatalf("n=%d: SimHash %#x, naive %#x", n, got, want)
		}
	}
}

// Near-duplicates (the same message with another link, an emoji or a
// typo) land close in SimHash and MinHash; unrelated tweets land far.
func TestNearDuplicateSeparation(t *testing.T) {
	mh := NewMinHasher(64, 7)
	fp := func(s string) (uint64, []uint64) {
		sh := Shingles(MatchText(s), 5, nil)
		return SimHash(sh), mh.Signature(sh, nil)
	}
	base := "RT @Terror_Monitor: #IRAQ\n#IslamicState Claims 3 Suicide Bombings On #ISF In West #Mosul. #TerrorMonitor https://t.co/CSYd70va6W"
	variants := []string{
		"#IRAQ #IslamicState claims 3 suicide bombings on #ISF in west #Mosul #TerrorMonitor 🔥 https://t.co/XXXXXXXXXX",
		"#IRAQ #IslamicState Claims 3 Suicide Bombing On #ISF In West #Mosul. #TerrorMonitor",
		"#Iraq: #IslamicState claims 3 suicide bombings on ISF in West Mosul #TerrorMonitor via @someone",
	}
	s0, m0 := fp(base)
	for _, v := range variants {
		s1, m1 := fp(v)
		if d := bits.OnesCount64(s0 ^ s1); d > 12 {
			t.Errorf("SimHash distance %d to near-duplicate %q", d, v)
		}
		if j := EstimateJaccard(m0, m1); j < 0.6 {
			t.Errorf("estimated Jaccard %.2f to near-duplicate %q", j, v)
		}
	}
	// Unrelated real tweets from the TT slice.
	far := 0
	tweets := loadTTEntities(t)
	for _, tw := range tweets {
		s1, m1 := fp(tw.Text)
		if MatchText(tw.Text) == MatchText(base) {
			continue
		}
		ex := Jaccard(SortUnique(Shingles(MatchText(base), 5, nil)), SortUnique(Shingles(MatchText(tw.Text), 5, nil)))
		if ex < 0.2 && EstimateJaccard(m0, m1) < 0.3 && bits.OnesCount64(s0^s1) > 12 {
			far++
		}
	}
	if far < len(tweets)*9/10 {
		t.Errorf("only %d of %d unrelated tweets are far from the base", far, len(tweets))
	}
}

func TestJaccard(t *testing.T) {
	tests := []struct {
		a, b []uint64
		want float64
	}{
		{nil, nil, 0},
		{[]uint64{1}, nil, 0},
		{[]uint64{1, 2, 3}, []uint64{1, 2, 3}, 1},
		{[]uint64{1, 2, 3}, []uint64{2, 3, 4}, 0.5},
		{[]uint64{1, 3, 5, 7}, []uint64{2, 4, 6}, 0},
		{[]uint64{1, 2}, []uint64{2}, 0.5},
	}
	for _, tt := range tests {
		if got := Jaccard(tt.a, tt.b); got != tt.want {
			t.Errorf("Jaccard(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestMinHashSignatureProperties(t *testing.T) {
	sh := Shingles(MatchText(benchArabic), 5, nil)
	mh := NewMinHasher(64, 1)
	a := mh.Signature(sh, nil)
	if len(a) != 64 {
		t.Fatalf("len %d", len(a))
	}
	// Order and repeats do not matter.
	shuffled := slices.Clone(sh)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	shuffled = append(shuffled, sh[:10]...)
	if b := mh.Signature(shuffled, nil); !slices.Equal(a, b) {
		t.Errorf("signature depends on order or repeats")
	}
	// Deterministic across instances; seed matters.
	if b := NewMinHasher(64, 1).Signature(sh, nil); !slices.Equal(a, b) {
		t.Errorf("same seed, different signature")
	}
	if b := NewMinHasher(64, 2).Signature(sh, nil); EstimateJaccard(a, b) > 0.2 {
		t.Errorf("different seeds agree on %.2f of positions", EstimateJaccard(a, b))
	}
	if EstimateJaccard(a, a) != 1 {
		t.Errorf("self-similarity %v", EstimateJaccard(a, a))
	}
	// Empty set.
	e := mh.Signature(nil, nil)
	if EstimateJaccard(e, e) != 0 || EstimateJaccard(e, a) != 0 {
		t.Errorf("empty signatures should estimate 0")
	}
	// Appends to dst.
	if got := mh.Signature(sh, []uint64{9}); got[0] != 9 || !slices.Equal(got[1:], a) {
		t.Errorf("Signature does not append")
	}
	if n := testing.AllocsPerRun(50, func() { a = mh.Signature(sh, a[:0]) }); n != 0 {
		t.Errorf("Signature allocates %.0f times", n)
	}
}

// The estimator is unbiased with the error of k-permutation MinHash:
// standard error about sqrt(J(1−J)/k). Sets of 130 and 20 shingles (a
// tweet and a short reply) at several true similarities.
func TestEstimateJaccardAccuracy(t *testing.T) {
	const k, trials = 64, 300
	mh := NewMinHasher(k, 11)
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{130, 20} {
		for _, j := range []float64{0.1, 0.3, 0.5, 0.8, 0.95} {
			// |A|=|B|=n with intersection c: J = c/(2n−c).
			c := int(math.Round(2 * float64(n) * j / (1 + j)))
			trueJ := float64(c) / float64(2*n-c)
			var sumErr, sumSq float64
			for tr := 0; tr < trials; tr++ {
				a := make([]uint64, 0, n)
				b := make([]uint64, 0, n)
				for i := 0; i < c; i++ {
					x := rng.Uint64()
					a, b = append(a, x), append(b, x)
				}
				for len(a) < n {
					a = append(a, rng.Uint64())
				}
				for len(b) < n {
					b = append(b, rng.Uint64())
				}
				est := EstimateJaccard(mh.Signature(a, nil), mh.Signature(b, nil))
				sumErr += est - trueJ
				sumSq += (est - trueJ) * (est - trueJ)
			}
			bias := sumErr / trials
			rmse := math.Sqrt(sumSq / trials)
			theory := math.Sqrt(trueJ * (1 - trueJ) / k)
			t.Logf("n=%3d J=%.3f bias=%+.4f rmse=%.4f sqrt(J(1-J)/k)=%.4f", n, trueJ, bias, rmse, theory)
			if math.Abs(bias) > 0.02 {
				t.Errorf("n=%d J=%.3f: bias %+.4f", n, trueJ, bias)
			}
			if rmse > 1.35*theory+0.01 {
				t.Errorf("n=%d J=%.3f: rmse %.4f above 1.35×%.4f", n, trueJ, rmse, theory)
			}
		}
	}
}
