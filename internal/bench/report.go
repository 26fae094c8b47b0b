package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// printTargets prints each target of the guide with what each tree measured of it and
// the verdicts, and reports whether no target the learner's code was measured on misses.
// A miss on a target that needs more cores than m found idle reads inconclusive.
func printTargets(w io.Writer, targets []*manifest.Target, notDone []string, yours, ref *tree, m machine) bool {
	if len(targets) == 0 {
		fmt.Fprintln(w, "\nThe guide sets no machine-readable targets for this chapter.")
		return true
	}
	fmt.Fprintf(w, "\nTargets of the guide (## Benchmarks), the median of the rounds [%s]:\n", spreadName(yours, ref))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  target\tmetric\twant\tyours\treference")
	ok, inconclusive, refMisses := true, false, 0
	var short []string
	for _, t := range targets {
		what := t.Metric
		if t.Baseline != "" {
			what += " ratio"
		}
		y, yv := yours.cell(t, len(notDone) > 0, nil, m, &short)
		r, rv := ref.cell(t, false, nil, m, &short)
		ok = ok && yv != Misses
		inconclusive = inconclusive || yv == Inconclusive || rv == Inconclusive
		if rv == Misses {
			refMisses++
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", t.Name, what, t.Bound(), y, r)
	}
	tw.Flush()
	switch {
	case len(notDone) == 0:
	case yours.run:
		fmt.Fprintf(w, "  yours: not done yet: the tests of %s do not pass yet, and unfinished code makes\n"+
			"    meaningless ratios. Your times per op are below; the targets are judged once the tests pass.\n",
			strings.Join(notDone, ", "))
	default:
		fmt.Fprintln(w, "  yours: not done yet: none of the chapter's exercises passes its tests yet, so yours did not run.")
	}
	printShort(w, short)
	if inconclusive {
		fmt.Fprintln(w, "  inconclusive: the target lies within the spread of the rounds, or the machine had too few idle\n"+
			"    cores for it; more rounds, or a quieter machine, can tell.")
	}
	if refMisses > 0 {
		fmt.Fprintf(w, "  The reference misses %d of the targets here: this machine (its cores, its load) cannot show\n"+
			"    them. Compare yours with the reference's numbers rather than with the guide's.\n", refMisses)
	}
	return ok
}

// cell returns what the tree measured of a target, with py's runs for the target's
// Python side if it has one, and the verdict. A miss that m's idle cores cannot vouch for
// becomes inconclusive, with a reason added to short.
func (tr *tree) cell(t *manifest.Target, notDone bool, py *tree, m machine, short *[]string) (string, Verdict) {
	switch {
	case notDone:
		return "not done yet", ""
	case !tr.run:
		return "not run", ""
	}
	var pys Samples
	if py != nil {
		pys = py.samples
	}
	s := Summarize(measure(t, tr.samples, pys))
	v := Judge(t, s)
	if v == NotMeasured {
		return string(v), v
	}
	if why := m.short(need(t)); v == Misses && why != "" {
		v = Inconclusive
		line := fmt.Sprintf("%s: %s", t.Name, why)
		if !slices.Contains(*short, line) {
			*short = append(*short, line)
		}
	}
	if t.Baseline == "" {
		return formatSpread(s, formatValue, "") + " " + string(v), v
	}
	text := formatSpread(s, formatRatio, "×") + " " + string(v)
	if py == nil && (s.Median > 1000 || s.Median < 0.001) { // Go ÷ Python may well be 1000×
		text += " (does it do the work yet?)"
	}
	return text, v
}

// printShort lists the targets whose miss the machine could not vouch for.
func printShort(w io.Writer, short []string) {
	if len(short) == 0 {
		return
	}
	fmt.Fprintln(w, "  Too few idle cores to call these a miss (inconclusive instead):")
	for _, s := range short {
		fmt.Fprintf(w, "    %s\n", s)
	}
}

// spreadName says what the spread shown beside a median is, for the most rounds a tree
// ran.
func spreadName(trees ...*tree) string {
	n := 0
	for _, tr := range trees {
		n = max(n, len(tr.samples))
	}
	if orderIndex(n, Confidence) > 1 {
		return fmt.Sprintf("%.0f%% confidence interval of the median", 100*Confidence)
	}
	return "lowest–highest"
}

// printTimes prints every benchmark's time per op, the learner's beside the reference's,
// and the learner's ÷ the reference's within each round.
func printTimes(w io.Writer, notDone []string, yours, ref *tree) {
	var names []string
	cpus := map[string][]int{}
	for _, s := range []Samples{ref.samples, yours.samples} {
		for _, run := range s {
			for _, r := range run {
				if _, ok := r.Metrics["ns/op"]; !ok {
					continue
				}
				if _, ok := cpus[r.Name]; !ok {
					names = append(names, r.Name)
				}
				if !slices.Contains(cpus[r.Name], r.CPU) {
					cpus[r.Name] = append(cpus[r.Name], r.CPU)
				}
			}
		}
	}
	if len(names) == 0 {
		fmt.Fprintln(w, "\nNo benchmark reported a time per op.")
		return
	}
	fmt.Fprintln(w, "\nTime per op, the median of the rounds ± how far the spread reaches from it; yours ÷ the\n"+
		"reference's is taken within each round, and under 1.00× is faster than the reference:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  benchmark\tcpu\tyours\treference\tyours ÷ reference")
	idle := false
	for _, name := range names {
		slices.Sort(cpus[name])
		for _, cpu := range cpus[name] {
			ratio := "—"
			if yours.run && ref.run {
				if s := Summarize(against(yours.samples, ref.samples, name, cpu, "ns/op")); s.N > 0 {
					ratio = formatPlusMinus(s, formatRatio, "×")
					if s.Median < 0.05 {
						ratio += " *"
						idle = true
					}
				}
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\n", name, cpu, yours.time(name, cpu), ref.time(name, cpu), ratio)
		}
	}
	tw.Flush()
	if idle {
		fmt.Fprintln(w, "  * over 20× faster than the reference: unfinished code that does no work is fast.")
		if len(notDone) > 0 {
			fmt.Fprintln(w, "    The ratios mean something once the exercises' tests pass.")
		}
	}
}

// time returns the tree's time per op of one benchmark.
func (tr *tree) time(name string, cpu int) string {
	if !tr.run {
		return "not run"
	}
	s := Summarize(tr.samples.Values(name, cpu, "ns/op"))
	if s.N == 0 {
		return "—"
	}
	return formatPlusMinus(s, formatTime, "")
}

// formatSpread formats a median and its spread, like "1.52× [1.40–1.61]", or the median
// alone when the spread is a single value.
func formatSpread(s Summary, f func(float64) string, unit string) string {
	if s.Lo == s.Hi || f(s.Lo) == f(s.Hi) {
		return f(s.Median) + unit
	}
	return fmt.Sprintf("%s%s [%s–%s]", f(s.Median), unit, f(s.Lo), f(s.Hi))
}

// formatPlusMinus formats a median and how far its spread reaches from it, like
// "1.25ms ±4%" or "0.98× ±3%".
func formatPlusMinus(s Summary, f func(float64) string, unit string) string {
	if s.Median == 0 || s.Lo == s.Hi {
		return f(s.Median) + unit
	}
	reach := max(s.Hi-s.Median, s.Median-s.Lo) / math.Abs(s.Median)
	return fmt.Sprintf("%s%s ±%.0f%%", f(s.Median), unit, 100*reach)
}

// formatRatio formats a ratio with two decimals (one from 10, none from 100), or two
// significant digits below 0.01.
func formatRatio(v float64) string {
	switch a := math.Abs(v); {
	case a != 0 && a < 0.01:
		return strconv.FormatFloat(v, 'g', 2, 64)
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// formatValue formats a metric's value with about three significant digits.
func formatValue(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

// formatTime formats nanoseconds as a duration with three significant digits, like
// "35.5ms".
func formatTime(ns float64) string {
	unit, v := "ns", ns
	switch a := math.Abs(ns); {
	case a >= 1e9:
		unit, v = "s", ns/1e9
	case a >= 1e6:
		unit, v = "ms", ns/1e6
	case a >= 1e3:
		unit, v = "µs", ns/1e3
	}
	prec := 0
	switch a := math.Abs(v); {
	case a < 10:
		prec = 2
	case a < 100:
		prec = 1
	}
	return strconv.FormatFloat(v, 'f', prec, 64) + unit
}
