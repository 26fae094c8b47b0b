// Package manifest reads workbook.json, the single source of truth for the order of
// chapters and exercises, which tests belong to which exercise, and the hints.
package manifest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// File is the manifest's name at the repository's root.
const File = "workbook.json"

// Manifest is the workbook's table of contents.
type Manifest struct {
	Chapters []*Chapter `json:"chapters"`
}

// Chapter is one package of exercises, under exercises/ID and solutions/ID.
type Chapter struct {
	ID        string      `json:"id"`     // directory name, like "03_race"
	Title     string      `json:"title"`  // one line
	Python    string      `json:"python"` // the Python constructs the chapter replaces
	Exercises []*Exercise `json:"exercises"`
	Targets   []*Target   `json:"targets,omitempty"` // the guide's benchmark targets, machine-readable
	Policy    *Policy     `json:"policy,omitempty"`  // what learner code may use beyond the default (grade -course)
}

// Policy is what a chapter's learner files may use beyond the default that grading in
// course mode allows (internal/grade).
type Policy struct {
	Imports []string `json:"imports,omitempty"` // more standard or module packages learner files may import
}

// Target is one benchmark target of a chapter guide's "## Benchmarks" section: a bound on
// one metric of one benchmark, or on the ratio of that metric between two benchmarks (or
// one benchmark at two -cpu values) of the same run.
//
// Without a baseline the bound applies to the metric itself (BenchmarkTableAdd ≥ 2000
// MB/s). With one it applies to the ratio benchmark ÷ baseline of the metric: for
// "2 workers hash ≥ 1.8× the bytes per second of 1", Benchmark is
// BenchmarkHashAll/workers=2, Baseline BenchmarkHashAll/workers=1, Metric MB/s, Min 1.8.
type Target struct {
	Name        string   `json:"name"`                   // the target in the guide's words
	Benchmark   string   `json:"benchmark"`              // full name without the -N suffix, like "BenchmarkHashAll/workers=2"
	CPU         int      `json:"cpu"`                    // the -cpu (GOMAXPROCS) it is measured at
	Baseline    string   `json:"baseline,omitempty"`     // the benchmark it is compared with, if any
	BaselineCPU int      `json:"baseline_cpu,omitempty"` // the baseline's -cpu; 0 means CPU
	Metric      string   `json:"metric"`                 // a unit go test -bench prints (ns/op, MB/s, B/op, ns/item, max-µs, ...) or ops/s or s/op, derived from ns/op
	Min         *float64 `json:"min,omitempty"`          // the value or ratio must be at least this
	Max         *float64 `json:"max,omitempty"`          // the value or ratio must be at most this
}

// Exercise is a group of tests in a chapter's package and the files the learner edits to
// make them pass.
type Exercise struct {
	Name  string   `json:"name"`  // short identifier, unique in its chapter
	Title string   `json:"title"` // one line
	Kind  string   `json:"kind"`  // "fix" (repair the seed's program), "implement" (fill in a stub) or "tests" (write the tests)
	Files []string `json:"files"` // the files to edit, in the chapter directory
	Tests []string `json:"tests"` // every test (and example) of the exercise
	Hints []string `json:"hints"` // from a nudge to nearly the answer
	// HintFor ties a hint to the failures it is about: a test name, or a test and subtest
	// prefix such as "TestTransferMoves/same_account", to a 1-based index into Hints. A
	// failing test with no entry gets the first hint.
	HintFor map[string]int `json:"hint_for,omitempty"`
	// Subject names, for an exercise of kind "tests", the implementation files its tests
	// test: the chapter's mutants that replace them are what the learner's tests must
	// catch, and Files are the learner's test files.
	Subject []string `json:"subject,omitempty"`
	Chapter *Chapter `json:"-"`
}

