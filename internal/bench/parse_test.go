package bench

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// benchOutput is one run of a test binary with -test.cpu=1,2 (and a failed benchmark).
const benchOutput = `goos: linux
goarch: amd64
pkg: github.com/go-concurrency-workbook/workbook/solutions/09_hashing
cpu: Intel(R) Xeon(R) CPU @ 2.20GHz
BenchmarkSum256                	     100	   1000000 ns/op	1048.58 MB/s
BenchmarkHashAll/workers=1     	      10	  16000000 ns/op	1048.58 MB/s	    1024 B/op	       3 allocs/op
BenchmarkHashAll/workers=2     	      10	  16000000 ns/op	1048.58 MB/s	    1024 B/op	       3 allocs/op
BenchmarkSum256-2              	     100	   1000000 ns/op	1048.58 MB/s
BenchmarkHashAll/workers=1-2   	      10	  16000000 ns/op	1000.00 MB/s	    1024 B/op	       3 allocs/op
BenchmarkHashAll/workers=2-2   	      20	   8000000 ns/op	1900.00 MB/s	    1024 B/op	       3 allocs/op
BenchmarkTransfer/accounts=1M/lock=ordered-2	1000	40.0 ns/op	50 max-µs	12.5 slow-ppm
BenchmarkOdd/n-2               	      10	  5 ns/op
BenchmarkNoise says hello 1 2
--- FAIL: BenchmarkBroken-2
    bench_test.go:1: it broke
--- FAIL: BenchmarkParent/child=1
--- FAIL: BenchmarkParent
FAIL
`

func TestParse(t *testing.T) {
	got := Parse(benchOutput, []int{1, 2})
	want := []Result{
		{Name: "BenchmarkSum256", CPU: 1, Metrics: map[string]float64{"ns/op": 1e6, "MB/s": 1048.58}},
		{Name: "BenchmarkHashAll/workers=1", CPU: 1, Metrics: map[string]float64{"ns/op": 16e6, "MB/s": 1048.58, "B/op": 1024, "allocs/op": 3}},
		{Name: "BenchmarkHashAll/workers=2", CPU: 1, Metrics: map[string]float64{"ns/op": 16e6, "MB/s": 1048.58, "B/op": 1024, "allocs/op": 3}},
		{Name: "BenchmarkSum256", CPU: 2, Metrics: map[string]float64{"ns/op": 1e6, "MB/s": 1048.58}},
		{Name: "BenchmarkHashAll/workers=1", CPU: 2, Metrics: map[string]float64{"ns/op": 16e6, "MB/s": 1000, "B/op": 1024, "allocs/op": 3}},
		{Name: "BenchmarkHashAll/workers=2", CPU: 2, Metrics: map[string]float64{"ns/op": 8e6, "MB/s": 1900, "B/op": 1024, "allocs/op": 3}},
		{Name: "BenchmarkTransfer/accounts=1M/lock=ordered", CPU: 2, Metrics: map[string]float64{"ns/op": 40, "max-µs": 50, "slow-ppm": 12.5}},
		{Name: "BenchmarkOdd/n", CPU: 2, Metrics: map[string]float64{"ns/op": 5}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse(output of -test.cpu=1,2) mismatch (-want +got):\n%s", diff)
	}

	// With -cpu 1 only, a -2 at the end is part of the name.
	got = Parse("BenchmarkOdd/n-2 \t 10\t 5 ns/op\n", []int{1})
	want = []Result{{Name: "BenchmarkOdd/n-2", CPU: 1, Metrics: map[string]float64{"ns/op": 5}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse(a name ending in -2, -test.cpu=1) mismatch (-want +got):\n%s", diff)
	}
}

func TestFailed(t *testing.T) {
	want := []string{"BenchmarkBroken", "BenchmarkParent/child=1"}
	if diff := cmp.Diff(want, failed(benchOutput)); diff != "" {
		t.Errorf("failed(output) mismatch (-want +got); a parent is left out when its sub-benchmark failed:\n%s", diff)
	}
}

func TestValues(t *testing.T) {
	s := Samples{Parse(benchOutput, []int{1, 2}), Parse(benchOutput, []int{1, 2})[:4], nil}
	tests := []struct {
		name   string
		bench  string
		cpu    int
		metric string
		want   []float64
	}{
		{name: "reported", bench: "BenchmarkHashAll/workers=2", cpu: 2, metric: "MB/s", want: []float64{1900}},
		{name: "every_round", bench: "BenchmarkSum256", cpu: 1, metric: "MB/s", want: []float64{1048.58, 1048.58}},
		{name: "custom", bench: "BenchmarkTransfer/accounts=1M/lock=ordered", cpu: 2, metric: "max-µs", want: []float64{50}},
		{name: "ops_per_s", bench: "BenchmarkTransfer/accounts=1M/lock=ordered", cpu: 2, metric: "ops/s", want: []float64{25e6}},
		{name: "s_per_op", bench: "BenchmarkHashAll/workers=1", cpu: 2, metric: "s/op", want: []float64{0.016}},
		{name: "other_cpu", bench: "BenchmarkHashAll/workers=2", cpu: 4, metric: "MB/s"},
		{name: "unreported", bench: "BenchmarkSum256", cpu: 1, metric: "B/op"},
		{name: "failed", bench: "BenchmarkBroken", cpu: 2, metric: "ns/op"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.Values(tt.bench, tt.cpu, tt.metric)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-9), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Values(%s, cpu %d, %s) mismatch (-want +got):\n%s", tt.bench, tt.cpu, tt.metric, diff)
			}
		})
	}
}

