package explain

import (
	"cmp"
	"slices"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/mutation"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// TestsReports explains why the learner's own tests are not done yet: the package does
// not build, there are no tests, a test fails on the correct implementation, a test
// sleeps, the tests hang on a wrong implementation, or a wrong one passes them.
func TestsReports(e *manifest.Exercise, m mutation.Outcome) []Report {
	var reps []Report
	files := strings.Join(e.Files, ", ")
	switch {
	case m.BuildErr != "":
		reps = []Report{BuildReport(e, m.BuildErr)}
	case len(m.Tests) == 0:
		reps = []Report{About(e, NoTests, "", "", "", files)}
	}
	for _, t := range m.Unwritten {
		reps = append(reps, About(e, NotWritten, t, "", "", t))
	}
	if r := m.OnCorrect; r != nil && r.Verdict(m.Tests) != runner.Pass {
		var failures []Failure
		for _, t := range m.Tests {
			if st := r.Test(t).Status; st != runner.TestPass && !slices.Contains(m.Unwritten, t) {
				failures = append(failures, Failure{Test: t, Output: cmp.Or(r.Test(t).Output, r.Output)})
			}
		}
		for _, x := range Explain(e, failures, e.Command()) {
			reps = append(reps, About(e, FailsOnCorrect, x.Test, x.Headline, x.Message, ""))
		}
	}
	for _, r := range m.Refused {
		reps = append(reps, About(e, Refused, "", r.Pos+": "+r.What, "", r.Pos+": "+r.Message))
	}
	for _, mu := range m.Hung {
		what := mu.Bug
		if t := m.HungIn[mu.Name]; t != "" {
			what = t + ", on: " + mu.Bug
		}
		reps = append(reps, About(e, Hangs, m.HungIn[mu.Name], "", "", what))
	}
	for _, mu := range m.Survivors {
		text := SurvivorText(mu.Bug, mu.Unchecked)
		reps = append(reps, About(e, Survives, "", NotCheckedHeadline(mu.Unchecked), "", text))
	}
	return reps
}
