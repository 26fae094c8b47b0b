// mutant: results come back on an unbuffered channel, and FetchAll stops reading it at the first error: the other goroutines block for ever on their send; caught by TestAllFirstError, TestAllNoLeak

package iobound

import "context"

// FetchAll fetches the documents at once and collects them from a channel.
func FetchAll(ctx context.Context, fetch Fetcher, names []string) ([][]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		i    int
		body []byte
		err  error
	}
	results := make(chan result)
	for i, name := range names {
		go func() {
			body, err := fetch(ctx, name)
			results <- result{i, body, err}
		}()
	}
	bodies := make([][]byte, len(names))
	for range names {
		r := <-results
		if r.err != nil {
			return nil, r.err
		}
		bodies[r.i] = r.body
	}
	return bodies, nil
}
