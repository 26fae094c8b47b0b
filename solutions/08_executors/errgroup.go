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
	// WithContext: the first error cancels ctx for the calls still running.
	g, ctx := errgroup.WithContext(ctx)
	// SetLimit: g.Go waits while limit calls are running, max_workers in Python.
	g.SetLimit(limit)
	// Each call writes its own slot: no two goroutines share one, and the order is the input's.
	results := make([]R, len(items))
	for i, item := range items {
		g.Go(func() error {
			r, err := f(ctx, item)
			if err != nil {
				return err
			}
			results[i] = r
			return nil
		})
	}
	// Wait is what makes the slots' writes visible here.
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return results, nil
}
