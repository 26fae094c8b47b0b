package bench

import (
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/google/go-cmp/cmp"
)

func TestSummarize(t *testing.T) {
	tests := []struct {
		name string
		vs   []float64
		want Summary
	}{
		{name: "none", vs: nil, want: Summary{}},
		{name: "one", vs: []float64{2}, want: Summary{N: 1, Median: 2, Lo: 2, Hi: 2}},
		{name: "odd", vs: []float64{3, 1, 2}, want: Summary{N: 3, Median: 2, Lo: 1, Hi: 3}},
		{name: "even", vs: []float64{4, 1, 2, 3}, want: Summary{N: 4, Median: 2.5, Lo: 1, Hi: 4}},
		// 8 samples reach no 95% interval narrower than their range (k=2 covers 93%).
		{name: "eight", vs: []float64{8, 7, 6, 5, 4, 3, 2, 1}, want: Summary{N: 8, Median: 4.5, Lo: 1, Hi: 8}},
		// 9 samples: [x₂, x₈] covers 96%.
		{name: "nine", vs: []float64{9, 8, 7, 6, 5, 4, 3, 2, 1}, want: Summary{N: 9, Median: 5, Lo: 2, Hi: 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Summarize(tt.vs)); diff != "" {
				t.Errorf("Summarize(%v) mismatch (-want +got):\n%s", tt.vs, diff)
			}
		})
	}
}

func TestOrderIndex(t *testing.T) {
	// k for n samples at 95%, as benchmath computes them (and tables of the sign test).
	want := map[int]int{1: 1, 2: 1, 5: 1, 6: 1, 8: 1, 9: 2, 11: 2, 12: 3, 17: 5, 20: 6, 30: 10}
	got := map[int]int{}
	for n := range want {
		got[n] = orderIndex(n, 0.95)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("orderIndex(n, 0.95) mismatch (-want +got):\n%s", diff)
	}
}

func TestJudge(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	atLeast := &manifest.Target{Name: "at least 1.8", Min: f(1.8)}
	atMost := &manifest.Target{Name: "at most 100", Max: f(100)}
	between := &manifest.Target{Name: "0.9 to 1.1", Min: f(0.9), Max: f(1.1)}
	tests := []struct {
		name   string
		target *manifest.Target
		vs     []float64
		want   Verdict
	}{
		{name: "meets", target: atLeast, vs: []float64{1.9, 2.0, 1.85}, want: Meets},
		{name: "meets_at_the_bound", target: atLeast, vs: []float64{1.8, 1.8, 1.8}, want: Meets},
		{name: "misses", target: atLeast, vs: []float64{1.2, 1.5, 1.79}, want: Misses},
		{name: "straddles", target: atLeast, vs: []float64{1.7, 1.9, 1.85}, want: Inconclusive},
		// The median misses, and one round met it: the runs cannot tell.
		{name: "median_misses", target: atLeast, vs: []float64{1.7, 1.75, 1.85}, want: Inconclusive},
		{name: "one_sample", target: atLeast, vs: []float64{1.79}, want: Misses},
		{name: "max_meets", target: atMost, vs: []float64{80, 99}, want: Meets},
		{name: "max_misses", target: atMost, vs: []float64{101, 150}, want: Misses},
		{name: "max_straddles", target: atMost, vs: []float64{90, 110}, want: Inconclusive},
		{name: "between_meets", target: between, vs: []float64{0.95, 1.05}, want: Meets},
		{name: "between_below", target: between, vs: []float64{0.5, 0.8}, want: Misses},
		{name: "between_above", target: between, vs: []float64{1.2, 1.3}, want: Misses},
		{name: "between_wider", target: between, vs: []float64{0.8, 1.0, 1.2}, want: Inconclusive},
		{name: "none", target: atLeast, vs: nil, want: NotMeasured},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(tt.vs)
			if got := Judge(tt.target, s); got != tt.want {
				t.Errorf("Judge(%s, samples %v: median %v in [%v, %v]) = %q, want %q", tt.target.Name, tt.vs, s.Median, s.Lo, s.Hi, got, tt.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{name: "ratio_spread", got: formatSpread(Summary{N: 3, Median: 1.52, Lo: 1.4, Hi: 1.61}, formatRatio, "×"), want: "1.52× [1.40–1.61]"},
		{name: "ratio_single", got: formatSpread(Summary{N: 1, Median: 2, Lo: 2, Hi: 2}, formatRatio, "×"), want: "2.00×"},
		{name: "value", got: formatSpread(Summary{N: 3, Median: 2450, Lo: 2390.4, Hi: 2500}, formatValue, ""), want: "2450 [2390–2500]"},
		{name: "tiny_ratio", got: formatRatio(0.0016234), want: "0.0016"},
		{name: "small_value", got: formatValue(0.0081234), want: "0.00812"},
		{name: "time_ns", got: formatTime(40), want: "40.0ns"},
		{name: "time_us", got: formatTime(1250), want: "1.25µs"},
		{name: "time_ms", got: formatTime(35512345), want: "35.5ms"},
		{name: "time_s", got: formatTime(1.4e9), want: "1.40s"},
		{name: "plus_minus", got: formatPlusMinus(Summary{N: 3, Median: 100, Lo: 96, Hi: 101}, formatTime, ""), want: "100ns ±4%"},
		{name: "plus_minus_ratio", got: formatPlusMinus(Summary{N: 3, Median: 0.98, Lo: 0.96, Hi: 1.01}, formatRatio, "×"), want: "0.98× ±3%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("formatted %q, want %q", tt.got, tt.want)
			}
		})
	}
}

// quiet is a machine with 8 idle cores.
var quiet = machine{cores: 8, known: true, before: 8, during: 8}

