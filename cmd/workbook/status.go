package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// state is what the tool remembers between runs, in .workbook/state.json (git ignores
// it). Results are keyed by a hash of the chapter's files, so a stale entry is never used.
type state struct {
	Chapters map[string]chapterState `json:"chapters"`
	Hints    map[string]int          `json:"hints"` // exercise ID → hints shown
}

type chapterState struct {
	Hash       string                   `json:"hash"` // chapterHash of the files the results were found on
	BuildErr   string                   `json:"build_error,omitempty"`
	Exercises  map[string]exerciseState `json:"exercises"`
	DoneBefore []string                 `json:"done_before,omitempty"` // exercises that passed on earlier files
}

type exerciseState struct {
	Done   bool     `json:"done"`
	Failed []string `json:"failed,omitempty"`
	Kind   string   `json:"kind,omitempty"` // the kind of failure (explain.go)
}

// chapterAt returns the remembered state of a chapter for the files of the given hash:
// the remembered one if its hash is that, else an empty one that notes which exercises
// passed on earlier files.
func (s *state) chapterAt(id, hash string) chapterState {
	old, ok := s.Chapters[id]
	if ok && old.Hash == hash {
		if old.Exercises == nil {
			old.Exercises = map[string]exerciseState{}
		}
		return old
	}
	cs := chapterState{Hash: hash, Exercises: map[string]exerciseState{}, DoneBefore: old.DoneBefore}
	for name, es := range old.Exercises {
		if es.Done && !slices.Contains(cs.DoneBefore, name) {
			cs.DoneBefore = append(cs.DoneBefore, name)
		}
	}
	sort.Strings(cs.DoneBefore)
	return cs
}

func statePath(root string) string { return filepath.Join(root, ".workbook", "state.json") }

func loadState(root string) *state {
	s := &state{}
	if b, err := os.ReadFile(statePath(root)); err == nil {
		_ = json.Unmarshal(b, s) // a damaged state file is as good as none
	}
	if s.Chapters == nil {
		s.Chapters = map[string]chapterState{}
	}
	if s.Hints == nil {
		s.Hints = map[string]int{}
	}
	return s
}

func (s *state) save(root string) error {
	if err := os.MkdirAll(filepath.Dir(statePath(root)), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	// Write and rename, so that a command reading the state never sees half a file.
	f, err := os.CreateTemp(filepath.Dir(statePath(root)), "state-*.json")
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(f.Name())
		return errors.Join(werr, cerr)
	}
	if err := os.Rename(f.Name(), statePath(root)); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// chapterHash hashes every file of a chapter's exercise directory, the test support and
// the testdata it reads, and the Go version, so that any change reruns the chapter.
func chapterHash(root string, ch *manifest.Chapter) string {
	h := sha256.New()
	fmt.Fprintln(h, runtime.Version())
	for _, dir := range []string{filepath.Join("exercises", ch.ID), "internal", filepath.Join("testdata", ch.ID), "go.mod"} {
		filepath.Walk(filepath.Join(root, dir), func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return nil
			}
			f, err := os.Open(p)
			if err != nil {
				return nil
			}
			defer f.Close()
			rel, _ := filepath.Rel(root, p)
			fmt.Fprintln(h, filepath.ToSlash(rel))
			io.Copy(h, f)
			return nil
		})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// progress runs the tests of every exercise that has no result for its current files
// (status -check), remembers the results, and returns the state.
func progress(root string, m *manifest.Manifest) *state {
	s := loadState(root)
	tmp, err := os.MkdirTemp("", "workbook-status-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook:", err)
		return s
	}
	defer os.RemoveAll(tmp)
	ctx := context.Background()
	var mu sync.Mutex
	var jobs []func()
	for _, ch := range m.Chapters {
		hash := chapterHash(root, ch)
		cs := s.chapterAt(ch.ID, hash)
		var todo []*manifest.Exercise
		for _, e := range ch.Exercises {
			if _, ok := cs.Exercises[e.Name]; !ok && cs.BuildErr == "" {
				todo = append(todo, e)
			}
		}
		if len(todo) == 0 {
			continue
		}
		jobs = append(jobs, func() {
			fmt.Fprintf(os.Stderr, "checking %s ...\n", ch.ID)
			dir := filepath.Join("exercises", ch.ID)
			bin := filepath.Join(tmp, ch.ID+".test")
			if runtime.GOOS == "windows" {
				bin += ".exe"
			}
			if err := buildTest(ctx, root, dir, bin, true, nil); err != nil {
				cs.BuildErr = err.Error()
			} else {
				for _, e := range todo {
					r := runTest(ctx, bin, filepath.Join(root, dir), e.RunPattern(), testLimit, "-test.failfast")
					var es exerciseState
					es.Done, es.Failed = r.verdict(e.Tests)
					if !es.Done {
						es.Kind, _ = classify(r.Output)
					}
					cs.Exercises[e.Name] = es
				}
			}
			mu.Lock()
			s.Chapters[ch.ID] = cs
			mu.Unlock()
		})
	}
	parallel(runtime.GOMAXPROCS(0), jobs)
	if len(jobs) > 0 {
		if err := s.save(root); err != nil {
			fmt.Fprintln(os.Stderr, "workbook: cannot remember progress:", err)
		}
	}
	return s
}

