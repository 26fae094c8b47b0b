package grade

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
	"github.com/go-concurrency-workbook/workbook/internal/sums"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// courseCopy makes a course of one chapter (gradeChapter) in a temporary directory: the
// course's go.mod, go.sum, internal/, the chapter's exercises as shipped and its
// mutants, and a manifest trimmed to the chapter.
func courseCopy(t *testing.T) string {
	t.Helper()
	root, dir := repoRoot(t), t.TempDir()
	for _, p := range []string{"go.mod", "go.sum", "internal", "testdata/mutants/" + gradeChapter, "exercises/" + gradeChapter} {
		copyAll(t, filepath.Join(root, filepath.FromSlash(p)), filepath.Join(dir, filepath.FromSlash(p)))
	}
	m, err := manifest.Load(root)
	require.NoError(t, err)
	m.Chapters = slices.DeleteFunc(m.Chapters, func(ch *manifest.Chapter) bool { return ch.ID != gradeChapter })
	b, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, manifest.File), b, 0o644))
	return dir
}

// learnerCopy makes a learner's tree: a copy of the course, solved or not, and then
// changes (path → content; "" removes the file).
func learnerCopy(t *testing.T, course string, solved bool, changes map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	copyAll(t, course, dir)
	if solved {
		copyAll(t, filepath.Join(repoRoot(t), "solutions", gradeChapter), filepath.Join(dir, "exercises", gradeChapter))
		require.NoError(t, os.Remove(filepath.Join(dir, "exercises", gradeChapter, "README.md")))
		copyAll(t, filepath.Join(course, "exercises", gradeChapter, "README.md"), filepath.Join(dir, "exercises", gradeChapter, "README.md"))
	}
	for p, text := range changes {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if text == "" {
			require.NoError(t, os.Remove(full))
			continue
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(text), 0o644))
	}
	return dir
}

// gradeOne grades one learner against the course with a short limit and checks that it
// stayed within it.
func gradeOne(t *testing.T, course, learner string, limit time.Duration) *Report {
	t.Helper()
	start := time.Now()
	reps, errs := GradeClass(context.Background(), ClassOptions{Course: course, Learners: []string{learner},
		Limit: limit, Jobs: 2, MaxMemory: 512 << 20, NoSandbox: runner.SandboxProblem() != nil})
	require.Len(t, reps, 1)
	require.NoError(t, errs[0])
	assert.Less(t, time.Since(start), limit+2*time.Minute, "the grade must be bounded")
	return reps[0]
}

// passes counts the exercises that passed.
func passes(rep *Report) int { return rep.Totals.Pass }

// closeWith is the solution's close.go with extra code in Close, and extra imports.
func closeWith(imports, body string) string {
	return "package conditions\n\nimport (\n" + imports + "\n)\n\nfunc (b *Buffer) Close() {\n" + body +
		"\n\tb.mu.Lock()\n\tdefer b.mu.Unlock()\n\tb.closed = true\n\tb.notEmpty.Broadcast()\n\tb.notFull.Broadcast()\n}\n"
}

func ignoredPaths(rep *Report) []string {
	var p []string
	for _, c := range rep.Ignored {
		p = append(p, c.Path+" "+c.Change)
	}
	return p
}

func statusOf(rep *Report, name string) runner.Status {
	for _, e := range rep.Exercises {
		if e.Name == name {
			return e.Status
		}
	}
	return ""
}

