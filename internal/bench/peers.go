package bench

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// PythonPrefix begins the name of every benchmark a Python peer measures, and of no Go
// benchmark of the workbook's.
const PythonPrefix = "BenchmarkPython"

// From says whose runs a series of a program is measured in.
type From int

// The runs a series can come from.
const (
	Python    From = iota // the chapter's Python peer, testdata/NN_topic/python/bench.py
	Yours                 // the learner's Go
	Reference             // the reference's Go
)

// Series is one line of a program's table and of its chart: one way of doing the work,
// measured at each worker count.
type Series struct {
	Label  string // like "Python threads" or "Go CountConfined, yours"
	Bench  string // the benchmark; a %d in it is the worker count
	From   From   // whose runs measure it
	Python bool   // it is Python's, though a Go benchmark measures it (chapter 13's server)
	Serial bool   // it does one thing at a time whatever the workers: a baseline, drawn dashed
}

// python reports whether the series is Python's.
func (s Series) python() bool { return s.From == Python || s.Python }

// name returns the benchmark of the series at a worker count.
func (s Series) name(workers int) string {
	if strings.Contains(s.Bench, "%d") {
		return fmt.Sprintf(s.Bench, workers)
	}
	return s.Bench
}

// byWorkers reports whether the series' own benchmark changes with the worker count (a
// Go benchmark changes anyway: it runs at GOMAXPROCS = workers).
func (s Series) byWorkers() bool { return s.From != Python || strings.Contains(s.Bench, "%d") }

// Program is one of the seed's programs measured in Go and in Python: series sharing a
// metric, shown as a table and, when the work can be split among workers, as a panel of
// the chart.
type Program struct {
	Title  string   // what one op does, in a line
	Metric string   // the metric of every series, as the benchmarks print it: MB/s, ns/item, req/s
	Chart  bool     // throughput against workers makes sense: the program gets a panel
	XLabel string   // what the workers are, for the chart's x axis
	Series []Series // the Python series first
}

// Peer is what a chapter measures of the seed's Python beside its Go.
type Peer struct {
	Programs []Program
	// InGo names the Python benchmarks that the chapter's Go benchmarks run themselves
	// (chapter 13 starts Python's server from BenchmarkServe): they are measured in the Go
	// runs, and only when bench finds a Python (WORKBOOK_BENCH_PYTHON).
	InGo []string
}

// PythonEnv is the variable bench sets, for the Go benchmarks it runs, to the Python it
// found: a Go benchmark that runs Python code itself (chapter 13's) skips that part when
// it is unset, so that make check runs no Python.
const PythonEnv = "WORKBOOK_BENCH_PYTHON"

// goSeries returns a Go series twice: the learner's and the reference's.
func goSeries(label, bench string) []Series {
	return []Series{{Label: label + ", yours", Bench: bench, From: Yours}, {Label: label + ", reference", Bench: bench, From: Reference}}
}

// series concatenates series.
func series(groups ...[]Series) []Series { return slices.Concat(groups...) }

func py(label, bench string) []Series { return []Series{{Label: label, Bench: bench, From: Python}} }

func ref(label, bench string) []Series {
	return []Series{{Label: label, Bench: bench, From: Reference}}
}

// serial marks series as baselines that do one thing at a time.
func serial(s []Series) []Series {
	for i := range s {
		s[i].Serial = true
	}
	return s
}

