package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// Statuses of an exercise in a grade. Only statusPass counts.
const (
	statusPass     = "pass"     // every test reported pass and the process exited cleanly
	statusFail     = "fail"     // a test failed (assertion, detector), or the run failed after the tests passed
	statusError    = "error"    // the package does not build, or the process crashed or exited early
	statusTimeout  = "timeout"  // the process ran into the time limit
	statusTampered = "tampered" // a test file, testdata/, internal/ or the manifest differs from workbook.sum
)

// Statuses of one test in a grade.
const (
	testPass   = "pass"
	testFail   = "fail"
	testSkip   = "skip"
	testNotRun = "not_run" // no verdict: the process ended (or was never started) before the test reported
)

// buildLimit bounds the compilation of one chapter's test binary.
const buildLimit = 5 * time.Minute

// gradeReport is the JSON report of `workbook grade -json` (README.md, "Grading in CI").
// Field names are stable; new fields may be added.
type gradeReport struct {
	Schema         int               `json:"schema"`
	Dir            string            `json:"dir"`
	GoVersion      string            `json:"go_version"`
	Started        time.Time         `json:"started"`
	ElapsedSeconds float64           `json:"elapsed_seconds"`
	TimeoutSeconds float64           `json:"timeout_seconds"`
	Integrity      integrityReport   `json:"integrity"`
	Exercises      []*exerciseReport `json:"exercises"`
	Totals         gradeTotals       `json:"totals"`
	Score          float64           `json:"score"`
}

type integrityReport struct {
	SumsFile   string   `json:"sums_file"`
	SumsSHA256 string   `json:"sums_sha256"`
	Error      string   `json:"error"`
	Changes    []change `json:"changes"`
}

type exerciseReport struct {
	ID             string        `json:"id"`
	Chapter        string        `json:"chapter"`
	Name           string        `json:"name"`
	Status         string        `json:"status"`
	ElapsedSeconds float64       `json:"elapsed_seconds"`
	Kind           string        `json:"kind"`
	Explanation    string        `json:"explanation"`
	TamperedFiles  []change      `json:"tampered_files"`
	Command        string        `json:"command"`
	Tests          []*testReport `json:"tests"`
	Output         string        `json:"output"`
}

