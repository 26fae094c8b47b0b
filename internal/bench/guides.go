package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// ChartFile is the name of a chapter's chart, beside its guide in both trees.
const ChartFile = "bench.svg"

// The markers around the figures a guide's "## Benchmarks" section shows under its chart:
// Guides rewrites what lies between them, and nothing else of the guide.
const (
	figuresBegin = "<!-- bench-figures"
	figuresEnd   = "<!-- /bench-figures -->"
)

// GuideOptions says which guides Guides regenerates and how it measures.
type GuideOptions struct {
	Root      string
	Chapters  []*manifest.Chapter // chapters without a Python peer are left out
	Write     bool                // write the charts and figures into both trees; otherwise show them
	Rounds    int                 // as in Options
	Benchtime string
	CPU       []int
	Python    string
	// MinIdle is the fewest idle cores, on average during the rounds, that a chapter's
	// figures may be written with: below it, the guide keeps the figures it has. It only
	// applies where the idle cores can be told (Linux).
	MinIdle float64
}

// Guides measures the reference of each chapter that has a Python peer, with the peer
// beside it in turn, and regenerates what its guide shows of the comparison: the chart,
// bench.svg beside the guide in exercises/ and solutions/, and the figures it was made
// from, between the guide's bench-figures markers in both trees. Without o.Write it
// writes the charts under .workbook/bench and prints the figures instead. It writes the
// report of each run to w as bench does.
func Guides(ctx context.Context, w io.Writer, o GuideOptions) error {
	var errs []error
	for _, ch := range o.Chapters {
		if Peers[ch.ID] == nil {
			continue
		}
		var notDone []string
		for _, e := range ch.Exercises {
			notDone = append(notDone, e.Name) // the reference alone: a learner's code is not the guide's
		}
		command := "go run ./cmd/workbook dev bench-charts -w " + ch.ID
		r, err := run(ctx, w, Options{Root: o.Root, Chapter: ch, NotDone: notDone, Reference: true, Rounds: o.Rounds,
			Benchtime: o.Benchtime, CPU: o.CPU, Python: o.Python, ChartDir: "-"})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ch.ID, err))
			continue
		}
		if r.pythonSkipReason != "" {
			errs = append(errs, fmt.Errorf("%s: the guide's figures need Python: %s", ch.ID, r.pythonSkipReason))
			continue
		}
		c := r.chart(command)
		figures := r.figures(command)
		if idle := r.machine.idle(); o.Write && r.machine.known && idle < o.MinIdle {
			errs = append(errs, fmt.Errorf("%s: %.1f idle cores during the rounds, fewer than -min-idle %.1f: the guide keeps its figures; run again on a quieter machine",
				ch.ID, idle, o.MinIdle))
			continue
		}
		if !o.Write {
			dir := filepath.Join(o.Root, ".workbook", "bench")
			p := filepath.Join(dir, ch.ID+".svg")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			if c != nil {
				if err := os.WriteFile(p, c.SVG(), 0o644); err != nil {
					return err
				}
				fmt.Fprintf(w, "\nChart: %s\n", p)
			}
			fmt.Fprintf(w, "\nThe figures for the guide (-w writes them between its bench-figures markers):\n\n%s\n", figures)
			continue
		}
		what := "the figures of its guide"
		if c != nil {
			what = ChartFile + " and " + what
		}
		for _, tree := range []string{layout.Exercises, layout.Solutions} {
			dir := filepath.Join(o.Root, tree, ch.ID)
			if c != nil {
				if err := os.WriteFile(filepath.Join(dir, ChartFile), c.SVG(), 0o644); err != nil {
					return err
				}
			}
			if err := spliceFigures(filepath.Join(dir, "README.md"), figures); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", ch.ID, err))
			}
			// The Portuguese guide shows the same measured block, byte for byte (make
			// check compares it as it compares code blocks).
			if pt := filepath.Join(dir, "README.pt-BR.md"); fileExists(pt) {
				if err := spliceFigures(pt, figures); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", ch.ID, err))
				}
			}
		}
		a, _ := os.ReadFile(filepath.Join(o.Root, layout.Exercises, ch.ID, "README.md"))
		b, _ := os.ReadFile(filepath.Join(o.Root, layout.Solutions, ch.ID, "README.md"))
		if !bytes.Equal(a, b) {
			errs = append(errs, fmt.Errorf("%s: the two guides differ outside the figures: make them twins again", ch.ID))
		}
		fmt.Fprintf(w, "\n%s: wrote %s, in both trees\n", ch.ID, what)
	}
	return errors.Join(errs...)
}

