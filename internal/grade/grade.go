// Package grade grades a tree of exercises, each exercise's tests in a process of their
// own, against the checksums of what a learner may not change, and writes the verdicts
// as a table, JSON and JUnit XML.
package grade

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/explain"
	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/mutation"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
	"github.com/go-concurrency-workbook/workbook/internal/sums"
)

// Report is the JSON report of `workbook grade -json` (README.md, "Grading in CI").
// Field names are stable; new fields may be added.
type Report struct {
	Schema         int               `json:"schema"`
	Dir            string            `json:"dir"`
	GoVersion      string            `json:"go_version"`
	Started        time.Time         `json:"started"`
	ElapsedSeconds float64           `json:"elapsed_seconds"`
	TimeoutSeconds float64           `json:"timeout_seconds"`
	Integrity      IntegrityReport   `json:"integrity"`
	Exercises      []*ExerciseReport `json:"exercises"`
	Totals         Totals            `json:"totals"`
	Score          float64           `json:"score"`
	// Course mode (GradeClass) only:
	Learner    string        `json:"learner,omitempty"`    // the learner's directory, as given
	Ignored    []sums.Change `json:"ignored,omitempty"`    // what the learner changed that the grade did not take
	Guarantees []string      `json:"guarantees,omitempty"` // what was in force while the tests ran
	CacheKey   string        `json:"cache_key,omitempty"`  // with a cache (ClassOptions.Cache): the report's key
	Reused     bool          `json:"reused,omitempty"`     // the verdicts are a cached grade's, which started at Started
}

// IntegrityReport says which checksums the grade trusted and what differed from them.
type IntegrityReport struct {
	SumsFile   string        `json:"sums_file"`
	SumsSHA256 string        `json:"sums_sha256"`
	Error      string        `json:"error"`
	Changes    []sums.Change `json:"changes"`
}

// ExerciseReport is the grade of one exercise.
type ExerciseReport struct {
	ID             string        `json:"id"`
	Chapter        string        `json:"chapter"`
	Name           string        `json:"name"`
	Status         runner.Status `json:"status"`
	ElapsedSeconds float64       `json:"elapsed_seconds"`
	Kind           string        `json:"kind"`
	Explanation    string        `json:"explanation"`
	TamperedFiles  []sums.Change `json:"tampered_files"`
	Command        string        `json:"command"`
	Tests          []*TestReport `json:"tests"`
	Output         string        `json:"output"`
	Violations     []Violation   `json:"violations,omitempty"`  // why it was rejected
	NotChecked     []string      `json:"not_checked,omitempty"` // what this system cannot observe, which its tests left out
}

// TestReport is the verdict on one test.
type TestReport struct {
	Name           string            `json:"name"`
	Status         runner.TestStatus `json:"status"`
	ElapsedSeconds float64           `json:"elapsed_seconds"`
	Output         string            `json:"output"`
}

// Totals counts the exercises by status, and the tests.
type Totals struct {
	Exercises   int `json:"exercises"`
	Pass        int `json:"pass"`
	Fail        int `json:"fail"`
	Error       int `json:"error"`
	Timeout     int `json:"timeout"`
	Tampered    int `json:"tampered"`
	Rejected    int `json:"rejected"`
	Tests       int `json:"tests"`
	TestsPassed int `json:"tests_passed"`
}

// Options says what to grade and how.
type Options struct {
	Root     string                                   // the workbook
	Dir      string                                   // the tree of chapters to grade, relative to Root, slash-separated
	Sums     string                                   // the checksum file to trust
	Limit    time.Duration                            // real time for one test process
	Jobs     int                                      // processes at once
	Progress func(done, total int, r *ExerciseReport) // called as each exercise is graded; may be nil

	// Strict is course mode: every test process must report through TestMain
	// (guard.Main), runs contained (runner.Spec.Contain), the non-test package of each
	// chapter must build without its tests, and the checksums are checked again after the
	// run. Violations rejects the chapters whose learner files break the static policy.
	Strict     bool
	Violations map[string][]Violation
	MaxMemory  int64 // with Strict: the cap on a test process's memory; 0 means runner's default (2 GiB)
	// Sandbox, with Strict, runs every test process under bubblewrap (runner.Sandbox),
	// reading only Root; the caller checked runner.SandboxProblem.
	Sandbox bool
}

