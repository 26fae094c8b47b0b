// mutant: the timeout stops the waiting but not the work: WaitFor returns at the deadline while the work runs on with the caller's context; caught by TestWaitForTimeout

package async

import (
	"context"
	"time"
)

func WaitFor[T any](ctx context.Context, timeout time.Duration, work func(context.Context) (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := work(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(timeout):
		var zero T
		return zero, context.DeadlineExceeded
	}
}
