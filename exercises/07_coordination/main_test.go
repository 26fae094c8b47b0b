package coordination

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// TestMain fails the run if a test leaves goroutines behind, such as a Wait still parked
// on an event or a barrier that nobody will ever release.
func TestMain(m *testing.M) {
	guard.Main(m)
}

// limit is the real time a test's bubble may take. Correct code needs milliseconds, even
// under -race; code that spins instead of waiting never lets the bubble settle and is
// reported when the limit is up.
const limit = 4 * time.Second

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

// gauge counts what is in flight (holders of a permit, or the weight of running calls)
// and remembers the most there ever was at once.
type gauge struct {
	mu        sync.Mutex
	now, peak int64
}

func (g *gauge) enter(w int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.now += w
	g.peak = max(g.peak, g.now)
}

func (g *gauge) leave(w int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.now -= w
}

func (g *gauge) max() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak
}

// oneProc runs the rest of the test with GOMAXPROCS=1. With one P, a goroutine woken by
// a close, a Broadcast or a send waits in the run queue until the test goroutine blocks:
// the test decides what happens between the wake-up and the moment the woken goroutine
// runs, so code that is wrong in that window fails every time, not once in a while.
// Correct code passes whatever the order; the order only exposes wrong code.
func oneProc(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
}

// recovered calls f and returns the value it panicked with, or nil.
func recovered(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}