// spliceFigures replaces what lies between the bench-figures markers of a guide.
func spliceFigures(guide, figures string) error {
	b, err := os.ReadFile(guide)
	if err != nil {
		return err
	}
	s := string(b)
	i := strings.Index(s, figuresBegin)
	j := strings.Index(s, figuresEnd)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %s ... %s markers in its ## Benchmarks section", guide, figuresBegin, figuresEnd)
	}
	out := s[:i] + figures + s[j+len(figuresEnd):]
	if out == s {
		return nil
	}
	return os.WriteFile(guide, []byte(out), 0o644)
}

// figures returns the markdown a guide shows under its chart: what was measured, on what
// machine, each program's table and the Go ÷ Python targets with their verdicts, between
// the bench-figures markers.
func (r *result) figures(command string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: `%s` writes what follows, up to the closing marker -->\n", figuresBegin, command)
	if c := r.chart(command); c != nil {
		fmt.Fprintf(&b, "![%s](%s)\n\n", c.Title, ChartFile)
	}
	rounds := max(len(r.ref.samples), len(r.py.samples))
	fmt.Fprintf(&b, "Measured by `%s` on %s: %d round%s, each running %s; Go %s and %s; %d cores, %s idle before the rounds and %s during them",
		command, time.Now().Format("2006-01-02"), rounds, plural(rounds), r.turns(), strings.TrimPrefix(runtime.Version(), "go"),
		r.pythonName(), r.machine.cores, oneDecimal(r.machine.before), oneDecimal(r.machine.during))
	if len(r.machine.rounds) > 1 {
		idle := make([]string, len(r.machine.rounds))
		for i, v := range r.machine.rounds {
			idle[i] = oneDecimal(v)
		}
		fmt.Fprintf(&b, " (round by round: %s)", strings.Join(idle, ", "))
	}
	if la := loadAverage(); la != "" {
		fmt.Fprintf(&b, ", load average %s at the end", la)
	}
	b.WriteString(". The median of the rounds, [lowest–highest]:\n")
	for _, prog := range r.peer.Programs {
		unit, rows := r.programTable(prog, false)
		rows[0][0] = fmt.Sprintf("%s, %s", prog.Title, unit)
		b.WriteString("\n")
		writeMarkdown(&b, rows)
	}
	var targets []*manifest.Target
	for _, t := range r.ch.Targets {
		if r.peer.pythonTarget(t) {
			targets = append(targets, t)
		}
	}
	if len(targets) > 0 {
		var short []string
		rows := [][]string{{"Go ÷ Python, within each round", "target", "measured"}}
		for _, t := range targets {
			cell, _ := r.ref.cell(t, false, r.py, r.machine, &short)
			rows = append(rows, []string{strings.TrimPrefix(t.Name, "Go ÷ Python: "), t.Bound(), cell})
		}
		b.WriteString("\n")
		writeMarkdown(&b, rows)
		if len(short) > 0 {
			b.WriteString("\nInconclusive for want of idle cores: " + strings.Join(short, "; ") + ".\n")
		}
	}
	b.WriteString(figuresEnd)
	return b.String()
}

// writeMarkdown writes rows as a markdown table, the first row its header.
func writeMarkdown(b *strings.Builder, rows [][]string) {
	for i, row := range rows {
		cells := make([]string, len(row))
		for j, c := range row {
			cells[j] = strings.ReplaceAll(c, "|", `\|`)
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", len(row)) + "\n")
		}
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
