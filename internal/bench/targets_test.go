package bench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/golden"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		assert.Empty(t, TargetProblems(root, ch), ch.ID)
	}
}
