package manifest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
)

// Mutant is one classic wrong answer: files that replace a solution's.
type Mutant struct {
	Chapter   *Chapter
	Name      string
	Dir       string            // testdata/mutants/NN_topic/NAME, absolute
	Overlay   map[string]string // solution file → mutant file, absolute
	Bug       string
	CaughtBy  []string
	Unchecked string // what a learner's tests that let it survive do not check (kind "tests")
}

// MutantHeader is the first line of every mutant file: the bug, the tests that catch it,
// and for a chapter whose learners write the tests, the property a learner's tests that
// let it survive do not check.
var MutantHeader = regexp.MustCompile(`^// mutant: (.+?); caught by ((?:Test|Example)\w+(?:, (?:Test|Example)\w+)*)(?:; unchecked: (.+))?$`)

// mutantsDir holds the mutants, one directory a chapter, under the root.
const mutantsDir = "testdata/mutants"

// LoadMutants reads every mutant under testdata/mutants, and what is wrong with the
// malformed ones (by "chapter/name").
func LoadMutants(root string, m *Manifest) (all []*Mutant, problems map[string][]string) {
	problems = map[string][]string{}
	base := filepath.Join(root, filepath.FromSlash(mutantsDir))
	for _, ch := range m.Chapters {
		entries, err := os.ReadDir(filepath.Join(base, ch.ID))
		if err != nil || len(entries) == 0 {
			problems[ch.ID] = append(problems[ch.ID], "no "+mutantsDir+"/"+ch.ID+"/")
			continue
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			mu := &Mutant{Chapter: ch, Name: e.Name(), Dir: filepath.Join(base, ch.ID, e.Name()), Overlay: map[string]string{}}
			var bad []string
			for name := range layout.Files(mu.Dir) {
				if !strings.HasSuffix(name, ".go") {
					continue
				}
				mu.Overlay[filepath.Join(root, "solutions", ch.ID, name)] = filepath.Join(mu.Dir, name)
				b, _ := os.ReadFile(filepath.Join(mu.Dir, name))
				first, _, _ := strings.Cut(string(b), "\n")
				h := MutantHeader.FindStringSubmatch(strings.TrimSpace(first))
				if h == nil {
					bad = append(bad, name+": first line is not `// mutant: <bug>; caught by TestA, TestB`")
					continue
				}
				mu.Bug, mu.CaughtBy, mu.Unchecked = h[1], strings.Split(h[2], ", "), h[3]
			}
			for _, test := range mu.CaughtBy {
				if !slices.ContainsFunc(ch.Exercises, func(e *Exercise) bool { return slices.Contains(e.Tests, test) }) {
					bad = append(bad, test+" is not a test of "+ch.ID+" in the manifest")
				}
			}
			if len(mu.Overlay) == 0 {
				bad = append(bad, "no .go files")
			}
			if len(bad) > 0 {
				problems[ch.ID+"/"+mu.Name] = bad
				continue
			}
			all = append(all, mu)
		}
	}
	return all, problems
}

// Of returns the mutants of an exercise whose learner writes the tests: those that
// replace only files of its subject.
func (mu *Mutant) Of(e *Exercise) bool {
	if mu.Chapter != e.Chapter || len(mu.Overlay) == 0 {
		return false
	}
	for _, to := range mu.Overlay {
		if !slices.Contains(e.Subject, filepath.Base(to)) {
			return false
		}
	}
	return true
}