type testReport struct {
	Name           string  `json:"name"`
	Status         string  `json:"status"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	Output         string  `json:"output"`
}

type gradeTotals struct {
	Exercises   int `json:"exercises"`
	Pass        int `json:"pass"`
	Fail        int `json:"fail"`
	Error       int `json:"error"`
	Timeout     int `json:"timeout"`
	Tampered    int `json:"tampered"`
	Tests       int `json:"tests"`
	TestsPassed int `json:"tests_passed"`
}

// gradeOptions says what to grade and how.
type gradeOptions struct {
	Root     string        // the repository
	Dir      string        // the tree of chapters to grade, relative to Root, slash-separated
	Sums     string        // the checksum file to trust
	Limit    time.Duration // real time for one test process
	Jobs     int           // processes at once
	Progress io.Writer     // one line per graded exercise; nil for none
}

// exerciseRun is what one test process of an exercise reported.
type exerciseRun struct {
	tests    map[string]*testReport // the exercise's top-level tests, by name
	output   string                 // the whole output, cut to maxOutput
	exitErr  error                  // the process's exit (test2json exits 1 when the binary fails)
	timedOut bool
	elapsed  time.Duration
}

// failure is what the classifier of a failed exercise looks at.
type failure struct {
	Exercise *manifest.Exercise
	Status   string   // statusFail, statusError, statusTimeout or statusTampered
	Build    bool     // the chapter's test binary did not build
	Output   string   // the build's output or the test process's output
	Failed   []string // the tests that reported fail
	NotRun   []string // the tests that reported nothing
	Tampered []change
	Limit    time.Duration
}

// classifyFailure names the kind of an exercise's failure and explains it. It asks the
// explainer of `workbook run` (explain.go) and falls back on the grader's own small
// classifier (classifyLocally); assign it to change how a grade explains failures.
var classifyFailure = classifyWithExplainer

// classifyWithExplainer takes the explainer's kind and text where it recognises the
// failure and they agree with the status, and the grader's own otherwise.
func classifyWithExplainer(f failure) (kind, explanation string) {
	local, localText := classifyLocally(f)
	if f.Status == statusTampered || f.Exercise == nil {
		return local, localText
	}
	x := explain(f.Exercise, f.Output)
	agrees := false
	switch f.Status {
	case statusTimeout:
		agrees = x.Kind == kindTimeout
	case statusError:
		agrees = local == "build" && x.Kind == kindBuild ||
			local == "crash" && x.Kind != kindUnknown && x.Kind != kindWrong && x.Kind != kindBuild && x.Kind != kindTimeout
	case statusFail:
		agrees = x.Kind != kindUnknown && x.Kind != kindBuild && x.Kind != kindTimeout
	}
	if !agrees {
		return local, localText
	}
	text := strings.TrimSpace(x.Text)
	if x.Title != "" {
		text = x.Title + ": " + text
	}
	return x.Kind, text
}

// classifyLocally is the grader's own classifier: build, timeout, crash, tampered or
// wrong (a test failed, or the run failed after the tests passed).
func classifyLocally(f failure) (kind, explanation string) {
	switch f.Status {
	case statusTampered:
		var files []string
		for _, c := range f.Tampered[:min(len(f.Tampered), 3)] {
			files = append(files, c.String())
		}
		if len(f.Tampered) > 3 {
			files = append(files, fmt.Sprintf("and %d more", len(f.Tampered)-3))
		}
		return "tampered", strings.Join(files, ", ") + ", against " + sumsFile + ": learners change only " +
			"non-test files, so restore it (git checkout -- FILE); a maintainer who meant the change runs `" + sumsFix + "`"
	case statusTimeout:
		return "timeout", fmt.Sprintf("the test process did not finish within %s: something never returns "+
			"(a deadlock, an endless loop, a goroutine or a child process that never ends)", f.Limit)
	case statusError:
		if f.Build {
			return "build", "the package does not build: fix the compiler's errors first"
		}
		if crashed(f.Output) {
			return "crash", "the test process crashed (a panic, possibly in another goroutine, or a fatal runtime " +
				"error): the tests after the crash never ran"
		}
		return "crash", "the test process exited before every test reported a result (os.Exit in init or " +
			"TestMain, or a crash): a test that reports nothing does not pass"
	}
	if len(f.Failed) == 0 {
		if strings.Contains(f.Output, "found unexpected goroutines") {
			return "leak", "every test passed, but goroutines were still running when they ended (goleak): " +
				"a goroutine leaks"
		}
		return "wrong", "every test passed, but the test process failed afterwards (TestMain)"
	}
	return "wrong", "failing: " + strings.Join(f.Failed, ", ")
}

// crashed reports whether a test process's output shows a panic or a fatal runtime error.
func crashed(out string) bool {
	for _, l := range strings.Split(out, "\n") {
		if (strings.HasPrefix(l, "panic: ") && !strings.HasPrefix(l, "panic: test timed out")) ||
			strings.HasPrefix(l, "fatal error: ") || strings.HasPrefix(l, "SIG") {
			return true
		}
	}
	return false
}

func cmdGrade(root string, args []string) int {
	fs := flag.NewFlagSet("grade", flag.ContinueOnError)
	jsonOut := fs.String("json", "", "write the JSON report to `FILE`")
	junitOut := fs.String("junit", "", "write a JUnit XML report to `FILE`")
	limit := fs.Duration("timeout", 120*time.Second, "time limit of one exercise's test process")
	sums := fs.String("sums", "", "the checksum `FILE` to trust (default: "+sumsFile+" at the root)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go run ./cmd/workbook grade [-json FILE] [-junit FILE] [-timeout D] [-sums FILE] [DIR]")
		fs.PrintDefaults()
	}
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
	if len(rest) > 1 || *limit <= 0 {
		fs.Usage()
		return 2
	}
	dir := "exercises"
	if len(rest) == 1 {
		d, err := treeDir(root, rest[0])
		if err != nil {
			fmt.Fprintln(os.Stderr, "workbook grade:", err)
			return 2
		}
		dir = d
	}
	if *sums == "" {
		*sums = filepath.Join(root, sumsFile)
	}
	rep, err := grade(context.Background(), gradeOptions{Root: root, Dir: dir, Sums: *sums, Limit: *limit,
		Jobs: runtime.GOMAXPROCS(0), Progress: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook grade:", err)
		return 2
	}
	printGrade(os.Stdout, rep)
	if *jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err == nil {
			err = os.WriteFile(*jsonOut, append(b, '\n'), 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "workbook grade:", err)
			return 2
		}
	}
	if *junitOut != "" {
		if err := os.WriteFile(*junitOut, junitReport(rep), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "workbook grade:", err)
			return 2
		}
	}
	if rep.Totals.Pass < rep.Totals.Exercises {
		return 1
	}
	return 0
}

// treeDir returns arg (relative to the working directory) relative to root,
// slash-separated, or an error if it is not a directory inside root.
func treeDir(root, arg string) (string, error) {
	abs, err := filepath.Abs(arg)
	if err != nil {
		return "", err
	}
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		return "", fmt.Errorf("%s is not a directory", arg)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is not a directory of chapters inside the workbook (%s)", arg, root)
	}
	return filepath.ToSlash(rel), nil
}

// grade grades every exercise of the manifest under opt.Dir: the integrity check first,
// then each chapter's race-enabled test binary is built once and each exercise's tests
// run in a process of their own, at most opt.Jobs processes (builds included) at once.
func grade(ctx context.Context, opt gradeOptions) (*gradeReport, error) {
	start := time.Now()
	m, err := manifest.Load(opt.Root)
	if err != nil {
		return nil, err
	}
	rep := &gradeReport{Schema: 1, Dir: opt.Dir, GoVersion: runtime.Version(), Started: start.UTC().Round(time.Millisecond),
		TimeoutSeconds: opt.Limit.Seconds(), Integrity: integrityReport{SumsFile: opt.Sums, Changes: []change{}}}
	if rel, err := filepath.Rel(opt.Root, opt.Sums); err == nil && !strings.HasPrefix(rel, "..") {
		rep.Integrity.SumsFile = filepath.ToSlash(rel)
	}
	changes, digest, err := integrity(opt.Root, opt.Dir, opt.Sums)
	tampered := tamperedBy(m, changes, opt.Dir)
	if err != nil {
		// Nothing can be trusted without the sums: every exercise is tampered.
		rep.Integrity.Error = err.Error()
		for _, e := range m.Exercises() {
			tampered[e.ID()] = []change{{Path: rep.Integrity.SumsFile, Change: "unreadable"}}
		}
	}
	rep.Integrity.SumsSHA256 = digest
	for _, c := range changes {
		rep.Integrity.Changes = append(rep.Integrity.Changes, c.inTree(opt.Dir))
	}

	tmp, err := os.MkdirTemp("", "workbook-grade-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	env := gradeEnv()
	t2j, t2jErr := test2jsonPath(ctx, opt.Root, env)

	byID := map[string]*exerciseReport{}
	for _, e := range m.Exercises() {
		r := &exerciseReport{ID: e.ID(), Chapter: e.Chapter.ID, Name: e.Name, TamperedFiles: []change{},
			Command: fmt.Sprintf("go test -race -run '%s' ./%s/%s", e.RunPattern(), opt.Dir, e.Chapter.ID)}
		for _, t := range e.Tests {
			r.Tests = append(r.Tests, &testReport{Name: t, Status: testNotRun})
		}
		rep.Exercises = append(rep.Exercises, r)
		byID[e.ID()] = r
	}

	var mu sync.Mutex // guards done and the progress writer
	done := 0
	finish := func(e *manifest.Exercise, r *exerciseReport, f failure) {
		if r.Status != statusPass {
			f.Exercise, f.Status, f.Limit, f.Tampered = e, r.Status, opt.Limit, r.TamperedFiles
			for _, t := range r.Tests {
				switch t.Status {
				case testFail:
					f.Failed = append(f.Failed, t.Name)
				case testNotRun:
					f.NotRun = append(f.NotRun, t.Name)
				}
			}
			r.Kind, r.Explanation = classifyFailure(f)
		}
		mu.Lock()
		defer mu.Unlock()
		done++
		if opt.Progress != nil {
			fmt.Fprintf(opt.Progress, "grade [%*d/%d] %-8s %s (%.1fs)\n", len(fmt.Sprint(len(rep.Exercises))), done,
				len(rep.Exercises), r.Status, r.ID, r.ElapsedSeconds)
		}
	}

	sem := make(chan struct{}, max(opt.Jobs, 1))
	var wg sync.WaitGroup
	for _, ch := range m.Chapters {
		var todo []*manifest.Exercise
		for _, e := range ch.Exercises {
			if files := tampered[e.ID()]; len(files) > 0 {
				r := byID[e.ID()]
				r.Status, r.TamperedFiles = statusTampered, files
				finish(e, r, failure{})
				continue
			}
			todo = append(todo, e)
		}
		if len(todo) == 0 {
			continue
		}
		wg.Go(func() {
			chDir := filepath.Join(opt.Root, filepath.FromSlash(opt.Dir), ch.ID)
			bin := filepath.Join(tmp, ch.ID+".test")
			if runtime.GOOS == "windows" {
				bin += ".exe"
			}
			sem <- struct{}{}
			t := time.Now()
			buildErr := t2jErr
			if _, err := os.Stat(chDir); err != nil {
				buildErr = fmt.Errorf("no chapter directory %s/%s", opt.Dir, ch.ID)
			} else if buildErr == nil {
				buildErr = gradeBuild(ctx, opt.Root, opt.Dir+"/"+ch.ID, bin, env)
			}
			<-sem
			if buildErr != nil {
				for _, e := range todo {
					r := byID[e.ID()]
					r.Status, r.ElapsedSeconds = statusError, seconds(time.Since(t))
					r.Output = excerptOf(buildErr.Error(), 60)
					finish(e, r, failure{Output: buildErr.Error(), Build: true})
				}
				return
			}
			pkg := modulePath(opt.Root) + "/" + opt.Dir + "/" + ch.ID
			var ewg sync.WaitGroup
			for _, e := range todo {
				ewg.Go(func() {
					sem <- struct{}{}
					res := runExercise(ctx, t2j, bin, chDir, pkg, e, opt.Limit, env)
					<-sem
					r := byID[e.ID()]
					judge(r, res)
					finish(e, r, failure{Output: res.output})
				})
			}
			ewg.Wait()
		})
	}
	wg.Wait()

	for _, r := range rep.Exercises {
		t := &rep.Totals
		t.Exercises++
		switch r.Status {
		case statusPass:
			t.Pass++
		case statusFail:
			t.Fail++
		case statusError:
			t.Error++
		case statusTimeout:
			t.Timeout++
		case statusTampered:
			t.Tampered++
		}
		for _, tr := range r.Tests {
			t.Tests++
			if tr.Status == testPass {
				t.TestsPassed++
			}
		}
	}
	if rep.Totals.Exercises > 0 {
		rep.Score = float64(int(10000*float64(rep.Totals.Pass)/float64(rep.Totals.Exercises)+0.5)) / 10000
	}
	rep.ElapsedSeconds = seconds(time.Since(start))
	return rep, nil
}

// judge sets an exercise's status and its tests' from one run of its test process. It
// passes only when each of its tests reported pass and the process exited cleanly: a
// crash, a timeout or a panic in another goroutine reports only a package-level failure,
// and os.Exit(0) before the tests run reports no test at all.
func judge(r *exerciseReport, res exerciseRun) {
	r.ElapsedSeconds = seconds(res.elapsed)
	allPass := true
	for i, t := range r.Tests {
		if got, ok := res.tests[t.Name]; ok {
			r.Tests[i] = got
		}
		allPass = allPass && r.Tests[i].Status == testPass
	}
	switch {
	case res.timedOut:
		r.Status = statusTimeout
	case allPass && res.exitErr == nil:
		r.Status = statusPass
	case crashed(res.output):
		r.Status = statusError
	case res.exitErr == nil:
		// Exited cleanly without every verdict: os.Exit(0) in init or TestMain.
		r.Status = statusError
		for _, t := range r.Tests {
			if t.Status == testSkip {
				r.Status = statusFail
			}
		}
	default:
		r.Status = statusFail
		someFailed := false
		for _, t := range r.Tests {
			someFailed = someFailed || t.Status == testFail
		}
		if !someFailed && !allPass {
			r.Status = statusError // a failure with tests missing and none failed: the process died
		}
	}
	if r.Status != statusPass {
		r.Output = excerptOf(res.output, 80)
	}
}

// gradeEnv is the environment of the go command and the test processes: no workspace,
// no build flags that could replace files or modules (GOFLAGS -overlay, -modfile, -mod),
// and a race detector that does not sleep at exit.
func gradeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "GOWORK", "GORACE":
			continue
		case "GOFLAGS":
			var keep []string
			for _, f := range strings.Fields(v) {
				name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
				if name != "overlay" && name != "modfile" && name != "mod" {
					keep = append(keep, f)
				}
			}
			kv = "GOFLAGS=" + strings.Join(keep, " ")
		}
		env = append(env, kv)
	}
	return append(env, "GOWORK=off", "GORACE=atexit_sleep_ms=0 "+os.Getenv("GORACE"))
}

// test2jsonPath returns the path of the go tool test2json, building it if need be.
func test2jsonPath(ctx context.Context, root string, env []string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, buildLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "tool", "-n", "test2json")
	cmd.Dir, cmd.Env = root, env
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go tool -n test2json: %v", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// gradeBuild compiles the race-enabled test binary of the package in dir (relative to
// root, slash-separated) into bin, with the module graph of go.mod and go.sum as they are
// (no vendor directory, no workspace). It returns the compiler's output on failure.
func gradeBuild(ctx context.Context, root, dir, bin string, env []string) error {
	ctx, cancel := context.WithTimeout(ctx, buildLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-c", "-race", "-mod=readonly", "-buildvcs=false",
		"-o", bin, "./"+dir)
	cmd.Dir, cmd.Env = root, env
	out := &capped{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = time.Second
	ownGroup(cmd)
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(out.String())
		if ctx.Err() != nil {
			msg += fmt.Sprintf("\nthe build did not finish within %s", buildLimit)
		}
		if msg == "" {
			msg = err.Error()
		}
		return errors.New(msg)
	}
	return nil
}

// runExercise runs the exercise's tests in a process of their own: the test binary under
// test2json, which reads its -test.v=test2json output into events. The binary's own
// -test.timeout fires a little before the limit and prints the running tests; at the
// limit the process group (test2json, the binary and every process it started) is
// killed, and it is killed again when the run ends, so that no child outlives the grade.
func runExercise(ctx context.Context, t2j, bin, dir, pkg string, e *manifest.Exercise, limit time.Duration, env []string) exerciseRun {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	testTimeout := limit - min(limit/10, 5*time.Second)
	cmd := exec.CommandContext(ctx, t2j, "-t", "-p", pkg, bin, "-test.v=test2json", "-test.paniconexit0",
		"-test.count=1", "-test.timeout="+testTimeout.String(), "-test.run="+e.RunPattern())
	cmd.Dir, cmd.Env = dir, env
	sink := newEventSink(e.Tests)
	cmd.Stdout, cmd.Stderr = sink, sink.all
	cmd.WaitDelay = time.Second
	ownGroup(cmd)
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	timedOut := ctx.Err() != nil
	if cmd.Process != nil && cmd.Cancel != nil {
		_ = cmd.Cancel() // whatever is left of the process group
	}
	sink.flush()
	out := sink.all.String()
	return exerciseRun{tests: sink.results(), output: out, exitErr: err, elapsed: elapsed,
		timedOut: timedOut || strings.Contains(out, "panic: test timed out after")}
}

// testEvent is one line of test2json's output.
type testEvent struct {
	Action  string  `json:"Action"`
	Test    string  `json:"Test"`
	Elapsed float64 `json:"Elapsed"`
	Output  string  `json:"Output"`
}

// maxTestOutput is how much of one test's own output is kept (its end).
const maxTestOutput = 16 << 10

// eventSink is an io.Writer that decodes test2json's events as they come, keeping the
// verdicts of the exercise's top-level tests, the output cut to maxOutput, and the end of
// each test's own output. Lines of any length and any amount of output take bounded memory.
type eventSink struct {
	mu      sync.Mutex
	line    []byte
	long    bool // the current line is longer than maxTestOutput and is being skipped
	tests   map[string]*testReport
	outputs map[string][]byte
	all     *capped
}

func newEventSink(tests []string) *eventSink {
	s := &eventSink{tests: map[string]*testReport{}, outputs: map[string][]byte{}, all: &capped{}}
	for _, t := range tests {
		s.tests[t] = &testReport{Name: t, Status: testNotRun}
	}
	return s
}

func (s *eventSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if !s.long {
			s.line = append(s.line, chunk...)
			if len(s.line) > maxTestOutput {
				s.all.Write([]byte("[a line of more than 16 KiB of test2json output was skipped]\n"))
				s.line, s.long = s.line[:0], true
			}
		}
		if i < 0 {
			break
		}
		if !s.long {
			s.event(s.line)
		}
		s.line, s.long, p = s.line[:0], false, p[i+1:]
	}
	return n, nil
}

// flush decodes an unterminated last line.
func (s *eventSink) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.line) > 0 && !s.long {
		s.event(s.line)
	}
	s.line = s.line[:0]
}

func (s *eventSink) event(line []byte) {
	var ev testEvent
	if err := json.Unmarshal(line, &ev); err != nil || ev.Action == "" {
		s.all.Write(append(line, '\n')) // not an event: keep it as output
		return
	}
	top, _, _ := strings.Cut(ev.Test, "/")
	switch ev.Action {
	case "output":
		s.all.Write([]byte(ev.Output))
		if _, ok := s.tests[top]; ok {
			o := append(s.outputs[top], ev.Output...)
			if len(o) > maxTestOutput {
				o = o[len(o)-maxTestOutput:]
			}
			s.outputs[top] = o
		}
	case "pass", "fail", "skip":
		if t, ok := s.tests[ev.Test]; ok { // top-level tests only: a subtest's verdict is not the test's
			t.Status, t.ElapsedSeconds = ev.Action, ev.Elapsed
		}
	}
}

// results returns the verdicts, with the end of each test's output unless it passed.
func (s *eventSink) results() map[string]*testReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, t := range s.tests {
		if t.Status != testPass {
			t.Output = excerptOf(string(s.outputs[name]), 40)
		}
	}
	return s.tests
}

// maxExcerpt bounds an excerpt of output in a report.
const maxExcerpt = 8 << 10

// excerptOf returns the last n lines of out, and at most their last maxExcerpt bytes.
func excerptOf(out string, n int) string {
	out = strings.TrimRight(out, "\n")
	lines := strings.Split(out, "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	out = strings.Join(lines, "\n")
	if len(out) > maxExcerpt {
		out = "..." + strings.ToValidUTF8(out[len(out)-maxExcerpt:], "")
	}
	return out
}

func seconds(d time.Duration) float64 { return float64(d.Milliseconds()) / 1000 }

// modulePath returns the module path in root's go.mod.
func modulePath(root string) string {
	b, _ := os.ReadFile(filepath.Join(root, "go.mod"))
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return "workbook"
}

// printGrade prints the grade as a table, one exercise a line, and the score.
func printGrade(w io.Writer, rep *gradeReport) {
	fmt.Fprintf(w, "grade of %s/ (each exercise in its own process, limit %s)\n", rep.Dir,
		time.Duration(rep.TimeoutSeconds*float64(time.Second)))
	if rep.Integrity.Error != "" {
		fmt.Fprintf(w, "  integrity: %s\n", rep.Integrity.Error)
	}
	for _, r := range rep.Exercises {
		passed := 0
		for _, t := range r.Tests {
			if t.Status == testPass {
				passed++
			}
		}
		fmt.Fprintf(w, "  %-8s %-24s %2d/%-2d tests %6.1fs", r.Status, r.ID, passed, len(r.Tests), r.ElapsedSeconds)
		if r.Status != statusPass {
			line, _, _ := strings.Cut(r.Explanation, "\n")
			if len(line) > 100 {
				line = strings.ToValidUTF8(line[:100], "") + "…"
			}
			fmt.Fprintf(w, "  %s: %s", r.Kind, line)
		}
		fmt.Fprintln(w)
	}
	t := rep.Totals
	fmt.Fprintf(w, "score %d/%d (%.0f%%): %d pass, %d fail, %d error, %d timeout, %d tampered; %d of %d tests passed; %.0fs\n",
		t.Pass, t.Exercises, 100*rep.Score, t.Pass, t.Fail, t.Error, t.Timeout, t.Tampered, t.TestsPassed, t.Tests,
		rep.ElapsedSeconds)
	if t.Pass < t.Exercises {
		for _, r := range rep.Exercises {
			if r.Status != statusPass && r.Status != statusTampered {
				fmt.Fprintf(w, "to see why %s does not pass: %s\n", r.ID, r.Command)
				break
			}
		}
	}
}
