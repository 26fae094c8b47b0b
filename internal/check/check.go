// Package check verifies the workbook itself: the checks of `make check` (static checks,
// twins, solutions, starting code, mutants, guides, checksums) and the repeated runs of
// `make soak`.
package check

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/grade"
	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/mutation"
	"github.com/go-concurrency-workbook/workbook/internal/progress"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
	"github.com/go-concurrency-workbook/workbook/internal/sums"
)

// Options says what the checks compare the workbook with.
type Options struct {
	Root string
	// Commands is the README's table of the tool's commands, as the tool renders it
	// from its command table: the README must hold it word for word.
	Commands string
	// TargetProblems reports what is wrong with a chapter's benchmark targets (a target
	// that names no benchmark of bench_test.go); nil skips the check.
	TargetProblems func(root string, ch *manifest.Chapter) []string
	// Steps, when not empty, are the only steps to run, by number (a maintainer's quicker
	// look; make check runs them all).
	Steps []int
}

// checker runs checks and counts them.
type checker struct {
	Options
	m    *manifest.Manifest
	out  io.Writer
	tmp  string
	jobs int

	mu                      sync.Mutex
	passed, failed, skipped int
}

// skip counts a check that cannot run on this machine and prints why: never silently.
func (c *checker) skip(name, why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.skipped++
	fmt.Fprintf(c.out, "  skip  %s: %s\n", name, why)
}

// record counts one check's outcome and prints it; detail explains a failure.
func (c *checker) record(name string, ok bool, detail string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok {
		c.passed++
		fmt.Fprintf(c.out, "  ok    %s\n", name)
		return
	}
	c.failed++
	fmt.Fprintf(c.out, "  FAIL  %s\n", name)
	if detail != "" {
		fmt.Fprintln(c.out, detail)
	}
}

// Verify runs every check of `make check`, printing one line a check and at the end the
// line `N passed, N failed`. It returns the counts.
func Verify(ctx context.Context, w io.Writer, o Options) (passed, failed int) {
	c := &checker{Options: o, out: w, jobs: runner.Procs()}
	defer func() {
		if c.skipped > 0 {
			fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", c.passed, c.failed, c.skipped)
		} else {
			fmt.Fprintf(w, "%d passed, %d failed\n", c.passed, c.failed)
		}
		passed, failed = c.passed, c.failed
	}()
	m, err := manifest.Load(o.Root)
	if err != nil {
		c.record("the manifest loads", false, "    "+err.Error())
		return
	}
	c.m = m
	tmp, err := os.MkdirTemp("", "workbook-verify-")
	if err != nil {
		c.record("a temporary directory", false, "    "+err.Error())
		return
	}
	defer os.RemoveAll(tmp)
	c.tmp = tmp
	start := time.Now()
	steps := []struct {
		title string
		run   func(*checker, context.Context)
	}{
		{"1. gofmt, go vet, go mod tidy", (*checker).static},
		{"2. exercises/ and solutions/ are twins", (*checker).twins},
		{"3. solutions and the tool pass under -race; benchmarks run", (*checker).solutions},
		{"4. every exercise fails each of its tests as shipped, alone, within its limit", (*checker).exercises},
		{"5. every mutant is caught by the tests it names", (*checker).mutants},
		{"6. manifest, guides and README agree with the code", (*checker).docs},
		{"7. " + progress.StartingSums + " is current (dev starting-sums -w)", (*checker).startingSums},
		{"8. " + grade.SumsFile + " is current (dev sums -w)", (*checker).sums},
		{"9. Windows and macOS: every package and test binary builds; a clone with core.autocrlf=true is the workbook as shipped", (*checker).platforms},
		{"10. the Portuguese workbook follows the English (" + TranslationSums + ", dev translations -w)", (*checker).translations},
	}
	selected := func(n int) bool { return len(o.Steps) == 0 || slices.Contains(o.Steps, n) }
	// Step 9 compiles while step 4 mostly waits on watchdogs: it runs beside step 4, its
	// lines held back and printed in its place.
	const early, beside = 9, 4
	var held *heldStep
	for i, s := range steps {
		n := i + 1
		if !selected(n) {
			continue
		}
		if ctx.Err() != nil {
			c.record("interrupted", false, "")
			return
		}
		if n == beside && selected(early) {
			held = c.startHeld(ctx, steps[early-1].run)
		}
		fmt.Fprintln(w, s.title)
		if n == early && held != nil {
			held.print(c)
			continue
		}
		t := time.Now()
		s.run(c, ctx)
		fmt.Fprintf(w, "  (%.0fs)\n", time.Since(t).Seconds())
	}
	fmt.Fprintf(w, "verify took %.0fs\n", time.Since(start).Seconds())
	return
}

