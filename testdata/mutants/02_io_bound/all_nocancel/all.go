// mutant: the first error is returned, but only after every other fetch has run to the end: nothing cancels them; caught by TestAllFirstError

package iobound

import (
	"context"
	"sync"
)

// FetchAll fetches the documents at once and returns the first error, without cancelling.
func FetchAll(ctx context.Context, fetch Fetcher, names []string) ([][]byte, error) {
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
				once.Do(func() { first = err })
				return
			}
			bodies[i] = body
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return bodies, nil
}
