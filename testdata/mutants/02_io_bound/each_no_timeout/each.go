// mutant: the fetches run at once but share the caller's context, so a hung fetch has no timeout of its own; caught by TestEachTimeout

package iobound

import (
	"context"
	"sync"
	"time"
)

// Result is the outcome of one fetch of FetchEach.
type Result struct {
	Name string
	Body []byte
	Err  error
}

// FetchEach fetches the documents at once, without a timeout per fetch.
func FetchEach(ctx context.Context, fetch Fetcher, names []string, timeout time.Duration) []Result {
	results := make([]Result, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			body, err := fetch(ctx, name)
			results[i] = Result{Name: name, Body: body, Err: err}
		})
	}
	wg.Wait()
	return results
}
