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
		fmt.Fprintf(w.out, "\n── %d of %d to go\n", len(todo)-i, len(todo))
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
	var todo []*manifest.Exercise
	for _, v := range viewAll(root, m, loadState(root)) {
		if v.Status != statusDone {
			todo = append(todo, v.Exercise)
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
		run: func(ctx context.Context, w io.Writer, e *manifest.Exercise) bool {
			return runAndExplain(ctx, root, w, e)
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
