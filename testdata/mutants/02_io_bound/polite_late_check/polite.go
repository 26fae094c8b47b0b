// mutant: after each tick the loop checks ctx.Err() before starting a fetch, but the wait for the tick itself is deaf to the context: after the deadline it waits for one more tick before it notices; caught by TestPoliteDeadline

package iobound

import (
	"context"
	"sync"
	"time"
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
	// One tick per start after the first: the loop below always waits on the ticker, so
	// no tick goes stale and two starts are never closer than one period.
	tick := time.NewTicker(time.Second / time.Duration(perSecond))
	defer tick.Stop()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for i, name := range names {
		if i > 0 {
			<-tick.C
			if ctx.Err() != nil {
				break
			}
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
	// The caller's context ended between two starts, and no fetch failed.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return bodies, nil
}