// heldStep is a step run beside another, its output held back until its turn.
type heldStep struct {
	sub  *checker
	buf  bytes.Buffer
	took time.Duration
	done chan struct{}
}

// startHeld starts run on a checker of its own that writes into the held step's buffer.
func (c *checker) startHeld(ctx context.Context, run func(*checker, context.Context)) *heldStep {
	h := &heldStep{done: make(chan struct{})}
	h.sub = &checker{Options: c.Options, m: c.m, out: &h.buf, tmp: c.tmp, jobs: c.jobs}
	go func() {
		defer close(h.done)
		t := time.Now()
		run(h.sub, ctx)
		h.took = time.Since(t)
	}()
	return h
}

// print waits for the held step, prints what it printed and counts its checks in c's.
func (h *heldStep) print(c *checker) {
	<-h.done
	c.mu.Lock()
	defer c.mu.Unlock()
	c.out.Write(h.buf.Bytes())
	fmt.Fprintf(c.out, "  (%.0fs, beside the step before)\n", h.took.Seconds())
	c.passed += h.sub.passed
	c.failed += h.sub.failed
	c.skipped += h.sub.skipped
}

// goCmd runs the go command at the root, bounded.
func (c *checker) goCmd(ctx context.Context, limit time.Duration, args ...string) (string, error) {
	return runner.Go(ctx, c.Root, nil, limit, args...)
}

func (c *checker) static(ctx context.Context) {
	out, err := runner.Command(ctx, c.Root, nil, 2*time.Minute, "gofmt", "-l", ".")
	c.record("gofmt -l . (mutants included)", err == nil && len(bytes.TrimSpace([]byte(out))) == 0,
		"    gofmt would change:\n"+excerpt(out, 20))
	vet, err := c.goCmd(ctx, 5*time.Minute, "vet", "./...")
	c.record("go vet ./...", err == nil, excerpt(vet, 30))
	tidy, err := c.goCmd(ctx, 5*time.Minute, "mod", "tidy", "-diff")
	c.record("go mod tidy leaves go.mod and go.sum as they are", err == nil, excerpt(tidy, 30))
}

func (c *checker) twins(ctx context.Context) {
	for _, tree := range []string{layout.Exercises, layout.Solutions} {
		entries, err := os.ReadDir(filepath.Join(c.Root, tree))
		var extra []string
		for _, e := range entries {
			if e.IsDir() && !slices.ContainsFunc(c.m.Chapters, func(ch *manifest.Chapter) bool { return ch.ID == e.Name() }) {
				extra = append(extra, e.Name())
			}
		}
		c.record(tree+"/ holds exactly the manifest's chapters", err == nil && len(extra) == 0,
			fmt.Sprintf("    not in %s: %v %v", layout.Manifest, extra, err))
	}
	for _, ch := range c.m.Chapters {
		ex := filepath.Join(c.Root, layout.Exercises, ch.ID)
		sol := filepath.Join(c.Root, layout.Solutions, ch.ID)
		exFiles, solFiles := layout.Files(ex), layout.Files(sol)
		learner := map[string]bool{}
		for _, e := range ch.Exercises {
			if e.Writes() {
				for _, f := range e.Files {
					learner[f] = true
				}
			}
		}
		var problems []string
		for _, name := range union(exFiles, solFiles) {
			if !exFiles[name] || !solFiles[name] {
				problems = append(problems, name+" is in only one of the two trees")
				continue
			}
			if learner[name] {
				continue // the learner writes this test file: the trees differ by design
			}
			if strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, "README") && strings.HasSuffix(name, ".md") {
				a, _ := os.ReadFile(filepath.Join(ex, name))
				b, _ := os.ReadFile(filepath.Join(sol, name))
				if !bytes.Equal(a, b) {
					problems = append(problems, name+" differs")
				}
			}
		}
		for _, e := range ch.Exercises {
			for _, f := range e.Files {
				if !exFiles[f] {
					problems = append(problems, fmt.Sprintf("%s names %s, which does not exist", e.ID(), f))
				}
			}
		}
		c.record(ch.ID+": tests and guide byte-identical, same files in both trees", len(problems) == 0,
			"    "+strings.Join(problems, "\n    "))
	}
}

