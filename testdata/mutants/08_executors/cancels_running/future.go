// mutant: with cancelPending, Shutdown also resolves the futures of the tasks already running with ErrCancelled (a sync.Once in resolve hides the second resolve), so work already started is reported cancelled while it still runs; caught by TestShutdownCancelPending, TestShutdownNoWaitCancel

package executors

import (
	"context"
	"sync"
)

// Future is the result of a task that runs, or will run, in another goroutine: Python's
// concurrent.futures.Future. Create one with [Go] or [Submit]; its methods may be called
// from any number of goroutines, any number of times.
type Future[T any] struct {
	once sync.Once
	done chan struct{} // closed once val and err are set: a close wakes every waiter
	val  T
	err  error
}

// newFuture returns an unresolved Future.
func newFuture[T any]() *Future[T] {
	// Result and Done wait on this channel; resolve closes it.
	return &Future[T]{done: make(chan struct{})}
}

// resolve sets the future's value and error and wakes everyone waiting for them, now and
// later. It must be called exactly once.
func (f *Future[T]) resolve(v T, err error) {
	// Written before the close, so every receive that sees the close sees them too.
	f.once.Do(func() {
		f.val, f.err = v, err
		close(f.done)
	})
}

// Done returns a channel that is closed when the future is resolved, for a select over
// several futures (Python's as_completed and wait(FIRST_COMPLETED)).
func (f *Future[T]) Done() <-chan struct{} {
	// The same channel for every caller: closed once, it is ready for every receive.
	return f.done
}

// Result waits until the future is resolved and returns the task's value and error:
// Python's result(timeout=). If ctx is done first, it returns the zero value and
// ctx.Err(), and the future stays as it was: a later Result can still get the value. A
// future already resolved returns its value and error even when ctx is done.
func (f *Future[T]) Result(ctx context.Context) (T, error) {
	// A resolved future answers first: a select with both cases ready picks one at random.
	select {
	case <-f.done:
		return f.val, f.err
	default:
	}
	// Then a select on the close and on ctx: no polling, and every waiter wakes at the close.
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Go runs task in a new goroutine and returns its future at once: a goroutine per task,
// with no bound on how many run at once. The future is resolved with what task returns.
func Go[T any](task func() (T, error)) *Future[T] {
	f := newFuture[T]()
	// The goroutine ends when task returns (or panics: call recovers it).
	go func() { f.resolve(call(task)) }()
	return f
}
