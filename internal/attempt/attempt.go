// Package attempt runs one exercise's tests on the learner's code, each test in a process
// of its own, and explains the result: the path that `run`, `watch` and `status -check`
// share.
package attempt

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/explain"
	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/mutation"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// TestLimit bounds one test's process (runner.TestLimit).
const TestLimit = runner.TestLimit

// Outcome is what one attempt at an exercise found.
type Outcome struct {
	Exercise    *manifest.Exercise
	Status      runner.Status
	Kind        explain.Kind // the most specific failure's kind; empty when it passed
	Failed      []string     // the tests that did not pass, in the manifest's order
	Reports     []explain.Report
	Elapsed     time.Duration
	Interrupted bool     // Ctrl-C: the attempt says nothing about the code
	NotChecked  []string // what the tests could not check on this system ("not checked on windows: ...")

	// For an exercise whose learner writes the tests:
	LearnerTests []string // the tests in the learner's files
	Mutants      int      // the wrong implementations they were run on
}

// Verdict is what the outcome's summary line says.
func (o *Outcome) Verdict() explain.Verdict {
	return explain.Verdict{Passed: o.Status == runner.Pass, Kind: o.Kind, Failed: len(o.Failed),
		LearnerTests: len(o.LearnerTests), Mutants: o.Mutants, Seconds: o.Elapsed.Seconds()}
}

// Builder builds each chapter's race-enabled test binary of the learner's tree once, in
// a temporary directory that Close removes.
type Builder struct {
	root string
	tmp  string
	mu   sync.Mutex
	bins map[string]built
}

type built struct {
	bin string
	err error
}

// NewBuilder returns a Builder for the workbook at root.
func NewBuilder(root string) (*Builder, error) {
	tmp, err := os.MkdirTemp("", "workbook-run-")
	if err != nil {
		return nil, err
	}
	return &Builder{root: root, tmp: tmp, bins: map[string]built{}}, nil
}

// Close removes the binaries.
func (b *Builder) Close() error { return os.RemoveAll(b.tmp) }

// Binary returns the chapter's test binary, building it the first time.
func (b *Builder) Binary(ctx context.Context, chapter string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if r, ok := b.bins[chapter]; ok {
		return r.bin, r.err
	}
	bin := filepath.Join(b.tmp, layout.Binary(chapter+".test"))
	err := runner.Build(ctx, runner.BuildSpec{Root: b.root, Pkg: layout.ChapterDir(layout.Exercises, chapter), Out: bin, Race: true})
	if ctx.Err() != nil {
		return "", ctx.Err() // an interrupted build says nothing: build again next time
	}
	b.bins[chapter] = built{bin, err}
	return bin, err
}

// Try runs every test of e, each alone in its own process and several at once, so that a
// crash in one cannot hide another, a race is reported in each test that has it, and
// watchdog waits do not add up.
func Try(ctx context.Context, b *Builder, e *manifest.Exercise) (o Outcome) {
	start := time.Now()
	o = Outcome{Exercise: e}
	defer func() { o.Elapsed = time.Since(start) }()
	if e.Writes() {
		return tryTests(ctx, b, e, o)
	}
	bin, err := b.Binary(ctx, e.Chapter.ID)
	if ctx.Err() != nil {
		o.Interrupted = true
		return o
	}
	if err != nil {
		o.Status, o.Kind, o.Failed = runner.Error, explain.Build, slices.Clone(e.Tests)
		o.Reports = []explain.Report{explain.BuildReport(e, err.Error())}
		return o
	}
	dir := filepath.Join(b.root, filepath.FromSlash(layout.ChapterDir(layout.Exercises, e.Chapter.ID)))
	results := make([]*runner.Result, len(e.Tests))
	var jobs []func()
	for i, test := range e.Tests {
		jobs = append(jobs, func() {
			results[i] = runner.Exec(ctx, runner.Spec{Bin: bin, Dir: dir, Run: "^" + test + "$", Limit: TestLimit})
		})
	}
	// go vet's concurrency analyzers, beside the tests: a finding in the exercise's files
	// is the most specific explanation there is.
	var vetOut string
	jobs = append(jobs, func() {
		vetOut, _ = runner.Go(ctx, b.root, nil, 2*time.Minute, explain.VetArgs("./"+layout.ChapterDir(layout.Exercises, e.Chapter.ID))...)
	})
	runner.Parallel(max(4, 2*runner.Procs()), jobs)
	if ctx.Err() != nil {
		o.Interrupted = true
		return o
	}
	o.Status = runner.Pass
	var failures []explain.Failure
	for i, test := range e.Tests {
		r := results[i]
		for _, n := range r.NotChecked([]string{test}) {
			if !slices.Contains(o.NotChecked, n) {
				o.NotChecked = append(o.NotChecked, n)
			}
		}
		st := r.Verdict([]string{test})
		if st == runner.Pass {
			continue
		}
		if o.Status == runner.Pass || severity(st) > severity(o.Status) {
			o.Status = st
		}
		o.Failed = append(o.Failed, test)
		t := r.Test(test)
		out := t.Output
		if t.Status == runner.TestNotRun || strings.TrimSpace(out) == "" || st != runner.Fail {
			out = r.Output // a crash or a timeout: what the process printed, not only the test
		}
		var subs []string
		for name, sub := range r.Tests {
			if strings.HasPrefix(name, test+"/") && sub.Status == runner.TestFail {
				subs = append(subs, name)
			}
		}
		slices.Sort(subs)
		failures = append(failures, explain.Failure{Test: test, Output: out, Subtests: subs,
			NoVerdict: t.Status == runner.TestNotRun && !r.TimedOut})
	}
	if len(failures) > 0 {
		o.Reports = explain.Explain(e, failures, e.Command())
		if vet, ok := explain.VetReport(e, vetOut); ok {
			o.Reports = append([]explain.Report{vet}, o.Reports...)
		}
		o.Kind = o.Reports[0].Kind
	}
	return o
}

// severity orders the statuses of a failed attempt: the worst one names it.
func severity(s runner.Status) int {
	return map[runner.Status]int{runner.Fail: 1, runner.Timeout: 2, runner.Error: 3}[s]
}

// Forget drops the chapter's binary, so that the next attempt builds it again from the
// files there now.
func (b *Builder) Forget(chapter string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if r, ok := b.bins[chapter]; ok && r.bin != "" {
		os.Remove(r.bin)
	}
	delete(b.bins, chapter)
}

// tryTests grades the tests the learner wrote (internal/mutation) and explains what is
// missing: a test that fails on the correct implementation, a sleep, a hang, and each
// wrong implementation the tests let pass, in the words of its "unchecked" line.
func tryTests(ctx context.Context, b *Builder, e *manifest.Exercise, o Outcome) Outcome {
	mutants, _ := manifest.LoadMutants(b.root, &manifest.Manifest{Chapters: []*manifest.Chapter{e.Chapter}})
	m := mutation.Run(ctx, mutation.Options{Root: b.root, Tree: layout.Exercises, Exercise: e, Mutants: mutants,
		Limit: TestLimit, Jobs: max(2, runner.Procs()), Tmp: b.tmp})
	if ctx.Err() != nil {
		o.Interrupted = true
		return o
	}
	o.Status, o.LearnerTests = m.Status, m.Tests
	o.Mutants = m.Killed + len(m.Survivors) + len(m.Hung)
	if m.Status == runner.Pass {
		return o
	}
	o.Failed = slices.Clone(e.Files)
	o.Reports = explain.TestsReports(e, m)
	if len(o.Reports) > 0 {
		o.Kind = o.Reports[0].Kind
	}
	return o
}
