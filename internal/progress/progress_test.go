package progress

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/explain"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const demoManifest = `{"chapters": [{"id": "01_demo", "title": "Demo", "python": "threading", "exercises": [
	{"name": "a", "title": "A", "kind": "fix", "files": ["a.go"], "tests": ["TestA"], "hints": ["h"]},
	{"name": "b", "title": "B", "kind": "fix", "files": ["b.go"], "tests": ["TestB"], "hints": ["h"]}]}]}`

// workbook writes a one-chapter workbook and returns its root and manifest.
func workbook(t *testing.T) (string, *manifest.Manifest) {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "exercises", "01_demo")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for name, text := range map[string]string{"a.go": "package demo\n", "b.go": "package demo\n",
		"shared.go": "package demo\n", "a_test.go": "package demo\n"} {
		write(t, filepath.Join(dir, name), text)
	}
	write(t, filepath.Join(root, "go.mod"), "module example.com/w\n")
	write(t, filepath.Join(root, "workbook.json"), demoManifest)
	m, err := manifest.Parse([]byte(demoManifest))
	require.NoError(t, err)
	return root, m
}

func write(t *testing.T, p, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
}

func status(views []View) map[string]Status {
	out := map[string]Status{}
	for _, v := range views {
		out[v.Exercise.Name] = v.Status
	}
	return out
}

func TestPassingOneExerciseNeverUnpassesAnother(t *testing.T) {
	root, m := workbook(t)
	require.NoError(t, WriteStartingSums(root))
	assert.Equal(t, map[string]Status{"a": ToDo, "b": ToDo}, status(Views(root, m, Load(root))))

	a, b := m.Chapters[0].Exercises[0], m.Chapters[0].Exercises[1]
	write(t, filepath.Join(root, "exercises", "01_demo", "a.go"), "package demo\n// solved\n")
	key, err := Key(root, a)
	require.NoError(t, err)
	require.NoError(t, Record(root, a, key, runner.Pass, "", nil))
	assert.Equal(t, map[string]Status{"a": Done, "b": ToDo}, status(Views(root, m, Load(root))))

	// Working on b changes b's files only: a stays done. (Keyed by the whole chapter,
	// a turned into "changed, not checked" here, and was offered again as the next one.)
	write(t, filepath.Join(root, "exercises", "01_demo", "b.go"), "package demo\n// working\n")
	views := Views(root, m, Load(root))
	assert.Equal(t, map[string]Status{"a": Done, "b": Changed}, status(views))
	assert.Equal(t, b, Next(views).Exercise)

	// A change to what every exercise depends on (shared code, tests) reruns them all.
	write(t, filepath.Join(root, "exercises", "01_demo", "shared.go"), "package demo\n// edited\n")
	views = Views(root, m, Load(root))
	assert.Equal(t, map[string]Status{"a": Changed, "b": Changed}, status(views))
	assert.True(t, views[0].DoneBefore)
}

func TestFailingIsRemembered(t *testing.T) {
	root, m := workbook(t)
	a := m.Chapters[0].Exercises[0]
	key, err := Key(root, a)
	require.NoError(t, err)
	require.NoError(t, Record(root, a, key, runner.Fail, explain.Race, []string{"TestA"}))
	v := Views(root, m, Load(root))[0]
	assert.Equal(t, Failing, v.Status)
	assert.Equal(t, explain.Race, v.Kind)
	assert.Equal(t, []string{"TestA"}, v.Failed)
}

func TestStartingSumsCurrent(t *testing.T) {
	root, _ := workbook(t)
	require.NoError(t, WriteStartingSums(root))
	ok, err := StartingSumsCurrent(root)
	require.NoError(t, err)
	assert.True(t, ok)
	write(t, filepath.Join(root, "exercises", "01_demo", "a.go"), "package demo\n// changed\n")
	ok, err = StartingSumsCurrent(root)
	require.NoError(t, err)
	assert.False(t, ok)
}
