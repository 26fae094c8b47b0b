package executors

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// shutdownSetup submits tasks of took each, task i returning i, to a new pool of workers,
// lets them run for after, and returns the pool, the futures and, for each task, whether
// it started.
func shutdownSetup(workers, tasks int, took, after time.Duration) (*Pool[int], []*Future[int], []atomic.Bool) {
	p := NewPool(workers, func() int { return 0 })
	started := make([]atomic.Bool, tasks)
	var futures []*Future[int]
	for i := range tasks {
		futures = append(futures, Submit(p, func(int) (int, error) {
			started[i].Store(true)
			time.Sleep(took)
			return i, nil
		}))
	}
	time.Sleep(after)
	return p, futures, started
}

// checkCancelled checks that exactly the tasks that started before Shutdown ran, and that
// every other task never ran and its future says ErrCancelled, at once.
func checkCancelled(t *testing.T, what string, workers int, futures []*Future[int], startedBefore []bool, started []atomic.Bool) {
	t.Helper()
	ran := 0
	for i, f := range futures {
		if startedBefore[i] {
			ran++
			if o := outcomeOf(f); o != (outcome{V: i, Resolved: true}) {
				t.Errorf("%s: task %d was running when Shutdown was called; its future resolved to "+
					"%+v, want %+v: work already started finishes", what, i, o, outcome{V: i, Resolved: true})
			}
			continue
		}
		switch v, err, resolved := await(f); {
		case started[i].Load():
			t.Errorf("%s: task %d had not started when Shutdown was called, and ran afterwards "+
				"(its future: %d, %v), want it cancelled, never run: cancelPending takes the "+
				"pending tasks off the queue, so that no worker can start them", what, i, v, err)
		case !resolved:
			t.Errorf("%s: the future of task %d, cancelled before it started, is still unresolved "+
				"after %v of fake time, want it resolved with ErrCancelled: a task dropped from the "+
				"queue without resolving its future leaves its Result waiting for ever", what, i, patience)
		case !errors.Is(err, ErrCancelled):
			t.Errorf("%s: the future of task %d, cancelled before it started, resolved to (%d, %v), "+
				"want ErrCancelled (Python's CancelledError)", what, i, v, err)
		}
	}
	if ran != workers {
		t.Errorf("%s: %d tasks had started when Shutdown was called, want %d (one per worker)",
			what, ran, workers)
	}
}

// startedNow returns which tasks have started.
func startedNow(started []atomic.Bool) []bool {
	out := make([]bool, len(started))
	for i := range started {
		out[i] = started[i].Load()
	}
	return out
}

func TestShutdownCancelPending(t *testing.T) {
	const workers, tasks, took, after = 2, 6, 100 * time.Millisecond, 50 * time.Millisecond
	what := fmt.Sprintf("Shutdown(wait=true, cancelPending=true) on NewPool(%d, initializer), "+
		"%v after %d tasks of %v each were submitted", workers, after, tasks, took)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		p, futures, started := shutdownSetup(workers, tasks, took, after)
		before := startedNow(started)
		start := time.Now()
		p.Shutdown(true, true)
		if returned, want := time.Since(start), took-after; returned != want {
			t.Errorf("%s returned after %v of fake time, want %v, when the %d running tasks end: "+
				"with wait, Shutdown waits for the work already started, and only for that",
				what, returned, want, workers)
		}
		checkCancelled(t, what, workers, futures, before, started)
	})
}

func TestShutdownNoWait(t *testing.T) {
	const workers, tasks, took = 2, 6, 100 * time.Millisecond
	what := fmt.Sprintf("Shutdown(wait=false, cancelPending=false) on NewPool(%d, initializer) "+
		"just after %d tasks of %v each were submitted", workers, tasks, took)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		p, futures, _ := shutdownSetup(workers, tasks, took, 0)
		start := time.Now()
		p.Shutdown(false, false)
		if returned := time.Since(start); returned != 0 {
			t.Errorf("%s returned after %v of fake time, want at once: without wait, Shutdown "+
				"only stops new submissions and leaves the workers to finish", what, returned)
		}
		for i, f := range futures {
			if o := outcomeOf(f); o != (outcome{V: i, Resolved: true}) {
				t.Errorf("%s: the future of task %d resolved to %+v, want %+v: without cancelPending, "+
					"every task submitted before Shutdown runs, even when Shutdown does not wait for "+
					"it. A worker that ends as soon as the pool is shut down loses the queued work",
					what, i, o, outcome{V: i, Resolved: true})
				break
			}
		}
		if done, want := time.Since(start), tasks/workers*took; done != want {
			t.Errorf("%s: the last future resolved after %v of fake time, want %v: the workers "+
				"go on at full speed after Shutdown", what, done, want)
		}
		// The bubble ends when every goroutine has: workers left waiting fail the test.
	})
}

