package iobound

import (
	"context"
	"time"
)

// Result is the outcome of one fetch of [FetchEach]: the bytes of the document called
// Name, or the error that ended its fetch.
type Result struct {
	Name string
	Body []byte
	Err  error
}

// FetchEach fetches the documents called names all at once, through fetch, and returns
// one Result per name, in the order of names. Each fetch gets its own timeout: its context
// expires timeout after the fetch starts, or when ctx ends, whichever comes first, so the
// deadline of ctx is the deadline of the whole call. A failed or timed-out fetch does not
// stop the others; its Result holds its error. FetchEach returns when every fetch has
// returned: about as long as the slowest one takes, not the sum of them.
func FetchEach(ctx context.Context, fetch Fetcher, names []string, timeout time.Duration) []Result {
	results := make([]Result, len(names))
	// TODO: this is the seed's loop: each fetch waits for the one before it, and the CPU
	// idles all the while. Start every fetch at once (a goroutine each, a sync.WaitGroup)
	// and wait for them all before returning.
	for i, name := range names {
		// TODO: give each fetch a context of its own that expires timeout after it starts,
		// derived from ctx so that the caller's deadline still holds.
		body, err := fetch(ctx, name)
		results[i] = Result{Name: name, Body: body, Err: err}
	}
	return results
}
