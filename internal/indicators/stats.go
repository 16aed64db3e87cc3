package indicators

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// z95 is the two-sided 95% normal quantile.
const z95 = 1.959963984540054

// wilson returns the Wilson score 95% interval of k successes in n trials,
// or nil when n is 0.
func wilson(k, n int) []float64 {
	if n <= 0 {
		return nil
	}
	p := float64(k) / float64(n)
	nn := float64(n)
	z2 := z95 * z95
	den := 1 + z2/nn
	mid := (p + z2/(2*nn)) / den
	half := z95 * math.Sqrt(p*(1-p)/nn+z2/(4*nn*nn)) / den
	return []float64{max(0, mid-half), min(1, mid+half)}
}

// poissonCI returns an approximate 95% interval of a Poisson mean from one
// count k (Wilson–Hilferty approximation of the exact chi-square bounds).
func poissonCI(k int) []float64 {
	x := float64(k)
	lo := 0.0
	if k > 0 {
		lo = x * math.Pow(1-1/(9*x)-z95/(3*math.Sqrt(x)), 3)
	}
	x1 := x + 1
	hi := x1 * math.Pow(1-1/(9*x1)+z95/(3*math.Sqrt(x1)), 3)
	return []float64{max(0, lo), hi}
}

// quantile returns the q-quantile of sorted xs by linear interpolation.
func quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	if n == 1 {
		return sorted[0]
	}
	h := q * float64(n-1)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// meanSD returns the mean and the sample standard deviation (n-1).
func meanSD(xs []float64) (mean, sd float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, math.NaN()
	}
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}

// Past compares a value with the same value of past events.
type Past struct {
	N      int       `json:"n"`
	Median *float64  `json:"median"`
	IQR    []float64 `json:"iqr"`
	// Percentile is the mid-rank percentile of this event among the past
	// events (0–100): 100·(below + ½·equal)/n.
	Percentile *float64 `json:"percentile"`
	// Events is the number of past events in the library; Note explains a
	// comparison with fewer values than events.
	Events int    `json:"events"`
	Note   string `json:"note,omitempty"`
}

// pastStats compares x with the past events' Vector[key]; nil when the
// library has no past events. Past events without a value (e.g. no
// coordinated cluster, so no onset) are counted in Events and explained in
// Note.
func pastStats(past []PastEvent, key string, x *float64) *Past {
	var vs []float64
	for _, e := range past {
		if v, ok := e.Vector[key]; ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			vs = append(vs, v)
		}
	}
	if len(past) == 0 {
		return nil
	}
	if len(vs) == 0 {
		return &Past{Events: len(past), Note: fmt.Sprintf("none of the %d past events has a value for %s", len(past), key)}
	}
	slices.Sort(vs)
	out := &Past{N: len(vs), Events: len(past), Median: fptr(quantile(vs, 0.5)), IQR: []float64{quantile(vs, 0.25), quantile(vs, 0.75)}}
	if len(vs) < len(past) {
		out.Note = fmt.Sprintf("%d of the %d past events have no value for %s", len(past)-len(vs), len(past), key)
	}
	if x != nil {
		below, equal := 0, 0
		for _, v := range vs {
			switch {
			case v < *x:
				below++
			case v == *x:
				equal++
			}
		}
		out.Percentile = fptr(100 * (float64(below) + 0.5*float64(equal)) / float64(len(vs)))
	}
	return out
}

// newRand returns the seeded generator of one indicator (stream keeps the
// indicators' draws independent of each other and of their order).
func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15^stream))
}

// poissonDraw samples a Poisson variate with mean lambda (Knuth below 30,
// rounded normal approximation above).
func poissonDraw(r *rand.Rand, lambda float64) float64 {
	if lambda <= 0 {
		return 0
	}
	if lambda >= 30 {
		return max(0, math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64()))
	}
	l := math.Exp(-lambda)
	k := 0.0
	p := 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// gammaDraw samples Gamma(shape, 1) (Marsaglia–Tsang; shape < 1 boosted).
func gammaDraw(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		u := r.Float64()
		return gammaDraw(r, shape+1) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// ci95 returns the 2.5% and 97.5% quantiles of xs (sorted in place), or
// nil when xs is empty.
func ci95(xs []float64) []float64 {
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	return []float64{quantile(xs, 0.025), quantile(xs, 0.975)}
}

// log10PoissonTail returns log10 P(X >= k) for X ~ Poisson(mu), accurate
// far into the tail (where the probability underflows a float64).
func log10PoissonTail(k int, mu float64) float64 {
	if k <= 0 {
		return 0
	}
	if !(mu > 0) {
		return math.Inf(-1)
	}
	if float64(k) <= mu {
		// Not in the tail: 1 - P(X < k) by direct summation.
		term, cdf := math.Exp(-mu), 0.0
		for i := 0; i < k; i++ {
			cdf += term
			term *= mu / float64(i+1)
		}
		return math.Log10(max(1-cdf, 1e-300))
	}
	lg, _ := math.Lgamma(float64(k + 1))
	lnFirst := -mu + float64(k)*math.Log(mu) - lg
	sum, term := 1.0, 1.0
	for i := k + 1; i < k+10000; i++ {
		term *= mu / float64(i)
		sum += term
		if term < 1e-16*sum {
			break
		}
	}
	return (lnFirst + math.Log(sum)) / math.Ln10
}
