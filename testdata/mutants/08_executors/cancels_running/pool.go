// mutant: with cancelPending, Shutdown also resolves the futures of the tasks already running with ErrCancelled (a sync.Once in resolve hides the second resolve), so work already started is reported cancelled while it still runs; caught by TestShutdownCancelPending, TestShutdownNoWaitCancel

package executors

import (
	"errors"
	"sync"
)

// ErrShutdown is the error of a future submitted after Shutdown: Python's submit raises
// RuntimeError("cannot schedule new futures after shutdown") there.
var ErrShutdown = errors.New("pool is shut down")

// ErrCancelled is the error of a future whose task Shutdown cancelled before it started:
// Python's result() raises CancelledError there.
var ErrCancelled = errors.New("task cancelled by shutdown")

// Pool runs submitted tasks on at most maxWorkers goroutines, its workers: Python's
// ThreadPoolExecutor(max_workers, initializer). Each worker has a state of type S that
// the initializer builds once, in the worker, before its first task, and that the worker
// passes to every task it runs (a connection, a buffer, a hasher): no two tasks running
// at once share a state. Create a Pool with [NewPool] and give it tasks with [Submit];
// its functions and methods may be called from any number of goroutines.
type Pool[S any] struct {
	max  int
	init func() S

	mu      sync.Mutex
	wake    *sync.Cond // signalled when a task is queued, broadcast at Shutdown
	queue   []job[S]   // the pending tasks, first submitted first
	workers int        // workers started
	closed  bool       // Shutdown was called
	wg      sync.WaitGroup
}

// job is a submitted task: run runs it with a worker's state and resolves its future;
// cancel resolves its future with ErrCancelled instead.
type job[S any] struct {
	run    func(state S)
	cancel func()
}

// running holds the cancel func of every task running now, so that Shutdown can cancel
// them too.
var running sync.Map

// NewPool returns a Pool of at most maxWorkers workers whose state initializer builds (if
// initializer is nil, each worker's state is the zero S). It panics if maxWorkers is less
// than 1. The initializer runs at most maxWorkers times in all, and never twice for one
// worker.
func NewPool[S any](maxWorkers int, initializer func() S) *Pool[S] {
	if maxWorkers < 1 {
		panic("executors: NewPool maxWorkers must be at least 1")
	}
	p := &Pool[S]{max: maxWorkers, init: initializer}
	// The workers wait on this Cond, under mu, for a task or for Shutdown.
	p.wake = sync.NewCond(&p.mu)
	return p
}

// Submit queues task to run on one of p's workers and returns its future at once: Python's
// executor.submit(fn). It never waits, however many tasks are pending. The future is
// resolved with what task returns, or with ErrCancelled if Shutdown cancels the task
// before it starts. After Shutdown, Submit runs nothing and returns a future resolved
// with ErrShutdown. (Submit is a function, not a method, because Go methods cannot have
// type parameters of their own, such as the task's result type T.)
func Submit[S, T any](p *Pool[S], task func(state S) (T, error)) *Future[T] {
	f := newFuture[T]()
	// closed and the queue are read and changed under one mutex: a Submit racing a
	// Shutdown either queues before it (and the task runs or is cancelled) or sees closed.
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		var zero T
		f.resolve(zero, ErrShutdown)
		return f
	}
	p.queue = append(p.queue, job[S]{
		run: func(state S) { f.resolve(call(func() (T, error) { return task(state) })) },
		cancel: func() {
			var zero T
			f.resolve(zero, ErrCancelled)
		},
	})
	// Workers start as tasks come, up to max; an idle one is woken for the new task.
	if p.workers < p.max {
		p.workers++
		p.wg.Go(p.work)
	}
	p.wake.Signal()
	return f
}

// work is a worker: it builds its state once, then runs tasks from the queue until p is
// shut down and the queue is empty.
func (p *Pool[S]) work() {
	var state S
	if p.init != nil {
		state = p.init()
	}
	for {
		p.mu.Lock()
		for len(p.queue) == 0 && !p.closed {
			p.wake.Wait()
		}
		if len(p.queue) == 0 { // closed and drained: the worker's end
			p.mu.Unlock()
			return
		}
		j := p.queue[0]
		p.queue[0] = job[S]{}
		p.queue = p.queue[1:]
		p.mu.Unlock()
		k := new(int)
		running.Store(k, j.cancel)
		j.run(state)
		running.Delete(k)
	}
}

// Shutdown stops p from taking new tasks: Python's shutdown(wait, cancel_futures).
// Tasks already running finish. If cancelPending, the tasks not started yet never run
// and their futures are resolved with ErrCancelled; otherwise they all run. If wait,
// Shutdown returns once every task that runs has finished, its future is resolved and
// p's goroutines have ended; otherwise it returns at once and the workers end by
// themselves when they are done. Shutdown may be called more than once; it must not be
// called with wait from one of p's own tasks, which would wait for itself.
func (p *Pool[S]) Shutdown(wait, cancelPending bool) {
	p.mu.Lock()
	p.closed = true
	var cancelled []job[S]
	if cancelPending {
		// Taken off the queue under the mutex: no worker can start them any more.
		cancelled, p.queue = p.queue, nil
	}
	// Every idle worker wakes, sees closed and, once the queue is empty, ends.
	p.wake.Broadcast()
	p.mu.Unlock()
	for _, j := range cancelled {
		j.cancel()
	}
	if cancelPending {
		running.Range(func(k, v any) bool { v.(func())(); return true })
	}
	if wait {
		p.wg.Wait()
	}
}
