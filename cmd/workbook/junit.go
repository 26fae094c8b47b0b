package main

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// The JUnit XML of `workbook grade -junit`, in the shape GitHub's and GitLab's test
// reporters read: testsuites > one testsuite a chapter > one testcase a test, whose
// classname is the exercise's ID. A test that did not pass has a failure element with the
// kind and explanation as its message and the end of the output as its text.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
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
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// junitReport renders a grade as JUnit XML. Characters XML cannot hold (the control
// characters of a test's output) are replaced.
func junitReport(rep *gradeReport) []byte {
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
		s.Props = append(s.Props, junitProperty{Name: r.ID, Value: r.Status})
		allPassed := true
		for _, t := range r.Tests {
			c := junitCase{Classname: r.ID, Name: t.Name, Time: fmt.Sprintf("%.3f", t.ElapsedSeconds)}
			if t.Status != testPass || r.Status == statusTampered {
				allPassed = false
				c.Failure = junitFailureOf(r, t.Status, t.Output)
			}
			s.Cases = append(s.Cases, c)
		}
		if r.Status != statusPass && allPassed {
			// Every test passed, but the run did not: say so in a case of its own.
			s.Cases = append(s.Cases, junitCase{Classname: r.ID, Name: "(the whole run)",
				Time: fmt.Sprintf("%.3f", r.ElapsedSeconds), Failure: junitFailureOf(r, r.Status, "")})
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
			if c.Failure != nil {
				s.Failures++
			}
		}
		all.Tests += s.Tests
		all.Failures += s.Failures
	}
	b, err := xml.MarshalIndent(all, "", "  ")
	if err != nil { // cannot happen: every field is a string or an int
		panic(err)
	}
	return append([]byte(xml.Header), append(b, '\n')...)
}

// junitFailureOf describes why one test of r did not pass.
func junitFailureOf(r *exerciseReport, status, output string) *junitFailure {
	what := map[string]string{testPass: "passed", testFail: "failed", testSkip: "skipped",
		testNotRun: "reported no result", statusError: "error", statusTimeout: "timed out",
		statusTampered: "not run"}[status]
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
	return &junitFailure{Message: msg, Type: r.Kind, Text: xmlText(output + "\nrun it: " + r.Command + "\n")}
}

// xmlText replaces what XML 1.0 cannot hold (invalid UTF-8, most control characters, as
// in colored or binary output) by U+FFFD, since CDATA is written as it is.
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
