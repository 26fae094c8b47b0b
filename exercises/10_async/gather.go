package async

import "context"

// Gather runs every task at once, each on a goroutine of its own, and returns their
// results in the order of tasks, whatever order they finish in: Python's
// asyncio.gather(*tasks). When a task fails, Gather cancels the context of every other
// task, waits until they have all returned, and returns nil and the first error, as
// asyncio.TaskGroup does. It never returns while a task it started is running.
//
// A task must return soon after its context is done, with an error that wraps ctx.Err().
func Gather[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	// TODO: an errgroup.WithContext(ctx) (golang.org/x/sync/errgroup): start each task with
	// g.Go, passing it the group's context, which is cancelled on the first error; store
	// each result at its task's index; g.Wait() returns the first error once all are done.
	return nil, nil
}
