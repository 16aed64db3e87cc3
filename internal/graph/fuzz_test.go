package graph

import (
	"math"
	"slices"
	"testing"
)

// graphFromBytes decodes a small weighted graph: byte 0 gives the node
// count (1..48), byte 1 the seed and resolution, then each 3 bytes are an
// edge (a, b, weight code); weight code 0 gives weight 0 (dropped), others
// 0.25..8. Self loops and duplicates occur and must be handled.
func graphFromBytes(data []byte) (*CSR, uint64, float64) {
	if len(data) < 2 {
		return FromEdges(len(data), nil, nil, nil), 0, 1
	}
	n := 1 + int(data[0])%48
	seed := uint64(data[1])
	gamma := []float64{1, 1, 0.5, 2}[data[1]%4]
	var src, dst []uint32
	var w []float64
	for p := 2; p+2 < len(data); p += 3 {
		src = append(src, uint32(int(data[p])%n))
		dst = append(dst, uint32(int(data[p+1])%n))
		w = append(w, float64(data[p+2]%32)/4)
	}
	return FromEdges(n, src, dst, w), seed, gamma
}

func FuzzCluster(f *testing.F) {
	// Seed with the karate club from testdata, and a few shapes.
	k := loadKarate(f)
	karate := []byte{33, 1}
	for i := range k.src {
		karate = append(karate, byte(k.src[i]), byte(k.dst[i]), 4)
	}
	f.Add(karate)
	f.Add([]byte{})
	f.Add([]byte{0})
	f.Add([]byte{5, 2, 0, 1, 4, 1, 2, 4, 2, 0, 4, 3, 4, 1})
	f.Add([]byte{9, 3, 0, 0, 4, 1, 1, 0, 2, 3, 9, 2, 3, 9, 4, 5, 31, 6, 7, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		g, seed, gamma := graphFromBytes(data)
		if err := g.Validate(); err != nil {
			t.Fatal(err)
		}
		n := g.NumNodes()
		comps := Components(g)
		if len(comps) != n {
			t.Fatalf("Components: %d labels for %d nodes", len(comps), n)
		}
		checkStableLabels(t, comps)
		for _, alg := range algorithms {
			r := alg.run(g, Options{Seed: seed, Resolution: gamma})
			checkResult(t, g, r, gamma)
			q1 := Modularity(g, r.Membership, 1)
			if q1 < -0.5-1e-12 || q1 > 1+1e-12 || math.IsNaN(q1) {
				t.Fatalf("%s: modularity %v outside [-0.5, 1]", alg.name, q1)
			}
			// No community spans two components.
			compOf := make(map[uint32]uint32)
			for v := range n {
				c, ok := compOf[r.Membership[v]]
				if !ok {
					compOf[r.Membership[v]] = comps[v]
				} else if c != comps[v] {
					t.Fatalf("%s: community %d spans components", alg.name, r.Membership[v])
				}
			}
			if alg.name == "leiden" {
				if bad := disconnectedCommunities(g, r.Membership); bad > 0 {
					t.Fatalf("leiden: %d disconnected communities in %v", bad, r.Membership)
				}
			}
			again := alg.run(g, Options{Seed: seed, Resolution: gamma})
			if !slices.Equal(again.Membership, r.Membership) {
				t.Fatalf("%s: not deterministic", alg.name)
			}
			sd := SurvivalDegree(g, r.Membership)
			if want := bruteSurvival(g, r.Membership); !slices.Equal(sd, want) {
				t.Fatalf("%s: SurvivalDegree %v, definition gives %v", alg.name, sd, want)
			}
			if ari := AdjustedRandIndex(r.Membership, comps); math.IsNaN(ari) || ari > 1+1e-12 {
				t.Fatalf("ARI %v", ari)
			}
		}
	})
}
