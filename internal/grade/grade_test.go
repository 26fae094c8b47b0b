package grade

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/explain"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
	"github.com/go-concurrency-workbook/workbook/internal/sums"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gradeChapter is the chapter the end-to-end grades copy: its shipped tests fail in well
// under a second each, and its solution passes as fast.
const gradeChapter = "06_conditions"

// repoRoot returns the real repository, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	require.FileExists(t, filepath.Join(root, manifest.File))
	return root
}

// copyAll copies the regular files under src (a file or a directory) to dst.
func copyAll(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	require.NoError(t, err)
}

// workbookCopy makes a workbook of one chapter in a temporary directory: go.mod, go.sum,
// internal/, the chapter's mutants, a manifest trimmed to the chapter, the chapter's
// exercises as shipped (or, with solved, with the solution's files copied over them),
// and a workbook.sum of all that. It never writes into the real repository.
func workbookCopy(t *testing.T, solved bool) string {
	t.Helper()
	root, dir := repoRoot(t), t.TempDir()
	for _, p := range []string{"go.mod", "go.sum", "internal", "testdata/mutants/" + gradeChapter, "exercises/" + gradeChapter} {
		copyAll(t, filepath.Join(root, filepath.FromSlash(p)), filepath.Join(dir, filepath.FromSlash(p)))
	}
	if solved {
		copyAll(t, filepath.Join(root, "solutions", gradeChapter), filepath.Join(dir, "exercises", gradeChapter))
	}
	m, err := manifest.Load(root)
	require.NoError(t, err)
	m.Chapters = slices.DeleteFunc(m.Chapters, func(ch *manifest.Chapter) bool { return ch.ID != gradeChapter })
	require.Len(t, m.Chapters, 1)
	b, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, manifest.File), b, 0o644))
	all, err := CurrentSums(dir, "exercises")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, SumsFile), all.Format(""), 0o644))
	return dir
}

// chapterTests counts the tests of gradeChapter in the manifest.
func chapterTests(t *testing.T) int {
	t.Helper()
	m, err := manifest.Load(repoRoot(t))
	require.NoError(t, err)
	n := 0
	for _, e := range m.Exercises() {
		if e.Chapter.ID == gradeChapter {
			n += len(e.Tests)
		}
	}
	return n
}

// hostile writes a file of learner code into the copy's chapter.
func hostile(t *testing.T, dir, name, code string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "exercises", gradeChapter, name), []byte(code), 0o644))
}

// gradeIn grades the copy's exercises with a short limit, and checks that the grade was
// bounded: no process outlived its limit by more than the kill's slack.
func gradeIn(t *testing.T, dir string, limit time.Duration) *Report {
	t.Helper()
	start := time.Now()
	rep, err := Grade(context.Background(), Options{Root: dir, Dir: "exercises",
		Sums: filepath.Join(dir, SumsFile), Limit: limit, Jobs: runtime.GOMAXPROCS(0)})
	require.NoError(t, err)
	for _, r := range rep.Exercises {
		assert.LessOrEqual(t, r.ElapsedSeconds, (limit + 3*time.Second).Seconds(), "%s ran past its limit", r.ID)
	}
	t.Logf("graded in %.1fs", time.Since(start).Seconds())
	return rep
}

// statuses returns each exercise's status by name.
func statuses(rep *Report) map[string]runner.Status {
	got := map[string]runner.Status{}
	for _, r := range rep.Exercises {
		got[r.Name] = r.Status
	}
	return got
}

