package executors

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Map calls f on every item, with at most limit calls running at once, and returns the
// results in the order of items: Python's list(ThreadPoolExecutor(max_workers=limit).map(f,
// items)). Each call gets a ctx derived from ctx. If a call fails, Map cancels that ctx, so
// that the calls still running can stop early, and returns nil and the first error once
// every call it started has returned. It panics if limit is less than 1.
func Map[T, R any](ctx context.Context, limit int, items []T, f func(context.Context, T) (R, error)) ([]R, error) {
	if limit < 1 {
		panic("executors: Map limit must be at least 1")
	}
	// The seed's executor.map, translated: a goroutine per item, results collected as
	// they come.
	// TODO: the first error must cancel the other calls: errgroup.WithContext(ctx).
	var g errgroup.Group
	// TODO: at most limit calls at once (max_workers).
	var results []R
	for _, item := range items {
		g.Go(func() error {
			r, err := f(ctx, item)
			if err != nil {
				return err
			}
			// TODO: every goroutine appends to the same slice: a data race, and the
			// results come in finishing order instead of the input's.
			results = append(results, r)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}