// TestReportFromSamples prints the report of rounds made up here: the verdicts, the
// "not done yet" of an unfinished chapter, and the notes under the tables.
func TestReportFromSamples(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	targets := []*manifest.Target{
		{Name: "W: workers=2 ≥ 1.8× workers=1", Benchmark: "BenchmarkW/workers=2", Baseline: "BenchmarkW/workers=1", CPU: 2, Metric: "MB/s", Min: f(1.8)},
		{Name: "W: workers=2 fast", Benchmark: "BenchmarkW/workers=2", CPU: 2, Metric: "ns/op", Max: f(600)},
	}
	rounds := func(pairs ...[2]float64) Samples {
		var s Samples
		for _, p := range pairs {
			s = append(s, []Result{
				{Name: "BenchmarkW/workers=1", CPU: 2, Metrics: map[string]float64{"ns/op": 1000, "MB/s": p[0]}},
				{Name: "BenchmarkW/workers=2", CPU: 2, Metrics: map[string]float64{"ns/op": 1000 * p[0] / p[1], "MB/s": p[1]}},
			})
		}
		return s
	}
	// Ratios 1.7, 1.9, 1.85 (MB/s workers=2 ÷ workers=1): the spread straddles 1.8.
	straddling := rounds([2]float64{1000, 1700}, [2]float64{1000, 1900}, [2]float64{1000, 1850})
	// Ratios 1.9, 2.0, 1.95, each round's pair measured together: it meets the target
	// although the machine slowed down in round 2.
	meeting := rounds([2]float64{1000, 1900}, [2]float64{500, 1000}, [2]float64{1000, 1950})

	t.Run("inconclusive", func(t *testing.T) {
		var b strings.Builder
		yours := &tree{label: "yours", run: true, samples: straddling}
		ref := &tree{label: "reference", run: true, samples: meeting}
		ok := printTargets(&b, targets, nil, yours, ref, quiet)
		out := b.String()
		for _, want := range []string{
			"1.85× [1.70–1.90] inconclusive",
			"1.95× [1.90–2.00] meets",
			"inconclusive: the target lies within the spread",
			"[lowest–highest]",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("the targets' report lacks %q:\n%s", want, out)
			}
		}
		if !ok {
			t.Errorf("printTargets(an inconclusive target of yours) reported a miss; only a miss of yours may:\n%s", out)
		}
	})

	t.Run("misses", func(t *testing.T) {
		var b strings.Builder
		yours := &tree{label: "yours", run: true, samples: rounds([2]float64{1000, 1200}, [2]float64{1000, 1300})}
		ref := &tree{label: "reference", run: true, samples: meeting}
		if printTargets(&b, targets, nil, yours, ref, quiet) {
			t.Errorf("printTargets(ratios 1.2 and 1.3 against ≥ 1.8) reported no miss:\n%s", b.String())
		}
	})

	t.Run("busy", func(t *testing.T) {
		// The same misses on a machine whose other programs left 1.3 of its 2 cores idle:
		// the ratio target needs 2, so its miss cannot be told from the machine's load.
		var b strings.Builder
		yours := &tree{label: "yours", run: true, samples: rounds([2]float64{1000, 1200}, [2]float64{1000, 1300})}
		ref := &tree{label: "reference", run: true, samples: meeting}
		busy := machine{cores: 2, known: true, before: 1.6, during: 1.3}
		ok := printTargets(&b, targets, nil, yours, ref, busy)
		out := cells(b.String())
		for _, want := range []string{
			"1.25× [1.20–1.30] inconclusive",
			"W: workers=2 ≥ 1.8× workers=1: 1.3 idle cores, the target needs 2",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("the report on a busy machine lacks %q:\n%s", want, out)
			}
		}
		if !ok {
			t.Errorf("printTargets(a miss on a busy machine) reported a miss: the machine cannot vouch for it:\n%s", out)
		}
		b.Reset()
		single := machine{cores: 1, known: false}
		printTargets(&b, targets, nil, yours, ref, single)
		if want := "this machine has 1 core, the target needs 2"; !strings.Contains(b.String(), want) {
			t.Errorf("the report on a 1-core machine lacks %q:\n%s", want, b.String())
		}
	})

	t.Run("not_done", func(t *testing.T) {
		var b strings.Builder
		// Unfinished code: no work, absurd ratios, absurd times. Only the reference is judged.
		idle := rounds([2]float64{1e-3, 1e4})
		yours := &tree{label: "yours", run: true, samples: idle}
		ref := &tree{label: "reference", run: true, samples: meeting[:1]}
		ok := printTargets(&b, targets, []string{"pool"}, yours, ref, quiet)
		printTimes(&b, []string{"pool"}, yours, ref)
		out := cells(b.String())
		for _, want := range []string{
			"not done yet | 1.90× meets",
			"yours: not done yet: the tests of pool do not pass yet",
			"* over 20× faster than the reference",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("the report of an unfinished chapter lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "10000000.00×") {
			t.Errorf("the report judges an unfinished chapter's ratio:\n%s", out)
		}
		if !ok {
			t.Errorf("printTargets(a chapter not done) reported a miss: nothing of yours was judged:\n%s", out)
		}
	})

	t.Run("reference_misses", func(t *testing.T) {
		var b strings.Builder
		yours := &tree{label: "yours", run: true, samples: meeting}
		ref := &tree{label: "reference", run: true, samples: rounds([2]float64{1000, 1100})}
		printTargets(&b, targets, nil, yours, ref, quiet)
		if !strings.Contains(b.String(), "The reference misses 2 of the targets here") {
			t.Errorf("a target the reference misses is not pointed out:\n%s", b.String())
		}
	})
}
