package iobound

import (
	"context"
	"sync"
)

// FetchBounded fetches the documents called names through fetch, like [FetchAll], with at
// most n fetches in flight at any moment, and n of them in flight as long as documents
// remain: a fetch starts as soon as another one returns. It returns their bytes in the
// order of names. The first failed fetch cancels the context of every other one, running
// or still to start; FetchBounded then waits for those running and returns nil and that
// error. n must be at least 1.
func FetchBounded(ctx context.Context, fetch Fetcher, names []string, n int) ([][]byte, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	bodies := make([][]byte, len(names))
	// A channel semaphore: a fetch holds one of its n slots while it runs.
	sem := make(chan struct{}, n)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
loop:
	for i, name := range names {
		select {
		case sem <- struct{}{}: // waits while n fetches are in flight
		case <-ctx.Done(): // a fetch failed, or the caller gave up: start no more
			break loop
		}
		wg.Go(func() {
			defer func() { <-sem }()
			body, err := fetch(ctx, name)
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
	// The caller's context ended while we waited for a slot, and no fetch failed.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return bodies, nil
}
