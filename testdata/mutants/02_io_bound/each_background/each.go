// mutant: each fetch's timeout is derived from context.Background(), so the caller's deadline no longer holds; caught by TestEachDeadline

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

// FetchEach fetches the documents at once, each with a timeout that ignores ctx.
func FetchEach(ctx context.Context, fetch Fetcher, names []string, timeout time.Duration) []Result {
	results := make([]Result, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			body, err := fetch(ctx, name)
			results[i] = Result{Name: name, Body: body, Err: err}
		})
	}
	wg.Wait()
	return results
}
