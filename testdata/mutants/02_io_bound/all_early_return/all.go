// mutant: the first error cancels the others, and FetchAll returns at once without waiting for them to stop; caught by TestAllFirstError, TestAllNoLeak

package iobound

import (
	"context"
	"sync"
)

// FetchAll fetches the documents at once and returns at the first error.
func FetchAll(ctx context.Context, fetch Fetcher, names []string) ([][]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		i    int
		body []byte
		err  error
	}
	results := make(chan result, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			body, err := fetch(ctx, name)
			results <- result{i, body, err}
		})
	}
	bodies := make([][]byte, len(names))
	for range names {
		r := <-results
		if r.err != nil {
			return nil, r.err // the deferred cancel stops the others; nobody waits for them
		}
		bodies[r.i] = r.body
	}
	wg.Wait()
	return bodies, nil
}
