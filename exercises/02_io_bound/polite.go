package iobound

import "context"

// FetchPolite fetches the documents called names through fetch, like [FetchAll], as a
// polite client: it starts at most perSecond fetches a second, each at least
// time.Second/perSecond after the one before (the first may start at once), so that no
// one-second window holds more than perSecond starts. It does not wait for a fetch to
// return before starting the next. It returns their bytes in the order of names. The
// first failed fetch cancels the others; if ctx ends first, FetchPolite starts no more
// fetches. Either way it waits for those running and returns nil and an error.
// perSecond must be at least 1.
func FetchPolite(ctx context.Context, fetch Fetcher, names []string, perSecond int) ([][]byte, error) {
	// TODO: FetchAll with a pace: before every start but the first, wait for the next tick
	// of a time.Ticker of period time.Second/perSecond, or for the context to end; then
	// do it again with a rate.Limiter (golang.org/x/time/rate) and its Wait(ctx).
	return nil, nil
}
