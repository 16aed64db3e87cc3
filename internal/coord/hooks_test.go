package coord

import "testing"

// TestPartnerCapHistMatchesPartnerCap: the distributed runner's two
// halves (PartnerCounts per object, split into slices or not, then
// PartnerCapHist per layer) give the bound and post pairs partnerCap gives,
// for budgets that keep, lower and floor the bound.
func TestPartnerCapHistMatchesPartnerCap(t *testing.T) {
	c := syntheticCorpus(20_000, 4)
	p := benchParams(0)
	for _, l := range p.Layers {
		acts := collectActions(c, l, &p)
		w := p.Window[l].Milliseconds()
		const maxP = 64
		whole := make([]int64, maxP+1)
		sliced := make([]int64, maxP+1)
		for o := 0; o+1 < len(acts.ObjStart); o++ {
			run := acts.A[acts.ObjStart[o]:acts.ObjStart[o+1]]
			PartnerCounts(run, len(run), w, whole)
			// Cut the run in two at its middle post: the first slice owns
			// the first half and sees the rest as its overlap.
			half := len(run) / 2
			PartnerCounts(run, half, w, sliced)
			PartnerCounts(run[half:], len(run)-half, w, sliced)
		}
		_, full := partnerCap(&acts, w, maxP, 0)
		for _, budget := range []int64{0, full, full / 2, full / 10, 1} {
			wantK, wantN := partnerCap(&acts, w, maxP, budget)
			for name, h := range map[string][]int64{"whole": whole, "sliced": sliced} {
				if k, n := PartnerCapHist(h, maxP, budget); k != wantK || n != wantN {
					t.Errorf("%s %s budget %d: PartnerCapHist gives (%d, %d), partnerCap (%d, %d)", l, name, budget, k, n, wantK, wantN)
				}
			}
		}
		if full == 0 {
			continue
		}
		if k, _ := partnerCap(&acts, w, maxP, full/10); k == maxP {
			t.Logf("%s: a budget of a tenth did not lower the bound", l)
		}
	}
}
