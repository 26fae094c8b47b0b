package explain

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// Write prints the explanation of an exercise's failures for the learner: one line a
// failing test with its own headline, then the most specific one in detail (its whole
// message first, then what it means, then the stacks), then the hint that belongs to it,
// but never more than one hint past the seen the learner has already read: a learner
// who has read none gets the first nudge, not the last.
func Write(w io.Writer, e *manifest.Exercise, reps []Report, seen int) {
	if len(reps) == 0 {
		return
	}
	width := 0
	for _, r := range reps {
		width = max(width, len(r.Test))
	}
	for _, r := range reps {
		switch {
		case r.Kind == Survives || r.Kind == Refused:
			// Never cut: the clause that matters (what the tests do not check, what to use
			// instead) is at the end.
			fmt.Fprintf(w, "  - %s\n", strings.ReplaceAll(Wrap(r.Headline, 100), "\n", "\n    "))
		case r.Test != "":
			fmt.Fprintf(w, "  %-*s  %s\n", width, r.Test, FirstLine(r.Headline, 110))
		case r.Kind != Build:
			fmt.Fprintf(w, "  - %s\n", FirstLine(r.Headline, 120))
		}
	}
	r := reps[0]
	name := r.Test
	if name == "" {
		name = e.ID()
	}
	fmt.Fprintf(w, "\n"+detailText+"\n", name, r.Title)
	if r.Message != "" {
		fmt.Fprintf(w, "%s\n", r.Message)
	}
	fmt.Fprintf(w, "\n%s\n", Wrap(r.Text, 90))
	if r.Detail != "" {
		fmt.Fprintf(w, "\n%s\n", r.Detail)
	}
	fmt.Fprintf(w, "\n"+readText+"\n", r.Read)
	if len(e.Hints) > 0 {
		n := min(max(r.Hint, 1), max(seen, 0)+1, len(e.Hints))
		fmt.Fprintln(w, Wrap(fmt.Sprintf(hintText, n, len(e.Hints), e.Hints[n-1]), 90))
		fmt.Fprintf(w, moreHintsText+"\n", e.ID())
	}
}

// Verdict is what a run of an exercise's tests came to, as far as its summary line says.
type Verdict struct {
	Passed       bool
	Kind         Kind    // the most specific failure's kind, when it failed
	Failed       int     // the tests that did not pass
	LearnerTests int     // for an exercise whose learner writes the tests: theirs
	Mutants      int     // and the wrong implementations they were run on
	Seconds      float64 // how long the run took
}

// SummaryLine is the line that sums up a run of e's tests, before its reports: passed,
// did not build, or how many of its tests failed (for an exercise whose learner writes
// the tests, which files are not done).
func SummaryLine(e *manifest.Exercise, v Verdict) string {
	switch {
	case v.Passed && e.Writes():
		return fmt.Sprintf(testsPassText, e.ID(), v.LearnerTests, v.Mutants, v.Seconds)
	case v.Passed:
		return fmt.Sprintf(passLineText, e.ID(), len(e.Tests), v.Seconds)
	case v.Kind == Build:
		return fmt.Sprintf(buildFailText, e.ID(), v.Seconds)
	case e.Writes():
		return fmt.Sprintf(testsFailText, e.ID(), strings.Join(e.Files, ", "), v.Seconds)
	default:
		return fmt.Sprintf(failLineText, e.ID(), v.Failed, len(e.Tests), v.Seconds)
	}
}

// Summary is one line about a failure for a report (grade): the title and the headline.
func Summary(r Report) string {
	return r.Title + ": " + FirstLine(r.Headline, 200)
}

// FirstLine returns the first line of s that says something: not blank, and not the
// go command's "# package" header above a compiler's messages; cut to width bytes
// (0: not cut), with "…" when it was cut.
func FirstLine(s string, width int) string {
	line := strings.TrimSpace(s)
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "# ") {
			line = l
			break
		}
	}
	line, _, _ = strings.Cut(line, "\n")
	if width > 0 && len(line) > width {
		line = strings.ToValidUTF8(line[:width], "") + "…"
	}
	return line
}

// Wrap breaks the lines of text at spaces so that they are at most width wide.
func Wrap(text string, width int) string {
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

// SurvivorText says what a surviving mutant means, never showing its code.
func SurvivorText(bug, unchecked string) string { return fmt.Sprintf(survivorText, bug, unchecked) }

// NotCheckedHeadline is the one line about a wrong implementation the learner's tests
// let through: the property they do not check.
func NotCheckedHeadline(unchecked string) string { return fmt.Sprintf(notCheckedText, unchecked) }

// TamperedText explains an exercise the grade did not run because files it trusts
// (names, "path change") differ from the sums file; fix is the maintainer's command.
func TamperedText(names []string, sumsFile, fix string) string {
	return fmt.Sprintf(tamperedText, list(names, 3), sumsFile, fix)
}

// RejectedText explains a chapter the grade did not run because the learner's files
// break the course's rules (violations, one a line).
func RejectedText(violations []string) string {
	return fmt.Sprintf(rejectedText, strings.Join(cut(violations, 3), "; "))
}

// ChangedWhileRunning explains a verdict thrown away because a file it depends on changed
// while the tests ran; tampered is TamperedText's.
func ChangedWhileRunning(tampered string) string { return fmt.Sprintf(changedWhileText, tampered) }

// list joins at most n names, saying how many more there are.
func list(names []string, n int) string { return strings.Join(cut(names, n), ", ") }

func cut(items []string, n int) []string {
	if len(items) <= n {
		return items
	}
	return append(items[:n:n], fmt.Sprintf(andMoreText, len(items)-n))
}