func exercise(t *testing.T, rep *Report, name string) *ExerciseReport {
	t.Helper()
	for _, r := range rep.Exercises {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no exercise %s in the report", name)
	return nil
}

// noTestPassed checks that no test of the exercise reported pass.
func noTestPassed(t *testing.T, r *ExerciseReport) {
	t.Helper()
	for _, tr := range r.Tests {
		assert.NotEqual(t, runner.TestPass, tr.Status, "%s: %s", r.ID, tr.Name)
	}
}

func TestGradePristine(t *testing.T) {
	t.Parallel()
	dir := workbookCopy(t, false)
	rep := gradeIn(t, dir, 20*time.Second)
	b := JSON(rep)
	assert.Equal(t, map[string]runner.Status{"cond": runner.Fail, "close": runner.Fail, "channel": runner.Fail}, statuses(rep))
	for _, r := range rep.Exercises {
		noTestPassed(t, r)
		assert.NotContains(t, []string{"", "build", "timeout", "unknown", "tampered"}, r.Kind, r.ID)
		for _, tr := range r.Tests {
			assert.Equal(t, runner.TestFail, tr.Status, "%s: %s fails by assertion as shipped", r.ID, tr.Name)
		}
	}
	n := chapterTests(t)
	assert.Equal(t, Totals{Exercises: 3, Fail: 3, Tests: n}, rep.Totals)
	assert.Zero(t, rep.Score)

	// The schema's field names are stable: README.md documents them.
	var raw map[string]any
	require.NoError(t, json.Unmarshal(b, &raw))
	for _, k := range []string{"schema", "dir", "go_version", "started", "elapsed_seconds", "timeout_seconds",
		"integrity", "exercises", "totals", "score"} {
		assert.Contains(t, raw, k)
	}
	ex := raw["exercises"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "chapter", "name", "status", "elapsed_seconds", "kind", "explanation",
		"tampered_files", "command", "tests", "output"} {
		assert.Contains(t, ex, k)
	}
	test := ex["tests"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "status", "elapsed_seconds", "output"} {
		assert.Contains(t, test, k)
	}

	// The JUnit report: a suite for the chapter, a case a test, classname the exercise.
	b = JUnit(rep)
	var suites junitSuites
	require.NoError(t, xml.Unmarshal(b, &suites))
	require.Len(t, suites.Suites, 1)
	s := suites.Suites[0]
	assert.Equal(t, gradeChapter, s.Name)
	assert.Equal(t, n, s.Tests)
	assert.Equal(t, n, s.Failures)
	require.Len(t, s.Cases, n)
	assert.Equal(t, gradeChapter+"/cond", s.Cases[0].Classname)
	assert.Equal(t, "TestCondGetWaits", s.Cases[0].Name)
	require.NotNil(t, s.Cases[0].Failure)
	assert.Equal(t, rep.Exercises[0].Kind, s.Cases[0].Failure.Type)
	assert.Contains(t, s.Cases[0].Failure.Text, "--- FAIL: TestCondGetWaits")
}

func TestGradeSolved(t *testing.T) {
	t.Parallel()
	dir := workbookCopy(t, true)
	// The idiomatic answer uses errgroup: golang.org/x/sync is pinned in go.mod, so the
	// learner needs no `go get`, and the grade, which may not change go.mod, builds it.
	// (Before it was pinned, `go get` changed go.mod and every exercise was "tampered".)
	hostile(t, dir, "errgroup.go", "package conditions\n\nimport \"golang.org/x/sync/errgroup\"\n\nvar _ errgroup.Group\n")
	rep := gradeIn(t, dir, 20*time.Second)
	assert.Equal(t, map[string]runner.Status{"cond": runner.Pass, "close": runner.Pass, "channel": runner.Pass}, statuses(rep))
	n := chapterTests(t)
	assert.Equal(t, Totals{Exercises: 3, Pass: 3, Tests: n, TestsPassed: n}, rep.Totals)
	assert.Equal(t, 1.0, rep.Score)
	assert.Empty(t, rep.Integrity.Changes)
}

func TestGradeBlankedTestFileIsTampered(t *testing.T) {
	t.Parallel()
	dir := workbookCopy(t, true)
	hostile(t, dir, "cond_test.go", "package conditions\n")
	rep := gradeIn(t, dir, 20*time.Second)
	assert.Equal(t, map[string]runner.Status{"cond": StatusTampered, "close": StatusTampered, "channel": StatusTampered},
		statuses(rep))
	want := []sums.Change{{Path: "exercises/" + gradeChapter + "/cond_test.go", Change: "edited"}}
	assert.Equal(t, want, rep.Integrity.Changes)
	for _, r := range rep.Exercises {
		assert.Equal(t, want, r.TamperedFiles, r.ID)
		assert.Equal(t, "tampered", r.Kind)
		assert.Contains(t, r.Explanation, "cond_test.go edited")
		noTestPassed(t, r)
	}
	assert.Contains(t, string(JUnit(rep)), `type="tampered"`)
}

func TestGradeExitInInit(t *testing.T) {
	t.Parallel()
	dir := workbookCopy(t, true)
	hostile(t, dir, "hostile.go", "package conditions\n\nimport \"os\"\n\nfunc init() { os.Exit(0) }\n")
	rep := gradeIn(t, dir, 20*time.Second)
	assert.Equal(t, map[string]runner.Status{"cond": runner.Error, "close": runner.Error, "channel": runner.Error}, statuses(rep))
	for _, r := range rep.Exercises {
		noTestPassed(t, r)
		assert.Contains(t, []string{string(explain.NoVerdict), string(explain.Panic)}, r.Kind, r.ID)
		for _, tr := range r.Tests {
			assert.Equal(t, runner.TestNotRun, tr.Status, "%s: %s", r.ID, tr.Name)
		}
	}
}

// closeFile replaces the solution's close.go with a Close that runs body first: only the
// close exercise calls (*Buffer).Close, so the other two exercises still pass.
func closeFile(body string) string {
	return `package conditions

import (
	"os"
	"os/exec"
	"strconv"
)

var _, _, _ = os.Exit, exec.Command, strconv.Itoa

func (b *Buffer) Close() {
	` + body + `
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.notEmpty.Broadcast()
	b.notFull.Broadcast()
}
`
}

func TestGradeEndlessLoop(t *testing.T) {
	t.Parallel()
	dir := workbookCopy(t, true)
	hostile(t, dir, "close.go", closeFile("for {\n\t}"))
	limit := 3 * time.Second
	rep := gradeIn(t, dir, limit)
	assert.Equal(t, map[string]runner.Status{"cond": runner.Pass, "close": runner.Timeout, "channel": runner.Pass}, statuses(rep))
	r := exercise(t, rep, "close")
	noTestPassed(t, r)
	assert.Equal(t, "timeout", r.Kind)
	assert.Contains(t, r.Output, "panic: test timed out after")
}

func TestGradePanicInGoroutine(t *testing.T) {
	t.Parallel()
	dir := workbookCopy(t, true)
	hostile(t, dir, "close.go", closeFile(`go func() { panic("a panic in the learner's goroutine") }()`))
	rep := gradeIn(t, dir, 20*time.Second)
	assert.Equal(t, map[string]runner.Status{"cond": runner.Pass, "close": runner.Error, "channel": runner.Pass}, statuses(rep))
	r := exercise(t, rep, "close")
	noTestPassed(t, r)
	assert.Contains(t, []string{string(explain.NoVerdict), string(explain.Panic)}, r.Kind)
	assert.Contains(t, r.Output, "panic: a panic in the learner's goroutine")
}

func TestGradeExitInATest(t *testing.T) {
	t.Parallel()
	dir := workbookCopy(t, true)
	hostile(t, dir, "close.go", closeFile("os.Exit(0)"))
	rep := gradeIn(t, dir, 20*time.Second)
	assert.Equal(t, map[string]runner.Status{"cond": runner.Pass, "close": runner.Error, "channel": runner.Pass}, statuses(rep))
	r := exercise(t, rep, "close")
	noTestPassed(t, r)
	assert.Contains(t, []string{string(explain.NoVerdict), string(explain.Panic)}, r.Kind)
	assert.Contains(t, r.Output, "unexpected call to os.Exit(0) during test")
}

func TestGradeChildProcessThatNeverExits(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no sleep command and no process groups on Windows")
	}
	t.Parallel()
	dir := workbookCopy(t, true)
	pids := t.TempDir()
	// Close starts `sleep 1000` with the test's stdout, records its pid, and waits for it.
	hostile(t, dir, "close.go", closeFile(`cmd := exec.Command("sleep", "1000")
	cmd.Stdout = os.Stdout
	if cmd.Start() == nil {
		os.WriteFile(`+"`"+pids+"`"+`+"/"+strconv.Itoa(cmd.Process.Pid), nil, 0o644)
		cmd.Wait()
	}`))
	// The limit leaves the solved exercises room on a loaded machine (channel's tests race
	// Closes for a second) and still stops the hung one.
	limit := 15 * time.Second
	start := time.Now()
	rep := gradeIn(t, dir, limit)
	assert.Equal(t, map[string]runner.Status{"cond": runner.Pass, "close": runner.Timeout, "channel": runner.Pass}, statuses(rep))
	noTestPassed(t, exercise(t, rep, "close"))
	assert.Less(t, time.Since(start), limit+60*time.Second)
	started, err := os.ReadDir(pids)
	require.NoError(t, err)
	require.NotEmpty(t, started, "the hostile Close never started its child")
	for _, e := range started {
		assert.Eventually(t, func() bool { return !processAlive(e.Name()) }, 5*time.Second, 20*time.Millisecond,
			"the child process %s outlived the grade", e.Name())
	}
}

