// mutant: fetches through an errgroup with SetLimit(4), so at most 4 documents are fetched at once instead of all 20; caught by TestMutexConcurrent, TestMutexNoPolling, TestMutexFetchError

package race

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"
)

// CountMutex fetches the documents called names all at once, through fetch, and returns
// how many times each letter occurs in them all. Its goroutines share one Table guarded
// by a sync.Mutex. It returns when every goroutine it started has finished; if a fetch
// fails, it cancels the others and returns that error.
func CountMutex(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	var (
		mu    sync.Mutex
		table Table
	)
	for _, name := range names {
		g.Go(func() error {
			text, err := fetch(ctx, name)
			if err != nil {
				return fmt.Errorf("fetch %s: %w", name, err)
			}
			mu.Lock()
			defer mu.Unlock()
			table.Add(text)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return Table{}, err
	}
	return table, nil
}
