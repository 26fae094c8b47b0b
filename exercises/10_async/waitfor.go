package async

import (
	"context"
	"time"
)

// WaitFor calls work with a context that is done timeout from now, or when ctx is done
// if that comes first, and returns what work returns: Python's
// asyncio.wait_for(coro, timeout). When the time is up the work is cancelled, not
// abandoned: WaitFor returns only after work has returned, and then with the zero T and
// an error that wraps context.DeadlineExceeded (context.Canceled if the caller cancelled
// ctx). It leaves nothing running.
//
// work must return soon after its context is done, with an error that wraps ctx.Err().
func WaitFor[T any](ctx context.Context, timeout time.Duration, work func(context.Context) (T, error)) (T, error) {
	// This is the seed's asyncio.wait_for translated word for word: the work becomes a
	// task (a goroutine), and the caller waits for its result or for the timeout.
	type result struct {
		v   T
		err error
	}
	// TODO: nobody receives from this channel once the timeout has fired: the goroutine's
	// send then blocks for ever. Do you need a goroutine and a channel at all?
	done := make(chan result)
	go func() {
		// TODO: the work gets a context that nothing ever cancels, so the timeout cannot
		// stop it, and neither can the caller's ctx: give it a context.WithTimeout(ctx, timeout).
		v, err := work(context.Background())
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(timeout):
		// TODO: this stops the waiting, not the work, which runs on after WaitFor returned.
		var zero T
		return zero, context.DeadlineExceeded
	}
}
