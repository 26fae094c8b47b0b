package iobound

import (
	"context"
	"sync"
)

// FetchAll fetches the documents called names all at once, through fetch, and returns
// their bytes in the order of names. It is all or nothing: when a fetch fails, FetchAll
// cancels the context of every other fetch, waits until they have all returned, and
// returns nil and the first error. It never returns while a fetch it started is running.
func FetchAll(ctx context.Context, fetch Fetcher, names []string) ([][]byte, error) {
	// A context of our own, so that the first failure can stop the other fetches.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	bodies := make([][]byte, len(names))
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for i, name := range names {
		wg.Go(func() {
			body, err := fetch(ctx, name)
			if err != nil {
				// The first error is kept and cancels the rest; the others are their echoes.
				once.Do(func() { first = err; cancel(err) })
				return
			}
			bodies[i] = body // each goroutine writes only its own element
		})
	}
	// Wait even after an error: nothing we started may outlive the call.
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return bodies, nil
}
