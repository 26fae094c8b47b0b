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
			fmt.Fprintf(w, "  %-*s  %s\n", width, r.Test, firstLine(r.Headline, 110))
		case r.Kind != Build:
			fmt.Fprintf(w, "  - %s\n", firstLine(r.Headline, 120))
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

// FailLine is the first line of a failed run.
func FailLine(e *manifest.Exercise, failed, total int, seconds float64) string {
	return fmt.Sprintf(failLineText, e.ID(), failed, total, seconds)
}

// BuildFailLine is the first line of a run whose package did not build.
func BuildFailLine(e *manifest.Exercise, seconds float64) string {
	return fmt.Sprintf(buildFailText, e.ID(), seconds)
}

// PassLine is the line of a passed run.
func PassLine(e *manifest.Exercise, seconds float64) string {
	return fmt.Sprintf(passLineText, e.ID(), len(e.Tests), seconds)
}

// Summary is one line about a failure for a report (grade): the title and the headline.
func Summary(r Report) string {
	return r.Title + ": " + firstLine(r.Headline, 200)
}

func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
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

// TestsFailLine is the first line of a run of the learner's own tests that is not done.
func TestsFailLine(e *manifest.Exercise, tests []string, seconds float64) string {
	return fmt.Sprintf(testsFailText, e.ID(), strings.Join(tests, ", "), seconds)
}

// TestsPassLine is the line of a run of the learner's own tests that is done.
func TestsPassLine(e *manifest.Exercise, tests, mutants int, seconds float64) string {
	return fmt.Sprintf(testsPassText, e.ID(), tests, mutants, seconds)
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
