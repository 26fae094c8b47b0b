// mutant: errgroup.Group with SetLimit but without WithContext: the first error cancels nothing, and the remaining documents are still fetched; caught by TestBoundedFetchError

package iobound

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// FetchBounded fetches the documents n at a time, without cancelling on an error.
func FetchBounded(ctx context.Context, fetch Fetcher, names []string, n int) ([][]byte, error) {
	var g errgroup.Group
	g.SetLimit(n)
	bodies := make([][]byte, len(names))
	for i, name := range names {
		g.Go(func() error {
			body, err := fetch(ctx, name)
			bodies[i] = body
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return bodies, nil
}
