package coordination

import (
	"context"
	"errors"
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
	// TODO: refuse a weight over the budget before starting anything.
	// TODO: for each call, acquire its weight from a golang.org/x/sync/semaphore.Weighted
	// of size budget, run it in a goroutine that releases the weight when it returns,
	// and wait for them all.
	return nil
}
