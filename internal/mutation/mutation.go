// Package mutation grades tests a learner wrote (exercises of kind "tests"): they must
// pass on the correct implementation, fail on every wrong one the chapter keeps (its
// mutants), keep to the policy (Policy: no real clock outside a synctest bubble, no
// t.Fatal off the test's goroutine, no looking at the program instead of its
// behaviour), and finish within their limit.
//
// The wrong implementations differ from the right one only in behaviour: each mutant
// file keeps the implementation's name, package and line numbers (CheckAligned), and
// every run, right or wrong, is the same binary name in a directory of its own, with
// the same arguments, environment and caps.
package mutation

import (
	"cmp"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// MutantSlack is the real time a run on a wrong implementation has beyond twice the
// run on the correct one. A test bounded the way the chapter asks fails within it: a
// deadlock in a synctest bubble at once, a bubble that never settles when guard.Bubble's
// limit (4 s in main_test.go) is up. A run still going at the end waits for ever: it is
// stopped and reported as a hang instead of holding the learner for the whole Limit.
const MutantSlack = 6 * time.Second

// Options says whose tests to grade, and how.
type Options struct {
	Root     string // the module's root
	Tree     string // the tree of chapters that holds the learner's tests: "exercises" or "solutions"
	Exercise *manifest.Exercise
	Mutants  []*manifest.Mutant // the chapter's mutants; those of the exercise are used
	Limit    time.Duration      // real time for the run on the correct implementation (and at most for a mutant's)
	Jobs     int                // builds at once; runs of test binaries get up to 4 a job (a hung run waits, it does not compute)
	Env      []string           // nil means runner.Env(false)
	Strict   bool               // grade -course: TestMain's report and containment
	Tmp      string             // a directory for the binaries

	// The caps of a contained run (Strict), as runner.Spec's: 0 means the runner's default.
	MaxMemory int64
	MaxProcs  int
	// Sandbox, with Strict, runs the tests under bubblewrap (grade -course).
	Sandbox *runner.Sandbox
}

// Outcome is the grade of the learner's tests.
type Outcome struct {
	Status    runner.Status
	Tests     []string  // the learner's tests, from their files
	Unwritten []string  // tests still as the starting code has them: t.Fatal("TODO: ...") and nothing else
	Refused   []Refusal // what the policy refuses, in order of position
	// Sleeps is the position (file:line) of each RealClock refusal: a sleep, a timer or a
	// read of the real clock outside a synctest bubble. Refused has them all, in words.
	Sleeps    []string
	BuildErr  string             // the package does not build (or cannot be type-checked)
	OnCorrect *runner.Result     // the run on the correct implementation
	Survivors []*manifest.Mutant // wrong implementations the tests pass on
	Hung      []*manifest.Mutant // wrong implementations the tests ran out of time on
	HungIn    map[string]string  // mutant name → the test still running when its time was up
	Killed    int                // wrong implementations the tests caught
	// MutantLimit is the real time each run on a wrong implementation had.
	MutantLimit time.Duration
	Contained   []string // with Strict: the containment in force, from the run on the correct implementation
}

// Run grades the learner's tests of o.Exercise. The builds run o.Jobs at a time, the
// correct implementation's first; each wrong implementation runs as soon as it is built
// and the correct run is over, with the tests that passed on the correct one,
// -test.failfast, and a limit of twice the correct run's time plus MutantSlack.
func Run(ctx context.Context, o Options) Outcome {
	e := o.Exercise
	pkg := o.Tree + "/" + e.Chapter.ID
	dir := filepath.Join(o.Root, filepath.FromSlash(pkg))
	var out Outcome
	stubs := 0
	for _, f := range e.Files {
		tests, n, err := listTests(filepath.Join(dir, f), pkg+"/"+f)
		if err != nil {
			out.Status, out.BuildErr = runner.Error, err.Error()
			return out
		}
		out.Tests, stubs = append(out.Tests, tests...), stubs+n
	}
	if len(out.Tests) == 0 {
		out.Status = runner.Fail
		return out
	}

	// The policy, with type information, while the binaries build.
	var policy *scanned
	var policyErr error
	policyDone := make(chan struct{})
	go func() {
		defer close(policyDone)
		policy, policyErr = Policy(ctx, o.Root, dir, pkg, e, o.Env, o.Strict)
	}()

	r := &mutationRun{ctx: ctx, o: o, pkg: pkg, dir: dir, out: &out,
		builds: runner.NewSlots(o.Jobs), runs: runner.NewSlots(4 * max(o.Jobs, 1)),
		correctDone: make(chan struct{})}
	defer r.removeDirs()
	r.builds.Take() // the correct implementation's build comes first
	go r.correct("^(" + strings.Join(out.Tests, "|") + ")$")
	r.mutants(stubs)
	<-r.correctDone
	<-policyDone
	return r.finish(policy, policyErr)
}

// mutationRun is the state Run shares between the run on the correct implementation
// and the runs on the wrong ones.
type mutationRun struct {
	ctx      context.Context
	o        Options
	pkg, dir string
	out      *Outcome

	builds *runner.Slots // a slot a build
	runs   *runner.Slots // a slot a run of a test binary

	// Every binary has the same name, each in a directory of its own with a random
	// name: nothing in a run says which implementation it holds.
	dirsMu sync.Mutex
	dirs   []string

	// The run on the correct implementation: set before correctDone is closed.
	correctDone chan struct{}
	res         *runner.Result
	buildErr    error
	passed      []string

	mu sync.Mutex // guards out's Killed, Hung, HungIn and Survivors while the mutants run
}

// removeDirs removes the binaries' directories.
func (r *mutationRun) removeDirs() {
	for _, d := range r.dirs {
		os.RemoveAll(d)
	}
}

// build builds the chapter's test binary with overlay (nil: the correct
// implementation) in a new directory, and returns its path.
func (r *mutationRun) build(overlay map[string]string) (string, error) {
	o := r.o
	d, err := os.MkdirTemp(o.Tmp, "run-")
	if err != nil {
		return "", err
	}
	r.dirsMu.Lock()
	r.dirs = append(r.dirs, d)
	r.dirsMu.Unlock()
	if o.Sandbox != nil {
		if err := runner.OpenToSandbox([]string{d}, nil); err != nil {
			return "", err
		}
	}
	bin := filepath.Join(d, layout.Binary(o.Exercise.Chapter.ID+".test"))
	return bin, runner.Build(r.ctx, runner.BuildSpec{Root: o.Root, Pkg: r.pkg, Out: bin, Race: true, Overlay: overlay,
		Env: o.Env, ReadOnly: o.Strict})
}

// exec runs the tests that match pattern in bin, once a run slot is free.
func (r *mutationRun) exec(bin, pattern string, limit time.Duration, args ...string) *runner.Result {
	o := r.o
	r.runs.Take()
	defer r.runs.Give()
	return runner.Exec(r.ctx, runner.Spec{Bin: bin, Dir: r.dir, Run: pattern, Args: args, Limit: limit, Env: o.Env,
		Report: o.Strict, Contain: o.Strict, MaxMemory: o.MaxMemory, MaxProcs: o.MaxProcs, Sandbox: o.Sandbox})
}

// correct builds the correct implementation (its build slot already taken) and runs
// the tests that match pattern on it; it sets the tests that passed and the mutants'
// limit, and closes correctDone.
func (r *mutationRun) correct(pattern string) {
	defer close(r.correctDone)
	bin, err := r.build(nil)
	r.builds.Give()
	if err != nil {
		r.buildErr = err
		return
	}
	r.res = r.exec(bin, pattern, r.o.Limit)
	for _, t := range r.out.Tests {
		if r.res.Test(t).Status == runner.TestPass {
			r.passed = append(r.passed, t)
		}
	}
	limit := 2*r.res.Elapsed + MutantSlack
	if r.res.TimedOut {
		limit = MutantSlack
	}
	r.out.MutantLimit = min(r.o.Limit, limit)
}

// mutants builds and runs every mutant of the exercise, and returns when all are done.
// The wrong implementations run the tests that passed on the correct one (passed): a
// test that fails there tells nothing about them. While every test is still its
// stub, none runs at all.
func (r *mutationRun) mutants(stubs int) {
	e, out := r.o.Exercise, r.out
	var wg sync.WaitGroup
	for _, m := range r.o.Mutants {
		if !m.Of(e) || stubs == len(out.Tests) {
			continue
		}
		overlay := map[string]string{}
		for _, to := range m.Overlay {
			overlay[filepath.Join(r.dir, filepath.Base(to))] = to
		}
		wg.Go(func() { r.mutant(m, overlay) })
	}
	wg.Wait()
}

// mutant builds one mutant and, once the correct run is over, runs the passed tests
// on it and counts the outcome.
func (r *mutationRun) mutant(m *manifest.Mutant, overlay map[string]string) {
	r.builds.Take()
	bin, err := r.build(overlay)
	r.builds.Give()
	<-r.correctDone
	if r.buildErr != nil || r.ctx.Err() != nil || len(r.passed) == 0 {
		return
	}
	out, passed := r.out, r.passed
	var res *runner.Result
	if err == nil {
		res = r.exec(bin, "^("+strings.Join(passed, "|")+")$", out.MutantLimit, "-test.failfast")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case err != nil: // the mutant does not build with the learner's tests: nothing to learn from it
		out.Killed++
	case res.TimedOut:
		out.Hung = append(out.Hung, m)
		if out.HungIn == nil {
			out.HungIn = map[string]string{}
		}
		out.HungIn[m.Name] = running(res, passed)
	case res.Verdict(passed) == runner.Pass:
		out.Survivors = append(out.Survivors, m)
	default:
		out.Killed++
	}
}

// finish completes the outcome once every run and the policy are over.
func (r *mutationRun) finish(policy *scanned, policyErr error) Outcome {
	out, res := r.out, r.res
	if r.buildErr != nil {
		out.Status, out.BuildErr = runner.Error, r.buildErr.Error()
		out.Survivors, out.Hung, out.HungIn, out.Killed = nil, nil, nil, 0
		return *out
	}
	out.OnCorrect = res
	out.Contained = res.Contained
	switch {
	case r.ctx.Err() != nil:
	case policyErr != nil:
		out.Status, out.BuildErr = runner.Error, policyErr.Error()
		return *out
	default:
		out.Refused, out.Unwritten = policy.Refused, policy.Unwritten
		for _, rf := range out.Refused {
			if rf.Rule == RealClock {
				out.Sleeps = append(out.Sleeps, rf.Pos)
			}
		}
	}
	sortByName(out.Survivors)
	sortByName(out.Hung)
	switch v := res.Verdict(out.Tests); {
	case r.ctx.Err() != nil:
		out.Status = runner.Error
	case v != runner.Pass:
		out.Status = v
	case len(out.Refused) > 0 || len(out.Survivors) > 0 || len(out.Hung) > 0:
		out.Status = runner.Fail
	default:
		out.Status = runner.Pass
	}
	return *out
}

// running returns the test that had started and not finished when a run was stopped:
// the one without a verdict, or the one the binary's own timeout failed.
func running(r *runner.Result, tests []string) string {
	for _, name := range tests {
		if t, ok := r.Tests[name]; ok && t.Status == runner.TestNotRun {
			return name
		}
	}
	for _, name := range tests {
		if t, ok := r.Tests[name]; ok && strings.Contains(t.Output, "panic: test timed out") {
			return name
		}
	}
	return ""
}

func sortByName(ms []*manifest.Mutant) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && cmp.Less(ms[j].Name, ms[j-1].Name); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// listTests returns the tests of a learner's test file, by their declarations, and how
// many of them are still a stub (see stubBody).
func listTests(path, name string) (tests []string, stubs int, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	f, err := parser.ParseFile(token.NewFileSet(), name, b, parser.SkipObjectResolution)
	if err != nil {
		return nil, 0, err
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && isTestName(fn.Name.Name) && isTest(fn) {
			tests = append(tests, fn.Name.Name)
			if stubBody(fn) {
				stubs++
			}
		}
	}
	return tests, stubs, nil
}

// stubBody reports whether a test is, by its syntax, the starting stub: one call of
// t.Fatal (or Fatalf, Skip) whose message is string literals that begin with "TODO".
// (The policy says the same with types: scanned.Unwritten.)
func stubBody(fn *ast.FuncDecl) bool {
	if fn.Body == nil || len(fn.Body.List) != 1 {
		return false
	}
	es, ok := fn.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || !fatalNames[sel.Sel.Name] {
		return false
	}
	first := call.Args[0]
	for {
		if bin, ok := first.(*ast.BinaryExpr); ok && bin.Op == token.ADD {
			first = bin.X
			continue
		}
		break
	}
	lit, ok := first.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return false
	}
	v, err := strconv.Unquote(lit.Value)
	return err == nil && strings.HasPrefix(v, "TODO")
}

// isTestName reports whether name is Test, or Test followed by a name that does not
// begin with a lower-case letter, as go test wants.
func isTestName(name string) bool {
	if !strings.HasPrefix(name, "Test") {
		return false
	}
	if len(name) == 4 {
		return true
	}
	c := name[4:5]
	return strings.ToLower(c) != c || c == "_" || (c >= "0" && c <= "9")
}

// isTest reports whether fn is func TestXxx(t *testing.T), by its declaration.
func isTest(fn *ast.FuncDecl) bool {
	p := fn.Type.Params.List
	return fn.Type.TypeParams == nil && len(p) == 1 && len(p[0].Names) <= 1 && exprString(p[0].Type) == "*testing.T"
}

func exprString(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.Ident:
		return x.Name
	}
	return ""
}