// The status of one exercise, as status shows it.
const (
	statusDone    = "done"    // its tests passed on exactly the files there now
	statusFailing = "failing" // its tests failed on exactly the files there now
	statusStart   = "to do"   // the starting code, untouched: it fails by construction
	statusChanged = "changed" // edited since the start, and not run since
)

// exerciseView is what status knows about one exercise without running anything.
type exerciseView struct {
	Exercise   *manifest.Exercise
	Status     string
	Kind       string   // the kind of the last failure, if it is failing
	Failed     []string // the tests that failed last time, if it is failing
	DoneBefore bool     // it passed on an earlier version of the chapter's files
}

// viewAll returns the status of every exercise in workbook order. It hashes files and
// reads the state file; it runs nothing. A remembered result counts only if the hash of
// everything it depends on is unchanged; an exercise without one is "to do" when its
// files are the starting code byte for byte (testdata/workbook/starting.sum), and
// "changed" otherwise.
func viewAll(root string, m *manifest.Manifest, s *state) []exerciseView {
	sums := loadStartingSums(root)
	var views []exerciseView
	for _, ch := range m.Chapters {
		cs, remembered := s.Chapters[ch.ID]
		current := remembered && cs.Hash == chapterHash(root, ch)
		var pristine map[string]bool
		for _, e := range ch.Exercises {
			v := exerciseView{Exercise: e}
			es, ok := cs.Exercises[e.Name]
			switch {
			case current && cs.BuildErr != "":
				v.Status, v.Kind = statusFailing, kindBuild
			case current && ok && es.Done:
				v.Status = statusDone
			case current && ok:
				v.Status, v.Kind, v.Failed = statusFailing, es.Kind, es.Failed
			default:
				if pristine == nil {
					pristine = pristineExercises(root, ch, sums)
				}
				v.Status = statusChanged
				if pristine[e.Name] {
					v.Status = statusStart
				}
			}
			v.DoneBefore = v.Status != statusDone && remembered && (!current && es.Done || slices.Contains(cs.DoneBefore, e.Name))
			views = append(views, v)
		}
	}
	return views
}

// nextExercise returns the first exercise not done, or nil.
func nextExercise(views []exerciseView) *exerciseView {
	for i := range views {
		if views[i].Status != statusDone {
			return &views[i]
		}
	}
	return nil
}

// kindTitles are the few words status shows for the kind of a failure.
var kindTitles = map[string]string{
	kindBuild: "does not compile", kindTimeout: "timed out", kindConcurrentMap: "concurrent map writes",
	kindDeadlock: "deadlock", kindUnlockUnlocked: "unlock of unlocked mutex",
	kindWaitGroupNegative: "negative WaitGroup counter", kindSendClosed: "send on closed channel",
	kindCloseClosed: "close of closed channel", kindSynctestDeadlock: "deadlock in the bubble",
	kindRace: "data race", kindWatchdog: "stuck (watchdog)", kindLeak: "goroutine leak",
	kindPanic: "panic", kindWrong: "wrong result", kindUnknown: "no verdict",
}

