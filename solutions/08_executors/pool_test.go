package executors

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

// outcome is what a future resolved to, as the tests compare it.
type outcome struct {
	V        int
	Err      string
	Resolved bool
}

// outcomeOf waits (up to patience of fake time) for f and returns what it resolved to.
func outcomeOf(f *Future[int]) outcome {
	v, err, resolved := await(f)
	o := outcome{V: v, Resolved: resolved}
	if err != nil && resolved {
		o.Err = err.Error()
	}
	return o
}

func TestPoolResults(t *testing.T) {
	const workers, tasks = 3, 12
	what := fmt.Sprintf("Submit(p, task i) for i = 0…%d on NewPool(%d, initializer), where task i "+
		"takes (%d-i)×10ms and returns i×i, and task 7 fails", tasks-1, workers, tasks)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		p := NewPool(workers, func() int { return 0 })
		var futures []*Future[int]
		for i := range tasks {
			futures = append(futures, Submit(p, func(int) (int, error) {
				time.Sleep(time.Duration(tasks-i) * 10 * time.Millisecond)
				if i == 7 {
					return 0, fmt.Errorf("task %d: %w", i, errTask)
				}
				return i * i, nil
			}))
		}
		var got, want []outcome
		for i, f := range futures {
			got = append(got, outcomeOf(f))
			w := outcome{V: i * i, Resolved: true}
			if i == 7 {
				w = outcome{Err: "task 7: " + errTask.Error(), Resolved: true}
			}
			want = append(want, w)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: what each future resolved to mismatch (-want +got): each future gets what "+
				"its own task returned, its error included. Resolved: false is a future still "+
				"unresolved after %v of fake time, whose Result would wait for ever: every task a "+
				"worker takes must resolve its future, whatever the task returned:\n%s",
				what, patience, diff)
		}
		p.Shutdown(true, false)
	})
}

func TestPoolMaxWorkers(t *testing.T) {
	const workers, tasks, took = 3, 10, 100 * time.Millisecond
	what := fmt.Sprintf("%d tasks of %v each submitted at once to NewPool(%d, initializer)",
		tasks, took, workers)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		p := NewPool(workers, func() struct{} { return struct{}{} })
		var inFlight gauge
		start := time.Now()
		var futures []*Future[int]
		for i := range tasks {
			futures = append(futures, Submit(p, func(struct{}) (int, error) {
				inFlight.enter()
				defer inFlight.leave()
				time.Sleep(took)
				return i, nil
			}))
		}
		if submitted := time.Since(start); submitted != 0 {
			t.Errorf("%s: the %d calls of Submit took %v of fake time, want 0: Submit queues the "+
				"task and returns at once, however many tasks wait (Python's submit never blocks: "+
				"the executor's queue has no bound)", what, tasks, submitted)
		}
		for i, f := range futures {
			if o := outcomeOf(f); o != (outcome{V: i, Resolved: true}) {
				t.Errorf("%s: the future of task %d resolved to %+v, want %+v", what, i, o,
					outcome{V: i, Resolved: true})
			}
		}
		elapsed := time.Since(start)
		p.Shutdown(true, false)
		switch peak := inFlight.max(); {
		case peak > workers:
			t.Errorf("%s: %d tasks ran at once, want at most %d: the pool started more tasks at "+
				"once than it has workers. max_workers bounds the tasks running, not only the "+
				"goroutines you keep: a goroutine per task does not respect it", what, peak, workers)
		case peak < workers:
			t.Errorf("%s: at most %d tasks ran at once, want %d: tasks waited while a worker was "+
				"free, so the pool runs them one after another instead of %d at a time",
				what, peak, workers, workers)
		}
		want := (tasks + workers - 1) / workers * took
		if elapsed != want {
			t.Errorf("%s: the last future resolved after %v of fake time, want %v (%d rounds of %d "+
				"tasks): a worker must take the next task the moment it finishes one, without polling",
				what, elapsed, want, want/took, workers)
		}
	})
}

// workerState is the per-worker state the initializer builds in TestPoolInitializer.
type workerState struct {
	id    int64
	users atomic.Int64 // tasks running with this state now
}

func TestPoolInitializer(t *testing.T) {
	const workers, tasks, took = 3, 12, 100 * time.Millisecond
	what := fmt.Sprintf("%d tasks of %v each on NewPool(%d, initializer)", tasks, took, workers)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		var inits atomic.Int64
		p := NewPool(workers, func() *workerState { return &workerState{id: inits.Add(1)} })
		var nilState, shared atomic.Int64
		var futures []*Future[int]
		for range tasks {
			futures = append(futures, Submit(p, func(s *workerState) (int, error) {
				if s == nil {
					nilState.Add(1)
					time.Sleep(took)
					return 0, nil
				}
				if s.users.Add(1) > 1 {
					shared.Add(1)
				}
				defer s.users.Add(-1)
				time.Sleep(took)
				return int(s.id), nil
			}))
		}
		for i, f := range futures {
			if o := outcomeOf(f); !o.Resolved || o.Err != "" {
				t.Errorf("%s: the future of task %d resolved to %+v, want a value", what, i, o)
			}
		}
		p.Shutdown(true, false)
		n := inits.Load()
		switch {
		case n > workers:
			t.Errorf("%s: the initializer ran %d times, want at most %d, once per worker: it builds "+
				"a worker's state (a connection, a buffer) once, before the worker's first task, "+
				"and the worker passes that same state to every task it runs. Calling it for "+
				"each task rebuilds the state every time", what, n, workers)
		case n == 0:
			t.Errorf("%s: the initializer never ran, want it run once by each worker before its "+
				"first task", what)
		}
		if k := nilState.Load(); k > 0 {
			t.Errorf("%s: %d tasks got a nil state, want the state the initializer built for "+
				"the worker that runs them", what, k)
		}
		if k := shared.Load(); k > 0 {
			t.Errorf("%s: %d times a task started with a state another running task was using, "+
				"want never: each worker has its own state and runs one task at a time, so a task "+
				"may use its state without a lock. One state for the whole pool is shared by "+
				"every worker", what, k)
		}
	})
}

