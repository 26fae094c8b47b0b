package bench

import (
	"slices"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// Confidence is the confidence level of the interval around a median, once there are
// enough samples for one (see Summarize).
const Confidence = 0.95

// Summary is the median of some samples and the spread around it.
type Summary struct {
	N      int     // how many samples; without any, the rest is zero
	Median float64 // the middle sample, or the mean of the middle two
	Lo, Hi float64 // where the median lies: the samples' range, or a confidence interval
}

// Summarize returns the median of vs and, as benchmath does, the narrowest interval of
// order statistics that holds the true median with probability Confidence: with 6
// samples or more, [x₍ₖ₎, x₍ₙ₊₁₋ₖ₎] for the largest k that reaches it. With fewer
// samples no such interval exists, and the spread is the samples' whole range.
func Summarize(vs []float64) Summary {
	n := len(vs)
	if n == 0 {
		return Summary{}
	}
	x := slices.Clone(vs)
	slices.Sort(x)
	s := Summary{N: n, Median: x[n/2]}
	if n%2 == 0 {
		s.Median = (x[n/2-1] + x[n/2]) / 2
	}
	k := orderIndex(n, Confidence)
	s.Lo, s.Hi = x[k-1], x[n-k]
	return s
}

// orderIndex returns the largest k ≥ 1 such that [x₍ₖ₎, x₍ₙ₊₁₋ₖ₎] covers the median of
// n samples with probability at least conf, or 1 (the whole range) when none does. The
// interval misses when fewer than k samples fall on one side of the median: a binomial
// tail of n fair coins, counted on both sides.
func orderIndex(n int, conf float64) int {
	k := 1
	p := 1.0 // C(n, i) / 2ⁿ, for i = 0 first
	for range n {
		p /= 2
	}
	tail := p // P(Bin(n, ½) ≤ k-1)
	for i := 1; 2*i < n; i++ {
		p = p * float64(n-i+1) / float64(i) // now C(n, i) / 2ⁿ
		if 1-2*(tail+p) < conf {
			break
		}
		tail += p
		k = i + 1
	}
	return k
}

// Verdict is how what was measured compares with a target.
type Verdict string

// The verdicts on a target.
const (
	Meets        Verdict = "meets"        // the whole spread meets the target
	Misses       Verdict = "misses"       // no value of the spread meets it
	Inconclusive Verdict = "inconclusive" // the spread straddles a bound: the runs cannot tell
	NotMeasured  Verdict = "not measured" // no sample
)

// Judge returns the verdict on a target from the summary of what was measured: the
// bounds of a target are an interval, so the spread either lies inside it, or outside
// it, or across one of its ends.
func Judge(t *manifest.Target, s Summary) Verdict {
	switch {
	case s.N == 0:
		return NotMeasured
	case t.Met(s.Lo) && t.Met(s.Hi):
		return Meets
	case t.Min != nil && s.Hi < *t.Min, t.Max != nil && s.Lo > *t.Max:
		return Misses
	default:
		return Inconclusive
	}
}
