package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeFiles creates the files (slash-separated path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
	}
}

func TestSumsCoverTestsTestdataInternalAndManifest(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"exercises/03_race/mutex.go":        "learner's code",
		"exercises/03_race/mutex_test.go":   "test",
		"solutions/03_race/mutex_test.go":   "test, edited",
		"solutions/03_race/mutex.go":        "reference",
		"testdata/03_race/counts.json":      "{}",
		"testdata/mutants/03_race/a/x.go":   "mutant",
		"internal/guard/guard.go":           "guard",
		"workbook.json":                     "{}",
		"go.mod":                            "module m",
		"README.md":                         "not covered",
		"cmd/workbook/main.go":              "not covered",
		"exercises/03_race/sub/sub_test.go": "a test file of a package below the chapter",
	})
	got, err := currentSums(dir, "exercises")
	require.NoError(t, err)
	var paths []string
	for p := range got {
		paths = append(paths, p)
	}
	assert.ElementsMatch(t, []string{"exercises/03_race/mutex_test.go", "exercises/03_race/sub/sub_test.go",
		"testdata/03_race/counts.json", "testdata/mutants/03_race/a/x.go", "internal/guard/guard.go",
		"workbook.json", "go.mod"}, paths)
	assert.Equal(t, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", got["exercises/03_race/mutex_test.go"],
		"the SHA-256 of \"test\"")

	// The sums file round-trips, sorted, in the format of sha256sum.
	b := formatSums(got)
	assert.Contains(t, string(b), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  exercises/03_race/mutex_test.go\n")
	parsed, err := parseSums(b)
	require.NoError(t, err)
	assert.Equal(t, got, parsed)
	_, err = parseSums([]byte("not a sum line\n"))
	assert.Error(t, err)

	// Another tree's test files are keyed as under exercises/, to compare with its sums.
	sol, err := currentSums(dir, "solutions")
	require.NoError(t, err)
	assert.Equal(t, []change{
		{"exercises/03_race/mutex_test.go", "edited"},
		{"exercises/03_race/sub/sub_test.go", "deleted"},
	}, diffSums(got, sol))
	assert.Equal(t, change{"solutions/03_race/mutex_test.go", "edited"}, change{"exercises/03_race/mutex_test.go", "edited"}.inTree("solutions"))
}

func TestDiffSums(t *testing.T) {
	want := map[string]string{"a": "1", "b": "2", "c": "3"}
	got := map[string]string{"a": "1", "b": "9", "d": "4"}
	assert.Equal(t, []change{{"b", "edited"}, {"c", "deleted"}, {"d", "added"}}, diffSums(want, got))
	assert.Empty(t, diffSums(want, want))
}

func TestTamperedByMarksTheExercisesAChangeTouches(t *testing.T) {
	m, err := manifest.Parse([]byte(`{"chapters": [
		{"id": "03_race", "title": "R", "python": "p", "exercises": [
			{"name": "mutex", "title": "M", "kind": "fix", "files": ["mutex.go"], "tests": ["TestMutex"], "hints": ["h"]},
			{"name": "atomic", "title": "A", "kind": "fix", "files": ["atomic.go"], "tests": ["TestAtomic"], "hints": ["h"]}]},
		{"id": "06_conditions", "title": "C", "python": "p", "exercises": [
			{"name": "cond", "title": "C", "kind": "fix", "files": ["buffer.go"], "tests": ["TestCond"], "hints": ["h"]}]}]}`))
	require.NoError(t, err)
	all := []string{"03_race/mutex", "03_race/atomic", "06_conditions/cond"}
	race := []string{"03_race/mutex", "03_race/atomic"}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"exercises/03_race/mutex_test.go", race}, // one binary: any test file can change any test
		{"exercises/03_race/new_test.go", race},
		{"exercises/06_conditions/cond_test.go", []string{"06_conditions/cond"}},
		{"exercises/99_other/x_test.go", nil}, // no chapter of the manifest
		{"testdata/03_race/counts.json", race},
		{"testdata/mutants/06_conditions/spin/buffer.go", []string{"06_conditions/cond"}},
		{"testdata/internal/golden.json", all},
		{"testdata/new.txt", all},
		{"internal/guard/guard.go", all},
		{"internal/new/new.go", all},
		{"workbook.json", all},
		{"go.mod", all},
		{"go.sum", all},
	} {
		got := tamperedBy(m, []change{{tc.path, "added"}}, "solutions")
		var ids []string
		for id, files := range got {
			ids = append(ids, id)
			want := change{tc.path, "added"}.inTree("solutions")
			assert.Equal(t, []change{want}, files, tc.path)
		}
		assert.ElementsMatch(t, tc.want, ids, tc.path)
	}
}

func TestIntegrityWithoutSums(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"workbook.json": "{}"})
	_, _, err := integrity(dir, "exercises", filepath.Join(dir, sumsFile))
	require.Error(t, err)
	assert.Contains(t, err.Error(), sumsFix)
}

func TestSumsCommandWritesAndChecks(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"workbook.json":                   "{}",
		"exercises/03_race/mutex_test.go": "test",
		"internal/guard/guard.go":         "guard",
	})
	assert.Equal(t, 1, cmdSums(dir, nil), "no workbook.sum yet")
	assert.Equal(t, 0, cmdSums(dir, []string{"-w"}))
	assert.Equal(t, 0, cmdSums(dir, nil))
	writeFiles(t, dir, map[string]string{"internal/guard/extra.go": "added"})
	assert.Equal(t, 1, cmdSums(dir, nil), "a file added under internal/")
	assert.Equal(t, 2, cmdSums(dir, []string{"-x"}))
}
