package iobound

import (
	"context"
	"sync"

	"golang.org/x/time/rate"
)

// FetchPolite fetches the documents called names through fetch, like [FetchAll], as a
// polite client: it starts at most perSecond fetches a second, each at least
// time.Second/perSecond after the one before (the first may start at once), so that no
// one-second window holds more than perSecond starts. It does not wait for a fetch to
// return before starting the next. It returns their bytes in the order of names. The
// first failed fetch cancels the others; if ctx ends first, FetchPolite starts no more
// fetches. Either way it waits for those running and returns nil and an error.
// perSecond must be at least 1.
func FetchPolite(ctx context.Context, fetch Fetcher, names []string, perSecond int) ([][]byte, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	bodies := make([][]byte, len(names))
	// A token bucket that holds one token and gets perSecond a second: the first Wait
	// returns at once, each later one 1/perSecond after the one before. A burst of b
	// would let b fetches start at once.
	lim := rate.NewLimiter(rate.Limit(perSecond), 1)
	var (
		wg      sync.WaitGroup
		once    sync.Once
		first   error
		waitErr error
	)
	for i, name := range names {
		// Wait gives up when ctx ends (a fetch failed, or the caller gave up), or at once
		// when the next start would come after ctx's deadline: then start no more.
		if waitErr = lim.Wait(ctx); waitErr != nil {
			break
		}
		wg.Go(func() {
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
	// The caller's context ended, or would have, between two starts, and no fetch failed.
	if waitErr != nil {
		return nil, waitErr
	}
	return bodies, nil
}
