package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/golden"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
BenchmarkHashAll/workers=2-2   	      20	   8000000 ns/op	1700.00 MB/s	    1024 B/op	       3 allocs/op
BenchmarkHashAll/workers=2-2   	      20	   8000000 ns/op	1800.00 MB/s	    1024 B/op	       3 allocs/op
BenchmarkTransfer/accounts=1M/lock=ordered-2	1000	40.0 ns/op	50 max-µs	12.5 slow-ppm
BenchmarkOdd/n-2               	      10	  5 ns/op
--- FAIL: BenchmarkBroken-2
    bench_test.go:1: it broke
PASS
ok  	github.com/go-concurrency-workbook/workbook/solutions/09_hashing	12.345s
`

func TestParseBench(t *testing.T) {
	runs := parseBench(benchOutput, []int{1, 2})
	v, ok := runs.value("BenchmarkHashAll/workers=2", 2, "MB/s")
	require.True(t, ok)
	assert.Equal(t, 1800.0, v, "the median of three runs")
	v, ok = runs.value("BenchmarkHashAll/workers=2", 1, "MB/s")
	require.True(t, ok)
	assert.Equal(t, 1048.58, v)
	v, ok = runs.value("BenchmarkTransfer/accounts=1M/lock=ordered", 2, "max-µs")
	require.True(t, ok)
	assert.Equal(t, 50.0, v)
	v, ok = runs.value("BenchmarkTransfer/accounts=1M/lock=ordered", 2, "ops/s")
	require.True(t, ok)
	assert.InDelta(t, 25e6, v, 1)
	v, ok = runs.value("BenchmarkHashAll/workers=1", 2, "s/op")
	require.True(t, ok)
	assert.InDelta(t, 0.016, v, 1e-9)
	_, ok = runs.value("BenchmarkOdd/n", 2, "ns/op")
	assert.True(t, ok, "a -2 suffix at -cpu 2")
	_, ok = runs.value("BenchmarkHashAll/workers=2", 4, "MB/s")
	assert.False(t, ok, "nothing ran at -cpu 4")
	_, ok = runs.value("BenchmarkSum256", 1, "B/op")
	assert.False(t, ok, "a metric the line does not report")

	// With -cpu 1 only, a -2 at the end is part of the name.
	runs = parseBench("BenchmarkOdd/n-2 \t 10\t 5 ns/op\n", []int{1})
	_, ok = runs.value("BenchmarkOdd/n-2", 1, "ns/op")
	assert.True(t, ok)
}

func TestMeasureTargets(t *testing.T) {
	runs := parseBench(benchOutput, []int{1, 2})
	f := func(v float64) *float64 { return &v }
	ratio := &manifest.Target{Name: "2 workers", Benchmark: "BenchmarkHashAll/workers=2", Baseline: "BenchmarkHashAll/workers=1", CPU: 2, Metric: "MB/s", Min: f(1.8)}
	v, ok := runs.measure(ratio)
	require.True(t, ok)
	assert.InDelta(t, 1.8, v, 1e-9)
	assert.Equal(t, "1.80× ok", judgeTarget(ratio, runs))
	gil := &manifest.Target{Name: "GIL", Benchmark: "BenchmarkHashAll/workers=2", Baseline: "BenchmarkHashAll/workers=2", BaselineCPU: 1, CPU: 2, Metric: "MB/s", Min: f(0.9), Max: f(1.1)}
	assert.Equal(t, "1.72× MISS", judgeTarget(gil, runs))
	abs := &manifest.Target{Name: "fast", Benchmark: "BenchmarkHashAll/workers=2", CPU: 2, Metric: "s/op", Max: f(0.6)}
	assert.Equal(t, "0.008 ok", judgeTarget(abs, runs))
	missing := &manifest.Target{Name: "gone", Benchmark: "BenchmarkGone", CPU: 2, Metric: "ns/op", Max: f(1)}
	assert.Equal(t, "not measured", judgeTarget(missing, runs))

	var b strings.Builder
	printTargets(&b, []*manifest.Target{ratio, gil}, parseBench("", nil), runs)
	assert.Contains(t, b.String(), "not measured")
	assert.Contains(t, b.String(), "1.72× MISS")
	b.Reset()
	printAgainstReference(&b, runs, runs)
	assert.Contains(t, b.String(), "BenchmarkHashAll/workers=2")
	assert.Contains(t, b.String(), "1.00×")
}

func TestTargetProblems(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bench_test.go")
	require.NoError(t, os.WriteFile(file, []byte(`package p

import (
	"fmt"
	"testing"
)

func BenchmarkPlain(b *testing.B) {}

func BenchmarkSub(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("impl=%s/workers=%d", "x", w), func(b *testing.B) {})
	}
	b.Run("accounts=1M/lock=global", func(b *testing.B) {})
}
`), 0o644))
	target := func(bench, base string) *manifest.Target {
		return &manifest.Target{Name: bench, Benchmark: bench, Baseline: base, CPU: 1, Metric: "ns/op"}
	}
	assert.Empty(t, targetProblems(file, []*manifest.Target{
		target("BenchmarkPlain", ""),
		target("BenchmarkSub/impl=confined/workers=2", "BenchmarkSub/accounts=1M/lock=global"),
	}))
	problems := targetProblems(file, []*manifest.Target{
		target("BenchmarkGone", ""),
		target("BenchmarkSub/impl=x/workers=two", ""),
		target("BenchmarkPlain/sub", ""),
		target("BenchmarkSub", ""),
	})
	require.Len(t, problems, 4)
	assert.Contains(t, problems[0], "no func BenchmarkGone")
	assert.Contains(t, problems[1], `runs no sub-benchmark "impl=x/workers=two"`)
	assert.Contains(t, problems[2], `runs no sub-benchmark "sub"`)
	assert.Contains(t, problems[3], "has sub-benchmarks; name one")
}

// TestTheWorkbooksTargetsNameRealBenchmarks checks workbook.json's targets against the
// chapters' bench_test.go files, as verify does.
func TestTheWorkbooksTargetsNameRealBenchmarks(t *testing.T) {
	root := golden.Root(t)
	m, err := manifest.Load(root)
	require.NoError(t, err)
	for _, ch := range m.Chapters {
		assert.Empty(t, targetProblems(filepath.Join(root, "exercises", ch.ID, "bench_test.go"), ch.Targets), ch.ID)
	}
}
