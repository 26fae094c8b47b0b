package iobound

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Fetcher returns the bytes of the document called name, or an error. It stands for an
// HTTP GET or a read from a slow disk: it may take a while, and it returns early, with an
// error that wraps ctx.Err(), once ctx is cancelled or its deadline passes. A Fetcher may
// be called by many goroutines at once; callers must not modify the bytes it returns.
type Fetcher func(ctx context.Context, name string) ([]byte, error)

// FetchSerial fetches the documents called names one after another, through fetch, and
// returns their bytes in the order of names, or nil and the first error. It is the seed's
// loop and the benchmarks' baseline: its time is the sum of every fetch's latency, and
// while a fetch waits, nothing else happens.
func FetchSerial(ctx context.Context, fetch Fetcher, names []string) ([][]byte, error) {
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

// HTTPFetcher returns a Fetcher that GETs baseURL/name with client, the request bound to
// the fetch's context. A response status other than 200 OK is an error.
func HTTPFetcher(client *http.Client, baseURL string) Fetcher {
	return func(ctx context.Context, name string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/"+url.PathEscape(name), nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", req.URL, resp.Status)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", req.URL, err)
		}
		return body, nil
	}
}
