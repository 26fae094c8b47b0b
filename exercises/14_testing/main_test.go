package concurrencytests

import (
	"runtime"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// This file is shared by the three test files you write, and stays as it is. It gives
// you TestMain, the limit for guard.Bubble, and two helpers: ready and oneProc. Do not
// declare them again in your files (the package would not build).

// TestMain fails the run if a test leaves goroutines behind (goleak), such as a Get
// still waiting on a buffer nobody will ever put into, and reports the result to the
// workbook's grader.
func TestMain(m *testing.M) {
	guard.Main(m)
}

// limit is the real time a test's bubble may take: pass it to guard.Bubble. Correct code
// needs milliseconds, even under -race; code that spins, or blocks on a sync.Mutex that
// is never unlocked, never lets the bubble settle and is reported when the limit is up.
const limit = 4 * time.Second

// ready returns the values already in ch, without waiting for more. After
// synctest.Wait, it tells exactly which of the goroutines you started have sent their
// result, and so which calls returned and which are still blocked.
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

// oneProc runs the rest of the test with GOMAXPROCS=1. With one P, a goroutine woken by
// a Signal, a Broadcast or a close waits in the run queue until the running goroutine
// blocks, and a goroutine started after it usually runs first: the test decides what
// happens between the wake-up and the moment the woken goroutine runs, so code that is
// wrong in that window fails in most rounds, not once in a blue moon. Correct code
// passes whatever the order.
func oneProc(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
}
