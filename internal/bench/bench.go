// Package bench runs a chapter's benchmarks on the learner's code and on the reference in
// turn, with the seed's Python beside them where the chapter has a Python peer, judges
// them against the targets of the chapter's guide and draws throughput against workers.
package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// RunLimit bounds one run of a chapter's test binary (every benchmark it selects, at
// every -cpu value) unless Options.Limit says otherwise.
const RunLimit = 10 * time.Minute

// Options says what to measure. Only Root and Chapter are required.
type Options struct {
	Root      string            // the workbook's root
	Chapter   *manifest.Chapter // the chapter whose benchmarks run
	NotDone   []string          // names of the chapter's exercises whose tests do not pass yet
	Bench     string            // -test.bench pattern, default "."
	Benchtime string            // -test.benchtime, default "200ms"
	CPU       []int             // -test.cpu values, default {1, 2}
	Rounds    int               // how many times each tree runs, in turn with the other; default 3
	Reference bool              // measure the reference too
	Limit     time.Duration     // bounds one run of a test binary; default RunLimit

	// Python is the interpreter of the chapter's Python peer: a path or a name on PATH;
	// "" looks for python3 (then python), "off" runs no Python.
	Python string
	// ChartDir is where the chart goes, as CHAPTER.svg; "" means .workbook/bench under
	// Root (git ignores .workbook/), "-" means no chart.
	ChartDir string
	// Meter reads the machine's CPU counters, to tell how many cores other programs left
	// idle; nil means ProcStat.
	Meter Meter
	// Probe is how long bench watches the machine, doing nothing, before the rounds;
	// 0 means half a second, a negative duration none.
	Probe time.Duration

	cores int // the machine's cores, for tests; 0 means runtime.NumCPU()
}

func (o Options) withDefaults() (Options, error) {
	switch {
	case o.Root == "":
		return o, errors.New("bench: no workbook root")
	case o.Chapter == nil:
		return o, errors.New("bench: no chapter")
	}
	if o.Bench == "" {
		o.Bench = "."
	}
	if o.Benchtime == "" {
		o.Benchtime = "200ms"
	}
	if len(o.CPU) == 0 {
		o.CPU = []int{1, 2}
	}
	for _, n := range o.CPU {
		if n < 1 {
			return o, fmt.Errorf("bench: -cpu %d: a count of at least 1", n)
		}
	}
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
	if o.Limit <= 0 {
		o.Limit = RunLimit
	}
	if o.ChartDir == "" {
		o.ChartDir = filepath.Join(o.Root, ".workbook", "bench")
	}
	if o.Meter == nil {
		o.Meter = ProcStat
	}
	if o.Probe == 0 {
		o.Probe = 500 * time.Millisecond
	}
	if o.cores == 0 {
		o.cores = runtime.NumCPU()
	}
	return o, nil
}

// notDone returns the chapter's exercises that o.NotDone names, in the chapter's order.
func (o Options) notDone() []string {
	var names []string
	for _, e := range o.Chapter.Exercises {
		if slices.Contains(o.NotDone, e.Name) {
			names = append(names, e.Name)
		}
	}
	return names
}

// tree is one side of the comparison: the learner's chapter, the reference's, or the
// chapter's Python peer.
type tree struct {
	label    string   // "yours", "reference" or "python"
	dir      string   // the chapter's package (for python, its peer), slash-separated, relative to the root
	run      bool     // its benchmarks run
	bin      string   // its test binary, or the Python interpreter
	samples  Samples  // one run a round, in round order
	failed   []string // benchmarks that failed in some run
	failOut  string   // the output of the first run that failed
	firstOut string   // the output of the first run
	stopped  string   // why it ran no more rounds, if it stopped early
}

