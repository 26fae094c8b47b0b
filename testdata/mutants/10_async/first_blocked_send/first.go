// mutant: the replicas send on an unbuffered channel and First returns on the first success: the losers are cancelled but not waited for, and block for ever on their send; caught by TestFirstWins, TestFirstSkipsErrors

package async

import (
	"context"
	"errors"
)

func First[T any](ctx context.Context, replicas ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	results := make(chan result)
	for _, replica := range replicas {
		go func() {
			v, err := replica(ctx)
			results <- result{v, err}
		}()
	}
	var errs []error
	for range replicas {
		r := <-results
		if r.err == nil {
			return r.v, nil
		}
		errs = append(errs, r.err)
	}
	var zero T
	return zero, errors.Join(errs...)
}
