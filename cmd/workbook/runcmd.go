package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// runBuildLimit bounds the compilation of one chapter's test binary.
const runBuildLimit = 5 * time.Minute

// runOutcome is what one run of an exercise's tests found.
type runOutcome struct {
	Exercise *manifest.Exercise
	Hash     string // chapterHash of the files the run used
	Passed   bool   // every test of the exercise reported pass and the binary exited 0
	BuildErr string // the compiler's output, if the package did not build
	Output   string // the test binary's output
	Failed   []string
	Kind     string // the kind of failure (explain.go), "" when it passed
	TimedOut bool
	Elapsed  time.Duration
}

// tryExercise builds the chapter's race-enabled test binary and runs the exercise's
// tests in a process of their own, stopping at the first failing test, under testLimit.
func tryExercise(ctx context.Context, root string, e *manifest.Exercise) (o runOutcome) {
	start := time.Now()
	o = runOutcome{Exercise: e, Hash: chapterHash(root, e.Chapter)}
	defer func() { o.Elapsed = time.Since(start) }()
	tmp, err := os.MkdirTemp("", "workbook-run-")
	if err != nil {
		o.BuildErr, o.Kind = err.Error(), kindUnknown
		return o
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join("exercises", e.Chapter.ID)
	bin := filepath.Join(tmp, e.Chapter.ID+".test")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	bctx, cancel := context.WithTimeout(ctx, runBuildLimit)
	defer cancel()
	if err := buildTest(bctx, root, dir, bin, true, nil); err != nil {
		o.BuildErr, o.Kind = err.Error(), kindBuild
		return o
	}
	r := runTest(ctx, bin, filepath.Join(root, dir), e.RunPattern(), testLimit, "-test.failfast")
	o.Output, o.TimedOut = r.Output, r.TimedOut
	o.Passed, o.Failed = r.verdict(e.Tests)
	if !o.Passed {
		o.Kind, _ = classify(o.Output)
		if r.TimedOut && o.Kind != kindTimeout && !strings.Contains(o.Output, "--- FAIL") {
			o.Kind = kindTimeout
		}
	}
	return o
}

// record remembers the outcome in the state file, keyed by the hash of the files the
// run used, so that status shows it at once and never once those files change.
func (o runOutcome) record(root string) error {
	s := loadState(root) // fresh: another command may have saved since
	cs := s.chapterAt(o.Exercise.Chapter.ID, o.Hash)
	if o.BuildErr != "" && o.Kind == kindBuild {
		cs.BuildErr = o.BuildErr
	} else {
		cs.BuildErr = ""
		cs.Exercises[o.Exercise.Name] = exerciseState{Done: o.Passed, Failed: o.Failed, Kind: o.Kind}
	}
	s.Chapters[o.Exercise.Chapter.ID] = cs
	return s.save(root)
}

func cmdRun(root string, args []string) int {
	m, err := manifest.Load(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook run:", err)
		return 2
	}
	var e *manifest.Exercise
	switch {
	case len(args) > 1:
		fmt.Fprintln(os.Stderr, "usage: go run ./cmd/workbook run [EXERCISE]")
		return 2
	case len(args) == 1:
		if e, err = m.Find(args[0]); err != nil {
			fmt.Fprintln(os.Stderr, "workbook run:", err)
			return 2
		}
	default:
		next := nextExercise(viewAll(root, m, loadState(root)))
		if next == nil {
			fmt.Println("Every exercise passes. Run one again by name: go run ./cmd/workbook run 03_race/mutex")
			return 0
		}
		e = next.Exercise
	}
	if !runAndExplain(context.Background(), root, os.Stdout, e) {
		return 1
	}
	return 0
}

// runAndExplain runs the tests of e (tryExercise), remembers the result, and writes to w
// either the pass and the next exercise, or the failure trimmed and explained. It
// reports whether the exercise passed.
func runAndExplain(ctx context.Context, root string, w io.Writer, e *manifest.Exercise) bool {
	fmt.Fprintf(w, "%s · %s\n  %s\n", e.ID(), e.Title, e.Command())
	o := tryExercise(ctx, root, e)
	if ctx.Err() != nil { // interrupted (Ctrl-C in watch): the run says nothing about the code
		return false
	}
	if err := o.record(root); err != nil {
		fmt.Fprintln(os.Stderr, "workbook: cannot remember the result:", err)
	}
	if o.Passed {
		fmt.Fprintf(w, "\nPASS  %s: all %d tests pass under -race (%.1fs)\n", e.ID(), len(e.Tests), o.Elapsed.Seconds())
		m, err := manifest.Load(root)
		if err != nil {
			return true
		}
		views := viewAll(root, m, loadState(root))
		done := 0
		for _, v := range views {
			if v.Status == statusDone {
				done++
			}
		}
		fmt.Fprintf(w, "%s  %d of %d done\n", bar(done, len(views), 40), done, len(views))
		if next := nextExercise(views); next != nil {
			fmt.Fprintf(w, "Next: %s (%s)\n  go run ./cmd/workbook run %s\n", next.Exercise.ID(), next.Exercise.Title, next.Exercise.ID())
		} else {
			fmt.Fprintln(w, "Every exercise passes. Now run the benchmarks: make bench TREE=exercises")
		}
		return true
	}
	out := o.Output
	if o.Kind == kindBuild {
		out = o.BuildErr
	}
	fmt.Fprintf(w, "\nFAIL  %s (%.1fs)", e.ID(), o.Elapsed.Seconds())
	if len(o.Failed) > 0 {
		fmt.Fprintf(w, ": %s", strings.Join(o.Failed, ", "))
	}
	fmt.Fprintf(w, "\n\n%s\n", trimOutput(out, e.Command()))
	x := explain(e, out)
	fmt.Fprintf(w, "\n── What went wrong: %s ──\n%s\n", x.Title, wrap(x.Text, 90))
	return false
}

var (
	noiseLine = regexp.MustCompile(`^(=== (RUN|PAUSE|CONT|NAME)\s|\s*--- PASS: |PASS$|FAIL$|ok\s|FAIL\s+\S+\s+[\d.]+s$|exit status \d+$)`)
	dumpStart = regexp.MustCompile(`^(panic|fatal error): `)
	stanzaRE  = regexp.MustCompile(`^goroutine \d+ \[`)
)

// maxShown is how many lines of a failure run shows.
const maxShown = 120

// trimOutput keeps what explains a failure: the failing tests' messages, the first two
// race reports, and of a crash dump the crashing goroutine and those running the
// learner's code. command is how to see everything.
func trimOutput(out, command string) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	var kept []string
	races, droppedRaces, droppedStanzas := 0, 0, 0
	inDump, stanzas := false, 0
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case l == "==================" && i+1 < len(lines) && lines[i+1] == "WARNING: DATA RACE":
			races++
			if races <= 2 {
				kept = append(kept, l)
				continue
			}
			droppedRaces++
			for i++; i < len(lines) && lines[i] != "=================="; i++ {
			}
			continue
		case noiseLine.MatchString(l):
			continue
		case dumpStart.MatchString(l):
			inDump = true
		case inDump && stanzaRE.MatchString(l):
			j := i
			for j < len(lines) && lines[j] != "" {
				j++
			}
			stanza := lines[i:j]
			if stanzas == 0 || (stanzas < 4 && len(learnerFrames(stanza)) > 0) {
				stanzas++
				kept = append(kept, stanza...)
			} else {
				droppedStanzas++
			}
			i = j - 1
			continue
		}
		kept = append(kept, l)
	}
	if droppedRaces > 0 {
		kept = append(kept, fmt.Sprintf("... %d more data race reports not shown", droppedRaces))
	}
	if droppedStanzas > 0 {
		kept = append(kept, fmt.Sprintf("... %d more goroutines not shown", droppedStanzas))
	}
	cut := len(kept) > maxShown
	if cut {
		n := len(kept) - maxShown
		kept = append(kept[:maxShown], fmt.Sprintf("... %d more lines", n))
	}
	if droppedRaces > 0 || droppedStanzas > 0 || cut {
		kept = append(kept, "(the whole output: "+command+")")
	}
	return strings.Join(compactBlank(kept), "\n")
}

// compactBlank removes runs of blank lines.
func compactBlank(lines []string) []string {
	var out []string
	for i, l := range lines {
		if strings.TrimSpace(l) == "" && (i == 0 || strings.TrimSpace(lines[i-1]) == "") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// wrap breaks the lines of text at spaces so that they are at most width wide.
func wrap(text string, width int) string {
	var b strings.Builder
	for i, para := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		n := 0
		for j, word := range strings.Fields(para) {
			if j > 0 && n+1+len(word) > width {
				b.WriteByte('\n')
				n = 0
			} else if j > 0 {
				b.WriteByte(' ')
				n++
			}
			b.WriteString(word)
			n += len(word)
		}
	}
	return b.String()
}