// Tampered is the kind of a tampered exercise's failure.
const Tampered = "tampered"

// Grading's own statuses of an exercise, beside the runner's.
const (
	StatusTampered runner.Status = "tampered" // a file the learner may not change differs from the course's
	StatusRejected runner.Status = "rejected" // the learner's files break the chapter's static policy
)

// Grade grades every exercise of the manifest under o.Dir: the integrity check first,
// then each chapter's race-enabled test binary is built once and each exercise's tests
// run in a process of their own, at most o.Jobs processes (builds included) at once.
func Grade(ctx context.Context, o Options) (*Report, error) {
	start := time.Now()
	m, err := manifest.Load(o.Root)
	if err != nil {
		return nil, err
	}
	g := &grading{o: o, m: m, env: runner.Env(true), byID: map[string]*ExerciseReport{}}
	g.rep = &Report{Schema: 1, Dir: o.Dir, GoVersion: runtime.Version(), Started: start.UTC().Round(time.Millisecond),
		TimeoutSeconds: o.Limit.Seconds(), Integrity: IntegrityReport{SumsFile: o.Sums, Changes: []sums.Change{}}}
	tampered := g.integrity()
	if g.tmp, err = os.MkdirTemp("", "workbook-grade-"); err != nil {
		return nil, err
	}
	defer os.RemoveAll(g.tmp)
	if err := g.prepare(); err != nil {
		return nil, err
	}
	g.mutants, _ = manifest.LoadMutants(o.Root, m)
	g.slots = runner.NewSlots(o.Jobs)
	var wg sync.WaitGroup
	for _, ch := range m.Chapters {
		if todo := g.route(ch, tampered); len(todo) > 0 {
			wg.Go(func() { g.chapter(ctx, ch, todo) })
		}
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err := g.recheck(); err != nil {
		return nil, err
	}
	g.rep.Totals, g.rep.Score = totals(g.rep.Exercises)
	g.rep.ElapsedSeconds = seconds(time.Since(start))
	return g.rep, nil
}

// grading is one Grade in progress, in its phases: integrity (which exercises are
// tampered), prepare (the report's skeleton, the sandbox), route (tampered or rejected
// exercises are decided without running), chapter (build once, then run each exercise),
// recheck (course mode: the sums again), totals.
type grading struct {
	o       Options
	m       *manifest.Manifest
	rep     *Report
	byID    map[string]*ExerciseReport
	env     []string
	tmp     string
	sandbox *runner.Sandbox
	mutants []*manifest.Mutant
	slots   *runner.Slots // processes at once, builds included

	mu        sync.Mutex // guards done, contained and the progress callback
	done      int
	contained bool
}

// integrity compares the files the grade trusts with the sums file and returns the
// exercises each change makes tampered.
func (g *grading) integrity() map[string][]sums.Change {
	o, rep := g.o, g.rep
	if rel, err := filepath.Rel(o.Root, o.Sums); err == nil && !strings.HasPrefix(rel, "..") {
		rep.Integrity.SumsFile = filepath.ToSlash(rel)
	}
	changes, digest, err := Integrity(o.Root, o.Dir, o.Sums)
	tampered := tamperedBy(g.m, changes, o.Dir)
	if err != nil {
		// Nothing can be trusted without the sums: every exercise is tampered.
		rep.Integrity.Error = err.Error()
		for _, e := range g.m.Exercises() {
			tampered[e.ID()] = []sums.Change{{Path: rep.Integrity.SumsFile, Change: "unreadable"}}
		}
	}
	rep.Integrity.SumsSHA256 = digest
	for _, c := range changes {
		rep.Integrity.Changes = append(rep.Integrity.Changes, inTree(c, o.Dir))
	}
	return tampered
}

// prepare opens the sandbox (course mode), states the guarantees, and makes every
// exercise's report with its tests not run yet.
func (g *grading) prepare() error {
	o := g.o
	if o.Strict && o.Sandbox {
		// The sandbox's user reaches the binaries and reads the workspace, and nothing
		// else of the grader's.
		if err := runner.OpenToSandbox([]string{g.tmp}, []string{o.Root}); err != nil {
			return err
		}
		g.sandbox = &runner.Sandbox{Read: []string{o.Root}}
	}
	if o.Strict {
		g.rep.Guarantees = []string{"verdicts only from TestMain's report of m.Run (guard.Main), with a nonce per run",
			"the learner's files only, checked against the course's static policy",
			"the environment of builds and tests is an allow-list; -mod=readonly, no workspace, no network for modules",
			"the checksums of the course's files checked before and after the tests"}
	}
	for _, e := range g.m.Exercises() {
		r := &ExerciseReport{ID: e.ID(), Chapter: e.Chapter.ID, Name: e.Name, TamperedFiles: []sums.Change{},
			Command: e.CommandIn(o.Dir)}
		for _, t := range e.Tests {
			r.Tests = append(r.Tests, &TestReport{Name: t, Status: runner.TestNotRun})
		}
		g.rep.Exercises = append(g.rep.Exercises, r)
		g.byID[e.ID()] = r
	}
	return nil
}

// finish counts an exercise as graded.
func (g *grading) finish(r *ExerciseReport) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.done++
	if g.o.Progress != nil {
		g.o.Progress(g.done, len(g.rep.Exercises), r)
	}
}

