package beamcoord

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestBatchRecordsRoundTrip encodes and decodes the two batch record
// types (the shuffle's largest elements), empty and full, and feeds every
// truncation and random bytes to the decoders: an error, never a panic or
// an allocation sized by a forged count.
func TestBatchRecordsRoundTrip(t *testing.T) {
	ps := ObjPairs{Recs: []ObjPair{
		{A: 1, B: 7, Ord: "o1", CoActions: 3, Dt: 12, AFirst: true, PostA: "p1", PostB: "p2", IDF: 0.5, BA: 2, BB: 4},
		{A: 1 << 40, B: 1<<40 + 1, Ord: "", CoActions: 1, PostA: "é", PostB: "\x00", IDF: 1, BA: 0, BB: 255},
	}}
	ns := NullWs{Recs: []NullW{{Perm: 3, A: 2, B: 9, W: 4, Stratum: 17, Hot: []string{"h1", "h2"}}, {Perm: 0, A: 1, B: 2}}}
	gotP, err := decObjPairs(encObjPairs(ps))
	if err != nil || !reflect.DeepEqual(gotP, ps) {
		t.Errorf("ObjPairs: %+v, %v", gotP, err)
	}
	gotN, err := decNullWs(encNullWs(ns))
	if err != nil || len(gotN.Recs) != 2 || !reflect.DeepEqual(gotN.Recs[0], ns.Recs[0]) || gotN.Recs[1].W != 0 || gotN.Recs[1].B != 2 {
		t.Errorf("NullWs: %+v, %v", gotN, err)
	}
	if e, err := decObjPairs(encObjPairs(ObjPairs{})); err != nil || len(e.Recs) != 0 {
		t.Errorf("empty batch: %+v, %v", e, err)
	}
	full := encObjPairs(ps)
	for n := range len(full) {
		if _, err := decObjPairs(full[:n]); err == nil {
			t.Errorf("ObjPairs truncated to %d of %d bytes decoded without error", n, len(full))
		}
	}
	rng := rand.New(rand.NewPCG(5, 5))
	for range 2000 {
		b := make([]byte, rng.IntN(64))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		decObjPairs(b)
		decNullWs(b)
	}
}
