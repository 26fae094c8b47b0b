// mutant: the work is cancelled at the deadline, but WaitFor returns without waiting for it, and its goroutine then blocks for ever sending its result on an unbuffered channel nobody reads; caught by TestWaitForTimeout, TestWaitForCancel

package async

import (
	"context"
	"time"
)

func WaitFor[T any](ctx context.Context, timeout time.Duration, work func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	done := make(chan result)
	go func() {
		v, err := work(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
