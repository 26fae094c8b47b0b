// mutant: the caller polls a finished counter with time.Sleep(500ms) instead of waiting; caught by TestMutexNoPolling

package race

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// countLetters fetches the document called name, adds its letters to table and counts
// itself finished, holding mu while it does.
func countLetters(ctx context.Context, cancel context.CancelCauseFunc, fetch Fetcher, name string, mu *sync.Mutex, table *Table, finished *int) {
	text, err := fetch(ctx, name)
	mu.Lock()
	defer mu.Unlock()
	*finished++
	if err != nil {
		cancel(fmt.Errorf("fetch %s: %w", name, err))
		return
	}
	for _, c := range text {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'a' <= c && c <= 'z' {
			table[c-'a']++
		}
	}
}

// CountMutex counts the letters of the documents, polling a counter guarded by the
// mutex: race-free, but late.
func CountMutex(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu       sync.Mutex
		table    Table
		finished int
	)
	for _, name := range names {
		go countLetters(ctx, cancel, fetch, name, &mu, &table, &finished)
	}
	for {
		mu.Lock()
		n := finished
		mu.Unlock()
		if n == len(names) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if err := context.Cause(ctx); err != nil {
		return Table{}, err
	}
	mu.Lock()
	defer mu.Unlock()
	return table, nil
}