func cmdStatus(root string, args []string) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	check := fs.Bool("check", false, "run the tests of every exercise that has no current result")
	writeSums := fs.Bool("write-starting-sums", false, "") // for maintainers: regenerate "+startingSumsFile
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *writeSums {
		if err := writeStartingSums(root); err != nil {
			fmt.Fprintln(os.Stderr, "workbook:", err)
			return 1
		}
		return 0
	}
	m, err := manifest.Load(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook:", err)
		return 2
	}
	s := loadState(root)
	if *check {
		s = progress(root, m)
	}
	views := viewAll(root, m, s)
	done := 0
	for _, v := range views {
		if v.Status == statusDone {
			done++
		}
	}
	fmt.Printf("Go Concurrency Workbook: %d of %d exercises done\n%s\n", done, len(views), bar(done, len(views), 40))
	i := 0
	for _, ch := range m.Chapters {
		fmt.Printf("\n%s · %s\n", ch.ID[:2], ch.Title)
		if cs := s.Chapters[ch.ID]; cs.BuildErr != "" && cs.Hash == chapterHash(root, ch) {
			fmt.Printf("  does not build:\n%s\n", excerpt(cs.BuildErr, 8))
		}
		for range ch.Exercises {
			v := views[i]
			i++
			note := ""
			switch v.Status {
			case statusFailing:
				note = "  (last run: " + kindTitles[v.Kind] + ")"
			case statusChanged:
				note = "  (not checked: run `go run ./cmd/workbook run " + v.Exercise.ID() + "`"
				if v.DoneBefore {
					note += "; it passed before"
				}
				note += ")"
			}
			mark := v.Status
			if mark == statusFailing {
				mark = "to do"
			}
			fmt.Printf("  %-7s  %-12s %s%s\n", mark, v.Exercise.Name, v.Exercise.Title, note)
		}
	}
	fmt.Println()
	next := nextExercise(views)
	if next == nil {
		fmt.Println("Every exercise passes. Now run the benchmarks: make bench TREE=exercises")
		return 0
	}
	e := next.Exercise
	fmt.Printf("Next: %s (%s)\n  go run ./cmd/workbook run %s\n  (or: %s)\n", e.ID(), e.Title, e.ID(), e.Command())
	fmt.Printf("  guide: exercises/%s/README.md    a hint: go run ./cmd/workbook hint %s\n", e.Chapter.ID, e.ID())
	if failed := next.Failed; len(failed) > 0 {
		failed = slices.Clone(failed)
		sort.Strings(failed)
		fmt.Printf("  failing now: %s\n", strings.Join(failed, ", "))
	}
	return 0
}

func bar(done, total, width int) string {
	n := 0
	if total > 0 {
		n = done * width / total
	}
	return fmt.Sprintf("[%s%s] %d%%", strings.Repeat("#", n), strings.Repeat("-", width-n), done*100/max(total, 1))
}

func cmdList(root string, args []string) int {
	m, err := manifest.Load(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook:", err)
		return 2
	}
	for _, e := range m.Exercises() {
		fmt.Printf("%-24s %-9s %s\n    %s\n", e.ID(), e.Kind, e.Title, e.Command())
	}
	return 0
}

func cmdHint(root string, args []string) int {
	m, err := manifest.Load(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook:", err)
		return 2
	}
	var e *manifest.Exercise
	if len(args) > 0 {
		if e, err = m.Find(args[0]); err != nil {
			fmt.Fprintln(os.Stderr, "workbook hint:", err)
			return 2
		}
	} else {
		next := nextExercise(viewAll(root, m, loadState(root)))
		if next == nil {
			fmt.Println("Every exercise passes: no hint needed.")
			return 0
		}
		e = next.Exercise
	}
	s := loadState(root)
	n := min(s.Hints[e.ID()]+1, len(e.Hints))
	fmt.Printf("%s, hint %d of %d:\n  %s\n", e.ID(), n, len(e.Hints), e.Hints[n-1])
	if n < len(e.Hints) {
		fmt.Printf("(run it again for the next one; the guide has them all: exercises/%s/README.md)\n", e.Chapter.ID)
	}
	s.Hints[e.ID()] = n
	if err := s.save(root); err != nil {
		fmt.Fprintln(os.Stderr, "workbook: cannot remember the hint:", err)
	}
	return 0
}

