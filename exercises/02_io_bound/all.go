package iobound

import "context"

// FetchAll fetches the documents called names all at once, through fetch, and returns
// their bytes in the order of names. It is all or nothing: when a fetch fails, FetchAll
// cancels the context of every other fetch, waits until they have all returned, and
// returns nil and the first error. It never returns while a fetch it started is running.
func FetchAll(ctx context.Context, fetch Fetcher, names []string) ([][]byte, error) {
	// TODO: start a goroutine per document, each storing its body at its own index; on the
	// first error, cancel a context the fetches share and keep that error; wait for every
	// goroutine (even after an error), then return the bodies or the error.
	return nil, nil
}
