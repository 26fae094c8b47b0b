package async

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Gather runs every task at once, each on a goroutine of its own, and returns their
// results in the order of tasks, whatever order they finish in: Python's
// asyncio.gather(*tasks). When a task fails, Gather cancels the context of every other
// task, waits until they have all returned, and returns nil and the first error, as
// asyncio.TaskGroup does. It never returns while a task it started is running.
//
// A task must return soon after its context is done, with an error that wraps ctx.Err().
func Gather[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	// errgroup.WithContext cancels ctx on the first error and keeps that error.
	g, ctx := errgroup.WithContext(ctx)
	results := make([]T, len(tasks))
	for i, task := range tasks {
		g.Go(func() error {
			v, err := task(ctx)
			if err != nil {
				return err
			}
			results[i] = v // each goroutine writes only its own index: input order, no lock
			return nil
		})
	}
	// Wait even after an error: nothing we started may outlive the call.
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}
