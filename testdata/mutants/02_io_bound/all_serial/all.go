// mutant: FetchAll fetches one document after another; caught by TestAllBodies

package iobound

import "context"

// FetchAll fetches the documents one after another.
func FetchAll(ctx context.Context, fetch Fetcher, names []string) ([][]byte, error) {
	bodies := make([][]byte, len(names))
	for i, name := range names {
		body, err := fetch(ctx, name)
		if err != nil {
			return nil, err
		}
		bodies[i] = body
	}
	return bodies, nil
}
