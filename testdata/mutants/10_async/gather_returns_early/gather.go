// mutant: results come back on an unbuffered channel, and the first error cancels the rest and returns at once: the cancelled tasks are not waited for, and block for ever on their send; caught by TestGatherFirstError

package async

import "context"

func Gather[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		i   int
		v   T
		err error
	}
	ch := make(chan result)
	for i, task := range tasks {
		go func() {
			v, err := task(ctx)
			ch <- result{i, v, err}
		}()
	}
	results := make([]T, len(tasks))
	for range tasks {
		r := <-ch
		if r.err != nil {
			return nil, r.err
		}
		results[r.i] = r.v
	}
	return results, nil
}