// Run measures the benchmarks of o.Chapter and writes a report to w: for each target of
// the chapter's guide, the learner's median and spread and the reference's, with a
// verdict each; then every benchmark's time per op, the learner's beside the
// reference's; then, where the chapter has a Python peer (Peers), the seed's Python
// beside both: each program's throughput at each worker count, the speed-up from the
// fewest workers to the most, the guide's Go ÷ Python targets with their verdicts, and a
// chart of throughput against workers written under o.ChartDir.
//
// It builds the two test binaries once, without -race, and runs them in turn, yours then
// the reference then the Python peer, o.Rounds times, so that all meet the same noise of
// a shared machine, and it says how many cores other programs left idle (o.Meter): a
// target that needs more cores than were idle reads inconclusive, never misses. Every
// run is bounded by o.Limit in a process group of its own. Targets are shown for the
// reference only while an exercise of the chapter is not done (o.NotDone); when none is
// done the learner's benchmarks do not run at all. Python runs only if it is found
// (o.Python); the report says why not otherwise.
//
// ok reports whether every target the learner's code was measured on is met or
// inconclusive. err says why the chapter could not be measured: a tree that does not
// build, benchmarks of the reference that fail, or the end of ctx, which stops the
// running binary at once. The temporary directory of the binaries is removed on return.
func Run(ctx context.Context, w io.Writer, o Options) (ok bool, err error) {
	r, err := run(ctx, w, o)
	if r == nil {
		return false, err
	}
	if path := r.writeChart(w); path != "" {
		fmt.Fprintf(w, "\nChart: %s (open it in a web browser)\n", path)
	}
	return r.ok, err
}

// result is what one run of a chapter's benchmarks found.
type result struct {
	o                *Options
	ch               *manifest.Chapter
	notDone          []string
	yours, ref, py   *tree
	peer             *Peer
	python           interpreter
	machine          machine
	cpus             []int // the worker counts: the -cpu values, in increasing order
	ok               bool
	pythonSkipReason string // why the Python peer did not run, if it has one and did not
}

// run does what Run does but draw the chart, and returns what it found; a nil result
// means nothing was measured.
func run(ctx context.Context, w io.Writer, o Options) (*result, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	ch := o.Chapter
	notDone := o.notDone()
	r := &result{o: &o, ch: ch, notDone: notDone, peer: Peers[ch.ID],
		yours:   &tree{label: "yours", dir: layout.ChapterDir(layout.Exercises, ch.ID), run: len(notDone) < len(ch.Exercises)},
		ref:     &tree{label: "reference", dir: layout.ChapterDir(layout.Solutions, ch.ID), run: o.Reference},
		py:      &tree{label: "python", dir: path.Dir(ScriptPath(ch.ID))},
		machine: machine{cores: o.cores, before: math.NaN(), during: math.NaN()}}
	r.cpus = slices.Sorted(slices.Values(slices.Compact(slices.Sorted(slices.Values(o.CPU)))))
	var trees []*tree
	for _, tr := range []*tree{r.yours, r.ref} {
		if tr.run {
			trees = append(trees, tr)
		}
	}
	if !r.printHeader(w, len(trees)) {
		r.ok = true
		return r, nil
	}
	goEnv := r.withPython(ctx, w, &trees)

	tmp, err := os.MkdirTemp("", "workbook-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := r.build(ctx, w, tmp, trees); err != nil {
		return nil, err
	}
	if err := r.rounds(ctx, w, trees, goEnv); err != nil {
		return nil, err
	}
	for _, tr := range trees {
		tr.printProblems(w)
	}
	return r, r.judge(w)
}

// cpuList is o.CPU as the -cpu flag spells it.
func (o *Options) cpuList() []string {
	cpus := make([]string, len(o.CPU))
	for i, n := range o.CPU {
		cpus[i] = strconv.Itoa(n)
	}
	return cpus
}

// printHeader says what is measured, and reports whether anything is: either tree.
func (r *result) printHeader(w io.Writer, trees int) bool {
	o := r.o
	fmt.Fprintf(w, "%s · %s\n", r.ch.ID, r.ch.Title)
	flags := fmt.Sprintf("-bench %s -cpu %s -benchtime %s", o.Bench, strings.Join(o.cpuList(), ","), o.Benchtime)
	switch {
	case trees == 0:
		fmt.Fprintln(w, "Nothing to measure: none of the chapter's exercises passes its tests yet, and the reference is not asked for.")
		return false
	case trees == 2:
		fmt.Fprintf(w, "Benchmarks without -race, yours and the reference in turn, %d rounds: %s\n", o.Rounds, flags)
	case r.yours.run:
		fmt.Fprintf(w, "Benchmarks without -race, yours only, %d rounds: %s\n", o.Rounds, flags)
	default:
		fmt.Fprintf(w, "Benchmarks without -race, the reference only (none of the chapter's exercises passes its tests yet), %d rounds: %s\n", o.Rounds, flags)
	}
	return true
}