// addContained records, once, the containment a run had (course mode): the first run's,
// whether of an exercise's tests or of a learner's tests on the mutants.
func (g *grading) addContained(c []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.o.Strict && !g.contained && len(c) > 0 {
		g.contained = true
		g.rep.Guarantees = append(g.rep.Guarantees, c...)
	}
}

// route decides the chapter's tampered exercises, and all of them when the learner's
// files break the policy, and returns those left to run.
func (g *grading) route(ch *manifest.Chapter, tampered map[string][]sums.Change) []*manifest.Exercise {
	var todo []*manifest.Exercise
	for _, e := range ch.Exercises {
		if files := tampered[e.ID()]; len(files) > 0 {
			r := g.byID[e.ID()]
			r.Status, r.TamperedFiles, r.Kind = StatusTampered, files, Tampered
			r.Explanation = tamperedText(files)
			g.finish(r)
			continue
		}
		todo = append(todo, e)
	}
	if v := g.o.Violations[ch.ID]; len(v) > 0 && len(todo) > 0 {
		g.reject(todo, v)
		return nil
	}
	return todo
}

func (g *grading) reject(todo []*manifest.Exercise, v []Violation) {
	for _, e := range todo {
		r := g.byID[e.ID()]
		r.Status, r.Kind, r.Violations, r.Explanation = StatusRejected, string(StatusRejected), v, rejectedText(v)
		g.finish(r)
	}
}

// chapter builds the chapter's test binary once and runs each exercise of todo.
func (g *grading) chapter(ctx context.Context, ch *manifest.Chapter, todo []*manifest.Exercise) {
	o := g.o
	chDir := filepath.Join(o.Root, filepath.FromSlash(o.Dir), ch.ID)
	bin := filepath.Join(g.tmp, layout.Binary(ch.ID+".test"))
	g.slots.Take()
	t := time.Now()
	violation, buildErr := g.build(ctx, ch, chDir, bin)
	g.slots.Give()
	switch {
	case violation != nil:
		g.reject(todo, violation)
		return
	case buildErr != nil:
		for _, e := range todo {
			r := g.byID[e.ID()]
			r.Status, r.ElapsedSeconds = runner.Error, seconds(time.Since(t))
			r.Output = excerptOf(buildErr.Error(), 60)
			rp := explain.BuildReport(e, buildErr.Error())
			r.Kind, r.Explanation = string(rp.Kind), explain.Summary(rp)
			g.finish(r)
		}
		return
	}
	var wg sync.WaitGroup
	for _, e := range todo {
		wg.Go(func() { g.exercise(ctx, e, chDir, bin) })
	}
	wg.Wait()
}

