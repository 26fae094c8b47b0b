// mutant: the timeout's context is made from context.Background(), so the caller's cancel never reaches the work; caught by TestWaitForCancel

package async

import (
	"context"
	"time"
)

func WaitFor[T any](ctx context.Context, timeout time.Duration, work func(context.Context) (T, error)) (T, error) {
	tctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return work(tctx)
}
