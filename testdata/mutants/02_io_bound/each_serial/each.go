// mutant: the fetches run one after another, each with its timeout, as in the seed's loop; caught by TestEachConcurrent, TestEachTimeout, TestEachDeadline

package iobound

import (
	"context"
	"time"
)

// Result is the outcome of one fetch of FetchEach.
type Result struct {
	Name string
	Body []byte
	Err  error
}

// FetchEach fetches the documents one after another.
func FetchEach(ctx context.Context, fetch Fetcher, names []string, timeout time.Duration) []Result {
	results := make([]Result, len(names))
	for i, name := range names {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		body, err := fetch(ctx, name)
		cancel()
		results[i] = Result{Name: name, Body: body, Err: err}
	}
	return results
}
