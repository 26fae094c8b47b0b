package mutation

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const fixtureManifest = `{"chapters": [{"id": "14_demo", "title": "Demo", "python": "unittest", "exercises": [
	{"name": "add", "title": "Test Add", "kind": "tests", "files": ["add_test.go"], "subject": ["add.go"],
	 "tests": ["TestAdd"], "hints": ["h"]}]}]}`

// fixture writes a chapter whose learner writes add_test.go for a correct Add, with one
// mutant, and returns the root and the exercise.
func fixture(t *testing.T, learnerTest string) (string, *manifest.Exercise, []*manifest.Mutant) {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"go.mod":                        "module example.com/wb\n\ngo 1.26\n",
		"workbook.json":                 fixtureManifest,
		"exercises/14_demo/add.go":      "package demo\n\n// Add returns a+b.\nfunc Add(a, b int) int { return a + b }\n",
		"exercises/14_demo/add_test.go": learnerTest,
		"testdata/mutants/14_demo/minus/add.go": "// mutant: Add subtracts; caught by TestAdd; unchecked: no test adds two numbers and checks the sum\n" +
			"package demo\n\n// Add returns a-b.\nfunc Add(a, b int) int { return a - b }\n",
	}
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	m, err := manifest.Load(root)
	require.NoError(t, err)
	mutants, problems := manifest.LoadMutants(root, m)
	require.Empty(t, problems)
	return root, m.Exercises()[0], mutants
}

func grade(t *testing.T, learnerTest string) Outcome {
	t.Helper()
	root, e, mutants := fixture(t, learnerTest)
	return Run(context.Background(), Options{Root: root, Tree: "exercises", Exercise: e, Mutants: mutants,
		Limit: 30 * time.Second, Jobs: 2, Tmp: t.TempDir()})
}

const header = "package demo\n\nimport (\n\t\"testing\"\n\t\"testing/synctest\"\n\t\"time\"\n)\n\nvar _, _ = synctest.Wait, time.Sleep\n\n"

func TestGoodTestsPass(t *testing.T) {
	o := grade(t, header+"func TestAdd(t *testing.T) {\n\tif Add(2, 3) != 5 {\n\t\tt.Error(\"Add(2, 3) != 5\")\n\t}\n}\n")
	assert.Equal(t, runner.Pass, o.Status)
	assert.Equal(t, []string{"TestAdd"}, o.Tests)
	assert.Equal(t, 1, o.Killed)
}

func TestWeakTestsLetAMutantSurvive(t *testing.T) {
	o := grade(t, header+"func TestAdd(t *testing.T) {\n\tif Add(0, 0) != 0 {\n\t\tt.Error(\"no\")\n\t}\n}\n")
	assert.Equal(t, runner.Fail, o.Status)
	require.Len(t, o.Survivors, 1)
	assert.Equal(t, "no test adds two numbers and checks the sum", o.Survivors[0].Unchecked)
}

func TestAnEmptyFileFails(t *testing.T) {
	o := grade(t, "package demo\n")
	assert.Equal(t, runner.Fail, o.Status)
	assert.Empty(t, o.Tests)
}

func TestSleepsOutsideABubbleFail(t *testing.T) {
	o := grade(t, header+"func TestAdd(t *testing.T) {\n\ttime.Sleep(time.Millisecond)\n\tif Add(2, 3) != 5 {\n\t\tt.Error(\"no\")\n\t}\n"+
		"\tsynctest.Test(t, func(t *testing.T) { time.Sleep(time.Hour) })\n}\n")
	assert.Equal(t, runner.Fail, o.Status)
	assert.Equal(t, []string{"exercises/14_demo/add_test.go:12"}, o.Sleeps, "only the sleep outside the bubble")
}

func TestATestThatFailsOnCorrectCodeFails(t *testing.T) {
	o := grade(t, header+"func TestAdd(t *testing.T) {\n\tif Add(2, 3) != 6 {\n\t\tt.Error(\"Add(2, 3) != 6\")\n\t}\n}\n")
	assert.Equal(t, runner.Fail, o.Status)
	require.NotNil(t, o.OnCorrect)
	assert.Equal(t, runner.TestFail, o.OnCorrect.Test("TestAdd").Status)
}

func TestATestThatHangsOnAMutant(t *testing.T) {
	root, e, mutants := fixture(t, header+"func TestAdd(t *testing.T) {\n\tfor Add(2, 3) != 5 {\n\t}\n}\n")
	o := Run(context.Background(), Options{Root: root, Tree: "exercises", Exercise: e, Mutants: mutants,
		Limit: 3 * time.Second, Jobs: 2, Tmp: t.TempDir()})
	assert.Equal(t, runner.Fail, o.Status)
	assert.Len(t, o.Hung, 1)
}
