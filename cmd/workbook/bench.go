package main

import (
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// benchLimit bounds one `go test -bench` process: a chapter's benchmarks on one tree.
const benchLimit = 10 * time.Minute

// benchKey names one benchmark measured at one -cpu value.
type benchKey struct {
	Name string // full name without the -N suffix, like "BenchmarkHashAll/workers=2"
	CPU  int
}

// benchRuns holds every result line of a `go test -bench` run: per benchmark and -cpu,
// one map unit → value a line (several with -count).
type benchRuns map[benchKey][]map[string]float64

var (
	benchFail = regexp.MustCompile(`(?m)^\s*--- FAIL: (Benchmark\S*)`)
	cpuSuffix = regexp.MustCompile(`^(.*)-(\d+)$`)
)

// parseBench reads the result lines of `go test -bench` output, like
//
//	BenchmarkHashAll/workers=2-2   	      30	  35512345 ns/op	 472.45 MB/s	 2048 B/op
//
// The -N suffix is GOMAXPROCS, which the testing package leaves out at 1; cpus are the
// -cpu values of the run, which tell a suffix from a name that ends in a number.
func parseBench(out string, cpus []int) benchRuns {
	runs := benchRuns{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		key := benchKey{Name: f[0], CPU: 1}
		if m := cpuSuffix.FindStringSubmatch(f[0]); m != nil {
			if n, _ := strconv.Atoi(m[2]); n > 1 && slices.Contains(cpus, n) {
				key = benchKey{Name: m[1], CPU: n}
			}
		}
		metrics := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				metrics = nil
				break
			}
			metrics[f[i+1]] = v
		}
		if len(metrics) > 0 {
			runs[key] = append(runs[key], metrics)
		}
	}
	return runs
}

// value returns the median of a metric over the runs of one benchmark. ops/s and s/op
// are derived from ns/op.
func (r benchRuns) value(name string, cpu int, metric string) (float64, bool) {
	unit, conv := metric, func(v float64) float64 { return v }
	switch metric {
	case "ops/s":
		unit, conv = "ns/op", func(v float64) float64 { return 1e9 / v }
	case "s/op":
		unit, conv = "ns/op", func(v float64) float64 { return v / 1e9 }
	}
	var vs []float64
	for _, m := range r[benchKey{name, cpu}] {
		if v, ok := m[unit]; ok {
			vs = append(vs, conv(v))
		}
	}
	if len(vs) == 0 {
		return 0, false
	}
	sort.Float64s(vs)
	med := vs[len(vs)/2]
	if len(vs)%2 == 0 {
		med = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
	}
	return med, !math.IsInf(med, 0) && !math.IsNaN(med)
}

// measure returns what a run shows of a target: the value, or the ratio benchmark ÷
// baseline, and whether it could be computed.
func (r benchRuns) measure(t *manifest.Target) (float64, bool) {
	v, ok := r.value(t.Benchmark, t.CPU, t.Metric)
	if !ok || t.Baseline == "" {
		return v, ok
	}
	base, ok := r.value(t.Baseline, t.BaselineAt(), t.Metric)
	if !ok || base == 0 {
		return 0, false
	}
	return v / base, true
}

// benchOptions are the flags of `workbook bench`.
type benchOptions struct {
	benchtime string
	count     int
	cpu       string
	bench     string
}

func cmdBench(root string, args []string) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var o benchOptions
	fs.StringVar(&o.benchtime, "benchtime", "200ms", "go test's -benchtime: how long each benchmark runs")
	fs.IntVar(&o.count, "count", 1, "how many times each benchmark runs (medians are compared)")
	fs.StringVar(&o.cpu, "cpu", "1,2", "the -cpu (GOMAXPROCS) values")
	fs.StringVar(&o.bench, "bench", ".", "the benchmarks to run, a go test -bench pattern")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./cmd/workbook bench [EXERCISE or CHAPTER] [-benchtime 200ms] [-count 1] [-cpu 1,2] [-bench .]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var what string
	if fs.NArg() > 0 { // flags may follow the exercise, too
		what = fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil || fs.NArg() > 0 {
			fs.Usage()
			return 2
		}
	}
	var cpus []int
	for _, s := range strings.Split(o.cpu, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "workbook bench: -cpu %q is not a list of counts like 1,2\n", o.cpu)
			return 2
		}
		cpus = append(cpus, n)
	}
	m, err := manifest.Load(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook bench:", err)
		return 2
	}
	chapters, err := benchChapters(root, m, what)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook bench:", err)
		return 2
	}
	ctx := context.Background()
	status := 0
	for _, ch := range chapters {
		if !benchChapter(ctx, os.Stdout, root, ch, o, cpus) {
			status = 1
		}
	}
	return status
}

