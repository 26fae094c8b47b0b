package executors

import "context"

// Future is the result of a task that runs, or will run, in another goroutine: Python's
// concurrent.futures.Future. Create one with [Go] or [Submit]; its methods may be called
// from any number of goroutines, any number of times.
type Future[T any] struct {
	// TODO: the task's value and error, and a channel that resolve closes once they are
	// set. A close wakes every goroutine waiting on the channel, now and later; a send
	// would reach only one of them.
}

// newFuture returns an unresolved Future.
func newFuture[T any]() *Future[T] {
	// TODO: make the channel.
	return &Future[T]{}
}

// resolve sets the future's value and error and wakes everyone waiting for them, now and
// later. It must be called exactly once.
func (f *Future[T]) resolve(v T, err error) {
	// TODO: set the value and the error, then close the channel.
}

// Done returns a channel that is closed when the future is resolved, for a select over
// several futures (Python's as_completed and wait(FIRST_COMPLETED)).
func (f *Future[T]) Done() <-chan struct{} {
	// TODO: return the channel resolve closes.
	return nil
}

// Result waits until the future is resolved and returns the task's value and error:
// Python's result(timeout=). If ctx is done first, it returns the zero value and
// ctx.Err(), and the future stays as it was: a later Result can still get the value. A
// future already resolved returns its value and error even when ctx is done.
func (f *Future[T]) Result(ctx context.Context) (T, error) {
	// TODO: wait for the close or for ctx, whichever comes first, without polling; a
	// future already resolved returns its value, whatever ctx says.
	var zero T
	return zero, nil
}

// Go runs task in a new goroutine and returns its future at once: a goroutine per task,
// with no bound on how many run at once. The future is resolved with what task returns.
func Go[T any](task func() (T, error)) *Future[T] {
	f := newFuture[T]()
	// TODO: start a goroutine that runs the task through call(task) (panics.go) and
	// resolves f with what it returns.
	return f
}
