// mutant: a tick before each fetch, but each fetch is waited for before the next starts: the client is polite and serial; caught by TestPoliteConcurrent

package iobound

import (
	"context"
	"time"
)

// FetchPolite fetches the documents one after another, one tick apart at least.
func FetchPolite(ctx context.Context, fetch Fetcher, names []string, perSecond int) ([][]byte, error) {
	tick := time.NewTicker(time.Second / time.Duration(perSecond))
	defer tick.Stop()
	bodies := make([][]byte, len(names))
	for i, name := range names {
		if i > 0 {
			select {
			case <-tick.C:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		body, err := fetch(ctx, name)
		if err != nil {
			return nil, err
		}
		bodies[i] = body
	}
	return bodies, nil
}
