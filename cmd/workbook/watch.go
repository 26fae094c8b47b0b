package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// watchPoll is how often watch looks at the chapter's files. A change reruns the tests
// once the files have stayed the same for one more poll (the debounce), so that an
// editor's save in several writes runs them once.
const watchPoll = 300 * time.Millisecond

// exerciseRunner runs one exercise's tests, prints the outcome, and reports whether every
// test of the exercise passed. It returns false, soon, once ctx is cancelled.
type exerciseRunner func(ctx context.Context, w io.Writer, e *manifest.Exercise) bool

// watcher reruns the current exercise whenever a file of its chapter changes and moves on
// to the next exercise when it passes. Its clock (wait), its view of the files
// (snapshot) and its runner are fields, so that tests drive it step by step.
type watcher struct {
	out      io.Writer
	run      exerciseRunner
	snapshot func(dir string) string // a digest of the files in dir
	dir      func(e *manifest.Exercise) string
	wait     func(ctx context.Context) bool // until the next poll; false once ctx is cancelled
}

// loop works through todo, the exercises not done yet in workbook order, until every one
// has passed (it returns true) or ctx is cancelled (it returns false).
func (w *watcher) loop(ctx context.Context, todo []*manifest.Exercise) bool {
	for i := 0; i < len(todo); {
		e := todo[i]
		dir := w.dir(e)
		// The digest is taken before the run: a save during the run reruns the tests.
		last := w.snapshot(dir)
		fmt.Fprintf(w.out, "\n── %s (%s), %d of %d to go\n   %s\n", e.ID(), e.Title, len(todo)-i, len(todo), e.Command())
		passed := w.run(ctx, w.out, e)
		if ctx.Err() != nil {
			return false
		}
		if passed {
			fmt.Fprintf(w.out, "✓ %s passes.\n", e.ID())
			i++
			continue
		}
		fmt.Fprintf(w.out, "watching %s for changes (Ctrl-C to stop; a hint: go run ./cmd/workbook hint %s)\n",
			filepath.ToSlash(dir), e.ID())
		if !w.waitForChange(ctx, dir, last) {
			return false
		}
	}
	fmt.Fprintln(w.out, "\nEvery exercise passes. Now run the benchmarks: go run ./cmd/workbook bench")
	return true
}

// waitForChange polls the files of dir until they differ from last and then stay the
// same for one more poll. It returns false if ctx is cancelled first.
func (w *watcher) waitForChange(ctx context.Context, dir, last string) bool {
	changed := false
	for w.wait(ctx) {
		now := w.snapshot(dir)
		switch {
		case now != last:
			last, changed = now, true
		case changed:
			return true
		}
	}
	return false
}

// tickerWait returns a wait function for watcher that waits for the next tick.
func tickerWait(ticks <-chan time.Time) func(ctx context.Context) bool {
	return func(ctx context.Context) bool {
		select {
		case <-ctx.Done():
			return false
		case <-ticks:
			return true
		}
	}
}

// ignoredFile reports whether a file's changes should not rerun the tests: editors' swap,
// backup and temporary files, hidden files, and the .mine copies reset leaves.
func ignoredFile(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".tmp") ||
		strings.HasSuffix(name, ".mine") || name == "4913" // vim's probe file
}

// dirSnapshot returns a digest of the regular files directly in dir: each one's name,
// size, modification time and content. The content makes it exact where times are coarse
// (a save within the same second as the last one) or unreliable (network and container
// file systems), which is why watch polls instead of waiting for file events.
func dirSnapshot(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	h := sha256.New()
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.Type().IsRegular() && !ignoredFile(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, name)
		info, err := os.Stat(p)
		if err != nil {
			fmt.Fprintf(h, "%s gone\n", name)
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintf(h, "%s unreadable\n", name)
			continue
		}
		sum := sha256.Sum256(b)
		fmt.Fprintf(h, "%s %d %d %x\n", name, info.Size(), info.ModTime().UnixNano(), sum)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// raceRunExercise is the runner watch uses: it builds the chapter's race-enabled test
// binary and runs the exercise's tests in it, bounded by testLimit; cancelling ctx kills
// the build or the test process (and, where there are process groups, everything it
// started).
func raceRunExercise(ctx context.Context, root string, w io.Writer, e *manifest.Exercise) bool {
	tmp, err := os.MkdirTemp("", "workbook-watch-")
	if err != nil {
		fmt.Fprintln(w, "workbook watch:", err)
		return false
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join("exercises", e.Chapter.ID)
	bin := filepath.Join(tmp, e.Chapter.ID+".test")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	start := time.Now()
	if err := buildTest(ctx, root, dir, bin, true, nil); err != nil {
		if ctx.Err() == nil {
			fmt.Fprintf(w, "✗ does not build:\n%s\n", excerpt(err.Error(), 20))
		}
		return false
	}
	r := runTest(ctx, bin, filepath.Join(root, dir), e.RunPattern(), testLimit)
	if ctx.Err() != nil {
		return false
	}
	var failed, missing []string
	for _, t := range e.Tests {
		switch {
		case r.Failed[t]:
			failed = append(failed, t)
		case !r.Passed[t]:
			missing = append(missing, t)
		}
	}
	if len(failed) == 0 && len(missing) == 0 {
		fmt.Fprintf(w, "all %d tests pass (%.1fs)\n", len(e.Tests), time.Since(start).Seconds())
		return true
	}
	fmt.Fprintf(w, "%s\n", excerpt(r.Output, 30))
	switch {
	case r.TimedOut:
		fmt.Fprintf(w, "✗ the tests ran into the time limit (%s)\n", testLimit)
	case len(failed) > 0:
		fmt.Fprintf(w, "✗ %d of %d tests fail: %s\n", len(failed), len(e.Tests), strings.Join(failed, ", "))
	}
	if len(missing) > 0 && !r.TimedOut {
		fmt.Fprintf(w, "✗ no verdict (the test binary stopped before them): %s\n", strings.Join(missing, ", "))
	}
	return false
}

func cmdWatch(root string, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./cmd/workbook watch\n  (it works on the next exercise to do; `workbook status` shows which)")
		return 2
	}
	m, err := manifest.Load(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook watch:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := progress(root, m)
	var todo []*manifest.Exercise
	for _, e := range m.Exercises() {
		if !s.Chapters[e.Chapter.ID].Exercises[e.Name].Done {
			todo = append(todo, e)
		}
	}
	if len(todo) == 0 {
		fmt.Println("Every exercise passes: nothing to watch. Now run the benchmarks: go run ./cmd/workbook bench")
		return 0
	}
	ticker := time.NewTicker(watchPoll)
	defer ticker.Stop()
	w := &watcher{
		out: os.Stdout,
		// When the run subcommand's function that runs one exercise and explains its failure
		// exists, call it here instead.
		run: func(ctx context.Context, w io.Writer, e *manifest.Exercise) bool {
			return raceRunExercise(ctx, root, w, e)
		},
		snapshot: dirSnapshot,
		dir:      func(e *manifest.Exercise) string { return filepath.Join(root, "exercises", e.Chapter.ID) },
		wait:     tickerWait(ticker.C),
	}
	if !w.loop(ctx, todo) {
		fmt.Println("\nwatch stopped.")
	}
	return 0
}
