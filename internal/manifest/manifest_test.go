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
		{name: "bad_kind", json: `{"chapters": [{"id": "03_race", "title": "t", "python": "p", "exercises": [{"name": "a", "title": "t", "kind": "write", "files": ["a.go"], "tests": ["TestA"], "hints": ["h"]}]}]}`, want: "want fix or implement"},
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
