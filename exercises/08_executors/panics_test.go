package executors

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// The tests of panicking tasks run in a child process (see inChild): if the code under
// test does not recover a task's panic, the panic ends the program that runs it, and only
// the child dies.

var errDisk = errors.New("disk on fire")

// explode is a task that panics with v. The stack in a *PanicError names it.
func explode(v any) (int, error) {
	panic(v)
}

// checkPanicError fails t unless err is a *PanicError for a panic with want, taken where
// explode panicked.
func checkPanicError(t *testing.T, what string, err error, want any) {
	t.Helper()
	var pe *PanicError
	if !errors.As(err, &pe) {
		t.Errorf("%s: the future resolved with error %v, want a *PanicError: recover the panic "+
			"in the goroutine that runs the task and resolve the future with "+
			"&PanicError{Value: p, Stack: string(debug.Stack())}", what, err)
		return
	}
	if pe.Value != want {
		t.Errorf("%s: the *PanicError holds Value %#v, want %#v, the value the task passed to panic",
			what, pe.Value, want)
	}
	if !strings.Contains(pe.Stack, "explode") {
		t.Errorf("%s: the *PanicError's Stack does not name explode, the function that called panic, "+
			"want the stack taken inside the deferred function that recovers (debug.Stack() there "+
			"still has the panicking frames):\n%s", what, pe.Stack)
	}
}

func TestPanicGo(t *testing.T) {
	const what = `Go(a task that panics with "boom"), then Result(ctx)`
	inChild(t, what, func(t *testing.T) {
		guard.Bubble(t, limit, what, func(t *testing.T) {
			f := Go(func() (int, error) { return explode("boom") })
			v, err, resolved := await(f)
			if !resolved {
				t.Errorf("%s: the future is still unresolved after %v of fake time, want it "+
					"resolved with a *PanicError: a task that panics must still resolve its "+
					"future, or its Result waits for ever", what, patience)
				return
			}
			if v != 0 {
				t.Errorf("%s = %d, want the zero value with the error", what, v)
			}
			checkPanicError(t, what, err, "boom")

			g := Go(func() (int, error) { return explode(errDisk) })
			if _, err, _ := await(g); !errors.Is(err, errDisk) {
				t.Errorf("Go(a task that panics with the error %q), then Result(ctx) = %v, want "+
					"an error that errors.Is finds %q in: PanicError.Unwrap returns the panic "+
					"value when it is an error", errDisk, err, errDisk)
			}
		})
	})
}

func TestPanicPool(t *testing.T) {
	const workers, panics, tasks, took = 2, 3, 4, 100 * time.Millisecond
	what := fmt.Sprintf("Submit(p, a task that panics) %d times on NewPool(%d, initializer), then "+
		"%d tasks of %v each", panics, workers, tasks, took)
	inChild(t, what, func(t *testing.T) {
		guard.Bubble(t, limit, what, func(t *testing.T) {
			p := NewPool(workers, func() int { return 0 })
			var bad []*Future[int]
			for i := range panics {
				bad = append(bad, Submit(p, func(int) (int, error) {
					if i == 1 {
						return explode(errDisk)
					}
					return explode(fmt.Sprintf("boom %d", i))
				}))
			}
			start := time.Now()
			var inFlight gauge
			var good []*Future[int]
			for i := range tasks {
				good = append(good, Submit(p, func(int) (int, error) {
					inFlight.enter()
					defer inFlight.leave()
					time.Sleep(took)
					return i, nil
				}))
			}
			for i, f := range bad {
				_, err, resolved := await(f)
				if !resolved {
					t.Errorf("%s: the future of panicking task %d is still unresolved after %v of "+
						"fake time, want it resolved with a *PanicError: recover in the function "+
						"that runs one task, not around the worker's whole loop", what, i, patience)
					continue
				}
				if i == 1 {
					if !errors.Is(err, errDisk) {
						t.Errorf("%s: the future of the task that calls panic with the error %q = %v, "+
							"want an error that errors.Is finds it in", what, errDisk, err)
					}
					continue
				}
				checkPanicError(t, what, err, fmt.Sprintf("boom %d", i))
			}
			for i, f := range good {
				if o := outcomeOf(f); o != (outcome{V: i, Resolved: true}) {
					t.Errorf("%s: the future of good task %d resolved to %+v, want %+v: a task that "+
						"panics must not take its worker with it; the worker recovers, resolves the "+
						"future, and takes the next task", what, i, o, outcome{V: i, Resolved: true})
					break
				}
			}
			elapsed := time.Since(start)
			if peak, want := inFlight.max(), tasks/workers*took; peak != workers || elapsed != want {
				t.Errorf("%s: the good tasks ran at most %d at once and took %v of fake time, want %d "+
					"at once and %v: the pool lost workers to the panics", what, peak, elapsed,
					workers, want)
			}
			p.Shutdown(true, false)
		})
	})
}
