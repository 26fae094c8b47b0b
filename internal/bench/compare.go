package bench

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// treeOf returns the runs a series is measured in.
func (r *result) treeOf(s Series) *tree {
	switch s.From {
	case Python:
		return r.py
	case Yours:
		return r.yours
	}
	return r.ref
}

// throughputs returns a series' throughput at a worker count, one value a round.
func (r *result) throughputs(prog Program, s Series, workers int) []float64 {
	cpu := workers
	if s.From == Python {
		cpu = 1 // a peer's results carry no GOMAXPROCS: its workers are in the name
	}
	var vs []float64
	for _, run := range r.treeOf(s).samples {
		if v, ok := value(run, s.name(workers), cpu, prog.Metric); ok && v > 0 {
			t, _ := throughput(prog.Metric, v)
			vs = append(vs, t)
		}
	}
	return vs
}

// speedup returns a series' throughput at the most workers ÷ at the fewest, within each
// round, or nothing when the series does not change with the workers.
func (r *result) speedup(prog Program, s Series) Summary {
	if len(r.cpus) < 2 || !s.byWorkers() || s.Serial {
		return Summary{}
	}
	first := r.throughputs(prog, s, r.cpus[0])
	last := r.throughputs(prog, s, r.cpus[len(r.cpus)-1])
	if len(first) != len(last) { // a round that measured one and not the other
		return Summary{}
	}
	var ratios []float64
	for i := range first {
		ratios = append(ratios, last[i]/first[i])
	}
	return Summarize(ratios)
}

// speedupName names the speed-up column, like "speed-up 1→2".
func (r *result) speedupName() string {
	return fmt.Sprintf("speed-up %d→%d", r.cpus[0], r.cpus[len(r.cpus)-1])
}

// programTable returns a program's table: a header and a row a series, each cell the
// median throughput of the rounds and its spread. Series of a tree that did not run are
// left out unless all is set, which shows them as not run.
func (r *result) programTable(prog Program, all bool) (unit string, rows [][]string) {
	_, unit = throughput(prog.Metric, 1)
	head := []string{"series"}
	for _, n := range r.cpus {
		if prog.Chart {
			head = append(head, fmt.Sprintf("workers=%d", n))
		} else {
			head = append(head, fmt.Sprintf("-cpu %d", n))
		}
	}
	chart := prog.Chart && len(r.cpus) > 1
	if chart {
		head = append(head, r.speedupName())
	}
	rows = append(rows, head)
	for _, s := range prog.Series {
		tr := r.treeOf(s)
		row := []string{s.Label}
		if !tr.run {
			if !all {
				continue
			}
			why := "not run"
			if s.From == Yours && len(r.notDone) > 0 {
				why = "not done yet"
			}
			for range len(head) - 1 {
				row = append(row, why)
			}
			rows = append(rows, row)
			continue
		}
		for i, n := range r.cpus {
			if !s.byWorkers() && i > 0 {
				row = append(row, "″") // a Python program that does not change with the workers
				continue
			}
			row = append(row, cellThroughput(Summarize(r.throughputs(prog, s, n))))
		}
		if chart {
			sp := r.speedup(prog, s)
			if sp.N == 0 {
				row = append(row, "—")
			} else {
				row = append(row, formatSpread(sp, formatRatio, "×"))
			}
		}
		rows = append(rows, row)
	}
	return unit, rows
}

func cellThroughput(s Summary) string {
	if s.N == 0 {
		return "—"
	}
	return formatSpread(s, formatThroughput, "")
}

// pythonTargets returns the rows of the Go ÷ Python table: the target, its bound, and
// what yours and the reference measured of it, with the verdicts; ok is false when one
// of yours misses. Misses the machine cannot vouch for go into short.
func (r *result) pythonTargets(targets []*manifest.Target, short *[]string) (rows [][]string, ok bool, inconclusive bool) {
	ok = true
	rows = append(rows, []string{"target", "want", "yours", "reference"})
	for _, t := range targets {
		y, yv := r.yours.cell(t, len(r.notDone) > 0, r.py, r.machine, short)
		f, fv := r.ref.cell(t, false, r.py, r.machine, short)
		ok = ok && yv != Misses
		inconclusive = inconclusive || yv == Inconclusive || fv == Inconclusive
		rows = append(rows, []string{t.Name, t.Bound(), y, f})
	}
	return rows, ok, inconclusive
}