// processAlive reports whether the process pid exists and is not a zombie.
func processAlive(pid string) bool {
	n, err := strconv.Atoi(pid)
	if err != nil {
		return false
	}
	p, err := os.FindProcess(n)
	if err != nil || p.Signal(syscall.Signal(0)) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return true // not Linux: the signal reached it
	}
	_, after, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(after, "Z")
}

// TestGradeWholeWorkbook grades the whole workbook in course mode, the course being a
// copy of this repository, sandboxed where bubblewrap is: a learner who submits the
// reference solutions passes every exercise. Of chapter 14 it grades one exercise
// (barrier, 7 mutants): enough to see the runs of a learner's tests on the wrong
// implementations pass and contained like any run; that every reference test of chapter 14
// passes and catches all its mutants is make check's step 5, and grading them all here
// would double a minute of make check. (That the starting code fails every test is step 4,
// test by test.) A copy of the workbook matches the real workbook.sum.
func TestGradeWholeWorkbook(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	course := t.TempDir()
	for _, p := range []string{"go.mod", "go.sum", "internal", "testdata", "exercises"} {
		copyAll(t, filepath.Join(root, p), filepath.Join(course, p))
	}
	m, err := manifest.Load(root)
	require.NoError(t, err)
	ch14 := m.Chapters[len(m.Chapters)-1]
	require.Equal(t, "14_testing", ch14.ID)
	ch14.Exercises = slices.DeleteFunc(ch14.Exercises, func(e *manifest.Exercise) bool { return e.Name != "barrier" })
	require.Len(t, ch14.Exercises, 1)
	b, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(course, manifest.File), b, 0o644))

	solved := t.TempDir()
	copyAll(t, filepath.Join(course, "exercises"), filepath.Join(solved, "exercises"))
	for _, e := range m.Exercises() {
		for _, f := range e.Files {
			copyAll(t, filepath.Join(root, "solutions", e.Chapter.ID, f), filepath.Join(solved, "exercises", e.Chapter.ID, f))
		}
	}
	start := time.Now()
	reps, errs := GradeClass(context.Background(), ClassOptions{Course: course, Learners: []string{solved},
		Limit: 2 * time.Minute, Jobs: runtime.GOMAXPROCS(0), MaxMemory: 1 << 30, NoSandbox: runner.SandboxProblem() != nil})
	t.Logf("graded the solutions in course mode in %.0fs", time.Since(start).Seconds())
	require.NoError(t, errs[0])
	for _, r := range reps[0].Exercises {
		assert.Equal(t, runner.Pass, r.Status, "%s solved: %s %s\n%s", r.ID, r.Kind, r.Explanation, r.Output)
	}
	assert.Equal(t, len(m.Exercises()), reps[0].Totals.Pass, "every exercise passes with the solutions")
	assert.Empty(t, reps[0].Ignored, "the solutions are the learner's files only")
	g := strings.Join(reps[0].Guarantees, "\n")
	assert.Contains(t, g, "memory capped at 1024 MiB")
	if runner.SandboxProblem() == nil {
		assert.Contains(t, g, "bubblewrap")
	}

	dir := t.TempDir()
	for _, p := range []string{"go.mod", "go.sum", manifest.File, SumsFile, "internal", "testdata", "exercises"} {
		copyAll(t, filepath.Join(root, p), filepath.Join(dir, p))
	}
	changes, _, err := Integrity(dir, "exercises", filepath.Join(dir, SumsFile))
	require.NoError(t, err)
	assert.Empty(t, changes, "the copy matches workbook.sum")
}
