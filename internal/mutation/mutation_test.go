package mutation

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
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

const header = "package demo\n\nimport (\n\t\"testing\"\n\t\"testing/synctest\"\n\t\"time\"\n)\n\nvar _, _ = synctest.Wait, time.Duration(0)\n\n"

func TestGoodTestsPass(t *testing.T) {
	t.Parallel()
	o := grade(t, header+"func TestAdd(t *testing.T) {\n\tif Add(2, 3) != 5 {\n\t\tt.Error(\"Add(2, 3) != 5\")\n\t}\n}\n")
	assert.Equal(t, runner.Pass, o.Status)
	assert.Equal(t, []string{"TestAdd"}, o.Tests)
	assert.Equal(t, 1, o.Killed)
}

func TestWeakTestsLetAMutantSurvive(t *testing.T) {
	t.Parallel()
	o := grade(t, header+"func TestAdd(t *testing.T) {\n\tif Add(0, 0) != 0 {\n\t\tt.Error(\"no\")\n\t}\n}\n")
	assert.Equal(t, runner.Fail, o.Status)
	require.Len(t, o.Survivors, 1)
	assert.Equal(t, "no test adds two numbers and checks the sum", o.Survivors[0].Unchecked)
}

func TestAnEmptyFileFails(t *testing.T) {
	t.Parallel()
	o := grade(t, "package demo\n")
	assert.Equal(t, runner.Fail, o.Status)
	assert.Empty(t, o.Tests)
}

func TestSleepsOutsideABubbleFail(t *testing.T) {
	t.Parallel()
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
	require.Len(t, o.Hung, 1)
	assert.Equal(t, map[string]string{"minus": "TestAdd"}, o.HungIn, "the test that was still running")
	assert.Equal(t, 3*time.Second, o.MutantLimit, "at most the Limit")
}

// TestAHangIsCutShort: a run on a wrong implementation gets twice the correct run's time
// and MutantSlack, not the whole Limit, and the wrong implementations run side by side.
func TestAHangIsCutShort(t *testing.T) {
	root, e, mutants := fixture(t, header+"func TestAdd(t *testing.T) {\n\tfor Add(2, 3) != 5 {\n\t\ttime.Sleep(time.Millisecond)\n\t}\n}\n")
	start := time.Now()
	o := Run(context.Background(), Options{Root: root, Tree: "exercises", Exercise: e, Mutants: mutants,
		Limit: time.Minute, Jobs: 2, Tmp: t.TempDir()})
	assert.Equal(t, runner.Fail, o.Status)
	require.Len(t, o.Hung, 1)
	assert.Less(t, o.MutantLimit, MutantSlack+5*time.Second)
	assert.Less(t, time.Since(start), 45*time.Second, "the run on the wrong implementation was stopped at %v", o.MutantLimit)
	assert.Equal(t, []string{"exercises/14_demo/add_test.go:13"}, o.Sleeps)
}

func TestTheStubIsNotWritten(t *testing.T) {
	t.Parallel()
	o := grade(t, "package demo\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n\tt.Fatal(\"TODO: check that Add(2, 3) is 5\")\n}\n")
	assert.Equal(t, runner.Fail, o.Status)
	assert.Equal(t, []string{"TestAdd"}, o.Unwritten)
	assert.Empty(t, o.Refused)
	assert.Zero(t, o.Killed+len(o.Survivors)+len(o.Hung), "no wrong implementation runs while every test is a stub")
}

// TestMutantsRunTheTestsThatPass: a test that fails on the correct implementation is
// left out of the runs on the wrong ones, which the other tests still grade.
func TestMutantsRunTheTestsThatPass(t *testing.T) {
	o := grade(t, header+"func TestAdd(t *testing.T) {\n\tif Add(0, 0) != 0 {\n\t\tt.Error(\"no\")\n\t}\n}\n\n"+
		"func TestAddWrong(t *testing.T) {\n\tif Add(2, 3) != 6 {\n\t\tt.Error(\"Add(2, 3) != 6\")\n\t}\n}\n")
	assert.Equal(t, runner.Fail, o.Status)
	assert.Len(t, o.Survivors, 1, "TestAdd alone lets Add = a-b pass; TestAddWrong, failing everywhere, does not count")
}

func TestRefusalsFail(t *testing.T) {
	t.Parallel()
	o := grade(t, header+"func TestAdd(t *testing.T) {\n\tdone := make(chan bool)\n\tgo func() {\n\t\tif Add(2, 3) != 5 {\n\t\t\tt.Fatal(\"no\")\n\t\t}\n\t\tdone <- true\n\t}()\n\t<-done\n}\n")
	assert.Equal(t, runner.Fail, o.Status)
	// On the wrong Add, t.Fatal ends only the goroutine, which never sends: the test waits.
	assert.Len(t, o.Hung, 1, "the weakness the refusal names")
	require.Len(t, o.Refused, 1)
	assert.Equal(t, FatalOffTest, o.Refused[0].Rule)
	assert.Equal(t, "exercises/14_demo/add_test.go:15", o.Refused[0].Pos)
}

// TestMutationRunsHaveTheMemoryCap: in strict mode, the runs have the runner's caps, as
// Options gives them.
func TestMutationRunsHaveTheMemoryCap(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the caps are watched on Linux")
	}
	root, e, mutants := fixture(t, header+"var sink [][]byte\n\nfunc TestAdd(t *testing.T) {\n\tfor range 64 {\n"+
		"\t\tb := make([]byte, 8<<20)\n\t\tfor i := range b {\n\t\t\tb[i] = 1\n\t\t}\n\t\tsink = append(sink, b)\n"+
		"\t\ttime.Sleep(20 * time.Millisecond)\n\t}\n}\n")
	o := Run(context.Background(), Options{Root: root, Tree: "exercises", Exercise: e, Mutants: mutants,
		Limit: 30 * time.Second, Jobs: 2, Tmp: t.TempDir(), Strict: true, MaxMemory: 96 << 20})
	require.NotNil(t, o.OnCorrect)
	assert.Contains(t, o.OnCorrect.Killed, "more than the cap of 96 MiB")
	assert.Contains(t, o.Contained, "memory capped at 96 MiB")
	assert.NotEqual(t, runner.Pass, o.Status)
}
