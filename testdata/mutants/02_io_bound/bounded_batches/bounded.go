// mutant: starts the fetches in batches of n and waits for each whole batch; caught by TestBoundedReusesSlots
package iobound

import (
	"context"
	"sync"
)

// FetchBounded fetches in batches of n: every fetch of a batch must return before the
// next batch starts, so the fast fetches' slots stay idle while the slowest one runs.
func FetchBounded(ctx context.Context, fetch Fetcher, names []string, n int) ([][]byte, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	bodies := make([][]byte, len(names))
	var (
		once  sync.Once
		first error
	)
	for lo := 0; lo < len(names); lo += n {
		var wg sync.WaitGroup
		for i := lo; i < min(lo+n, len(names)); i++ {
			wg.Go(func() {
				body, err := fetch(ctx, names[i])
				if err != nil {
					once.Do(func() { first = err; cancel(err) })
					return
				}
				bodies[i] = body
			})
		}
		wg.Wait()
		if first != nil {
			return nil, first
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return bodies, nil
}
