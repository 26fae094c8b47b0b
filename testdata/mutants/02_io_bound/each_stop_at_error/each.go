// mutant: the results come back on a channel, and FetchEach stops collecting at the first failure: the documents still in flight are reported as not fetched, and their goroutines are left running; caught by TestEachFailure

package iobound

import (
	"context"
	"errors"
	"time"
)

// Result is the outcome of one fetch of [FetchEach].
type Result struct {
	Name string
	Body []byte
	Err  error
}

var errNotFetched = errors.New("not fetched")

// FetchEach fetches the documents at once and collects results until the first failure.
func FetchEach(ctx context.Context, fetch Fetcher, names []string, timeout time.Duration) []Result {
	type indexed struct {
		i int
		r Result
	}
	results := make([]Result, len(names))
	for i, name := range names {
		results[i] = Result{Name: name, Err: errNotFetched}
	}
	ch := make(chan indexed, len(names))
	for i, name := range names {
		go func() {
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			body, err := fetch(ctx, name)
			ch <- indexed{i, Result{Name: name, Body: body, Err: err}}
		}()
	}
	for range names {
		r := <-ch
		results[r.i] = r.r
		if r.r.Err != nil {
			break // one failed: no point waiting for the rest
		}
	}
	return results
}