// benchChapters resolves the argument of bench: a chapter ("09_hashing" or "hashing"),
// an exercise (its chapter), or nothing (the chapter of the next exercise to do, or every
// chapter when all are done).
func benchChapters(root string, m *manifest.Manifest, what string) ([]*manifest.Chapter, error) {
	if what == "" {
		if next := nextExercise(viewAll(root, m, loadState(root))); next != nil {
			return []*manifest.Chapter{next.Exercise.Chapter}, nil
		}
		return m.Chapters, nil
	}
	for _, ch := range m.Chapters {
		if what == ch.ID || what == strings.TrimLeft(ch.ID, "0123456789_") || what == ch.ID[:2] {
			return []*manifest.Chapter{ch}, nil
		}
	}
	e, err := m.Find(what)
	if err != nil {
		return nil, fmt.Errorf("no chapter or exercise %q: run `go run ./cmd/workbook list` to see them", what)
	}
	return []*manifest.Chapter{e.Chapter}, nil
}

// runBench runs the benchmarks of the package in dir (relative to root) without -race,
// bounded, and returns its output.
func runBench(ctx context.Context, root, dir string, o benchOptions) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, benchLimit+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-run=^$", "-bench="+o.bench,
		"-benchtime="+o.benchtime, "-count="+strconv.Itoa(o.count), "-cpu="+o.cpu,
		"-timeout="+benchLimit.String(), "./"+filepath.ToSlash(dir))
	cmd.Dir = root
	out := &capped{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 2 * time.Second
	ownGroup(cmd)
	err := cmd.Run()
	return out.String(), err
}

// benchChapter runs a chapter's benchmarks on the learner's exercises/ and on the
// reference solutions/, one after the other so that they do not share the cores, and
// prints the targets and the learner's times against the reference's. It reports false
// when the reference's benchmarks could not run.
func benchChapter(ctx context.Context, w io.Writer, root string, ch *manifest.Chapter, o benchOptions, cpus []int) bool {
	fmt.Fprintf(w, "%s · %s\nbenchmarks without -race: -cpu %s -benchtime %s -count %d\n",
		ch.ID, ch.Title, o.cpu, o.benchtime, o.count)
	trees := []struct{ label, dir string }{
		{"yours", filepath.Join("exercises", ch.ID)},
		{"reference", filepath.Join("solutions", ch.ID)},
	}
	runs := make([]benchRuns, len(trees))
	ok := true
	for i, tr := range trees {
		start := time.Now()
		fmt.Fprintf(w, "  running %s (%s) ... ", filepath.ToSlash(tr.dir), tr.label)
		out, err := runBench(ctx, root, tr.dir, o)
		runs[i] = parseBench(out, cpus)
		fmt.Fprintf(w, "%d results in %.0fs\n", len(runs[i]), time.Since(start).Seconds())
		if err != nil {
			failed := benchFail.FindAllStringSubmatch(out, -1)
			switch {
			case len(failed) > 0:
				var names []string
				for _, f := range failed {
					name := cpuSuffix.ReplaceAllString(f[1], "$1")
					if !slices.Contains(names, name) && !slices.ContainsFunc(failed, func(g []string) bool { return strings.HasPrefix(g[1], f[1]+"/") }) {
						names = append(names, name)
					}
				}
				fmt.Fprintf(w, "    failed (not measured): %s\n", strings.Join(names, ", "))
				if i == 0 {
					fmt.Fprintf(w, "    unfinished code often fails its benchmarks: go run ./cmd/workbook run shows why\n")
				} else {
					fmt.Fprintf(w, "%s\n", excerpt(out, 15))
				}
			default:
				fmt.Fprintf(w, "    go test: %v\n%s\n", err, excerpt(out, 15))
			}
			if i == 1 && len(runs[i]) == 0 {
				ok = false
			}
		}
	}
	printTargets(w, ch.Targets, runs[0], runs[1])
	printAgainstReference(w, runs[0], runs[1])
	fmt.Fprintln(w)
	return ok
}

