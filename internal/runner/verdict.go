package runner

import (
	"regexp"
	"slices"
	"strings"
)

// Status is the verdict on an exercise: one run of its tests, or why they did not run.
type Status string

// The statuses of a run of an exercise. Only Pass counts as done. Grading adds its
// own (grade.StatusTampered, grade.StatusRejected).
const (
	Pass    Status = "pass"    // every test reported pass and the process exited cleanly
	Fail    Status = "fail"    // a test failed (assertion, detector), or the run failed after the tests passed
	Error   Status = "error"   // the package does not build, or the process crashed or exited early
	Timeout Status = "timeout" // the process ran into its time limit
)

// Verdict decides an exercise's status from one run of its tests. It passes only when
// each of tests reported pass and the process exited cleanly: a crash, a timeout or a
// panic in another goroutine reports only a package-level failure, and os.Exit(0) before
// the tests run reports no test at all. What a test prints never counts, only the
// events of test2json and, when the run asked for it, TestMain's report of m.Run.
func (r *Result) Verdict(tests []string) Status {
	allPass, someFail, someSkip := true, false, false
	for _, name := range tests {
		switch r.Test(name).Status {
		case TestPass:
		case TestFail:
			allPass, someFail = false, true
		case TestSkip:
			allPass, someSkip = false, true
		default:
			allPass = false
		}
	}
	reported := r.Report == nil || r.Report.Problem == "" && r.Report.Code == 0
	switch {
	case r.TimedOut:
		return Timeout
	case r.Killed != "":
		return Error // killed at a cap of memory or processes
	case allPass && r.Exit == nil && reported:
		return Pass
	case allPass && r.Exit == nil:
		return Error // the events say pass, but TestMain did not report a passing run: they were forged, or it never ran
	case crashed(r.Output):
		return Error // a panic or a fatal error ended the process: the tests after it never ran
	case someFail:
		return Fail
	case allPass:
		return Fail // every test passed, and the process failed afterwards (goleak in TestMain)
	case someSkip && r.Exit == nil:
		return Fail // a skipped test is not a pass
	default:
		return Error // tests without a verdict: the process crashed or exited early
	}
}

// Failed returns those of tests that reported fail, in order.
func (r *Result) Failed(tests []string) []string {
	var failed []string
	for _, name := range tests {
		if r.Test(name).Status == TestFail {
			failed = append(failed, name)
		}
	}
	return failed
}

// crashed reports whether output shows a panic or a fatal runtime error that ended the
// process (a test timeout is a timeout, not a crash).
func crashed(output string) bool {
	for _, l := range strings.Split(output, "\n") {
		if strings.HasPrefix(l, "panic: ") && !strings.HasPrefix(l, "panic: test timed out") ||
			strings.HasPrefix(l, "fatal error: ") {
			return true
		}
	}
	return false
}

// notCheckedLine is how a chapter test says that this system cannot observe a property it
// checks elsewhere (chapter 12 on Windows): a log line, never a skip, so that the test's
// other assertions still decide its verdict.
var notCheckedLine = regexp.MustCompile(`not checked on [a-z0-9]+: [^\n]*`)

// NotChecked returns what the named tests said they could not check on this system, each
// once, in order.
func (r *Result) NotChecked(tests []string) []string {
	var notes []string
	for _, name := range tests {
		for _, n := range notCheckedLine.FindAllString(r.Test(name).Output, -1) {
			if n = strings.TrimSpace(n); !slices.Contains(notes, n) {
				notes = append(notes, n)
			}
		}
	}
	return notes
}
