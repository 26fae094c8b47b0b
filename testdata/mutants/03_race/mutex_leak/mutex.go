// mutant: on the first failed fetch it cancels the others but returns without waiting for them; caught by TestMutexNoLeak

package race

import (
	"context"
	"fmt"
	"sync"
)

// CountMutex counts the letters of the documents, and returns as soon as a fetch fails.
func CountMutex(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		table Table
	)
	errs := make(chan error, len(names))
	for _, name := range names {
		go func() {
			text, err := fetch(ctx, name)
			if err != nil {
				errs <- fmt.Errorf("fetch %s: %w", name, err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, c := range text {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				if 'a' <= c && c <= 'z' {
					table[c-'a']++
				}
			}
			errs <- nil
		}()
	}
	for range names {
		if err := <-errs; err != nil {
			return Table{}, err // the deferred cancel stops the others, but nobody waits for them
		}
	}
	mu.Lock()
	defer mu.Unlock()
	return table, nil
}