// printPython prints the Python section of the report: each program's throughput with
// the speed-ups, then the Go ÷ Python targets; it reports whether none of yours misses.
func (r *result) printPython(w io.Writer, targets []*manifest.Target) bool {
	fmt.Fprintln(w, "\nBeside the seed's Python, in the same rounds:")
	if r.pythonSkipReason != "" {
		fmt.Fprintf(w, "  Python did not run: %s.\n", r.pythonSkipReason)
	} else if h := pythonHeader(r.py.firstOut); h != "" {
		fmt.Fprintf(w, "  %s\n", h)
	}
	for _, prog := range r.peer.Programs {
		unit, rows := r.programTable(prog, true)
		fmt.Fprintf(w, "\n%s: %s, the median of the rounds [%s]:\n", prog.Title, unit, spreadName(r.yours, r.ref, r.py))
		printRows(w, rows)
	}
	if len(r.cpus) > 1 && slices.ContainsFunc(r.peer.Programs, func(p Program) bool { return p.Chart }) {
		fmt.Fprintf(w, "  The %s is the throughput at %d workers ÷ at %d, within each round: what a second\n"+
			"  worker (thread, process, or core for Go) bought.\n", r.speedupName(), r.cpus[len(r.cpus)-1], r.cpus[0])
	}
	if len(targets) == 0 {
		return true
	}
	var short []string
	rows, ok, inconclusive := r.pythonTargets(targets, &short)
	fmt.Fprintf(w, "\nGo ÷ Python: the guide's targets, each ratio taken within a round [%s]:\n", spreadName(r.yours, r.ref, r.py))
	printRows(w, rows)
	printShort(w, short)
	if inconclusive {
		fmt.Fprintln(w, "  inconclusive: the target lies within the spread of the rounds, or the machine had too few idle\n"+
			"    cores for it; more rounds, or a quieter machine, can tell.")
	}
	return ok
}

// printRows prints a table with two spaces of indentation.
func printRows(w io.Writer, rows [][]string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range rows {
		fmt.Fprintf(tw, "  %s\n", strings.Join(row, "\t"))
	}
	tw.Flush()
}

// chart returns the chart of the chapter's programs that have a workers axis, or nil.
func (r *result) chart(command string) *Chart {
	if r.peer == nil {
		return nil
	}
	c := &Chart{Title: fmt.Sprintf("%s · throughput against workers: Go beside the seed's Python", r.ch.ID)}
	measured := false
	for _, prog := range r.peer.Programs {
		if !prog.Chart {
			continue
		}
		_, unit := throughput(prog.Metric, 1)
		p := Panel{Title: prog.Title, Unit: unit, XLabel: prog.XLabel, X: r.cpus}
		colours := map[bool]map[string]int{true: {}, false: {}}
		for _, s := range prog.Series {
			if !r.treeOf(s).run {
				continue
			}
			family := strings.TrimSuffix(strings.TrimSuffix(s.Label, ", yours"), ", reference")
			idx, seen := colours[s.python()][family]
			if !seen {
				idx = len(colours[s.python()])
				colours[s.python()][family] = idx
			}
			l := Line{Label: s.Label, Python: s.python(), Colour: idx,
				Dashed: strings.HasSuffix(s.Label, ", reference") || s.Serial}
			for _, n := range r.cpus {
				pt := Summarize(r.throughputs(prog, s, n))
				measured = measured || pt.N > 0
				l.Points = append(l.Points, pt)
			}
			if sp := r.speedup(prog, s); sp.N > 0 {
				l.Speedup = fmt.Sprintf("%s: %s×", r.speedupName(), formatRatio(sp.Median))
			}
			p.Lines = append(p.Lines, l)
		}
		c.Panels = append(c.Panels, p)
	}
	if !measured {
		return nil
	}
	rounds := max(len(r.yours.samples), len(r.ref.samples), len(r.py.samples))
	c.Notes = []string{
		fmt.Sprintf("The median of %d round%s, bars from the lowest to the highest; each round ran %s.",
			rounds, plural(rounds), r.turns()),
		fmt.Sprintf("Go %s and %s; %d cores, %s idle before the rounds and %s during them.", strings.TrimPrefix(runtime.Version(), "go"),
			r.pythonName(), r.machine.cores, oneDecimal(r.machine.before), oneDecimal(r.machine.during)),
		fmt.Sprintf("%s, %s", command, time.Now().Format("2006-01-02")),
	}
	return c
}

// turns names what ran in each round, in order.
func (r *result) turns() string {
	var names []string
	for _, tr := range []*tree{r.yours, r.ref, r.py} {
		if tr.run {
			names = append(names, map[string]string{"yours": "yours", "reference": "the reference", "python": "the Python peer"}[tr.label])
		}
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " in turn"
}

// pythonName names the Python that ran, or says that none did.
func (r *result) pythonName() string {
	if r.pythonSkipReason != "" {
		return "no Python"
	}
	if h := pythonHeader(r.py.firstOut); h != "" {
		return cpuCount.ReplaceAllString(h, "")
	}
	return "Python " + r.python.version
}

var cpuCount = regexp.MustCompile(`, \d+ CPUs?$`)

// writeChart writes the chart under the chart directory and returns the path to show,
// or "" when there is no chart.
func (r *result) writeChart(w io.Writer) string {
	if r.o.ChartDir == "-" {
		return ""
	}
	c := r.chart("go run ./cmd/workbook bench " + r.ch.ID)
	if c == nil {
		return ""
	}
	p := filepath.Join(r.o.ChartDir, r.ch.ID+".svg")
	err := os.MkdirAll(r.o.ChartDir, 0o755)
	if err == nil {
		err = os.WriteFile(p, c.SVG(), 0o644)
	}
	if err != nil {
		fmt.Fprintf(w, "\nNo chart: %v\n", err)
		return ""
	}
	if rel, err := filepath.Rel(r.o.Root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}