func TestPoolShutdownWaits(t *testing.T) {
	const workers, tasks, took = 2, 6, 100 * time.Millisecond
	what := fmt.Sprintf("Shutdown(wait=true, cancelPending=false) on NewPool(%d, initializer) "+
		"just after %d tasks of %v each were submitted", workers, tasks, took)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		p := NewPool(workers, func() int { return 0 })
		var finished atomic.Int64
		var futures []*Future[int]
		for i := range tasks {
			futures = append(futures, Submit(p, func(int) (int, error) {
				time.Sleep(took)
				finished.Add(1)
				return i, nil
			}))
		}
		start := time.Now()
		p.Shutdown(true, false)
		returned := time.Since(start)
		want := tasks / workers * took
		if returned != want || finished.Load() != tasks {
			t.Errorf("%s returned after %v of fake time, with %d tasks finished, want after %v "+
				"with all %d finished: Shutdown(true, false) runs every task already submitted "+
				"and waits until the last has finished and the workers have ended (Python's "+
				"shutdown(wait=True)); the workers must end once the queue is empty, not before",
				what, returned, finished.Load(), want, tasks)
		}
		for i, f := range futures {
			if !isClosed(f.Done()) {
				t.Errorf("%s: the future of task %d is unresolved after Shutdown returned, want "+
					"every task's future resolved by then", what, i)
				break
			}
		}
		// The tasks end before the bubble does, even if Shutdown did not wait for them: a
		// Shutdown that returned too early fails with the message above, not as a leak.
		for _, f := range futures {
			await(f)
		}
	})
}

func TestPoolSubmitNeverWaits(t *testing.T) {
	// More than any buffer a learner calls plenty, and few enough that a pool holding a
	// goroutine per pending task (parked behind a semaphore: correct) stays well under a
	// second under -race. A pool that starts a worker per task piles them up as well.
	const tasks = 20_000
	what := fmt.Sprintf("%d calls of Submit(p, task) on NewPool(1, initializer) while its one "+
		"worker runs a task that waits until the calls have returned", tasks)
	guard.Bubble(t, guard.Limit, what, func(t *testing.T) {
		p := NewPool(1, func() int { return 0 })
		release := make(chan struct{})
		first := Submit(p, func(int) (int, error) {
			<-release
			return -1, nil
		})
		var submitted, ran atomic.Int64
		futures := make([]*Future[int], tasks)
		returned := make(chan struct{})
		go func() {
			defer close(returned)
			for i := range tasks {
				futures[i] = Submit(p, func(int) (int, error) {
					ran.Add(1)
					return i, nil
				})
				submitted.Add(1)
			}
		}()
		// Every goroutine of the bubble is now blocked: the worker on release, and the
		// submitting goroutine too if a Submit waits for anything.
		synctest.Wait()
		if !isClosed(returned) {
			t.Errorf("%s: Submit call %d did not return while the worker was busy, want every call "+
				"to return at once: Submit queues the task and never waits, however many tasks are "+
				"pending (Python's submit never blocks: the executor's queue has no bound). A "+
				"bounded queue, such as a buffered channel, makes Submit wait for room; sent to "+
				"while holding the pool's mutex, it also blocks Shutdown and every other Submit "+
				"until a worker takes a task, and for ever if the running tasks wait for "+
				"something that comes after Submit returns", what, submitted.Load()+1)
		}
		close(release)
		<-returned
		p.Shutdown(true, false)
		// Shutdown(true, false) has waited for every task: each future is resolved.
		wrong := 0
		for i, f := range futures {
			if !isClosed(f.Done()) {
				wrong++
				continue
			}
			if v, err := f.Result(context.Background()); v != i || err != nil {
				wrong++
			}
		}
		if v, err := first.Result(context.Background()); !isClosed(first.Done()) || v != -1 || err != nil {
			wrong++
		}
		if n := ran.Load(); n != tasks || wrong > 0 {
			t.Errorf("%s, then Shutdown(true, false): %d of the %d tasks ran and %d futures did not "+
				"resolve to what their task returned, want all %d run and resolved: every task "+
				"submitted before Shutdown runs once, and Shutdown(true, false) waits for all of them",
				what, n, tasks, wrong, tasks)
		}
	})
}