// build builds the chapter's race-enabled test binary and, in course mode, checks that
// the learner's code builds without the tests (a violation when it does not).
func (g *grading) build(ctx context.Context, ch *manifest.Chapter, chDir, bin string) ([]Violation, error) {
	o := g.o
	if _, err := os.Stat(chDir); err != nil {
		return nil, fmt.Errorf("no chapter directory %s/%s", o.Dir, ch.ID)
	}
	pkg := o.Dir + "/" + ch.ID
	if err := runner.Build(ctx, runner.BuildSpec{Root: o.Root, Pkg: pkg, Out: bin, Race: true, Env: g.env, ReadOnly: true}); err != nil {
		return nil, err
	}
	if !o.Strict {
		return nil, nil
	}
	// The learner's code may not reach the tests' variables: it builds alone, with
	// exactly the tests' flags (-race included): a file constrained to one build would
	// otherwise be left out of this check and in the tests.
	if err := runner.Build(ctx, runner.BuildSpec{Root: o.Root, Pkg: pkg, Race: true, Env: g.env, ReadOnly: true, Standalone: true}); err != nil {
		return []Violation{{File: pkg, Rule: "the package must build without its test files: " + explain.FirstLine(err.Error(), 0)}}, nil
	}
	return nil, nil
}

// exercise runs one exercise's tests (or, when the learner writes the tests, those tests
// on the implementation and its mutants) and judges them.
func (g *grading) exercise(ctx context.Context, e *manifest.Exercise, chDir, bin string) {
	o := g.o
	g.slots.Take()
	if e.Writes() {
		mo := mutation.Run(ctx, mutation.Options{Root: o.Root, Tree: o.Dir, Exercise: e, Mutants: g.mutants,
			Limit: o.Limit, Jobs: 1, Env: g.env, Strict: o.Strict, Tmp: g.tmp, MaxMemory: o.MaxMemory, Sandbox: g.sandbox})
		g.slots.Give()
		g.addContained(mo.Contained)
		judgeTests(e, g.byID[e.ID()], mo)
	} else {
		res := runner.Exec(ctx, runner.Spec{Bin: bin, Dir: chDir, Run: e.RunPattern(), Limit: o.Limit, Env: g.env,
			Report: o.Strict, Contain: o.Strict, MaxMemory: o.MaxMemory, Sandbox: g.sandbox})
		g.slots.Give()
		g.addContained(res.Contained)
		judge(e, g.byID[e.ID()], res)
	}
	g.finish(g.byID[e.ID()])
}

// recheck, in course mode, compares the sums again: a file the tests read, changed while
// they ran (a golden file rewritten by the code under test), makes the verdicts of what
// it affects worthless.
func (g *grading) recheck() error {
	if !g.o.Strict {
		return nil
	}
	after, _, err := Integrity(g.o.Root, g.o.Dir, g.o.Sums)
	if err != nil {
		return err
	}
	for id, files := range tamperedBy(g.m, after, g.o.Dir) {
		if r := g.byID[id]; r.Status != StatusTampered {
			r.Status, r.Kind, r.TamperedFiles = StatusTampered, Tampered, files
			r.Explanation = explain.ChangedWhileRunning(tamperedText(files))
		}
	}
	return nil
}

// totals counts the exercises by status and the tests, and the score.
func totals(exercises []*ExerciseReport) (Totals, float64) {
	var t Totals
	for _, r := range exercises {
		t.Exercises++
		switch r.Status {
		case runner.Pass:
			t.Pass++
		case runner.Fail:
			t.Fail++
		case runner.Error:
			t.Error++
		case runner.Timeout:
			t.Timeout++
		case StatusTampered:
			t.Tampered++
		case StatusRejected:
			t.Rejected++
		}
		for _, tr := range r.Tests {
			t.Tests++
			if tr.Status == runner.TestPass {
				t.TestsPassed++
			}
		}
	}
	if t.Exercises == 0 {
		return t, 0
	}
	return t, float64(int(10000*float64(t.Pass)/float64(t.Exercises)+0.5)) / 10000
}

