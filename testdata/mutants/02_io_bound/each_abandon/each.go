// mutant: a fetch times out by giving up waiting for it (select on time.After), and the fetch itself is left running; caught by TestEachTimeout

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

// FetchEach fetches the documents at once and stops waiting for a fetch after timeout.
func FetchEach(ctx context.Context, fetch Fetcher, names []string, timeout time.Duration) []Result {
	results := make([]Result, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			type got struct {
				body []byte
				err  error
			}
			ch := make(chan got, 1)
			go func() {
				body, err := fetch(ctx, name)
				ch <- got{body, err}
			}()
			select {
			case g := <-ch:
				results[i] = Result{Name: name, Body: g.body, Err: g.err}
			case <-time.After(timeout):
				results[i] = Result{Name: name, Err: context.DeadlineExceeded}
			}
		})
	}
	wg.Wait()
	return results
}
