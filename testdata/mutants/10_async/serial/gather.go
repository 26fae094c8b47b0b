// mutant: the tasks are awaited one after another, like awaiting coroutines in a loop without create_task, so they never run at once; caught by TestGatherOrder

package async

import "context"

func Gather[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	results := make([]T, len(tasks))
	for i, task := range tasks {
		v, err := task(ctx)
		if err != nil {
			return nil, err
		}
		results[i] = v
	}
	return results, nil
}
