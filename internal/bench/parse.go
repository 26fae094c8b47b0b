package bench

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// Result is one result line of `go test -bench` output.
type Result struct {
	Name    string             // the full name without the -N suffix, like "BenchmarkHashAll/workers=2"
	CPU     int                // the -cpu (GOMAXPROCS) it ran at
	Metrics map[string]float64 // unit → value, like "ns/op" → 35512345
}

var (
	failLine  = regexp.MustCompile(`(?m)^\s*--- FAIL: (Benchmark\S*)`)
	cpuSuffix = regexp.MustCompile(`^(.*)-(\d+)$`)
)

// Parse reads the result lines of `go test -bench` output, like
//
//	BenchmarkHashAll/workers=2-2   	      30	  35512345 ns/op	 472.45 MB/s	 2048 B/op
//
// in the order they were printed. The -N suffix is GOMAXPROCS, which the testing package
// leaves out at 1; cpus are the -cpu values of the run, which tell a suffix from a name
// that ends in a number. Lines that are not results are skipped.
func Parse(out string, cpus []int) []Result {
	var results []Result
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		r := Result{Name: f[0], CPU: 1, Metrics: map[string]float64{}}
		if m := cpuSuffix.FindStringSubmatch(f[0]); m != nil {
			if n, _ := strconv.Atoi(m[2]); n > 1 && slices.Contains(cpus, n) {
				r.Name, r.CPU = m[1], n
			}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				r.Metrics = nil
				break
			}
			r.Metrics[f[i+1]] = v
		}
		if len(r.Metrics) > 0 {
			results = append(results, r)
		}
	}
	return results
}

// failed returns the benchmarks that output reports as failed, without the -N suffix,
// leaving out a parent whose sub-benchmark failed.
func failed(out string) []string {
	lines := failLine.FindAllStringSubmatch(out, -1)
	var names []string
	for _, l := range lines {
		parent := slices.ContainsFunc(lines, func(m []string) bool { return strings.HasPrefix(m[1], l[1]+"/") })
		name := cpuSuffix.ReplaceAllString(l[1], "$1")
		if !parent && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

// Samples holds what one test binary measured: the results of each of its runs, one run
// a round, in round order.
type Samples [][]Result

// value returns one metric of one benchmark in one run. ops/s and s/op are derived from
// ns/op unless the benchmark reports them itself.
func value(run []Result, name string, cpu int, metric string) (float64, bool) {
	for i := len(run) - 1; i >= 0; i-- { // a name printed twice: the last line
		r := run[i]
		if r.Name != name || r.CPU != cpu {
			continue
		}
		v, ok := r.Metrics[metric]
		if !ok {
			ns, ok := r.Metrics["ns/op"]
			switch {
			case !ok:
				return 0, false
			case metric == "ops/s":
				v = 1e9 / ns
			case metric == "s/op":
				v = ns / 1e9
			default:
				return 0, false
			}
		}
		return v, !math.IsInf(v, 0) && !math.IsNaN(v)
	}
	return 0, false
}

// Values returns one metric of one benchmark, one value for each run that measured it.
func (s Samples) Values(name string, cpu int, metric string) []float64 {
	var vs []float64
	for _, run := range s {
		if v, ok := value(run, name, cpu, metric); ok {
			vs = append(vs, v)
		}
	}
	return vs
}

// Measure returns what the runs show of a target: its metric in each run, or with a
// baseline the ratio benchmark ÷ baseline within each run, so that the noise of one run
// (another program taking a core for a while) falls on both sides of the ratio.
func (s Samples) Measure(t *manifest.Target) []float64 {
	if t.Baseline == "" {
		return s.Values(t.Benchmark, t.CPU, t.Metric)
	}
	var ratios []float64
	for _, run := range s {
		v, ok1 := value(run, t.Benchmark, t.CPU, t.Metric)
		base, ok2 := value(run, t.Baseline, t.BaselineAt(), t.Metric)
		if ok1 && ok2 && base != 0 {
			ratios = append(ratios, v/base)
		}
	}
	return ratios
}

// measure returns what the runs show of a target, round by round: its metric, or the
// ratio benchmark ÷ baseline within each round. A side whose name begins with
// PythonPrefix is looked up in the Python peer's run of the same round (py), any other
// in the Go tree's (run); without py, Samples.Measure.
func measure(t *manifest.Target, run, py Samples) []float64 {
	if len(py) == 0 {
		return run.Measure(t)
	}
	side := func(i int, name string, cpu int) (float64, bool) {
		s := run
		if strings.HasPrefix(name, PythonPrefix) {
			s, cpu = py, 1 // a peer's results carry no GOMAXPROCS
		}
		if i >= len(s) {
			return 0, false
		}
		return value(s[i], name, cpu, t.Metric)
	}
	var vs []float64
	for i := range max(len(run), len(py)) {
		v, ok := side(i, t.Benchmark, t.CPU)
		if !ok {
			continue
		}
		if t.Baseline == "" {
			vs = append(vs, v)
			continue
		}
		if base, ok := side(i, t.Baseline, t.BaselineAt()); ok && base != 0 {
			vs = append(vs, v/base)
		}
	}
	return vs
}

// against returns a metric of one benchmark in a ÷ the same in b, round by round: a and
// b ran one after the other in each round.
func against(a, b Samples, name string, cpu int, metric string) []float64 {
	var ratios []float64
	for i := range min(len(a), len(b)) {
		x, ok1 := value(a[i], name, cpu, metric)
		y, ok2 := value(b[i], name, cpu, metric)
		if ok1 && ok2 && y != 0 {
			ratios = append(ratios, x/y)
		}
	}
	return ratios
}
