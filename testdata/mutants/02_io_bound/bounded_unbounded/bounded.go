// mutant: FetchBounded ignores n and starts every fetch at once: unbounded fan-out; caught by TestBoundedLimit

package iobound

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// FetchBounded fetches every document at once.
func FetchBounded(ctx context.Context, fetch Fetcher, names []string, n int) ([][]byte, error) {
	g, ctx := errgroup.WithContext(ctx)
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
