package executors

import (
	"errors"
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

	// TODO: a queue of pending tasks that has no bound (a slice under a sync.Mutex, with
	// a sync.Cond the workers wait on, is one way), the number of workers started, a
	// closed flag for Shutdown, and a sync.WaitGroup for the workers.
}

// NewPool returns a Pool of at most maxWorkers workers whose state initializer builds (if
// initializer is nil, each worker's state is the zero S). It panics if maxWorkers is less
// than 1. The initializer runs at most maxWorkers times in all, and never twice for one
// worker.
func NewPool[S any](maxWorkers int, initializer func() S) *Pool[S] {
	if maxWorkers < 1 {
		panic("executors: NewPool maxWorkers must be at least 1")
	}
	// TODO: whatever the queue needs (sync.NewCond(&p.mu), for one).
	return &Pool[S]{max: maxWorkers, init: initializer}
}

// Submit queues task to run on one of p's workers and returns its future at once: Python's
// executor.submit(fn). It never waits, however many tasks are pending. The future is
// resolved with what task returns, or with ErrCancelled if Shutdown cancels the task
// before it starts. After Shutdown, Submit runs nothing and returns a future resolved
// with ErrShutdown. (Submit is a function, not a method, because Go methods cannot have
// type parameters of their own, such as the task's result type T.)
func Submit[S, T any](p *Pool[S], task func(state S) (T, error)) *Future[T] {
	f := newFuture[T]()
	// TODO (exercise pool): queue a job that runs task with the worker's state, through
	// call (panics.go), and resolves f with what it returns; start a worker if fewer than
	// p.max are running, and wake an idle one.
	// TODO (exercise shutdown): after Shutdown, resolve f with ErrShutdown instead, and
	// give the job a way to resolve f with ErrCancelled.
	return f
}

// Shutdown stops p from taking new tasks: Python's shutdown(wait, cancel_futures).
// Tasks already running finish. If cancelPending, the tasks not started yet never run
// and their futures are resolved with ErrCancelled; otherwise they all run. If wait,
// Shutdown returns once every task that runs has finished, its future is resolved and
// p's goroutines have ended; otherwise it returns at once and the workers end by
// themselves when they are done. Shutdown may be called more than once; it must not be
// called with wait from one of p's own tasks, which would wait for itself.
func (p *Pool[S]) Shutdown(wait, cancelPending bool) {
	// TODO (exercise pool): mark p closed, wake every worker so that each ends once the
	// queue is empty, and with wait, wait for them.
	// TODO (exercise shutdown): with cancelPending, take the pending tasks off the queue
	// and resolve their futures with ErrCancelled.
}