func (c *checker) solutions(ctx context.Context) {
	// -parallel 4: the tool's parallel tests (grade's, mutation's) mostly wait on limits
	// and child processes; the chapters' tests are never parallel.
	args := []string{"test", "-race", "-trimpath", "-json", "-count=1", "-parallel=4", "-timeout=8m", "./" + layout.Solutions + "/..."}
	for _, dir := range []string{"internal", "cmd"} { // the test support and the tool, where there are
		if _, err := os.Stat(filepath.Join(c.Root, dir)); err == nil {
			args = append(args, "./"+dir+"/...")
		}
	}
	c.goTest(ctx, "go test -race ", args...)
	c.goTest(ctx, "benchmarks run (-benchtime=1x) ", "test", "-trimpath", "-json", "-run=^$", "-bench=.", "-benchtime=1x",
		"./"+layout.Solutions+"/...")
}

// goTest runs go test -json and records one check a package.
func (c *checker) goTest(ctx context.Context, prefix string, args ...string) {
	f, err := os.CreateTemp(c.tmp, "gotest-*.json")
	if err != nil {
		c.record(prefix, false, "    "+err.Error())
		return
	}
	defer f.Close()
	runErr := runner.CommandTo(ctx, f, c.Root, nil, 10*time.Minute, "go", args...)
	b, _ := os.ReadFile(f.Name())
	pkgs := packages(string(b))
	if len(pkgs) == 0 {
		c.record(prefix+"(no package ran)", false, excerpt(string(b), 40)+fmt.Sprintf("\n    %v", runErr))
		return
	}
	for _, p := range slices.Sorted(maps.Keys(pkgs)) {
		st := pkgs[p]
		if st == runner.TestSkip {
			continue // no test files
		}
		c.record(prefix+p, st == runner.TestPass, failureLines(string(b), p))
	}
}

// failureLines returns the end of what a failed package printed, from go test -json.
func failureLines(out, pkg string) string { return excerpt(packageOutput(out, pkg), 60) }

// build builds the race-enabled test binary of a chapter tree, recording a failure.
func (c *checker) build(ctx context.Context, name, pkg string, overlay map[string]string) (string, bool) {
	bin := filepath.Join(c.tmp, layout.Binary(strings.NewReplacer("/", "_", " ", "_").Replace(name)+".test"))
	if err := runner.Build(ctx, runner.BuildSpec{Root: c.Root, Pkg: pkg, Out: bin, Race: true, Overlay: overlay}); err != nil {
		c.record(name+" builds", false, excerpt(err.Error(), 30))
		return "", false
	}
	return bin, true
}

// failJobs is how many test processes that must fail run at once: three a core, since
// most of their time is a watchdog's real-time wait, and a test that must fail fails
// however loaded the machine is.
func (c *checker) failJobs() int { return 3 * c.jobs }

// listTests returns the tests and examples in a test binary.
func listTests(ctx context.Context, bin, dir string) ([]string, error) {
	out, err := runner.Command(ctx, dir, nil, time.Minute, bin, "-test.list=.")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, l := range strings.Fields(out) {
		if strings.HasPrefix(l, "Test") || strings.HasPrefix(l, "Example") {
			names = append(names, l)
		}
	}
	sort.Strings(names)
	return names, nil
}

// raceOutside is what a -race test binary prints when it found a race that no test
// failed for, as it does for a race in an example.
const raceOutside = "testing: race detected outside of test execution"