// TestCourseAttacks grades, against the course's own checkout, the ways a learner got
// a pass without the work when the grader ran the learner's copy of everything. None
// may pass; what lies outside the learner's files is listed as ignored.
func TestCourseAttacks(t *testing.T) {
	t.Parallel()
	course := courseCopy(t)
	ex := "exercises/" + gradeChapter + "/"
	const forged = "\x16=== RUN   TestCondGetWaits\\n\x16--- PASS: TestCondGetWaits (0.00s)\\n\x16PASS\\n"
	attacks := []struct {
		name    string
		solved  bool
		changes map[string]string
		want    map[string]runner.Status // by exercise; unnamed exercises must not pass
		ignored []string                 // must be listed as ignored
		limit   time.Duration
	}{
		{name: "solved", solved: true, want: map[string]runner.Status{"cond": runner.Pass, "close": runner.Pass, "channel": runner.Pass}},
		{name: "starting_code", want: map[string]runner.Status{"cond": runner.Fail, "close": runner.Fail, "channel": runner.Fail}},
		{name: "edited_tool", changes: map[string]string{"cmd/workbook/main.go": "package main\n\nfunc main() {}\n",
			".github/workflows/grade.yml": "name: x\n"}, ignored: []string{"cmd/workbook/main.go added", ".github/workflows/grade.yml added"}},
		{name: "emptied_tests_and_sums", changes: map[string]string{ex + "cond_test.go": "package conditions\n",
			ex + "close_test.go": "package conditions\n", "workbook.sum": "0000  x\n"},
			ignored: []string{ex + "cond_test.go edited", "workbook.sum added"}},
		{name: "go_mod_and_new_file", changes: map[string]string{"go.mod": "module x\n", ex + "extra.go": "package conditions\n"},
			ignored: []string{"go.mod edited", ex + "extra.go added"}},
		{name: "forged_framing_in_init", changes: map[string]string{ex + "buffer.go": readSolution(t, "buffer.go") +
			"\nfunc init() { print(\"" + forged + "\") }\n"}, want: map[string]runner.Status{"cond": StatusRejected}},
		{name: "forged_framing_in_a_var", changes: map[string]string{ex + "close.go": "package conditions\n\nimport \"fmt\"\n\n" +
			"var _ = func() int { fmt.Print(\"" + forged + "\"); return 0 }()\n\nfunc (b *Buffer) Close() {}\n"}},
		{name: "linkname_patch", changes: map[string]string{ex + "close.go": "package conditions\n\nimport _ \"unsafe\"\n\n" +
			"//go:linkname x testing.(*common).Fail\nvar x int\n\nfunc (b *Buffer) Close() {}\n"},
			want: map[string]runner.Status{"close": StatusRejected}},
		{name: "cgo_constructor", changes: map[string]string{ex + "close.go": "package conditions\n\n// void f(void) __attribute__((constructor));\nimport \"C\"\n\nfunc (b *Buffer) Close() {}\n"},
			want: map[string]runner.Status{"close": StatusRejected}},
		{name: "exit_in_a_var", changes: map[string]string{ex + "close.go": "package conditions\n\nimport \"os\"\n\n" +
			"var _ = func() int { os.Exit(0); return 0 }()\n\nfunc (b *Buffer) Close() {}\n"},
			want: map[string]runner.Status{"close": StatusRejected}},
		{name: "child_holding_stdout", changes: map[string]string{ex + "close.go": "package conditions\n\nimport \"os/exec\"\n\n" +
			"func (b *Buffer) Close() { c := exec.Command(\"sleep\", \"1000\"); c.Start() }\n"},
			want: map[string]runner.Status{"close": StatusRejected}},
		{name: "stops_the_grader", changes: map[string]string{ex + "close.go": "package conditions\n\nimport \"syscall\"\n\n" +
			"func (b *Buffer) Close() { syscall.Kill(syscall.Getppid(), syscall.SIGSTOP) }\n"},
			want: map[string]runner.Status{"close": StatusRejected}},
		{name: "rewrites_a_golden_file", changes: map[string]string{ex + "close.go": "package conditions\n\nimport \"io/ioutil\"\n\n" +
			"func (b *Buffer) Close() { ioutil.WriteFile(\"../../testdata/x\", nil, 0o644) }\n"},
			want: map[string]runner.Status{"close": StatusRejected}},
		{name: "reaches_a_test_variable", changes: map[string]string{ex + "close.go": "package conditions\n\n" +
			"var _ = startGets\n\nfunc (b *Buffer) Close() {}\n"},
			want: map[string]runner.Status{"close": StatusRejected}},
		{name: "symlinked_test_file", solved: true, changes: map[string]string{},
			want: map[string]runner.Status{"cond": runner.Pass}, ignored: []string{ex + "cond_test.go not a regular file"}},
		{name: "huge_learner_file", changes: map[string]string{ex + "close.go": "package conditions\n\n// " +
			strings.Repeat("x", 2<<20) + "\n"}, ignored: []string{ex + "close.go larger than 1 MiB"}},
		{name: "endless_loop", solved: true, changes: map[string]string{ex + "close.go": closeWith("", "\tfor {\n\t}")},
			// The limit leaves the other exercises room while close spins a core away.
			want: map[string]runner.Status{"close": runner.Timeout, "cond": runner.Pass}, limit: 20 * time.Second},
		{name: "panic_in_a_goroutine", solved: true, changes: map[string]string{ex + "close.go": closeWith("",
			"\tgo func() { panic(\"learner\") }()")}, want: map[string]runner.Status{"close": runner.Error}},
		{name: "megabytes_of_output", solved: true, changes: map[string]string{ex + "close.go": closeWith("\t\"fmt\"\n\t\"strings\"",
			"\tfor range 50 {\n\t\tfmt.Print(strings.Repeat(\"x\", 1<<20))\n\t}")}, want: map[string]runner.Status{"close": notPass}},
		// Round 2 (issue 15). A file built only with -race, where the tests' variables are:
		// the standalone build once left it out.
		{name: "race_only_file_reaches_a_test_variable", changes: map[string]string{ex + "close.go": "//go:build race\n\npackage conditions\n\n" +
			"func (b *Buffer) Close() {}\n"}, want: map[string]runner.Status{"cond": StatusRejected, "close": StatusRejected, "channel": StatusRejected}},
		// An ordinary comment that begins with "line" is no //line directive.
		{name: "comment_that_begins_with_line", solved: true, changes: map[string]string{ex + "close.go": "package conditions\n\n" +
			"//line up one goroutine per name\n" + strings.TrimPrefix(readSolution(t, "close.go"), "package conditions\n")}},
		{name: "memory_hog", solved: true, changes: map[string]string{ex + "close.go": closeWith("",
			"\tvar hog [][]byte\n\tfor {\n\t\tb := make([]byte, 8<<20)\n\t\tfor i := range b {\n\t\t\tb[i] = 1\n\t\t}\n\t\thog = append(hog, b)\n\t}")},
			want: map[string]runner.Status{"close": runner.Error}},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			learner := learnerCopy(t, course, a.solved, a.changes)
			if a.name == "symlinked_test_file" {
				p := filepath.Join(learner, ex, "cond_test.go")
				require.NoError(t, os.Remove(p))
				require.NoError(t, os.Symlink("/dev/zero", p))
				require.NoError(t, os.Symlink("user@host.1234", filepath.Join(learner, ex, ".#close.go")))
			}
			limit := a.limit
			if limit == 0 {
				limit = 60 * time.Second
			}
			rep := gradeOne(t, course, learner, limit)
			for _, e := range rep.Exercises {
				want, named := a.want[e.Name]
				switch {
				case named && want == notPass:
					assert.NotEqual(t, runner.Pass, e.Status, "%s passed: %s", e.ID, e.Explanation)
				case named:
					assert.Equal(t, want, e.Status, "%s: %s", e.ID, e.Explanation)
				case a.solved: // the attack is on the named exercises; the others are solved
					assert.Equal(t, runner.Pass, e.Status, "%s: %s", e.ID, e.Explanation)
				default:
					assert.NotEqual(t, runner.Pass, e.Status, "%s passed: %s", e.ID, e.Explanation)
				}
			}
			for _, want := range a.ignored {
				assert.Contains(t, ignoredPaths(rep), want)
			}
			assert.NotEmpty(t, rep.Guarantees)
		})
	}
}

