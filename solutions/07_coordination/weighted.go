package coordination

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sync/semaphore"
)

// ErrWeight is what RunWeighted returns, wrapped, when a call weighs more than the budget.
var ErrWeight = errors.New("weight over budget")

// RunWeighted calls work(ctx, i) once for every index i of weights, concurrently, so
// that the weights of the calls in flight never add up to more than budget. It does not
// run the calls one at a time when more fit: with every weight equal to w, budget/w
// calls run at once. It returns once every call it started has returned.
//
// If a weight is more than budget, RunWeighted calls nothing and returns an error
// wrapping ErrWeight. If ctx is done before every call has started, it starts no more
// calls, waits for those in flight and returns ctx.Err(). Otherwise it returns nil.
// Weights must be at least 1.
func RunWeighted(ctx context.Context, budget int64, weights []int64, work func(ctx context.Context, i int)) error {
	// Acquire(ctx, n) with n over the size would wait until ctx is done: check first.
	for i, w := range weights {
		if w > budget {
			return fmt.Errorf("call %d weighs %d, budget %d: %w", i, w, budget, ErrWeight)
		}
	}
	sem := semaphore.NewWeighted(budget)
	var wg sync.WaitGroup
	defer wg.Wait() // every call started has returned before RunWeighted does
	for i, w := range weights {
		// Acquire waits until w fits, first in first out, or fails once ctx is done.
		if err := sem.Acquire(ctx, w); err != nil {
			return err
		}
		wg.Go(func() {
			defer sem.Release(w)
			work(ctx, i)
		})
	}
	return nil
}
