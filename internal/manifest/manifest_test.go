package manifest_test

import (
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/golden"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const good = `{"chapters": [
 {"id": "03_race", "title": "Race", "python": "threading", "exercises": [
  {"name": "mutex", "title": "Mutex", "kind": "fix", "files": ["mutex.go"], "tests": ["TestMutexCounts", "ExampleCount"], "hints": ["a", "b"]},
  {"name": "atomic", "title": "Atomic", "kind": "implement", "files": ["atomic.go"], "tests": ["TestAtomicCounts"], "hints": ["c"]}]},
 {"id": "05_deadlock", "title": "Deadlock", "python": "Lock", "exercises": [
  {"name": "atomic", "title": "Other", "kind": "fix", "files": ["a.go"], "tests": ["TestOther"], "hints": ["d"]}]}]}`

func TestParseAndFind(t *testing.T) {
	m, err := manifest.Parse([]byte(good))
	require.NoError(t, err)
	require.Len(t, m.Exercises(), 3)

	e, err := m.Find("03_race/mutex")
	require.NoError(t, err)
	assert.Equal(t, "03_race/mutex", e.ID())
	assert.Equal(t, "^(TestMutexCounts|ExampleCount)$", e.RunPattern())
	assert.Equal(t, "go test -race -run '^(TestMutexCounts|ExampleCount)$' ./exercises/03_race", e.Command())

	for _, id := range []string{"race/mutex", "mutex"} {
		got, err := m.Find(id)
		require.NoError(t, err, id)
		assert.Same(t, e, got, id)
	}
	_, err = m.Find("atomic")
	assert.ErrorContains(t, err, "names 2 exercises")
	_, err = m.Find("nope")
	assert.ErrorContains(t, err, `no exercise "nope"`)
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string
	}{
		{name: "unknown_field", json: `{"chapters": [], "extra": 1}`, want: "unknown field"},
		{name: "no_chapters", json: `{"chapters": []}`, want: "no chapters"},
		{name: "bad_id", json: `{"chapters": [{"id": "race", "title": "t", "python": "p", "exercises": [{"name": "a", "title": "t", "kind": "fix", "files": ["a.go"], "tests": ["TestA"], "hints": ["h"]}]}]}`, want: "not like 03_race"},
		{name: "bad_kind", json: `{"chapters": [{"id": "03_race", "title": "t", "python": "p", "exercises": [{"name": "a", "title": "t", "kind": "write", "files": ["a.go"], "tests": ["TestA"], "hints": ["h"]}]}]}`, want: "want fix, implement or tests"},
		{name: "test_twice", json: `{"chapters": [{"id": "03_race", "title": "t", "python": "p", "exercises": [{"name": "a", "title": "t", "kind": "fix", "files": ["a.go"], "tests": ["TestA"], "hints": ["h"]}, {"name": "b", "title": "t", "kind": "fix", "files": ["a.go"], "tests": ["TestA"], "hints": ["h"]}]}]}`, want: "already belongs to 03_race/a"},
		{name: "no_hints", json: `{"chapters": [{"id": "03_race", "title": "t", "python": "p", "exercises": [{"name": "a", "title": "t", "kind": "fix", "files": ["a.go"], "tests": ["TestA"], "hints": []}]}]}`, want: "needs a title, files, tests and hints"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := manifest.Parse([]byte(tt.json))
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestTheWorkbooksManifestLoads(t *testing.T) {
	m, err := manifest.Load(golden.Root(t))
	require.NoError(t, err)
	assert.NotEmpty(t, m.Exercises())
}

// withTargets is a one-chapter manifest with the given "targets" JSON.
func withTargets(targets string) string {
	return `{"chapters": [{"id": "09_hashing", "title": "t", "python": "p", "exercises": [{"name": "a", "title": "t", "kind": "fix", "files": ["a.go"], "tests": ["TestA"], "hints": ["h"]}], "targets": ` + targets + `}]}`
}

func TestParseTargets(t *testing.T) {
	m, err := manifest.Parse([]byte(withTargets(`[
		{"name": "2 workers ≥ 1.8× 1", "benchmark": "BenchmarkHashAll/workers=2", "baseline": "BenchmarkHashAll/workers=1", "cpu": 2, "metric": "MB/s", "min": 1.8},
		{"name": "the second core helps", "benchmark": "BenchmarkTransfer/accounts=1M/lock=ordered", "baseline": "BenchmarkTransfer/accounts=1M/lock=ordered", "cpu": 2, "baseline_cpu": 1, "metric": "ops/s", "min": 1.4},
		{"name": "the GIL experiment", "benchmark": "BenchmarkHashAll/workers=2", "baseline": "BenchmarkHashAll/workers=1", "cpu": 1, "metric": "MB/s", "min": 0.9, "max": 1.1},
		{"name": "fast", "benchmark": "BenchmarkSeed/threads=2", "cpu": 2, "metric": "s/op", "max": 0.6}]`)))
	require.NoError(t, err)
	targets := m.Chapters[0].Targets
	require.Len(t, targets, 4)
	assert.Equal(t, 2, targets[0].BaselineAt())
	assert.Equal(t, 1, targets[1].BaselineAt())
	assert.Equal(t, "≥ 1.8", targets[0].Bound())
	assert.Equal(t, "0.9 … 1.1", targets[2].Bound())
	assert.Equal(t, "≤ 0.6", targets[3].Bound())
	assert.True(t, targets[0].Met(1.8))
	assert.False(t, targets[0].Met(1.79))
	assert.True(t, targets[2].Met(1.0))
	assert.False(t, targets[2].Met(1.2))
	assert.False(t, targets[3].Met(0.61))
}

func TestParseRejectsTargets(t *testing.T) {
	tests := []struct {
		name    string
		targets string
		want    string
	}{
		{name: "no_bound", targets: `[{"name": "n", "benchmark": "BenchmarkA", "cpu": 1, "metric": "ns/op"}]`, want: "needs min, max or both"},
		{name: "min_above_max", targets: `[{"name": "n", "benchmark": "BenchmarkA", "cpu": 1, "metric": "ns/op", "min": 2, "max": 1}]`, want: "min is above max"},
		{name: "bad_benchmark", targets: `[{"name": "n", "benchmark": "HashAll", "cpu": 1, "metric": "ns/op", "min": 1}]`, want: "is not like BenchmarkHashAll/workers=2"},
		{name: "no_cpu", targets: `[{"name": "n", "benchmark": "BenchmarkA", "metric": "ns/op", "min": 1}]`, want: "cpu must be at least 1"},
		{name: "no_metric", targets: `[{"name": "n", "benchmark": "BenchmarkA", "cpu": 1, "min": 1}]`, want: "needs a metric"},
		{name: "itself", targets: `[{"name": "n", "benchmark": "BenchmarkA", "baseline": "BenchmarkA", "cpu": 1, "metric": "ns/op", "min": 1}]`, want: "with itself"},
		{name: "baseline_cpu_alone", targets: `[{"name": "n", "benchmark": "BenchmarkA", "cpu": 2, "baseline_cpu": 1, "metric": "ns/op", "min": 1}]`, want: "baseline_cpu without a baseline"},
		{name: "unknown_field", targets: `[{"name": "n", "benchmark": "BenchmarkA", "cpu": 1, "metric": "ns/op", "min": 1, "goal": 2}]`, want: "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := manifest.Parse([]byte(withTargets(tt.targets)))
			assert.ErrorContains(t, err, tt.want)
		})
	}
}