// notPass, as a wanted status, asks for anything but a pass.
const notPass runner.Status = "anything but pass"

func readSolution(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "solutions", gradeChapter, name))
	require.NoError(t, err)
	return string(b)
}

// TestCourseIgnoresGOFLAGS grades with -toolexec in the environment: the build never
// sees it (the environment of builds and tests is an allow-list).
func TestCourseIgnoresGOFLAGS(t *testing.T) {
	t.Setenv("GOFLAGS", "-toolexec=/bin/false")
	course := courseCopy(t)
	rep := gradeOne(t, course, learnerCopy(t, course, true, nil), 60*time.Second)
	assert.Equal(t, 3, passes(rep))
	rep = gradeOne(t, course, learnerCopy(t, course, false, nil), 60*time.Second)
	assert.Zero(t, passes(rep))
}

// TestCourseClass grades a class of three (solved, unsolved, hostile) in one call.
func TestCourseClass(t *testing.T) {
	t.Parallel()
	course := courseCopy(t)
	ex := "exercises/" + gradeChapter + "/"
	solved := learnerCopy(t, course, true, nil)
	unsolved := learnerCopy(t, course, false, nil)
	hostile := learnerCopy(t, course, true, map[string]string{ex + "close.go": closeWith("", "\tpanic(\"no\")"),
		ex + "cond_test.go": "package conditions\n"})
	start := time.Now()
	reps, errs := GradeClass(context.Background(), ClassOptions{Course: course, Learners: []string{solved, unsolved, hostile, t.TempDir() + "/none"},
		Limit: 60 * time.Second, Jobs: 2})
	t.Logf("a class of three graded in %.1fs", time.Since(start).Seconds())
	require.Len(t, reps, 4)
	assert.Equal(t, []int{3, 0, 2}, []int{passes(reps[0]), passes(reps[1]), passes(reps[2])})
	assert.Nil(t, reps[3])
	assert.Error(t, errs[3])
	csv, md := ClassTable(reps, errs, []string{"ana", "bruno", "carla", "davi"})
	assert.Contains(t, csv, "learner,"+gradeChapter+"/cond,"+gradeChapter+"/close,"+gradeChapter+"/channel,pass,exercises\n")
	assert.Contains(t, csv, "ana,pass,pass,pass,3,3\n")
	assert.Contains(t, csv, "bruno,fail,fail,fail,0,3\n")
	assert.Contains(t, csv, "carla,pass,error,pass,2,3\n")
	assert.Contains(t, md, "| davi |")
	assert.Contains(t, ignoredPaths(reps[2]), ex+"cond_test.go edited")
}