// withPython finds the chapter's Python, if it has a peer: the peer joins the rounds
// (added to trees), and the returned environment of the Go benchmarks names the
// interpreter for those that start Python themselves.
func (r *result) withPython(ctx context.Context, w io.Writer, trees *[]*tree) (goEnv []string) {
	goEnv = runner.Env(false)
	if r.peer == nil {
		return goEnv
	}
	r.python = findPython(ctx, r.o.Python)
	script := hasScript(r.o.Root, r.ch.ID)
	switch {
	case r.python.path == "":
		r.pythonSkipReason = r.python.why
	case !script && len(r.peer.InGo) == 0:
		r.pythonSkipReason = ScriptPath(r.ch.ID) + " is missing"
	default:
		goEnv = append(goEnv, PythonEnv+"="+r.python.path)
		if script {
			r.py.run, r.py.bin = true, r.python.path
			*trees = append(*trees, r.py)
		}
	}
	if r.pythonSkipReason == "" {
		fmt.Fprintf(w, "  with the seed's Python beside them: Python %s (%s)\n", r.python.version, r.python.path)
	} else {
		fmt.Fprintf(w, "  without the seed's Python: %s\n", r.pythonSkipReason)
	}
	return goEnv
}

// build builds the benchmark binaries of the Go trees, at once, into tmp.
func (r *result) build(ctx context.Context, w io.Writer, tmp string, trees []*tree) error {
	start := time.Now()
	var goTrees []*tree
	for _, tr := range trees {
		if tr != r.py {
			goTrees = append(goTrees, tr)
		}
	}
	errs := make([]error, len(goTrees))
	jobs := make([]func(), len(goTrees))
	for i, tr := range goTrees {
		tr.bin = filepath.Join(tmp, layout.Binary(tr.label+".test"))
		jobs[i] = func() {
			errs[i] = runner.Build(ctx, runner.BuildSpec{Root: r.o.Root, Pkg: tr.dir, Out: tr.bin, ReadOnly: true})
		}
	}
	runner.Parallel(len(jobs), jobs)
	if ctx.Err() != nil {
		fmt.Fprintln(w, "  stopped")
		return ctx.Err()
	}
	var dirs []string
	for i, tr := range goTrees {
		if errs[i] != nil {
			return fmt.Errorf("%s does not build: %w", tr.dir, errs[i])
		}
		dirs = append(dirs, tr.dir)
	}
	fmt.Fprintf(w, "  built %s in %.1fs\n", strings.Join(dirs, " and "), time.Since(start).Seconds())
	return nil
}

// rounds runs the trees in turn, o.Rounds times, metering the idle cores of each round.
func (r *result) rounds(ctx context.Context, w io.Writer, trees []*tree, goEnv []string) error {
	o := r.o
	if o.Probe > 0 {
		r.machine.before = probe(o.Meter, o.Probe, r.machine.cores, time.Sleep)
	}
	u0, known0 := o.Meter()
	for round := 1; round <= o.Rounds; round++ {
		if !slices.ContainsFunc(trees, func(tr *tree) bool { return tr.stopped == "" }) {
			break // each tree's runs failed in a way that repeating cannot help
		}
		fmt.Fprintf(w, "  round %d of %d:", round, o.Rounds)
		ua, knownA := o.Meter()
		sep := " "
		for _, tr := range trees {
			if tr.stopped != "" {
				continue
			}
			start := time.Now()
			out, err := r.runTree(ctx, tr, goEnv)
			if ctx.Err() != nil {
				fmt.Fprintf(w, "%sstopped\n", sep)
				return ctx.Err()
			}
			tr.record(out, err, *o)
			fmt.Fprintf(w, "%s%s %.1fs", sep, tr.label, time.Since(start).Seconds())
			sep = ", "
		}
		if ub, knownB := o.Meter(); knownA && knownB {
			idle := idleCores(ua, ub, r.machine.cores)
			r.machine.rounds = append(r.machine.rounds, idle)
			fmt.Fprintf(w, "; %s idle cores", oneDecimal(idle))
		}
		fmt.Fprintln(w)
	}
	if u1, known1 := o.Meter(); known0 && known1 {
		r.machine.during = idleCores(u0, u1, r.machine.cores)
	}
	r.machine.known = known0 && !math.IsNaN(r.machine.idle())
	return nil
}

