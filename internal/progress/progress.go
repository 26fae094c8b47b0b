// Package progress remembers each exercise's last result, keyed by everything that
// result depends on, and knows the starting code by its checksums, so that status shows
// the learner's progress without running anything, and passing one exercise never
// un-passes another.
package progress

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/explain"
	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
	"github.com/go-concurrency-workbook/workbook/internal/sums"
)

// StartingSums is the checksum file of the starting code: every non-test file under
// exercises/ as shipped. `make check` proves that the starting code fails, so status can
// show untouched starting code as "to do" without running it.
const StartingSums = "testdata/workbook/starting.sum"

// Key returns the key of an exercise's result: a digest of everything a run of its tests
// depends on: the exercise's own files, the chapter's other non-test files that no
// exercise names (shared code), the chapter's test files, internal/, the chapter's
// testdata, go.mod, go.sum and the Go version. Another exercise's files are not in it,
// nor what the build never reads (the guides, a FILE.mine that reset saved, notes).
func Key(root string, e *manifest.Exercise) (string, error) {
	others := map[string]bool{}
	for _, o := range e.Chapter.Exercises {
		if o != e {
			for _, f := range o.Files {
				others[f] = true
			}
		}
	}
	mine := map[string]bool{}
	for _, f := range e.Files {
		mine[f] = true
	}
	dir := layout.ChapterDir(layout.Exercises, e.Chapter.ID)
	all := sums.Sums{}
	chapter, err := sums.Tree(root, dir, func(rel string) bool {
		name := strings.TrimPrefix(rel, dir+"/")
		return !strings.Contains(name, "/") && strings.HasSuffix(name, ".go") && (mine[name] || !others[name])
	})
	if err != nil {
		return "", err
	}
	for _, part := range []string{"internal", "testdata/" + e.Chapter.ID, "go.mod", "go.sum"} {
		s, err := sums.Tree(root, part, nil)
		if err != nil {
			return "", err
		}
		for k, v := range s {
			all[k] = v
		}
	}
	for k, v := range chapter {
		all[k] = v
	}
	return all.Digest(runtime.Version(), e.ID()), nil
}

// State is what the tool remembers between runs, in .workbook/state.json (git ignores it).
type State struct {
	Schema    int                `json:"schema"`
	Exercises map[string]*Result `json:"exercises"` // by exercise ID
	Hints     map[string]int     `json:"hints"`     // exercise ID → hints shown
}

// Result is the last result of one exercise.
type Result struct {
	Key        string        `json:"key"` // Key of the files it was found on
	Status     runner.Status `json:"status"`
	Kind       explain.Kind  `json:"kind,omitempty"`
	Failed     []string      `json:"failed,omitempty"`
	DoneBefore bool          `json:"done_before,omitempty"` // it passed on earlier files
}

const schema = 2

func statePath(root string) string { return filepath.Join(root, layout.State, "state.json") }

// Load reads the state; a missing, damaged or older one is as good as none.
func Load(root string) *State {
	s := &State{}
	if b, err := os.ReadFile(statePath(root)); err == nil {
		_ = json.Unmarshal(b, s)
	}
	if s.Schema != schema {
		hints := s.Hints
		s = &State{Hints: hints}
	}
	s.Schema = schema
	if s.Exercises == nil {
		s.Exercises = map[string]*Result{}
	}
	if s.Hints == nil {
		s.Hints = map[string]int{}
	}
	return s
}

// Save writes the state through a temporary file and a rename, so that a command reading
// it never sees half a file.
func (s *State) Save(root string) error {
	p := statePath(root)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return sums.WriteFile(p, b)
}

// Record remembers a result of e found on the files of key, in the state on disk.
func Record(root string, e *manifest.Exercise, key string, status runner.Status, kind explain.Kind, failed []string) error {
	s := Load(root) // fresh: another command may have saved since
	r := &Result{Key: key, Status: status, Kind: kind, Failed: failed}
	if old := s.Exercises[e.ID()]; old != nil && old.Key != key {
		r.DoneBefore = old.Status == runner.Pass || old.DoneBefore
	}
	s.Exercises[e.ID()] = r
	return s.Save(root)
}

// Status is where an exercise stands, as status shows it.
type Status string

// The statuses status shows.
const (
	Done    Status = "done"    // its tests passed on exactly the files there now
	Failing Status = "failing" // its tests failed on exactly the files there now
	ToDo    Status = "to do"   // the starting code, untouched: it fails by construction
	Changed Status = "changed" // edited since the start, and not run since
)

// View is what status knows about one exercise without running anything.
type View struct {
	Exercise   *manifest.Exercise
	Key        string
	Status     Status
	Kind       explain.Kind // the kind of the last failure, if it is failing
	Failed     []string     // the tests that failed last time, if it is failing
	DoneBefore bool         // it passed on an earlier version of its files
}

