package iobound

import "context"

// FetchBounded fetches the documents called names through fetch, like [FetchAll], with at
// most n fetches in flight at any moment, and n of them in flight as long as documents
// remain: a fetch starts as soon as another one returns. It returns their bytes in the
// order of names. The first failed fetch cancels the context of every other one, running
// or still to start; FetchBounded then waits for those running and returns nil and that
// error. n must be at least 1.
func FetchBounded(ctx context.Context, fetch Fetcher, names []string, n int) ([][]byte, error) {
	// TODO: FetchAll with a bound: take one of n slots before each fetch starts (a buffered
	// channel of capacity n is a semaphore) and give it back when the fetch returns; stop
	// starting fetches once the context is done.
	return nil, nil
}