var (
	chapterID = regexp.MustCompile(`^\d\d_[a-z][a-z0-9_]*$`)
	name      = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	testName  = regexp.MustCompile(`^(Test|Example)[A-Za-z0-9_]*$`)
	benchName = regexp.MustCompile(`^Benchmark[A-Za-z0-9_]*(/\S+)?$`)
	unit      = regexp.MustCompile(`^\S+$`)
)

// Load reads and checks the manifest in the repository rooted at root.
func Load(root string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(root, File))
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Parse decodes a manifest and checks that it is well formed: identifiers, at least one
// exercise a chapter, at least one test and one hint an exercise, nothing named twice.
func Parse(b []byte) (*Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", File, err)
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(File+": "+format, args...)) }
	if len(m.Chapters) == 0 {
		bad("no chapters")
	}
	chapters := map[string]bool{}
	for _, c := range m.Chapters {
		if !chapterID.MatchString(c.ID) {
			bad("chapter id %q is not like 03_race", c.ID)
		}
		if chapters[c.ID] {
			bad("chapter %s listed twice", c.ID)
		}
		chapters[c.ID] = true
		if c.Title == "" || c.Python == "" {
			bad("chapter %s needs a title and a python line", c.ID)
		}
		if len(c.Exercises) == 0 {
			bad("chapter %s has no exercises", c.ID)
		}
		names, tests := map[string]bool{}, map[string]string{}
		for _, e := range c.Exercises {
			e.Chapter = c
			if !name.MatchString(e.Name) || names[e.Name] {
				bad("chapter %s: exercise name %q is not a unique lowercase identifier", c.ID, e.Name)
			}
			names[e.Name] = true
			switch {
			case e.Kind != "fix" && e.Kind != "implement" && e.Kind != "tests":
				bad("%s: kind %q, want fix, implement or tests", e.ID(), e.Kind)
			case e.Kind == "tests" && len(e.Subject) == 0:
				bad("%s: an exercise of kind tests needs a subject, the files its tests test", e.ID())
			case e.Kind == "tests" && !slices.ContainsFunc(e.Files, func(f string) bool { return strings.HasSuffix(f, "_test.go") }):
				bad("%s: an exercise of kind tests has the learner's _test.go files as its files", e.ID())
			}
			if e.Title == "" || len(e.Files) == 0 || len(e.Tests) == 0 || len(e.Hints) == 0 {
				bad("%s needs a title, files, tests and hints", e.ID())
			}
			for _, tn := range e.Tests {
				if !testName.MatchString(tn) {
					bad("%s: %q is not a test or example name", e.ID(), tn)
				}
				if other, ok := tests[tn]; ok {
					bad("%s: test %s already belongs to %s", e.ID(), tn, other)
				}
				tests[tn] = e.ID()
			}
			for _, h := range e.Hints {
				if strings.TrimSpace(h) == "" || strings.Contains(h, "\n") {
					bad("%s: a hint must be one non-empty line", e.ID())
				}
			}
		}
		for i, t := range c.Targets {
			for _, p := range t.problems() {
				bad("chapter %s: target %d (%q): %s", c.ID, i+1, t.Name, p)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &m, nil
}

// problems returns what is wrong with a target, if anything.
func (t *Target) problems() []string {
	var p []string
	if strings.TrimSpace(t.Name) == "" {
		p = append(p, "needs a name")
	}
	if !benchName.MatchString(t.Benchmark) {
		p = append(p, fmt.Sprintf("benchmark %q is not like BenchmarkHashAll/workers=2", t.Benchmark))
	}
	if t.Baseline != "" && !benchName.MatchString(t.Baseline) {
		p = append(p, fmt.Sprintf("baseline %q is not like BenchmarkHashAll/workers=1", t.Baseline))
	}
	if t.CPU < 1 || t.BaselineCPU < 0 {
		p = append(p, "cpu must be at least 1 (and baseline_cpu 0, meaning cpu, or more)")
	}
	if t.Baseline == "" && t.BaselineCPU != 0 {
		p = append(p, "baseline_cpu without a baseline")
	}
	if t.Baseline == t.Benchmark && t.BaselineCPU == 0 {
		p = append(p, "compares a benchmark with itself at the same -cpu")
	}
	if !unit.MatchString(t.Metric) {
		p = append(p, "needs a metric, like MB/s or ns/op")
	}
	switch {
	case t.Min == nil && t.Max == nil:
		p = append(p, "needs min, max or both")
	case t.Min != nil && t.Max != nil && *t.Min > *t.Max:
		p = append(p, "min is above max")
	}
	return p
}

// BaselineAt returns the -cpu value the target's baseline is measured at.
func (t *Target) BaselineAt() int {
	if t.BaselineCPU == 0 {
		return t.CPU
	}
	return t.BaselineCPU
}

// Met reports whether a value (or ratio) meets the target's bounds.
func (t *Target) Met(v float64) bool {
	return (t.Min == nil || v >= *t.Min) && (t.Max == nil || v <= *t.Max)
}

// Bound returns the target's bounds as text, like "≥ 1.8" or "0.9 … 1.1".
func (t *Target) Bound() string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch {
	case t.Min != nil && t.Max != nil:
		return f(*t.Min) + " … " + f(*t.Max)
	case t.Min != nil:
		return "≥ " + f(*t.Min)
	case t.Max != nil:
		return "≤ " + f(*t.Max)
	}
	return ""
}

// ID returns the exercise's identifier, like "03_race/mutex".
func (e *Exercise) ID() string { return e.Chapter.ID + "/" + e.Name }

// RunPattern returns the -run pattern that selects exactly the exercise's tests.
func (e *Exercise) RunPattern() string { return "^(" + strings.Join(e.Tests, "|") + ")$" }

// Command returns the command a learner types to run the exercise.
func (e *Exercise) Command() string { return e.CommandIn("exercises") }

// CommandIn returns the command that runs the exercise's tests in tree (exercises,
// solutions, or another tree of chapters).
func (e *Exercise) CommandIn(tree string) string {
	return fmt.Sprintf("go test -race -run '%s' ./%s/%s", e.RunPattern(), tree, e.Chapter.ID)
}

// Exercises returns every exercise in workbook order.
func (m *Manifest) Exercises() []*Exercise {
	var all []*Exercise
	for _, c := range m.Chapters {
		all = append(all, c.Exercises...)
	}
	return all
}

// Find returns the exercise named by id: "03_race/mutex", "race/mutex" or a unique
// exercise name such as "mutex".
func (m *Manifest) Find(id string) (*Exercise, error) {
	found := m.Matching(id)
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("no exercise %q: run `go run ./cmd/workbook list` to see them", id)
	default:
		return nil, fmt.Errorf("%q names %d exercises: say which chapter, like %s", id, len(found), found[0].ID())
	}
}

// Matching returns the exercises id names, as Find reads it.
func (m *Manifest) Matching(id string) []*Exercise {
	var found []*Exercise
	for _, e := range m.Exercises() {
		chapter, ex, ok := strings.Cut(id, "/")
		switch {
		case !ok && e.Name == id,
			ok && e.Name == ex && (e.Chapter.ID == chapter || strings.TrimLeft(e.Chapter.ID, "0123456789_") == chapter):
			found = append(found, e)
		}
	}
	return found
}

// Writes reports whether the learner writes the tests of e (kind "tests").
func (e *Exercise) Writes() bool { return e.Kind == "tests" }

// LearnerFiles returns the set of the learner's files, slash-separated paths relative
// to the root of a tree ("03_race/mutex.go" under exercises/ is "exercises/03_race/mutex.go"
// with tree "exercises").
func (m *Manifest) LearnerFiles(tree string) map[string]bool {
	set := map[string]bool{}
	for _, e := range m.Exercises() {
		for _, f := range e.Files {
			set[tree+"/"+e.Chapter.ID+"/"+f] = true
		}
	}
	return set
}
