package report

import (
	"strings"
	"testing"
)

// TestFalseDiscoveries checks the sentence on chance pairs: α × n is the
// expected number of false pairs, never rounded up to one.
func TestFalseDiscoveries(t *testing.T) {
	for _, tc := range []struct {
		n     int
		alpha string
		want  []string
	}{
		{2, "0.05", []string{"at most 0.1 of the 2 pairs", "most likely none"}},
		{19, "0.05", []string{"at most 0.95 of the 19 pairs"}},
		{44368, "0.05", []string{"about 2,218 of the 44,368 pairs"}},
		{30, "0.1", []string{"about 3 of the 30 pairs"}},
	} {
		got := falseDiscoveries(tc.n, tc.alpha)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("falseDiscoveries(%d, %s) = %q, want it to say %q", tc.n, tc.alpha, got, w)
			}
		}
	}
}
