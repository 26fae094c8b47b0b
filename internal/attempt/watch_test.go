package attempt

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDirSnapshot(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "mutex.go")
	stamp := time.Date(2026, 11, 23, 6, 12, 0, 0, time.UTC)
	write := func(name, content string) {
		t.Helper()
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
		require.NoError(t, os.Chtimes(filepath.Join(dir, name), stamp, stamp))
	}
	write("mutex.go", "package race // v1\n")
	first := DirSnapshot(dir)
	assert.Equal(t, first, DirSnapshot(dir), "nothing changed")

	write("mutex.go", "package race // v2\n")
	second := DirSnapshot(dir)
	assert.NotEqual(t, first, second, "same size, same modification time, new content")

	require.NoError(t, os.Chtimes(p, stamp, stamp.Add(time.Second)))
	third := DirSnapshot(dir)
	assert.NotEqual(t, second, third, "touched")

	for _, name := range []string{".mutex.go.swp", "mutex.go~", "4913", "mutex.go.mine", "#mutex.go#"} {
		write(name, "scratch")
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	assert.Equal(t, third, DirSnapshot(dir), "editors' scratch files, reset's copies and directories are ignored")

	write("atomic.go", "package race\n")
	assert.NotEqual(t, third, DirSnapshot(dir), "a new file")
	require.NoError(t, os.Remove(filepath.Join(dir, "atomic.go")))
	assert.Equal(t, third, DirSnapshot(dir), "and gone again")
}

// fakeWatch drives a watcher step by step. The loop tells it when it is waiting for the
// next poll (idle) and polls when it is told (next): tick returns once the loop has
// finished with the poll and is waiting again, or has returned, so that the test changes
// the files only while the loop is idle.
type fakeWatch struct {
	t        *testing.T
	idle     chan struct{}
	next     chan struct{}
	done     chan bool
	finished bool
	result   bool
	mu       sync.Mutex
	files    map[string]string // dir → its digest
	runs     []string          // the exercises run, in order
	results  map[string][]bool // exercise → the outcome of each of its runs
}

func newFakeWatch(t *testing.T) *fakeWatch {
	return &fakeWatch{t: t, idle: make(chan struct{}), next: make(chan struct{}), done: make(chan bool, 1),
		files: map[string]string{}, results: map[string][]bool{}}
}

func (f *fakeWatch) watcher(run Runner) *Watcher {
	if run == nil {
		run = func(ctx context.Context, e *manifest.Exercise) bool {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.runs = append(f.runs, e.Name)
			rs := f.results[e.Name]
			if len(rs) == 0 {
				return false
			}
			f.results[e.Name] = rs[1:]
			return rs[0]
		}
	}
	return &Watcher{
		Out: io.Discard,
		Run: run,
		Snapshot: func(dir string) string {
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.files[dir]
		},
		Dir: func(e *manifest.Exercise) string { return e.Chapter.ID },
		Wait: func(ctx context.Context) bool {
			select {
			case f.idle <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			select {
			case <-f.next:
				return true
			case <-ctx.Done():
				return false
			}
		},
	}
}

// start runs the loop and returns once it waits for its first poll, or has returned.
func (f *fakeWatch) start(ctx context.Context, w *Watcher, todo []*manifest.Exercise) {
	go func() { f.done <- w.Loop(ctx, todo) }()
	f.settle()
}

// settle waits until the loop waits for a poll or has returned.
func (f *fakeWatch) settle() {
	select {
	case <-f.idle:
	case f.result = <-f.done:
		f.finished = true
	case <-time.After(10 * time.Second):
		f.t.Fatal("the watch loop neither waits for a poll nor returns")
	}
}

// tick lets the loop poll once and returns when it is done with that poll.
func (f *fakeWatch) tick() {
	f.t.Helper()
	if f.finished {
		f.t.Fatal("tick: the watch loop has returned")
	}
	f.next <- struct{}{}
	f.settle()
}

// stop cancels the loop and returns what it returned.
func (f *fakeWatch) stop(cancel context.CancelFunc) bool {
	cancel()
	if !f.finished {
		select {
		case f.result = <-f.done:
			f.finished = true
		case <-time.After(10 * time.Second):
			f.t.Fatal("the watch loop did not return when cancelled")
		}
	}
	return f.result
}

func (f *fakeWatch) edit(dir, digest string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[dir] = digest
}

func (f *fakeWatch) ran() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.runs...)
}