// mustFail runs one test alone and reports whether it failed by assertion or detector
// (a fail event for the test), and if not, why.
func mustFail(ctx context.Context, bin, dir, test string, args ...string) (ok bool, why string, r *runner.Result) {
	r = runner.Exec(ctx, runner.Spec{Bin: bin, Dir: dir, Run: "^" + test + "$", Limit: runner.TestLimit, Args: args})
	switch st := r.Test(test).Status; {
	case r.TimedOut:
		return false, "    it ran into the time limit: a test must catch it, not hang on it\n" + excerpt(r.Output, 30), r
	case st == runner.TestPass && strings.HasPrefix(test, "Example") && strings.Contains(r.Output, raceOutside):
		// The testing package does not pin a race on the example it came from: the
		// example passes, and then the binary fails. Run alone, the race is the example's.
		return true, "", r
	case st == runner.TestPass:
		return false, "    the test PASSES", r
	case st != runner.TestFail:
		return false, "    no fail event for the test: the binary crashed instead of failing it\n" + excerpt(r.Output, 30), r
	}
	return true, "", r
}

func (c *checker) exercises(ctx context.Context) {
	var jobs []func()
	for _, ch := range c.m.Chapters {
		pkg := layout.ChapterDir(layout.Exercises, ch.ID)
		bin, ok := c.build(ctx, pkg, pkg, nil)
		if !ok {
			continue
		}
		abs := filepath.Join(c.Root, filepath.FromSlash(pkg))
		var want []string
		for _, e := range ch.Exercises {
			want = append(want, e.Tests...)
		}
		sort.Strings(want)
		got, err := listTests(ctx, bin, abs)
		c.record(ch.ID+": the manifest lists every test of the package, each once",
			err == nil && slices.Equal(want, got),
			fmt.Sprintf("    manifest: %v\n    package:  %v %v", want, got, err))
		for _, e := range ch.Exercises {
			for _, test := range e.Tests {
				jobs = append(jobs, func() {
					ok, why, r := mustFail(ctx, bin, abs, test)
					if strings.HasPrefix(why, "    the test PASSES") {
						why += " on the starting code: the test cannot tell the exercise is undone"
					}
					c.record(fmt.Sprintf("%s: %s fails as shipped (%.1fs)", e.ID(), test, r.Elapsed.Seconds()), ok, why)
				})
			}
		}
	}
	runner.Parallel(c.failJobs(), jobs)
}

// loadMutants loads the mutants, recording the malformed ones.
func (c *checker) loadMutants() []*manifest.Mutant {
	all, problems := manifest.LoadMutants(c.Root, c.m)
	for _, name := range slices.Sorted(maps.Keys(problems)) {
		c.record("mutants of "+name+" are well formed", false, "    "+strings.Join(problems[name], "\n    "))
	}
	return all
}

type builtMutant struct {
	mu  *manifest.Mutant
	bin string
}

// buildMutants builds every mutant's binary, at most c.jobs at once.
func (c *checker) buildMutants(ctx context.Context, all []*manifest.Mutant) []builtMutant {
	var mu sync.Mutex
	var bins []builtMutant
	var builds []func()
	for _, m := range all {
		builds = append(builds, func() {
			bin, ok := c.build(ctx, "mutant "+m.Chapter.ID+"/"+m.Name, layout.ChapterDir(layout.Solutions, m.Chapter.ID), m.Overlay)
			if ok {
				mu.Lock()
				bins = append(bins, builtMutant{m, bin})
				mu.Unlock()
			}
		})
	}
	runner.Parallel(c.jobs, builds)
	sort.Slice(bins, func(i, j int) bool { return bins[i].mu.Dir < bins[j].mu.Dir })
	return bins
}

// mutants builds every mutant, c.jobs at a time, and runs each test that must catch it
// as soon as its binary is built, so that the runs (mostly a watchdog's wait) overlap
// the builds; the reference tests of the exercises whose learner writes the tests are
// graded beside them.
func (c *checker) mutants(ctx context.Context) {
	runs := runner.NewSlots(c.failJobs())
	var wg sync.WaitGroup
	wg.Go(func() { c.referenceTests(ctx) })
	var builds []func()
	for _, m := range c.loadMutants() {
		builds = append(builds, func() {
			bin, ok := c.build(ctx, "mutant "+m.Chapter.ID+"/"+m.Name, layout.ChapterDir(layout.Solutions, m.Chapter.ID), m.Overlay)
			if !ok {
				return
			}
			dir := filepath.Join(c.Root, layout.Solutions, m.Chapter.ID)
			for _, test := range m.CaughtBy {
				wg.Go(func() {
					runs.Take()
					defer runs.Give()
					ok, why, r := mustFail(ctx, bin, dir, test)
					if strings.HasPrefix(why, "    the test PASSES") {
						why += " on this wrong answer"
					}
					c.record(fmt.Sprintf("mutant %s/%s (%s) caught by %s (%.1fs)", m.Chapter.ID, m.Name, m.Bug,
						test, r.Elapsed.Seconds()), ok, why)
				})
			}
		})
	}
	runner.Parallel(c.jobs, builds)
	wg.Wait()
}

