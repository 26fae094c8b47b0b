// mutant: FetchEach on errgroup.WithContext, each goroutine returning its fetch's error: the first failure cancels the context of every other fetch, and their documents are lost; caught by TestEachFailure

package iobound

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"
)

// Result is the outcome of one fetch of [FetchEach].
type Result struct {
	Name string
	Body []byte
	Err  error
}

// FetchEach fetches the documents at once in an errgroup whose context the first error cancels.
func FetchEach(ctx context.Context, fetch Fetcher, names []string, timeout time.Duration) []Result {
	results := make([]Result, len(names))
	g, ctx := errgroup.WithContext(ctx)
	for i, name := range names {
		g.Go(func() error {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			body, err := fetch(ctx, name)
			results[i] = Result{Name: name, Body: body, Err: err}
			return err
		})
	}
	g.Wait()
	return results
}