// exercises returns a manifest's exercises: two in 03_race, one in 05_deadlock.
func watchExercises(t *testing.T) []*manifest.Exercise {
	m, err := manifest.Parse([]byte(`{"chapters": [
 {"id": "03_race", "title": "Race", "python": "threading", "exercises": [
  {"name": "mutex", "title": "Mutex", "kind": "fix", "files": ["mutex.go"], "tests": ["TestMutex"], "hints": ["a"]},
  {"name": "atomic", "title": "Atomic", "kind": "fix", "files": ["atomic.go"], "tests": ["TestAtomic"], "hints": ["b"]}]},
 {"id": "05_deadlock", "title": "Deadlock", "python": "Lock", "exercises": [
  {"name": "transfer", "title": "Transfer", "kind": "fix", "files": ["transfer.go"], "tests": ["TestTransfer"], "hints": ["c"]}]}]}`))
	require.NoError(t, err)
	return m.Exercises()
}

func TestWatchRerunsOnChangeAndMovesOn(t *testing.T) {
	f := newFakeWatch(t)
	f.results["mutex"] = []bool{false, true}
	f.results["atomic"] = []bool{false, true}
	f.results["transfer"] = []bool{true}
	f.start(context.Background(), f.watcher(nil), watchExercises(t))
	assert.Equal(t, []string{"mutex"}, f.ran(), "mutex ran once and failed")

	f.tick()
	f.tick()
	assert.Equal(t, []string{"mutex"}, f.ran(), "no change, no rerun")

	f.edit("03_race", "v1")
	f.tick()
	assert.Equal(t, []string{"mutex"}, f.ran(), "debounced: the files must stay the same for a poll")
	f.edit("03_race", "v2")
	f.tick()
	assert.Equal(t, []string{"mutex"}, f.ran(), "changed again: still waiting")
	f.tick()
	assert.Equal(t, []string{"mutex", "mutex", "atomic"}, f.ran(), "quiet for a poll: mutex reruns and passes, atomic runs")

	f.edit("05_deadlock", "elsewhere")
	f.tick()
	f.tick()
	assert.Equal(t, []string{"mutex", "mutex", "atomic"}, f.ran(), "only the current exercise's chapter is watched")

	f.edit("03_race", "v3")
	f.tick()
	f.tick() // atomic passes; transfer passes at once; every exercise is done
	require.True(t, f.finished)
	assert.True(t, f.result)
	assert.Equal(t, []string{"mutex", "mutex", "atomic", "atomic", "transfer"}, f.ran())
}

func TestWatchSeesAChangeDuringTheRun(t *testing.T) {
	f := newFakeWatch(t)
	w := f.watcher(nil)
	w.Run = func(ctx context.Context, e *manifest.Exercise) bool {
		f.mu.Lock()
		f.runs = append(f.runs, e.Name)
		f.mu.Unlock()
		if len(f.ran()) == 1 {
			f.edit("03_race", "saved while the tests ran")
		}
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.start(ctx, w, watchExercises(t)[:1])
	f.tick() // differs from the digest taken before the run
	f.tick() // quiet: rerun
	assert.Equal(t, []string{"mutex", "mutex"}, f.ran())
	assert.False(t, f.stop(cancel))
}

func TestWatchStopsOnCancelWhileWaiting(t *testing.T) {
	f := newFakeWatch(t)
	ctx, cancel := context.WithCancel(context.Background())
	f.start(ctx, f.watcher(nil), watchExercises(t))
	f.tick()
	assert.False(t, f.stop(cancel))
	assert.Equal(t, []string{"mutex"}, f.ran())
}

func TestWatchStopsOnCancelWhileRunning(t *testing.T) {
	f := newFakeWatch(t)
	started := make(chan struct{})
	killed := make(chan struct{})
	w := f.watcher(func(ctx context.Context, e *manifest.Exercise) bool {
		close(started)
		<-ctx.Done() // a test process that would run forever, killed by the cancellation
		close(killed)
		return true // even a runner that claims a pass does not move the loop on
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { f.done <- w.Loop(ctx, watchExercises(t)) }()
	<-started
	assert.False(t, f.stop(cancel))
	<-killed
}

func TestWatchPrintsStatus(t *testing.T) {
	f := newFakeWatch(t)
	f.results["mutex"] = []bool{true}
	f.results["atomic"] = []bool{true}
	f.results["transfer"] = []bool{true}
	var out strings.Builder
	w := f.watcher(nil)
	w.Out = &out
	w.AllDone = "Every exercise passes."
	require.True(t, w.Loop(context.Background(), watchExercises(t)))
	assert.Contains(t, out.String(), "── 3 of 3 to go")
	assert.Contains(t, out.String(), "✓ 05_deadlock/transfer passes.")
	assert.Contains(t, out.String(), "Every exercise passes.")
}

func TestTickerWait(t *testing.T) {
	ticks := make(chan time.Time, 1)
	wait := TickerWait(ticks)
	ticks <- time.Time{}
	assert.True(t, wait(context.Background()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.False(t, wait(ctx))
}