// referenceTests grades the reference tests of every exercise whose learner writes the
// tests as a learner's would be graded: they pass on the implementation, catch every
// mutant of the exercise, and do not sleep outside a synctest bubble.
func (c *checker) referenceTests(ctx context.Context) {
	mutants, _ := manifest.LoadMutants(c.Root, c.m)
	for _, e := range c.m.Exercises() {
		if !e.Writes() {
			continue
		}
		o := mutation.Run(ctx, mutation.Options{Root: c.Root, Tree: layout.Solutions, Exercise: e, Mutants: mutants,
			Limit: runner.TestLimit, Jobs: c.jobs, Tmp: c.tmp})
		var why []string
		if o.BuildErr != "" {
			why = append(why, o.BuildErr)
		}
		for _, r := range o.Refused {
			why = append(why, "refused: "+r.String())
		}
		for _, m := range append(o.Survivors, o.Hung...) {
			why = append(why, "mutant "+m.Name+" not caught")
		}
		if o.OnCorrect != nil && o.OnCorrect.Verdict(o.Tests) != runner.Pass {
			why = append(why, "fails on the implementation:\n"+excerpt(o.OnCorrect.Output, 20))
		}
		c.record(fmt.Sprintf("%s: the reference tests pass, catch all %d mutants and use nothing the policy refuses", e.ID(),
			o.Killed+len(o.Survivors)+len(o.Hung)), o.Status == runner.Pass, "    "+strings.Join(why, "\n    "))
		// A learner's tests must tell a wrong implementation only by its behaviour: same
		// file, package and line numbers as the right one for every unchanged line.
		var misaligned []string
		for _, mu := range mutants {
			if !mu.Of(e) {
				continue
			}
			for impl, file := range mu.Overlay {
				if err := mutation.CheckAligned(impl, file); err != nil {
					misaligned = append(misaligned, mu.Name+": "+err.Error())
				}
			}
		}
		slices.Sort(misaligned)
		c.record(e.ID()+": every mutant differs from the implementation only in behaviour (file, package, line numbers)",
			len(misaligned) == 0, "    "+strings.Join(misaligned, "\n    "))
	}
}

func (c *checker) startingSums(ctx context.Context) {
	ok, err := progress.StartingSumsCurrent(c.Root)
	detail := "    run `go run ./cmd/workbook dev starting-sums -w` after changing the starting code"
	if err != nil {
		detail += "\n    " + err.Error()
	}
	c.record(progress.StartingSums+" holds the sums of the starting code", ok && err == nil, detail)
}

func (c *checker) sums(ctx context.Context) {
	changes, _, err := grade.Integrity(c.Root, layout.Exercises, filepath.Join(c.Root, grade.SumsFile))
	detail := ""
	if err != nil {
		detail = "    " + err.Error()
	} else if len(changes) > 0 {
		detail = changeList(changes) + "\n    run `" + grade.SumsFix + "` to regenerate it"
	}
	c.record(grade.SumsFile+" holds the sums of the tests, testdata/, internal/, the manifest, go.mod and go.sum",
		err == nil && len(changes) == 0, detail)
}

func changeList(changes []sums.Change) string {
	var lines []string
	for _, ch := range changes[:min(len(changes), 20)] {
		lines = append(lines, "    "+ch.String())
	}
	if len(changes) > 20 {
		lines = append(lines, fmt.Sprintf("    ... and %d more", len(changes)-20))
	}
	return strings.Join(lines, "\n")
}

func union(a, b map[string]bool) []string {
	var all []string
	for k := range a {
		all = append(all, k)
	}
	for k := range b {
		if !a[k] {
			all = append(all, k)
		}
	}
	sort.Strings(all)
	return all
}

// excerpt returns the last lines of out, at most n of them, indented for a report.
func excerpt(out string, n int) string { return runner.Excerpt(out, n, "      ") }
