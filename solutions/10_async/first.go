package async

import (
	"context"
	"errors"
)

// First runs every replica at once and returns the result of the first one to succeed:
// the same request sent to several servers, the fastest answer wins. As soon as one
// replica succeeds, First cancels the context of the others, and it returns only after
// they have all returned, so that no replica is left running or blocked. If every
// replica fails, First returns the zero T and an error that wraps every replica's error
// (errors.Join). It needs at least one replica.
//
// A replica must return soon after its context is done, with an error that wraps
// ctx.Err().
func First[T any](ctx context.Context, replicas ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	// Room for every result: a loser's send never blocks, even after the winner is taken.
	results := make(chan result, len(replicas))
	for _, replica := range replicas {
		go func() {
			v, err := replica(ctx)
			results <- result{v, err}
		}()
	}
	var (
		winner *result
		errs   []error
	)
	// One receive per replica: every goroutine started above has ended when the loop does.
	for range replicas {
		r := <-results
		switch {
		case winner != nil: // a loser, cancelled or not: its result no longer matters
		case r.err == nil:
			winner = &r
			cancel()
		default:
			errs = append(errs, r.err)
		}
	}
	if winner == nil {
		var zero T
		return zero, errors.Join(errs...)
	}
	return winner.v, nil
}
