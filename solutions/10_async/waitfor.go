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
	// The deadline travels in the context, so the work itself stops when it passes.
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Called on this goroutine: nothing to wait for, nothing left to send a result.
	return work(ctx)
}