// runTree runs one round of one tree: the Python peer once, a Go binary once per -cpu
// value. With a list, the testing package runs a benchmark's first round at the list's
// last GOMAXPROCS (golang/go#49980), and a b.Loop benchmark measures in that round, so
// its -cpu 1 figure would really be -cpu 2's.
func (r *result) runTree(ctx context.Context, tr *tree, goEnv []string) (string, error) {
	o := r.o
	if tr == r.py {
		return runner.Command(ctx, o.Root, runner.Env(false), o.Limit, tr.bin,
			pythonArgs(filepath.FromSlash(ScriptPath(r.ch.ID)), *o, o.cpuList())...)
	}
	testTimeout := o.Limit - min(o.Limit/10, 5*time.Second)
	var outs []string
	var err error
	for _, cpu := range o.cpuList() {
		out, e := runner.Command(ctx, filepath.Join(o.Root, filepath.FromSlash(tr.dir)), goEnv, o.Limit, tr.bin,
			"-test.run=^$", "-test.bench="+o.Bench, "-test.benchtime="+o.Benchtime,
			"-test.cpu="+cpu, "-test.count=1", "-test.timeout="+testTimeout.String())
		outs, err = append(outs, out), cmp.Or(err, e)
	}
	return strings.Join(outs, "\n"), err
}

// judge prints the targets, the times and the machine, and sets r.ok; the error says the
// reference itself failed, so that the chapter cannot be measured.
func (r *result) judge(w io.Writer) error {
	var goTargets, pyTargets []*manifest.Target
	for _, t := range r.ch.Targets {
		if r.peer != nil && r.peer.pythonTarget(t) {
			pyTargets = append(pyTargets, t)
		} else {
			goTargets = append(goTargets, t)
		}
	}
	r.ok = printTargets(w, goTargets, r.notDone, r.yours, r.ref, r.machine)
	printTimes(w, r.notDone, r.yours, r.ref)
	if r.peer != nil {
		r.ok = r.printPython(w, pyTargets) && r.ok
	}
	fmt.Fprintf(w, "\n%s\n", r.machine.describe())
	if r.ref.run && (r.ref.failOut != "" || r.ref.stopped != "") {
		return fmt.Errorf("the reference's benchmarks in %s failed: the chapter cannot be measured", r.ref.dir)
	}
	return nil
}

// record keeps what one run of the tree's binary printed, and what went wrong. A run that
// ran out of time or failed before any benchmark reported is not repeated.
func (tr *tree) record(out string, err error, o Options) {
	results := Parse(out, o.CPU)
	tr.samples = append(tr.samples, results)
	if len(tr.samples) == 1 {
		tr.firstOut = out
	}
	if err == nil {
		return
	}
	if tr.failOut == "" {
		tr.failOut = out
	}
	names := failed(out)
	for _, n := range names {
		if !slices.Contains(tr.failed, n) {
			tr.failed = append(tr.failed, n)
		}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(out, "panic: test timed out after"):
		tr.stopped = fmt.Sprintf("a run took longer than %s", o.Limit)
	case len(names) == 0 && len(results) == 0:
		tr.stopped = fmt.Sprintf("a run failed before any benchmark reported (%v)", err)
	}
}

// printProblems says which benchmarks of the tree failed or why its runs stopped, with
// the end of the output of the first run that failed.
func (tr *tree) printProblems(w io.Writer) {
	if tr.failOut == "" {
		return
	}
	if len(tr.failed) > 0 {
		fmt.Fprintf(w, "  %s: failed, not measured: %s\n", tr.label, strings.Join(tr.failed, ", "))
	}
	if tr.stopped != "" {
		fmt.Fprintf(w, "  %s: no more runs after round %d: %s\n", tr.label, len(tr.samples), tr.stopped)
	}
	fmt.Fprintln(w, excerpt(tr.failOut, 12))
	if tr.label == "yours" {
		fmt.Fprintln(w, "    unfinished code often fails its benchmarks: go run ./cmd/workbook run shows why")
	}
}

// excerpt returns n lines of a failed run's output, indented: from the first failure
// (a benchmark's "--- FAIL", a panic, a fatal error), which says why, or else its end.
func excerpt(out string, n int) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	from := slices.IndexFunc(lines, func(l string) bool {
		return strings.HasPrefix(strings.TrimSpace(l), "--- FAIL: Benchmark") ||
			strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ")
	})
	switch {
	case from >= 0 && len(lines)-from > n:
		lines = append(lines[from:from+n], "...")
	case from >= 0:
		lines = lines[from:]
	case len(lines) > n:
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return "    " + strings.Join(lines, "\n    ")
}