// hostileWithOS is close.go that, when the tests call Close, runs body with os at hand (a
// chapter that allows os, as chapter 12 does).
func hostileWithOS(body string) string {
	return closeWith("\t\"os\"\n\t\"path/filepath\"", "\t_ = filepath.Join\n\t_ = os.Getpid\n"+body)
}

// Round 2 of the attacks (issue 15), for a chapter that allows os: learner code that
// reaches for the course's checkout, a classmate's tree or the test binaries changes
// nothing, in the sandbox.
func TestCourseSandboxAttacks(t *testing.T) {
	if err := runner.SandboxProblem(); err != nil {
		t.Skip("no sandbox on this machine: " + err.Error())
	}
	t.Parallel()
	course := courseCopy(t)
	m, err := manifest.Load(course)
	require.NoError(t, err)
	m.Chapters[0].Policy = &manifest.Policy{Imports: []string{"os", "path/filepath"}}
	b, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(course, manifest.File), b, 0o644))
	before, err := CurrentSums(course, layout.Exercises)
	require.NoError(t, err)

	classmate := learnerCopy(t, course, false, nil)
	solutions := filepath.Join(repoRoot(t), "solutions", gradeChapter)
	ex := "exercises/" + gradeChapter + "/"
	shippedChan, err := os.ReadFile(filepath.Join(course, ex, "chanbuffer.go"))
	require.NoError(t, err)
	// The attacker solved cond; channel is as shipped, and its Close does the harm.
	attacker := learnerCopy(t, course, true, map[string]string{ex + "chanbuffer.go": string(shippedChan), ex + "close.go": hostileWithOS(fmt.Sprintf(`
	// Hand the classmate the reference solution, before the classmate is graded.
	for _, f := range []string{"buffer.go", "close.go", "chanbuffer.go"} {
		if b, err := os.ReadFile(filepath.Join(%[1]q, f)); err == nil {
			os.WriteFile(filepath.Join(%[2]q, %[3]q, f), b, 0o644)
		}
	}
	// Write into the course's checkout, whose files decide everyone's grade.
	os.WriteFile(filepath.Join(%[4]q, "PWNED"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(%[4]q, %[3]q, "cond_test.go"), []byte("package conditions\n"), 0o644)
	// Replace the test binary that later runs execute.
	if exe, err := os.Executable(); err == nil {
		os.WriteFile(exe, []byte("#!/bin/sh\necho PASS\n"), 0o755)
		os.WriteFile(filepath.Join(filepath.Dir(exe), "fake.test"), []byte("#!/bin/sh\n"), 0o755)
	}
`, solutions, classmate, ex, course))})

	reps, errs := GradeClass(context.Background(), ClassOptions{Course: course, Learners: []string{attacker, classmate},
		Limit: time.Minute, Jobs: 2, MaxMemory: 512 << 20})
	require.Len(t, reps, 2)
	for i, rep := range reps {
		require.NoError(t, errs[i])
		assert.Contains(t, strings.Join(rep.Guarantees, "\n"), "bubblewrap")
	}
	assert.NotEqual(t, runner.Pass, statusOf(reps[0], "channel"), "the attacker's unsolved exercise passed")
	assert.Zero(t, reps[1].Totals.Pass, "the classmate solved nothing, and passed %d", reps[1].Totals.Pass)
	after, err := CurrentSums(course, layout.Exercises)
	require.NoError(t, err)
	assert.Empty(t, sums.Diff(before, after), "the course's checkout changed")
	assert.NoFileExists(t, filepath.Join(course, "PWNED"))
	b, err = os.ReadFile(filepath.Join(classmate, ex, "close.go"))
	require.NoError(t, err)
	start, err := os.ReadFile(filepath.Join(course, ex, "close.go"))
	require.NoError(t, err)
	assert.Equal(t, string(start), string(b), "the classmate's tree changed")
}

// A learner directory may be named anything: its report directory is always an entry of
// -out, never -out itself, its parent, or a class table.
func TestReportNames(t *testing.T) {
	got := ReportNames([]string{"..", ".", "/", "class.csv", "CLASS.md", "ana", "x/ana", ".hidden", "a b;c"})
	for _, n := range got {
		assert.NotContains(t, []string{"", ".", "..", "class.csv", "class.md"}, strings.ToLower(n))
		assert.NotContains(t, n, "/")
		assert.Equal(t, filepath.Base(n), n)
	}
	assert.Equal(t, "ana", got[5])
	assert.Equal(t, "ana-2", got[6])
	assert.Equal(t, "hidden", got[7])
	assert.Equal(t, "a_b_c", got[8])
	assert.Len(t, slices.Compact(slices.Sorted(slices.Values(got))), len(got), "unique")
}