// judge sets an exercise's status, its tests' and the explanation from one run.
func judge(e *manifest.Exercise, r *ExerciseReport, res *runner.Result) {
	r.ElapsedSeconds = seconds(res.Elapsed)
	r.Status = res.Verdict(e.Tests)
	r.NotChecked = res.NotChecked(e.Tests)
	var failures []explain.Failure
	for i, tr := range r.Tests {
		t := res.Test(tr.Name)
		r.Tests[i] = &TestReport{Name: t.Name, Status: t.Status, ElapsedSeconds: t.Elapsed.Seconds()}
		if t.Status != runner.TestPass {
			r.Tests[i].Output = excerptOf(t.Output, 40)
		}
		if t.Status == runner.TestFail {
			failures = append(failures, explain.Failure{Test: t.Name, Output: t.Output})
		}
	}
	if r.Status == runner.Pass {
		return
	}
	r.Output = excerptOf(res.Output, 80)
	if r.Status != runner.Fail || len(failures) == 0 {
		// A crash, a timeout, or tests that never reported: the whole output says why.
		failures = []explain.Failure{{Test: "", Output: res.Output, NoVerdict: r.Status == runner.Error}}
	}
	reps := explain.Explain(e, failures, r.Command)
	r.Kind = string(reps[0].Kind)
	r.Explanation = explain.Summary(reps[0])
	if reps[0].Test != "" {
		r.Explanation = reps[0].Test + ": " + r.Explanation
	}
}

// judgeTests sets the grade of an exercise whose learner writes the tests.
func judgeTests(e *manifest.Exercise, r *ExerciseReport, mo mutation.Outcome) {
	r.Status = mo.Status
	r.Tests = nil
	for _, t := range mo.Tests {
		tr := &TestReport{Name: t, Status: runner.TestNotRun}
		if mo.OnCorrect != nil {
			x := mo.OnCorrect.Test(t)
			tr.Status, tr.ElapsedSeconds = x.Status, x.Elapsed.Seconds()
			if x.Status != runner.TestPass {
				tr.Output = excerptOf(x.Output, 40)
			}
		}
		r.Tests = append(r.Tests, tr)
	}
	if r.Status == runner.Pass {
		return
	}
	if mo.OnCorrect != nil {
		r.Output = excerptOf(mo.OnCorrect.Output, 80)
	}
	if reps := explain.TestsReports(e, mo); len(reps) > 0 {
		r.Kind, r.Explanation = string(reps[0].Kind), explain.Summary(reps[0])
		if len(reps) > 1 {
			r.Explanation += fmt.Sprintf(" (and %d more)", len(reps)-1)
		}
	}
}

// tamperedText explains a tampered exercise (explain.TamperedText).
func tamperedText(files []sums.Change) string {
	var names []string
	for _, c := range files {
		names = append(names, c.String())
	}
	return explain.TamperedText(names, SumsFile, SumsFix)
}

// rejectedText explains a rejected exercise (explain.RejectedText).
func rejectedText(v []Violation) string {
	var lines []string
	for _, x := range v {
		lines = append(lines, x.String())
	}
	return explain.RejectedText(lines)
}

// maxExcerpt bounds an excerpt of output in a report.
const maxExcerpt = 8 << 10

// excerptOf returns the last n lines of out, and at most their last maxExcerpt bytes.
func excerptOf(out string, n int) string {
	out = runner.Excerpt(out, n, "")
	if len(out) > maxExcerpt {
		out = "..." + strings.ToValidUTF8(out[len(out)-maxExcerpt:], "")
	}
	return out
}

func seconds(d time.Duration) float64 { return float64(d.Milliseconds()) / 1000 }
