// mutant: a rate.Limiter with a burst of perSecond: perSecond fetches start at once, then one every 1/perSecond, a rate above perSecond in the first second; caught by TestPoliteRate

package iobound

import (
	"context"

	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"
)

// FetchPolite fetches the documents through a token bucket that allows a burst.
func FetchPolite(ctx context.Context, fetch Fetcher, names []string, perSecond int) ([][]byte, error) {
	lim := rate.NewLimiter(rate.Limit(perSecond), perSecond)
	g, gctx := errgroup.WithContext(ctx)
	bodies := make([][]byte, len(names))
	var waitErr error
	for i, name := range names {
		if waitErr = lim.Wait(gctx); waitErr != nil {
			break
		}
		g.Go(func() error {
			body, err := fetch(gctx, name)
			bodies[i] = body
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if waitErr != nil {
		return nil, waitErr
	}
	return bodies, nil
}
