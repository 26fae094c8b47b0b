package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// state is what the tool remembers between runs, in .workbook/state.json (git ignores
// it). Results are keyed by a hash of the chapter's files, so a stale entry is never used.
type state struct {
	Chapters map[string]chapterState `json:"chapters"`
	Hints    map[string]int          `json:"hints"` // exercise ID → hints shown
}

type chapterState struct {
	Hash      string                   `json:"hash"`
	BuildErr  string                   `json:"build_error,omitempty"`
	Exercises map[string]exerciseState `json:"exercises"`
}

type exerciseState struct {
	Done   bool     `json:"done"`
	Failed []string `json:"failed,omitempty"`
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
	return os.WriteFile(statePath(root), b, 0o644)
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
			fmt.Fprintln(h, p)
			io.Copy(h, f)
			return nil
		})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// progress runs (or recalls) every exercise's tests and returns the state.
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
		if cs, ok := s.Chapters[ch.ID]; ok && cs.Hash == hash {
			continue
		}
		jobs = append(jobs, func() {
			fmt.Fprintf(os.Stderr, "checking %s ...\n", ch.ID)
			cs := chapterState{Hash: hash, Exercises: map[string]exerciseState{}}
			dir := filepath.Join("exercises", ch.ID)
			bin := filepath.Join(tmp, ch.ID+".test")
			if runtime.GOOS == "windows" {
				bin += ".exe"
			}
			if err := buildTest(ctx, root, dir, bin, true, nil); err != nil {
				cs.BuildErr = err.Error()
			} else {
				for _, e := range ch.Exercises {
					r := runTest(ctx, bin, filepath.Join(root, dir), e.RunPattern(), testLimit, "-test.failfast")
					es := exerciseState{Done: true}
					for _, t := range e.Tests {
						if !r.Passed[t] {
							es.Done = false
							if r.Failed[t] {
								es.Failed = append(es.Failed, t)
							}
						}
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

func cmdStatus(root string, args []string) int {
	m, err := manifest.Load(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook:", err)
		return 2
	}
	start := time.Now()
	s := progress(root, m)
	all := m.Exercises()
	done := 0
	var next *manifest.Exercise
	for _, e := range all {
		if s.Chapters[e.Chapter.ID].Exercises[e.Name].Done {
			done++
		} else if next == nil {
			next = e
		}
	}
	fmt.Printf("Go Concurrency Workbook: %d of %d exercises done\n%s\n", done, len(all), bar(done, len(all), 40))
	for _, ch := range m.Chapters {
		cs := s.Chapters[ch.ID]
		fmt.Printf("\n%s · %s\n", ch.ID[:2], ch.Title)
		if cs.BuildErr != "" {
			fmt.Printf("  does not build:\n%s\n", excerpt(cs.BuildErr, 8))
		}
		for _, e := range ch.Exercises {
			mark := "to do"
			if cs.Exercises[e.Name].Done {
				mark = "done "
			}
			fmt.Printf("  %s  %-12s %s\n", mark, e.Name, e.Title)
		}
	}
	fmt.Println()
	if next == nil {
		fmt.Println("Every exercise passes. Now run the benchmarks: make bench")
		return 0
	}
	fmt.Printf("Next: %s (%s)\n  %s\n", next.ID(), next.Title, next.Command())
	fmt.Printf("  guide: exercises/%s/README.md    a hint: go run ./cmd/workbook hint %s\n", next.Chapter.ID, next.ID())
	if failed := s.Chapters[next.Chapter.ID].Exercises[next.Name].Failed; len(failed) > 0 {
		sort.Strings(failed)
		fmt.Printf("  failing now: %s\n", strings.Join(failed, ", "))
	}
	if time.Since(start) > 2*time.Second {
		fmt.Fprintf(os.Stderr, "(checked in %.0fs; unchanged chapters are remembered)\n", time.Since(start).Seconds())
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
		s := progress(root, m)
		for _, x := range m.Exercises() {
			if !s.Chapters[x.Chapter.ID].Exercises[x.Name].Done {
				e = x
				break
			}
		}
		if e == nil {
			fmt.Println("Every exercise passes: no hint needed.")
			return 0
		}
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
