package grade

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/runner"
	"github.com/go-concurrency-workbook/workbook/internal/sums"
)

// Print writes the grade as a table, one exercise a line, and the score.
func Print(w io.Writer, rep *Report) {
	fmt.Fprintf(w, "grade of %s/ (each exercise in its own process, limit %s)\n", rep.Dir,
		time.Duration(rep.TimeoutSeconds*float64(time.Second)))
	if rep.Integrity.Error != "" {
		fmt.Fprintf(w, "  integrity: %s\n", rep.Integrity.Error)
	}
	for _, r := range rep.Exercises {
		passed := 0
		for _, t := range r.Tests {
			if t.Status == runner.TestPass {
				passed++
			}
		}
		fmt.Fprintf(w, "  %-8s %-24s %2d/%-2d tests %6.1fs", r.Status, r.ID, passed, len(r.Tests), r.ElapsedSeconds)
		if r.Status != runner.Pass {
			line, _, _ := strings.Cut(r.Explanation, "\n")
			if len(line) > 110 {
				line = strings.ToValidUTF8(line[:110], "") + "…"
			}
			fmt.Fprintf(w, "  %s", line)
		}
		fmt.Fprintln(w)
	}
	t := rep.Totals
	fmt.Fprintf(w, "score %d/%d (%.0f%%): %d pass, %d fail, %d error, %d timeout, %d tampered; %d of %d tests passed; %.0fs\n",
		t.Pass, t.Exercises, 100*rep.Score, t.Pass, t.Fail, t.Error, t.Timeout, t.Tampered, t.TestsPassed, t.Tests,
		rep.ElapsedSeconds)
	if t.Pass < t.Exercises {
		for _, r := range rep.Exercises {
			if r.Status != runner.Pass && r.Status != StatusTampered {
				fmt.Fprintf(w, "to see why %s does not pass: go run ./cmd/workbook run %s\n", r.ID, r.ID)
				break
			}
		}
	}
}

// WriteFile writes a report through a temporary file and a rename (sums.WriteFile): a
// symlink at path is replaced, never followed.
func WriteFile(path string, b []byte) error { return sums.WriteFile(path, b) }

// JSON renders the report as indented JSON.
func JSON(rep *Report) []byte {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil { // cannot happen: every field is plain data
		panic(err)
	}
	return append(b, '\n')
}

// The JUnit XML of `workbook grade -junit`, in the shape GitHub's and GitLab's test
// reporters read: testsuites > one testsuite a chapter > one testcase a test, whose
// classname is the exercise's ID. A failed test has a failure element; a test that did
// not run because of a build error, a crash or a timeout has an error element; a skipped
// test has a skipped element and is not counted as failed.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string          `xml:"name,attr"`
	Tests     int             `xml:"tests,attr"`
	Failures  int             `xml:"failures,attr"`
	Errors    int             `xml:"errors,attr"`
	Skipped   int             `xml:"skipped,attr"`
	Time      string          `xml:"time,attr"`
	Timestamp string          `xml:"timestamp,attr"`
	Props     []junitProperty `xml:"properties>property,omitempty"`
	Cases     []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// JUnit renders the report as JUnit XML. Characters XML cannot hold (the control
// characters of a test's output) are replaced.
func JUnit(rep *Report) []byte {
	all := junitSuites{Name: "workbook grade " + rep.Dir, Time: fmt.Sprintf("%.3f", rep.ElapsedSeconds)}
	index := map[string]int{}
	for _, r := range rep.Exercises {
		i, ok := index[r.Chapter]
		if !ok {
			i = len(all.Suites)
			index[r.Chapter] = i
			all.Suites = append(all.Suites, junitSuite{Name: r.Chapter, Timestamp: rep.Started.Format("2006-01-02T15:04:05")})
		}
		s := &all.Suites[i]
		s.Props = append(s.Props, junitProperty{Name: r.ID, Value: string(r.Status)})
		allPassed := true
		for _, t := range r.Tests {
			c := junitCase{Classname: r.ID, Name: t.Name, Time: fmt.Sprintf("%.3f", t.ElapsedSeconds)}
			switch {
			case r.Status == StatusTampered:
				allPassed = false
				c.Error = problem(r, "not run: tampered", "")
			case t.Status == runner.TestPass:
			case t.Status == runner.TestSkip:
				c.Skipped = &junitProblem{Message: "skipped", Text: xmlText(t.Output)}
				allPassed = false
			case t.Status == runner.TestFail:
				allPassed = false
				c.Failure = problem(r, "failed", t.Output)
			default:
				allPassed = false
				c.Error = problem(r, "reported no result ("+string(r.Status)+")", t.Output)
			}
			s.Cases = append(s.Cases, c)
		}
		if r.Status != runner.Pass && allPassed {
			// Every test passed, but the run did not: say so in a case of its own.
			s.Cases = append(s.Cases, junitCase{Classname: r.ID, Name: "(the whole run)",
				Time: fmt.Sprintf("%.3f", r.ElapsedSeconds), Error: problem(r, string(r.Status), "")})
		}
	}
	var total float64
	for i := range all.Suites {
		s := &all.Suites[i]
		s.Tests = len(s.Cases)
		var t float64
		for _, r := range rep.Exercises {
			if r.Chapter == s.Name {
				t += r.ElapsedSeconds
			}
		}
		total += t
		s.Time = fmt.Sprintf("%.3f", t)
		for _, c := range s.Cases {
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Error != nil:
				s.Errors++
			case c.Skipped != nil:
				s.Skipped++
			}
		}
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
		all.Skipped += s.Skipped
	}
	b, err := xml.MarshalIndent(all, "", "  ")
	if err != nil { // cannot happen: every field is a string or an int
		panic(err)
	}
	return append([]byte(xml.Header), append(b, '\n')...)
}

// problem describes why one test of r did not pass.
func problem(r *ExerciseReport, what, output string) *junitProblem {
	msg := fmt.Sprintf("%s (%s: %s): %s", what, r.Status, r.Kind, r.Explanation)
	if output == "" {
		output = r.Output
	}
	if len(r.TamperedFiles) > 0 {
		output = ""
		for _, c := range r.TamperedFiles {
			output += c.String() + "\n"
		}
	}
	return &junitProblem{Message: xmlText(msg), Type: r.Kind, Text: xmlText(output + "\nrun it: " + r.Command + "\n")}
}

// xmlText replaces what XML 1.0 cannot hold (invalid UTF-8, most control characters, as
// in colored or binary output) by U+FFFD; encoding/xml escapes the rest.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
