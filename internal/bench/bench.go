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
	yours := &tree{label: "yours", dir: layout.ChapterDir(layout.Exercises, ch.ID), run: len(notDone) < len(ch.Exercises)}
	ref := &tree{label: "reference", dir: layout.ChapterDir(layout.Solutions, ch.ID), run: o.Reference}
	py := &tree{label: "python", dir: path.Dir(ScriptPath(ch.ID))}
	r := &result{o: &o, ch: ch, notDone: notDone, yours: yours, ref: ref, py: py, peer: Peers[ch.ID],
		machine: machine{cores: o.cores, before: math.NaN(), during: math.NaN()}}
	r.cpus = slices.Sorted(slices.Values(slices.Compact(slices.Sorted(slices.Values(o.CPU)))))
	var trees []*tree
	for _, tr := range []*tree{yours, ref} {
		if tr.run {
			trees = append(trees, tr)
		}
	}

	fmt.Fprintf(w, "%s · %s\n", ch.ID, ch.Title)
	cpus := make([]string, len(o.CPU))
	for i, n := range o.CPU {
		cpus[i] = strconv.Itoa(n)
	}
	flags := fmt.Sprintf("-bench %s -cpu %s -benchtime %s", o.Bench, strings.Join(cpus, ","), o.Benchtime)
	switch {
	case len(trees) == 0:
		fmt.Fprintln(w, "Nothing to measure: none of the chapter's exercises passes its tests yet, and the reference is not asked for.")
		r.ok = true
		return r, nil
	case len(trees) == 2:
		fmt.Fprintf(w, "Benchmarks without -race, yours and the reference in turn, %d rounds: %s\n", o.Rounds, flags)
	case yours.run:
		fmt.Fprintf(w, "Benchmarks without -race, yours only, %d rounds: %s\n", o.Rounds, flags)
	default:
		fmt.Fprintf(w, "Benchmarks without -race, the reference only (none of the chapter's exercises passes its tests yet), %d rounds: %s\n", o.Rounds, flags)
	}

	// The chapter's Python: its peer in the rounds, and the interpreter for the Go
	// benchmarks that start Python themselves.
	goEnv := runner.Env(false)
	if r.peer != nil {
		r.python = findPython(ctx, o.Python)
		script := hasScript(o.Root, ch.ID)
		switch {
		case r.python.path == "":
			r.pythonSkipReason = r.python.why
		case !script && len(r.peer.InGo) == 0:
			r.pythonSkipReason = ScriptPath(ch.ID) + " is missing"
		default:
			goEnv = append(goEnv, PythonEnv+"="+r.python.path)
			if script {
				py.run, py.bin = true, r.python.path
				trees = append(trees, py)
			}
		}
		if r.pythonSkipReason == "" {
			fmt.Fprintf(w, "  with the seed's Python beside them: Python %s (%s)\n", r.python.version, r.python.path)
		} else {
			fmt.Fprintf(w, "  without the seed's Python: %s\n", r.pythonSkipReason)
		}
	}

	tmp, err := os.MkdirTemp("", "workbook-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	start := time.Now()
	var goTrees []*tree
	for _, tr := range trees {
		if tr != py {
			goTrees = append(goTrees, tr)
		}
	}
	errs := make([]error, len(goTrees))
	jobs := make([]func(), len(goTrees))
	for i, tr := range goTrees {
		tr.bin = filepath.Join(tmp, layout.Binary(tr.label+".test"))
		jobs[i] = func() {
			errs[i] = runner.Build(ctx, runner.BuildSpec{Root: o.Root, Pkg: tr.dir, Out: tr.bin, ReadOnly: true})
		}
	}
	runner.Parallel(len(jobs), jobs)
	if ctx.Err() != nil {
		fmt.Fprintln(w, "  stopped")
		return nil, ctx.Err()
	}
	var dirs []string
	for i, tr := range goTrees {
		if errs[i] != nil {
			return nil, fmt.Errorf("%s does not build: %w", tr.dir, errs[i])
		}
		dirs = append(dirs, tr.dir)
	}
	fmt.Fprintf(w, "  built %s in %.1fs\n", strings.Join(dirs, " and "), time.Since(start).Seconds())

	if o.Probe > 0 {
		r.machine.before = probe(o.Meter, o.Probe, r.machine.cores, time.Sleep)
	}
	u0, known0 := o.Meter()

	testTimeout := o.Limit - min(o.Limit/10, 5*time.Second)
	// One process per -cpu value: with a list, the testing package runs a benchmark's first
	// round at the list's last GOMAXPROCS (golang/go#49980), and a b.Loop benchmark
	// measures in that round, so its -cpu 1 figure would really be -cpu 2's.
	args := func(cpu string) []string {
		return []string{"-test.run=^$", "-test.bench=" + o.Bench, "-test.benchtime=" + o.Benchtime,
			"-test.cpu=" + cpu, "-test.count=1", "-test.timeout=" + testTimeout.String()}
	}
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
			var outs []string
			var err error
			if tr == py {
				out, e := runner.Command(ctx, o.Root, runner.Env(false), o.Limit, tr.bin,
					pythonArgs(filepath.FromSlash(ScriptPath(ch.ID)), o, cpus)...)
				outs, err = append(outs, out), e
			} else {
				for _, cpu := range cpus {
					out, e := runner.Command(ctx, filepath.Join(o.Root, filepath.FromSlash(tr.dir)), goEnv, o.Limit, tr.bin, args(cpu)...)
					outs, err = append(outs, out), cmp.Or(err, e)
				}
			}
			if ctx.Err() != nil {
				fmt.Fprintf(w, "%sstopped\n", sep)
				return nil, ctx.Err()
			}
			tr.record(strings.Join(outs, "\n"), err, o)
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

	for _, tr := range trees {
		tr.printProblems(w)
	}
	var goTargets, pyTargets []*manifest.Target
	for _, t := range ch.Targets {
		if r.peer != nil && r.peer.pythonTarget(t) {
			pyTargets = append(pyTargets, t)
		} else {
			goTargets = append(goTargets, t)
		}
	}
	r.ok = printTargets(w, goTargets, notDone, yours, ref, r.machine)
	printTimes(w, notDone, yours, ref)
	if r.peer != nil {
		r.ok = r.printPython(w, pyTargets) && r.ok
	}
	fmt.Fprintf(w, "\n%s\n", r.machine.describe())
	if ref.run && (ref.failOut != "" || ref.stopped != "") {
		return r, fmt.Errorf("the reference's benchmarks in %s failed: the chapter cannot be measured", ref.dir)
	}
	return r, nil
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
