package goroutines

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// TestMain fails the package if a test leaves goroutines behind, such as a load that a
// function started and never waited for.
func TestMain(m *testing.M) {
	guard.Main(m)
}

const (
	// limit is the real time a test's bubble may take. Correct code needs milliseconds,
	// even under -race; a goroutine stuck on a mutex or spinning is reported when it is up.
	limit = 10 * time.Second
	// latency is how long one fake load takes. It is fake time (testing/synctest), so a
	// test that loads for seconds takes no real time at all.
	latency = time.Second
)

// loader is a fake load function for LoadAll and LoadImages: each call waits for the
// disk (fake time) and records when it started and finished. Its methods may be called
// from any number of goroutines.
type loader struct {
	latency func(name string) time.Duration // how long the load of name takes

	mu             sync.Mutex
	started        []string // names, in the order their loads started
	finished       []string // names, in the order their loads returned
	inFlight, peak int      // loads running now, and the most that ever ran at once
}

// sameLatency returns a loader whose loads all take d.
func sameLatency(d time.Duration) *loader {
	return &loader{latency: func(string) time.Duration { return d }}
}

// load is the func(name string) given to LoadAll.
func (l *loader) load(name string) {
	l.mu.Lock()
	l.started = append(l.started, name)
	l.inFlight++
	l.peak = max(l.peak, l.inFlight)
	d := l.latency(name)
	l.mu.Unlock()

	time.Sleep(d) // the disk

	l.mu.Lock()
	l.inFlight--
	l.finished = append(l.finished, name)
	l.mu.Unlock()
}

// image is the func(name string) Image given to LoadImages: a load, then the image.
func (l *loader) image(name string) Image {
	l.load(name)
	return imageOf(name)
}

// loadStats is what a loader saw, copied at one moment.
type loadStats struct {
	started, finished []string
	peak              int
}

func (l *loader) stats() loadStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return loadStats{slices.Clone(l.started), slices.Clone(l.finished), l.peak}
}

// imageNames returns n file names: img0.png, img1.png, ...
func imageNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("img%d.png", i)
	}
	return names
}

// imageOf returns the image that the fake load of name returns.
func imageOf(name string) Image {
	var i int
	fmt.Sscanf(name, "img%d.png", &i)
	return Image{Name: name, Width: 640 + 10*i, Height: 480 + 10*i}
}

// letLeftoversFinish waits (in fake time) until the goroutines that the code under test
// left running have finished: a bubble must not end while its goroutines wait for the
// clock. Tests call it after they have reported that the code returned too early.
func letLeftoversFinish() {
	time.Sleep(time.Hour)
}

// oneProc runs the rest of the test with GOMAXPROCS=1. With one P, a goroutine started
// by the go statement does not run until the goroutine that started it blocks: the test
// decides that a function starts waiting before any of its goroutines has run. Correct
// code passes whatever the order; this order only exposes wrong code.
func oneProc(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
}

// ready returns the values already in ch, without waiting for more.
func ready[T any](ch chan T) []T {
	var out []T
	for {
		select {
		case v := <-ch:
			out = append(out, v)
		default:
			return out
		}
	}
}