// Peers are the chapters that have a Python peer, by chapter id. The guides' targets that
// name a Python benchmark (PythonPrefix, or a Peer's InGo) are judged in the Go ÷ Python
// table of bench's report.
var Peers = map[string]*Peer{
	"01_goroutines": {Programs: []Program{
		{Title: "Start a thread (a Task) and wait for it", Metric: "ns/op", Series: series(
			py("Python Thread start() and join()", "BenchmarkPythonStartJoin/impl=thread"),
			goSeries("Go Start and Join", "BenchmarkStartJoin/impl=task"))},
		{Title: "Load 100 images that take no time, a thread (goroutine) each", Metric: "ns/load", Series: series(
			py("Python threads", "BenchmarkPythonLoadAll/impl=threads/loads=100"),
			goSeries("Go LoadAll", "BenchmarkLoadAll/impl=goroutines/loads=100"))},
	}},
	"03_race": {Programs: []Program{
		{Title: "Letter count of seed 004 (Go's CountConfined: the corpus repeated to 4 MiB, in 2 documents)", Metric: "MB/s",
			Chart: true, XLabel: "workers: threads, processes, or Go's GOMAXPROCS", Series: series(
				py("Python threads", "BenchmarkPythonCount/impl=threads/workers=%d"),
				py("Python processes", "BenchmarkPythonCount/impl=processes/workers=%d"),
				serial(py("Python, the seed's loop", "BenchmarkPythonCount/impl=loop")),
				goSeries("Go CountConfined", "BenchmarkCount/impl=confined/docs=2"),
				serial(ref("Go Table.Add, serial", "BenchmarkTableAdd")))},
	}},
	"06_conditions": {Programs: []Program{
		{Title: "10,000 ints through a buffer of 64 slots, from pairs producers to as many consumers", Metric: "ns/item",
			Chart: true, XLabel: "pairs of producers and consumers (and Go's GOMAXPROCS)", Series: series(
				py("Python queue.Queue", "BenchmarkPythonTransfer/buffer=queue/pairs=%d"),
				py("Python Condition buffer", "BenchmarkPythonTransfer/buffer=cond/pairs=%d"),
				py("Python processes, multiprocessing.Queue", "BenchmarkPythonTransfer/buffer=processes/pairs=%d"),
				goSeries("Go Buffer (sync.Cond)", "BenchmarkTransfer/buffer=cond/pairs=%d"))},
	}},
	"09_hashing": {Programs: []Program{
		{Title: "The seed's program: two jobs of sha256(b'Bla bla' * 100_000_000), 1.4 GB", Metric: "MB/s",
			Chart: true, XLabel: "workers: threads, processes, or goroutines at GOMAXPROCS", Series: series(
				py("Python threads", "BenchmarkPythonSeed/impl=threads/workers=%d"),
				py("Python processes", "BenchmarkPythonSeed/impl=processes/workers=%d"),
				goSeries("Go SumRepeats", "BenchmarkSeed/threads=%d"))},
		{Title: "16 inputs of 1 MiB, each hashed whole", Metric: "MB/s",
			Chart: true, XLabel: "workers: threads, processes, or goroutines at GOMAXPROCS", Series: series(
				py("Python threads", "BenchmarkPythonHashAll/impl=threads/workers=%d"),
				py("Python processes", "BenchmarkPythonHashAll/impl=processes/workers=%d"),
				goSeries("Go HashAll", "BenchmarkHashAll/workers=%d"))},
	}},
	"12_processes": {Programs: []Program{
		{Title: "Start a unit of concurrency that does nothing, and wait for it", Metric: "ns/op", Series: series(
			py("Python thread", "BenchmarkPythonStart/impl=thread"),
			py("Python process, fork", "BenchmarkPythonStart/impl=process/method=fork"),
			py("Python process, forkserver", "BenchmarkPythonStart/impl=process/method=forkserver"),
			py("Python process, spawn (the seed's)", "BenchmarkPythonStart/impl=process/method=spawn"),
			ref("Go goroutine", "BenchmarkStart/impl=goroutine"),
			ref("Go process (os/exec)", "BenchmarkStart/impl=process"))},
		{Title: "Hash 32 MiB split into n parts, a worker a part", Metric: "MB/s",
			Chart: true, XLabel: "n: threads, processes, or goroutines at GOMAXPROCS", Series: series(
				py("Python threads", "BenchmarkPythonHash/impl=threads/n=%d"),
				py("Python processes (Pool)", "BenchmarkPythonHash/impl=processes/n=%d"),
				ref("Go goroutines", "BenchmarkHash/impl=goroutines/n=%d"),
				goSeries("Go HashProcs", "BenchmarkHash/impl=processes/n=%d"))},
	}},
	"13_server": {
		InGo: []string{"BenchmarkServe/work=hash/server=python", "BenchmarkServe/work=io/server=python"},
		Programs: []Program{
			{Title: "work=hash: 64 requests from 16 clients, each hashing 2.1 MB", Metric: "req/s",
				Chart: true, XLabel: "GOMAXPROCS of the Go server and the clients", Series: series(
					[]Series{{Label: "Python ThreadingHTTPServer", Bench: "BenchmarkServe/work=hash/server=python", From: Reference, Python: true}},
					serial(ref("Go, one request at a time", "BenchmarkServe/work=hash/server=serial")),
					goSeries("Go server", "BenchmarkServe/work=hash/server=go"))},
			{Title: "work=io: 64 requests from 16 clients, each waiting 2 ms for its backend", Metric: "req/s",
				Chart: true, XLabel: "GOMAXPROCS of the Go server and the clients", Series: series(
					[]Series{{Label: "Python ThreadingHTTPServer", Bench: "BenchmarkServe/work=io/server=python", From: Reference, Python: true}},
					serial(ref("Go, one request at a time", "BenchmarkServe/work=io/server=serial")),
					goSeries("Go server", "BenchmarkServe/work=io/server=go"))},
		}},
}

