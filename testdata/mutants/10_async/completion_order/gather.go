// mutant: each result is appended as its task finishes, so the results come in completion order (as_completed), not in the order of the tasks; caught by TestGatherOrder

package async

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

func Gather[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	g, ctx := errgroup.WithContext(ctx)
	var (
		mu      sync.Mutex
		results []T
	)
	for _, task := range tasks {
		g.Go(func() error {
			v, err := task(ctx)
			if err != nil {
				return err
			}
			mu.Lock()
			results = append(results, v)
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}