// Views returns the status of every exercise in workbook order. It hashes files and reads
// the state; it runs nothing.
func Views(root string, m *manifest.Manifest, s *State) []View {
	start := loadStartingSums(root)
	var views []View
	for _, ch := range m.Chapters {
		pristine := pristineExercises(root, ch, start)
		for _, e := range ch.Exercises {
			key, _ := Key(root, e)
			v := View{Exercise: e, Key: key}
			r := s.Exercises[e.ID()]
			switch {
			case r != nil && key != "" && r.Key == key && r.Status == runner.Pass:
				v.Status = Done
			case r != nil && key != "" && r.Key == key:
				v.Status, v.Kind, v.Failed = Failing, r.Kind, r.Failed
			case pristine[e.Name]:
				v.Status = ToDo
			default:
				v.Status = Changed
			}
			v.DoneBefore = v.Status != Done && r != nil && (r.Status == runner.Pass || r.DoneBefore)
			views = append(views, v)
		}
	}
	return views
}

// Next returns the first exercise not done, or nil.
func Next(views []View) *View {
	for i := range views {
		if views[i].Status != Done {
			return &views[i]
		}
	}
	return nil
}

// CountDone returns how many of views are done.
func CountDone(views []View) int {
	n := 0
	for _, v := range views {
		if v.Status == Done {
			n++
		}
	}
	return n
}

// startingFiles returns the sums of every non-test file under exercises/.
func startingFiles(root string) (sums.Sums, error) {
	learner := map[string]bool{}
	if m, err := manifest.Load(root); err == nil {
		learner = m.LearnerFiles(layout.Exercises) // test files too, where the learner writes the tests
	}
	return sums.Tree(root, layout.Exercises, func(rel string) bool { return !strings.HasSuffix(rel, "_test.go") || learner[rel] })
}

const startingHeader = "SHA-256 of the starting code: go run ./cmd/workbook dev starting-sums -w"

// WriteStartingSums rewrites StartingSums from the exercises there now.
func WriteStartingSums(root string) error {
	s, err := startingFiles(root)
	if err != nil {
		return err
	}
	p := filepath.Join(root, filepath.FromSlash(StartingSums))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, s.Format(startingHeader), 0o644)
}

// StartingSumsCurrent reports whether StartingSums describes the exercises there now.
func StartingSumsCurrent(root string) (bool, error) {
	s, err := startingFiles(root)
	if err != nil {
		return false, err
	}
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(StartingSums)))
	if err != nil {
		return false, err
	}
	return string(b) == string(s.Format(startingHeader)), nil
}

// StartingSum returns the starting code's digest of a file (slash path under root), if
// it is known.
func StartingSum(root, rel string) (string, bool) {
	s := loadStartingSums(root)
	d, ok := s[rel]
	return d, ok
}

func loadStartingSums(root string) sums.Sums {
	b, err := sums.ReadFile(filepath.Join(root, filepath.FromSlash(StartingSums)))
	if err != nil {
		return nil
	}
	s, err := sums.Parse(b)
	if err != nil {
		return nil
	}
	return s
}

// pristineExercises reports which exercises of a chapter are the starting code: their own
// files, and the chapter's non-test files that no exercise names, are byte for byte the
// shipped ones, and no non-test file was added or removed.
func pristineExercises(root string, ch *manifest.Chapter, start sums.Sums) map[string]bool {
	pristine := map[string]bool{}
	if start == nil {
		return pristine
	}
	dir := layout.ChapterDir(layout.Exercises, ch.ID)
	own := map[string]bool{}
	for _, e := range ch.Exercises {
		for _, f := range e.Files {
			own[dir+"/"+f] = true
		}
	}
	// A file the build never reads (FILE.mine that reset saved, the learner's notes)
	// changes nothing: only Go files and the files shipped count.
	now, err := sums.Tree(root, dir, func(rel string) bool {
		_, wasShipped := start[rel]
		return (!strings.HasSuffix(rel, "_test.go") || own[rel]) && path.Dir(rel) == dir &&
			(strings.HasSuffix(rel, ".go") || wasShipped)
	})
	if err != nil {
		return pristine
	}
	shipped := sums.Sums{}
	for p, d := range start {
		if path.Dir(p) == dir {
			shipped[p] = d
		}
	}
	changed := map[string]bool{}
	sharedOK := true
	for _, c := range sums.Diff(shipped, now) {
		changed[c.Path] = true
		if c.Change != "edited" || !own[c.Path] {
			sharedOK = false // a file added, removed, or a shared one edited
		}
	}
	for _, e := range ch.Exercises {
		ok := sharedOK
		for _, f := range e.Files {
			ok = ok && !changed[dir+"/"+f] && slices.Contains(keys(shipped), dir+"/"+f)
		}
		pristine[e.Name] = ok
	}
	return pristine
}

func keys(s sums.Sums) []string {
	var k []string
	for p := range s {
		k = append(k, p)
	}
	return k
}
