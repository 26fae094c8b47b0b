package executors

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

var errTask = errors.New("task failed")

func TestFutureResult(t *testing.T) {
	const took = 100 * time.Millisecond
	what := fmt.Sprintf("Go(a task that takes %v and returns 42), then Result(ctx)", took)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		start := time.Now()
		f := Go(func() (int, error) {
			time.Sleep(took)
			return 42, nil
		})
		if since := time.Since(start); since != 0 {
			t.Errorf("%s: Go took %v of fake time, want 0: Go starts the task in a new goroutine "+
				"and returns its future at once, like executor.submit; it does not wait for the task",
				what, since)
		}
		if isClosed(f.Done()) {
			t.Errorf("%s: Done() is closed before the task returned, want it open until the future "+
				"is resolved", what)
		}
		v, err := f.Result(context.Background())
		if at := time.Since(start); v != 42 || err != nil || at != took {
			t.Errorf("%s = (%d, %v) after %v of fake time, want (42, <nil>) after %v: Result waits "+
				"until the task has returned and gives back what it returned", what, v, err, at, took)
		}
		if !isClosed(f.Done()) {
			t.Errorf("%s: Done() is still open after Result returned the value, want it closed once "+
				"the future is resolved: close the channel when you set the result", what)
		}
		if v, err, _ := await(f); v != 42 || err != nil {
			t.Errorf("%s, then Result(ctx) again = (%d, %v), want (42, <nil>) at once: a future is "+
				"resolved once and read as often as anyone likes. A send on a channel is received "+
				"once; a close is seen by every receive after it", what, v, err)
		}

		failing := Go(func() (int, error) { return 0, fmt.Errorf("task 7: %w", errTask) })
		if v, err := failing.Result(context.Background()); v != 0 || !errors.Is(err, errTask) {
			t.Errorf("Go(a task that returns (0, %q)), then Result(ctx) = (%d, %v), want the task's "+
				"error: Python's result() raises the task's exception, Go's Result returns its error",
				"task 7: "+errTask.Error(), v, err)
		}
	})
}

func TestFutureWaiters(t *testing.T) {
	const waiters, took = 5, 100 * time.Millisecond
	what := fmt.Sprintf("Result(ctx) in %d goroutines at once on Go(a task that takes %v and "+
		"returns 42)", waiters, took)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		type result struct {
			V   int
			Err error
			At  time.Duration
		}
		start := time.Now()
		f := Go(func() (int, error) {
			time.Sleep(took)
			return 42, nil
		})
		results := make(chan result, waiters)
		for range waiters {
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				defer cancel()
				v, err := f.Result(ctx)
				results <- result{V: v, Err: err, At: time.Since(start)}
			}()
		}
		var got []result
		for range waiters {
			got = append(got, <-results)
		}
		slices.SortFunc(got, func(a, b result) int { return int(a.At - b.At) })
		want := slices.Repeat([]result{{V: 42, At: took}}, waiters)
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
			t.Errorf("%s: what each Result returned, and when in fake time, mismatch (-want +got): "+
				"every waiter gets the value the moment the task returns. A waiter that got "+
				"context.DeadlineExceeded after 1s was never woken: a send on a channel reaches one "+
				"receiver, a close reaches all of them, now and later:\n%s", what, diff)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if v, err := f.Result(ctx); v != 42 || err != nil {
			t.Errorf("%s, then one more Result(ctx) = (%d, %v), want (42, <nil>) at once: a "+
				"resolved future stays resolved", what, v, err)
		}
	})
}

func TestFutureContext(t *testing.T) {
	const took, timeout = time.Second, 100 * time.Millisecond
	what := fmt.Sprintf("Result(ctx with a %v timeout) on Go(a task that takes %v and returns 42)",
		timeout, took)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		start := time.Now()
		f := Go(func() (int, error) {
			time.Sleep(took)
			return 42, nil
		})
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		v, err := f.Result(ctx)
		if at := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || v != 0 || at != timeout {
			t.Errorf("%s = (%d, %v) after %v of fake time, want (0, context.DeadlineExceeded) "+
				"after %v: this is Python's result(timeout=); Result must wait on ctx.Done() as well "+
				"as for the task (a select with both)", what, v, err, at, timeout)
		}
		if isClosed(f.Done()) && time.Since(start) < took {
			t.Errorf("%s: Done() is closed before the task returned, want it open until the future "+
				"is resolved", what)
		}
		if v, err := f.Result(context.Background()); v != 42 || err != nil || time.Since(start) != took {
			t.Errorf("%s, then Result(context.Background()) = (%d, %v) after %v of fake time, want "+
				"(42, <nil>) after %v: a Result that gave up leaves the future as it was, and the "+
				"task goes on", what, v, err, time.Since(start), took)
		}

		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		slow := Go(func() (int, error) {
			time.Sleep(took)
			return 7, nil
		})
		if _, err := slow.Result(cancelled); !errors.Is(err, context.Canceled) {
			t.Errorf("Result(a cancelled ctx) on a future still running = %v, want context.Canceled "+
				"at once", err)
		}
		slow.Result(context.Background()) // lets the task end before the bubble does
	})
}

func TestFutureResolved(t *testing.T) {
	const calls = 1000
	what := fmt.Sprintf("Result(a cancelled ctx), %d times, on futures already resolved to "+
		"(42, <nil>) and to (0, %q)", calls, "task 7: "+errTask.Error())
	guard.Bubble(t, limit, what, func(t *testing.T) {
		ok := Go(func() (int, error) { return 42, nil })
		failed := Go(func() (int, error) { return 0, fmt.Errorf("task 7: %w", errTask) })
		await(ok)
		await(failed)
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		var wrong int
		var first string
		for range calls {
			v, err := ok.Result(cancelled)
			if v != 42 || err != nil {
				wrong++
				if first == "" {
					first = fmt.Sprintf("(%d, %v) from the future resolved to (42, <nil>)", v, err)
				}
			}
			v, err = failed.Result(cancelled)
			if v != 0 || !errors.Is(err, errTask) {
				wrong++
				if first == "" {
					first = fmt.Sprintf("(%d, %v) from the future resolved to the task's error", v, err)
				}
			}
		}
		if wrong > 0 {
			t.Errorf("%s: %d of %d calls returned something other than the future's value and error; "+
				"the first: %s. A resolved future gives what its task returned, whatever ctx says; ctx "+
				"only bounds the wait. A select with both cases ready (the closed channel and "+
				"ctx.Done()) picks one at random, so look at the future first (a select with a "+
				"default case), and wait on both only if it is not resolved yet",
				what, wrong, 2*calls, first)
		}
	})
}