func TestShutdownNoWaitCancel(t *testing.T) {
	const workers, tasks, took, after = 2, 6, 100 * time.Millisecond, 50 * time.Millisecond
	what := fmt.Sprintf("Shutdown(wait=false, cancelPending=true) on NewPool(%d, initializer), "+
		"%v after %d tasks of %v each were submitted", workers, after, tasks, took)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		p, futures, started := shutdownSetup(workers, tasks, took, after)
		before := startedNow(started)
		start := time.Now()
		p.Shutdown(false, true)
		if returned := time.Since(start); returned != 0 {
			t.Errorf("%s returned after %v of fake time, want at once: without wait, Shutdown "+
				"does not wait for the running tasks", what, returned)
		}
		synctest.Wait()
		for i, f := range futures {
			if !before[i] && !isClosed(f.Done()) {
				t.Errorf("%s: the future of task %d, which had not started, is unresolved right after "+
					"Shutdown, want it resolved with ErrCancelled at once, without waiting for the "+
					"running tasks", what, i)
				break
			}
		}
		checkCancelled(t, what, workers, futures, before, started)
		// The running tasks end before the bubble does, even if their futures were resolved
		// early: a wrong result fails with the messages above, not as a leak.
		time.Sleep(took)
	})
}

func TestShutdownAfter(t *testing.T) {
	const what = "Submit(p, task) after p.Shutdown(false, false) on NewPool(2, initializer)"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		p := NewPool(2, func() int { return 0 })
		var ran atomic.Bool
		task := func(int) (int, error) {
			ran.Store(true)
			return 1, nil
		}
		if r := recovered(func() { p.Shutdown(false, false) }); r != nil {
			t.Fatalf("Shutdown(false, false) on a new NewPool(2, initializer) panicked: %v", r)
		}
		var f *Future[int]
		if r := recovered(func() { f = Submit(p, task) }); r != nil {
			t.Fatalf("%s panicked: %v, want a future resolved with ErrShutdown: after Shutdown, "+
				"Submit must not touch the closed queue (a send on a closed channel panics); check "+
				"a closed flag under the same mutex that Shutdown sets it under", what, r)
		}
		if v, err, resolved := await(f); !resolved || !errors.Is(err, ErrShutdown) || ran.Load() {
			t.Errorf("%s resolved to (%d, %v) (resolved: %v, task ran: %v), want ErrShutdown at "+
				"once and the task never run: a shut-down pool takes no new work (Python raises "+
				"RuntimeError)", what, v, err, resolved, ran.Load())
		}

		// A second Shutdown is harmless, and one with wait still waits.
		q := NewPool(2, func() int { return 0 })
		slow := Submit(q, func(int) (int, error) {
			time.Sleep(time.Second)
			return 2, nil
		})
		start := time.Now()
		q.Shutdown(false, false)
		if r := recovered(func() { q.Shutdown(true, false) }); r != nil {
			t.Fatalf("Shutdown(false, false), then Shutdown(true, false) panicked: %v, want the "+
				"second call to wait for the running task: Shutdown may be called more than once "+
				"(closing a channel twice panics)", r)
		}
		if waited := time.Since(start); waited != time.Second || !isClosed(slow.Done()) {
			t.Errorf("Shutdown(false, false), then Shutdown(true, false) with a task of 1s running "+
				"returned after %v of fake time, want 1s, with the task's future resolved: a "+
				"second Shutdown with wait waits like the first would have", waited)
		}
		// The task ends before the bubble does, even if Shutdown did not wait for it: a
		// Shutdown that returned too early fails with the message above, not as a leak.
		await(slow)
	})
}

func TestShutdownConcurrentSubmit(t *testing.T) {
	const submitters, each = 4, 5
	what := fmt.Sprintf("Submit from %d goroutines, %d tasks each, while Shutdown(true, false) "+
		"runs on NewPool(2, initializer)", submitters, each)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		p := NewPool(2, func() int { return 0 })
		type submitted struct {
			f        *Future[int]
			ran      *atomic.Bool
			panicked any
		}
		results := make(chan submitted, submitters*each)
		var wg sync.WaitGroup
		for g := range submitters {
			wg.Go(func() {
				for i := range each {
					s := submitted{ran: new(atomic.Bool)}
					s.panicked = recovered(func() {
						s.f = Submit(p, func(int) (int, error) {
							s.ran.Store(true)
							time.Sleep(10 * time.Millisecond)
							return g*each + i, nil
						})
					})
					results <- s
				}
			})
		}
		if r := recovered(func() { p.Shutdown(true, false) }); r != nil {
			t.Errorf("%s: Shutdown panicked: %v", what, r)
		}
		wg.Wait()
		for _, s := range ready(results) {
			if s.panicked != nil {
				t.Errorf("%s: a Submit panicked: %v, want it to queue the task or return a future "+
					"resolved with ErrShutdown: Submit and Shutdown must agree, under one mutex, on "+
					"whether the pool is still open", what, s.panicked)
				break
			}
			v, err, resolved := await(s.f)
			if !resolved || (err == nil) != s.ran.Load() || (err != nil && !errors.Is(err, ErrShutdown)) {
				t.Errorf("%s: a future resolved to (%d, %v) (resolved: %v, task ran: %v), want either "+
					"the task's value, having run, or ErrShutdown, having not: a task accepted before "+
					"Shutdown runs, and no future is left unresolved", what, v, err, resolved, s.ran.Load())
				break
			}
		}
	})
}