// round returns one run's results: the named benchmarks at cpu 2, with one metric each.
func round(metric string, values map[string]float64) []Result {
	var run []Result
	for name, v := range values {
		run = append(run, Result{Name: name, CPU: 2, Metrics: map[string]float64{metric: v}})
	}
	return run
}

func TestMeasurePairsRatiosWithinARound(t *testing.T) {
	// The machine was twice as busy in the second round: both benchmarks slowed down, and
	// the ratio of that round is the same as the first's.
	s := Samples{
		round("MB/s", map[string]float64{"BenchmarkW/workers=2": 1800, "BenchmarkW/workers=1": 1000}),
		round("MB/s", map[string]float64{"BenchmarkW/workers=2": 900, "BenchmarkW/workers=1": 500}),
		round("MB/s", map[string]float64{"BenchmarkW/workers=2": 1700}), // the baseline failed
		round("MB/s", map[string]float64{"BenchmarkW/workers=2": 1000, "BenchmarkW/workers=1": 0}),
	}
	target := &manifest.Target{Name: "2 workers", Benchmark: "BenchmarkW/workers=2", Baseline: "BenchmarkW/workers=1", CPU: 2, Metric: "MB/s"}
	if diff := cmp.Diff([]float64{1.8, 1.8}, s.Measure(target), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("Measure(%s ÷ %s) mismatch (-want +got): a ratio pairs the two benchmarks of one round:\n%s", target.Benchmark, target.Baseline, diff)
	}
	abs := &manifest.Target{Name: "fast", Benchmark: "BenchmarkW/workers=2", CPU: 2, Metric: "MB/s"}
	if diff := cmp.Diff([]float64{1800, 900, 1700, 1000}, s.Measure(abs)); diff != "" {
		t.Errorf("Measure(%s) mismatch (-want +got):\n%s", abs.Benchmark, diff)
	}
}

func TestAgainst(t *testing.T) {
	yours := Samples{
		round("ns/op", map[string]float64{"BenchmarkW": 300}),
		round("ns/op", map[string]float64{"BenchmarkW": 600}),
		round("ns/op", map[string]float64{"BenchmarkW": 900}),
	}
	ref := Samples{
		round("ns/op", map[string]float64{"BenchmarkW": 100}),
		round("ns/op", map[string]float64{"BenchmarkW": 200}),
	}
	if diff := cmp.Diff([]float64{3, 3}, against(yours, ref, "BenchmarkW", 2, "ns/op")); diff != "" {
		t.Errorf("against(yours, reference) mismatch (-want +got): round i of yours pairs with round i of the reference:\n%s", diff)
	}
}

func TestExcerpt(t *testing.T) {
	many := strings.Repeat("BenchmarkX \t 10\t 5 ns/op\n", 20)
	tests := []struct {
		name string
		out  string
		want string
	}{
		{name: "from_the_failure", out: many + "--- FAIL: BenchmarkY/n=1\n    bench_test.go:9: stuck\n" + many,
			want: "    --- FAIL: BenchmarkY/n=1\n        bench_test.go:9: stuck\n    BenchmarkX \t 10\t 5 ns/op\n    ..."},
		{name: "from_the_panic", out: many + "panic: boom\n\ngoroutine 1\n",
			want: "    panic: boom\n    \n    goroutine 1"},
		{name: "the_end", out: many + "exit status 2\n",
			want: "    ...\n    BenchmarkX \t 10\t 5 ns/op\n    BenchmarkX \t 10\t 5 ns/op\n    exit status 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, excerpt(tt.out, 3)); diff != "" {
				t.Errorf("excerpt(output, 3 lines) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecord(t *testing.T) {
	o := Options{CPU: []int{1, 2}, Limit: time.Minute}
	tests := []struct {
		name        string
		out         string
		err         error
		wantFailed  []string
		wantStopped bool
	}{
		{name: "passed", out: benchOutput},
		{name: "a_benchmark_failed", out: benchOutput, err: errors.New("exit status 1"),
			wantFailed: []string{"BenchmarkBroken", "BenchmarkParent/child=1"}},
		{name: "killed_at_the_limit", out: "BenchmarkX \t 10\t 5 ns/op\n", err: fmt.Errorf("stopped after 1m: %w", context.DeadlineExceeded),
			wantStopped: true},
		{name: "test_timeout", out: "panic: test timed out after 55s\n", err: errors.New("exit status 2"), wantStopped: true},
		{name: "crashed_at_once", out: "fatal error: all goroutines are asleep\n", err: errors.New("exit status 2"), wantStopped: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &tree{label: "yours"}
			tr.record(tt.out, tt.err, o)
			if diff := cmp.Diff(tt.wantFailed, tr.failed); diff != "" {
				t.Errorf("record(%s): failed benchmarks mismatch (-want +got):\n%s", tt.name, diff)
			}
			if got := tr.stopped != ""; got != tt.wantStopped {
				t.Errorf("record(%s) stopped the tree's runs = %v (%q), want %v: a run that cannot report must not be repeated, one that reported must", tt.name, got, tr.stopped, tt.wantStopped)
			}
			if len(tr.samples) != 1 {
				t.Errorf("record(%s) kept %d rounds, want 1: every run is a round", tt.name, len(tr.samples))
			}
		})
	}
}
