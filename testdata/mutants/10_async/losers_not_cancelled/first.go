// mutant: First waits for every replica but never cancels the losers, so they all run to the end and First answers as late as the slowest; caught by TestFirstWins

package async

import (
	"context"
	"errors"
)

func First[T any](ctx context.Context, replicas ...func(context.Context) (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
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
	for range replicas {
		r := <-results
		switch {
		case winner != nil:
		case r.err == nil:
			winner = &r
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
