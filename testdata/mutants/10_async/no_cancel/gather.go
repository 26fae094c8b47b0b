// mutant: a plain errgroup.Group without WithContext: the first error is returned, but it does not cancel the other tasks, which run to the end; caught by TestGatherFirstError

package async

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func Gather[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	var g errgroup.Group
	results := make([]T, len(tasks))
	for i, task := range tasks {
		g.Go(func() error {
			v, err := task(ctx)
			if err != nil {
				return err
			}
			results[i] = v
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}