// ScriptPath returns where a chapter's Python peer is, slash-separated, relative to the
// workbook's root.
func ScriptPath(chapter string) string { return path.Join("testdata", chapter, "python", "bench.py") }

// hasScript reports whether the chapter's Python peer exists under root.
func hasScript(root, chapter string) bool {
	st, err := os.Stat(filepath.Join(root, filepath.FromSlash(ScriptPath(chapter))))
	return err == nil && st.Mode().IsRegular()
}

// isPython reports whether a benchmark of the chapter's is Python's.
func (p *Peer) isPython(name string) bool {
	return strings.HasPrefix(name, PythonPrefix) || p != nil && slices.Contains(p.InGo, name)
}

// pythonTarget reports whether a target compares with Python.
func (p *Peer) pythonTarget(t *manifest.Target) bool {
	return p.isPython(t.Benchmark) || t.Baseline != "" && p.isPython(t.Baseline)
}

var workersIn = regexp.MustCompile(`/(?:workers|n|pairs)=(\d+)(?:/|$)`)

// cores returns how many cores a benchmark needs to show what it can do: its GOMAXPROCS
// for Go, its workers for a Python peer's (a name's workers=, n= or pairs=).
func cores(name string, cpu int) int {
	if !strings.HasPrefix(name, PythonPrefix) {
		return cpu
	}
	if m := workersIn.FindStringSubmatch(name); m != nil {
		n, _ := strconv.Atoi(m[1])
		return max(n, 1)
	}
	return 1
}

// need returns how many cores a target needs: the most either side needs.
func need(t *manifest.Target) int {
	n := cores(t.Benchmark, t.CPU)
	if t.Baseline != "" {
		n = max(n, cores(t.Baseline, t.BaselineAt()))
	}
	return n
}

// peerProblems reports what is wrong with a chapter's peer: a Go series that names no
// benchmark of its bench_test.go, a Python series or target whose benchmark its Python
// peer never mentions, a Python benchmark in a chapter without a peer.
func peerProblems(root string, ch *manifest.Chapter, benchFile string) []string {
	p := Peers[ch.ID]
	var pyNames []string
	for _, t := range ch.Targets {
		for _, n := range []string{t.Benchmark, t.Baseline} {
			if strings.HasPrefix(n, PythonPrefix) {
				pyNames = append(pyNames, n)
			}
		}
	}
	if p == nil {
		if len(pyNames) > 0 {
			return []string{fmt.Sprintf("targets name Python benchmarks (%s) but the chapter has no Python peer in internal/bench's Peers", strings.Join(pyNames, ", "))}
		}
		return nil
	}
	var problems []string
	var goNames []string
	for _, prog := range p.Programs {
		for _, s := range prog.Series {
			if s.From == Python {
				pyNames = append(pyNames, s.name(1))
			} else {
				goNames = append(goNames, s.name(1))
			}
		}
	}
	if len(pyNames) > 0 {
		script := filepath.Join(root, filepath.FromSlash(ScriptPath(ch.ID)))
		b, err := os.ReadFile(script)
		if err != nil {
			return append(problems, fmt.Sprintf("Python benchmarks (%s) but no peer: %v", pyNames[0], err))
		}
		for _, n := range pyNames {
			top, _, _ := strings.Cut(n, "/")
			if !strings.Contains(string(b), `"`+top) {
				problems = append(problems, fmt.Sprintf("%s: %s never names %s", n, ScriptPath(ch.ID), top))
			}
		}
	}
	names, err := benchNames(benchFile)
	if err != nil {
		return append(problems, err.Error())
	}
	for _, n := range goNames {
		top, sub, _ := strings.Cut(n, "/")
		re, ok := names[top]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("Python peer's series %q: no func %s in %s", n, top, filepath.Base(benchFile)))
		case sub != "" && (re == nil || !re.MatchString(sub)):
			problems = append(problems, fmt.Sprintf("Python peer's series %q: %s runs no sub-benchmark %q", n, top, sub))
		}
	}
	for top := range names {
		if strings.HasPrefix(top, PythonPrefix) {
			problems = append(problems, fmt.Sprintf("%s: a Go benchmark's name may not begin with %s, which marks a Python peer's", top, PythonPrefix))
		}
	}
	return problems
}
