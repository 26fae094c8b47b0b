package attempt

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/go-concurrency-workbook/workbook/internal/i18n"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/sums"
)

// WatchPoll is how often watch looks at the chapter's files. A change reruns the tests
// once the files have stayed the same for one more poll (the debounce), so that an
// editor's save in several writes runs them once.
const WatchPoll = 300 * time.Millisecond

// Runner runs one exercise's tests, prints the outcome, and reports whether every
// test of the exercise passed. It returns false, soon, once ctx is cancelled.
type Runner func(ctx context.Context, e *manifest.Exercise) bool

// Watcher reruns the current exercise whenever a file of its chapter changes and moves on
// to the next exercise when it passes. Its clock (wait), its view of the files
// (snapshot) and its runner are fields, so that tests drive it step by step.
type Watcher struct {
	Out      io.Writer
	Run      Runner
	Snapshot func(dir string) string // a digest of the files in dir
	Dir      func(e *manifest.Exercise) string
	Wait     func(ctx context.Context) bool // until the next poll; false once ctx is cancelled
	AllDone  string                         // what to say when every exercise passes
	Lang     i18n.Lang                      // the language of its lines
}

// loop works through todo, the exercises not done yet in workbook order, until every one
// has passed (it returns true) or ctx is cancelled (it returns false).
func (w *Watcher) Loop(ctx context.Context, todo []*manifest.Exercise) bool {
	for i := 0; i < len(todo); {
		e := todo[i]
		dir := w.Dir(e)
		// The digest is taken before the run: a save during the run reruns the tests.
		last := w.Snapshot(dir)
		fmt.Fprintln(w.Out, "\n"+w.Lang.T("watch.to_go", len(todo)-i, len(todo)))
		passed := w.Run(ctx, e)
		if ctx.Err() != nil {
			return false
		}
		if passed {
			fmt.Fprintln(w.Out, w.Lang.T("watch.passes", e.ID()))
			i++
			continue
		}
		fmt.Fprintln(w.Out, w.Lang.T("watch.watching", filepath.ToSlash(dir), e.ID()))
		if !w.waitForChange(ctx, dir, last) {
			return false
		}
	}
	fmt.Fprintln(w.Out, "\n"+w.AllDone)
	return true
}

// waitForChange polls the files of dir until they differ from last and then stay the
// same for one more poll. It returns false if ctx is cancelled first.
func (w *Watcher) waitForChange(ctx context.Context, dir, last string) bool {
	changed := false
	for w.Wait(ctx) {
		now := w.Snapshot(dir)
		switch {
		case now != last:
			last, changed = now, true
		case changed:
			return true
		}
	}
	return false
}

// TickerWait returns a wait function for a Watcher that waits for the next tick.
func TickerWait(ticks <-chan time.Time) func(ctx context.Context) bool {
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

// DirSnapshot returns a digest of the regular files directly in dir: each one's name,
// size, modification time and content. The content makes it exact where times are coarse
// (a save within the same second as the last one) or unreliable (network and container
// file systems), which is why watch polls instead of waiting for file events.
func DirSnapshot(dir string) string {
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
		info, err := os.Lstat(p)
		if err != nil {
			fmt.Fprintf(h, "%s gone\n", name)
			continue
		}
		b, err := sums.ReadFile(p)
		if err != nil {
			fmt.Fprintf(h, "%s unreadable\n", name)
			continue
		}
		sum := sha256.Sum256(b)
		fmt.Fprintf(h, "%s %d %d %x\n", name, info.Size(), info.ModTime().UnixNano(), sum)
	}
	return hex.EncodeToString(h.Sum(nil))
}
