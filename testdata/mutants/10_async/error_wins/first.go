// mutant: the first replica to return wins even when it returns an error, so a fast failure hides a slower success; caught by TestFirstSkipsErrors, TestFirstAllFail

package async

import "context"

func First[T any](ctx context.Context, replicas ...func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
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
	first := <-results
	cancel()
	for range len(replicas) - 1 {
		<-results
	}
	return first.v, first.err
}