// printTargets prints each target of the guide with what each run measured.
func printTargets(w io.Writer, targets []*manifest.Target, yours, ref benchRuns) {
	if len(targets) == 0 {
		fmt.Fprintln(w, "\nThe guide sets no machine-readable targets for this chapter.")
		return
	}
	fmt.Fprintln(w, "\nTargets of the guide (## Benchmarks), concurrent against serial:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  target\tmetric\twant\tyours\treference")
	for _, t := range targets {
		what := t.Metric
		if t.Baseline != "" {
			what += " ratio"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", t.Name, what, t.Bound(), judgeTarget(t, yours), judgeTarget(t, ref))
	}
	tw.Flush()
	fmt.Fprintln(w, "  (one run on a shared machine is noisy: repeat with -count 5 before believing a miss)")
}

// judgeTarget formats what a run measured of a target, and whether it meets it.
func judgeTarget(t *manifest.Target, r benchRuns) string {
	v, ok := r.measure(t)
	if !ok {
		return "not measured"
	}
	mark := "ok"
	if !t.Met(v) {
		mark = "MISS"
	}
	if t.Baseline != "" {
		if v > 1000 || v < 0.001 {
			mark += " (does it do the work yet?)"
		}
		return fmt.Sprintf("%.2f× %s", v, mark)
	}
	return fmt.Sprintf("%s %s", benchValue(v), mark)
}

func benchValue(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

// printAgainstReference prints, for every benchmark both runs measured, the learner's
// ns/op against the reference's.
func printAgainstReference(w io.Writer, yours, ref benchRuns) {
	var keys []benchKey
	for k := range ref {
		if _, ok := yours[k]; ok {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		fmt.Fprintln(w, "\nYours against the reference: no benchmark ran on both.")
		return
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].CPU != keys[j].CPU {
			return keys[i].CPU < keys[j].CPU
		}
		return keys[i].Name < keys[j].Name
	})
	fmt.Fprintln(w, "\nYours against the reference (time per op; under 1.00× is faster than the reference):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  benchmark\tcpu\tyours ns/op\treference ns/op\tyours ÷ reference")
	idle := false
	for _, k := range keys {
		y, ok1 := yours.value(k.Name, k.CPU, "ns/op")
		r, ok2 := ref.value(k.Name, k.CPU, "ns/op")
		if !ok1 || !ok2 || r == 0 {
			continue
		}
		note := ""
		if y/r < 0.05 {
			note, idle = " *", true
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%.2f×%s\n", k.Name, k.CPU, benchValue(y), benchValue(r), y/r, note)
	}
	tw.Flush()
	if idle {
		fmt.Fprintln(w, "  * over 20× faster than the reference: unfinished code that does no work is fast.\n"+
			"    The ratios mean something once the exercise's tests pass.")
	}
}

// benchTargets is verify's check that every target of the manifest names benchmarks
// that exist in its chapter's bench_test.go.
func (c *checker) benchTargets(ctx context.Context) {
	for _, ch := range c.m.Chapters {
		if len(ch.Targets) == 0 {
			continue
		}
		problems := targetProblems(filepath.Join(c.root, "exercises", ch.ID, "bench_test.go"), ch.Targets)
		c.check(ch.ID+": every benchmark target of the manifest names benchmarks of bench_test.go",
			len(problems) == 0, "    "+strings.Join(problems, "\n    "))
	}
}

// targetProblems returns the targets' benchmark names that the benchmarks in file do
// not produce. It reads the file's Benchmark functions and the names of the b.Run calls
// in each: a string literal, or a fmt.Sprintf format whose verbs stand for any value.
func targetProblems(file string, targets []*manifest.Target) []string {
	names, err := benchNames(file)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	for _, t := range targets {
		for _, name := range []string{t.Benchmark, t.Baseline} {
			if name == "" {
				continue
			}
			top, sub, _ := strings.Cut(name, "/")
			re, ok := names[top]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%q: no func %s in %s", t.Name, top, filepath.Base(file)))
			case sub == "" && re != nil:
				// Running the parent runs its sub-benchmarks; it reports no result of its own.
				problems = append(problems, fmt.Sprintf("%q: %s has sub-benchmarks; name one", t.Name, top))
			case sub != "" && (re == nil || !re.MatchString(sub)):
				problems = append(problems, fmt.Sprintf("%q: %s runs no sub-benchmark %q", t.Name, top, sub))
			}
		}
	}
	return problems
}

// benchNames returns the Benchmark functions of a file, each with a pattern that matches
// the path of its sub-benchmarks (nil when it has none).
func benchNames(file string) (map[string]*regexp.Regexp, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		return nil, err
	}
	names := map[string]*regexp.Regexp{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Benchmark") || fn.Body == nil {
			continue
		}
		var alts []string
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Run" {
				alts = append(alts, subPattern(call.Args[0]))
			}
			return true
		})
		names[fn.Name.Name] = nil
		if len(alts) > 0 {
			alt := "(?:" + strings.Join(alts, "|") + ")"
			names[fn.Name.Name] = regexp.MustCompile("^" + alt + "(?:/" + alt + ")*$")
		}
	}
	return names, nil
}

var sprintfVerb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// subPattern returns a regular expression for the names the first argument of a b.Run
// call can take.
func subPattern(arg ast.Expr) string {
	if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
		if s, err := strconv.Unquote(lit.Value); err == nil {
			return regexp.QuoteMeta(s)
		}
	}
	if call, ok := arg.(*ast.CallExpr); ok && len(call.Args) > 0 {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" {
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if format, err := strconv.Unquote(lit.Value); err == nil {
					var b strings.Builder
					last := 0
					for _, loc := range sprintfVerb.FindAllStringIndex(format, -1) {
						b.WriteString(regexp.QuoteMeta(format[last:loc[0]]))
						switch v := format[loc[1]-1]; v {
						case '%':
							b.WriteString("%")
						case 'd':
							b.WriteString("-?[0-9]+")
						default:
							b.WriteString("[^/]+")
						}
						last = loc[1]
					}
					b.WriteString(regexp.QuoteMeta(format[last:]))
					return b.String()
				}
			}
		}
	}
	return ".+" // a name computed some other way: anything
}
