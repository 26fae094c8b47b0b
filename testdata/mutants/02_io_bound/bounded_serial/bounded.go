// mutant: FetchBounded fetches one document after another whatever n is; caught by TestBoundedLimit

package iobound

import "context"

// FetchBounded fetches the documents one after another.
func FetchBounded(ctx context.Context, fetch Fetcher, names []string, n int) ([][]byte, error) {
	return FetchSerial(ctx, fetch, names)
}