// startingSumsFile lists the SHA-256 of every non-test file of exercises/ as shipped, so
// that status knows untouched starting code (which fails by construction: make check
// proves it) without running it. `go run ./cmd/workbook status -write-starting-sums`
// regenerates it; make check checks that it is current.
const startingSumsFile = "testdata/workbook/starting.sum"

// startingFiles returns the SHA-256 of every non-test file under exercises/, by path
// relative to root with forward slashes.
func startingFiles(root string) (map[string]string, error) {
	sums := map[string]string{}
	err := filepath.WalkDir(filepath.Join(root, "exercises"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		sums[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	return sums, err
}

// formatStartingSums renders sums like sha256sum does, sorted by path.
func formatStartingSums(sums map[string]string) string {
	var b strings.Builder
	b.WriteString("# SHA-256 of the starting code: go run ./cmd/workbook status -write-starting-sums\n")
	for _, p := range slices.Sorted(maps.Keys(sums)) {
		fmt.Fprintf(&b, "%s  %s\n", sums[p], p)
	}
	return b.String()
}

func writeStartingSums(root string) error {
	sums, err := startingFiles(root)
	if err != nil {
		return err
	}
	path := filepath.Join(root, filepath.FromSlash(startingSumsFile))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(formatStartingSums(sums)), 0o644)
}

// loadStartingSums reads startingSumsFile; nil if there is none (then nothing is known
// to be the starting code).
func loadStartingSums(root string) map[string]string {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(startingSumsFile)))
	if err != nil {
		return nil
	}
	sums := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		sum, p, ok := strings.Cut(line, "  ")
		if ok && !strings.HasPrefix(line, "#") {
			sums[p] = sum
		}
	}
	return sums
}

// pristineExercises reports which exercises of a chapter are the starting code: their
// own files, and the chapter's non-test files that no exercise names, are byte for byte
// the shipped ones, and no non-test file was added or removed.
func pristineExercises(root string, ch *manifest.Chapter, sums map[string]string) map[string]bool {
	pristine := map[string]bool{}
	if sums == nil {
		return pristine
	}
	prefix := "exercises/" + ch.ID + "/"
	same := map[string]bool{} // file name in the chapter → unchanged
	sharedOK := true
	entries, err := os.ReadDir(filepath.Join(root, "exercises", ch.ID))
	if err != nil {
		return pristine
	}
	seen := 0
	for _, d := range entries {
		name := d.Name()
		if !d.Type().IsRegular() || strings.HasSuffix(name, "_test.go") {
			continue
		}
		want, ok := sums[prefix+name]
		if !ok {
			sharedOK = false // a file was added
			continue
		}
		seen++
		b, err := os.ReadFile(filepath.Join(root, "exercises", ch.ID, name))
		sum := sha256.Sum256(b)
		same[name] = err == nil && hex.EncodeToString(sum[:]) == want
	}
	for p := range sums {
		if strings.HasPrefix(p, prefix) && !strings.Contains(p[len(prefix):], "/") {
			seen--
		}
	}
	if seen != 0 {
		sharedOK = false // a file was removed
	}
	own := map[string]bool{}
	for _, e := range ch.Exercises {
		for _, f := range e.Files {
			own[f] = true
		}
	}
	for name, ok := range same {
		if !own[name] && !ok {
			sharedOK = false
		}
	}
	for _, e := range ch.Exercises {
		ok := sharedOK
		for _, f := range e.Files {
			ok = ok && same[f]
		}
		pristine[e.Name] = ok
	}
	return pristine
}

// startingSums checks that startingSumsFile describes exercises/ as it is (make check).
func (c *checker) startingSums(ctx context.Context) {
	sums, err := startingFiles(c.root)
	b, rerr := os.ReadFile(filepath.Join(c.root, filepath.FromSlash(startingSumsFile)))
	c.check(startingSumsFile+" holds the sums of the starting code", err == nil && rerr == nil && string(b) == formatStartingSums(sums),
		"    run `go run ./cmd/workbook status -write-starting-sums` after changing the starting code")
}
