package race

import (
	"context"
	"fmt"
	"sync"
)

// countLetters fetches the document called name and adds its letters to table, holding
// mu while it does. It is the seed's count_letters. On a failed fetch it cancels the
// whole count with the error.
func countLetters(ctx context.Context, cancel context.CancelCauseFunc, fetch Fetcher, name string, mu *sync.Mutex, table *Table) {
	text, err := fetch(ctx, name)
	if err != nil {
		cancel(fmt.Errorf("fetch %s: %w", name, err)) // the first cause wins; the other fetches stop
		return
	}
	mu.Lock() // every goroutine writes the same table: one at a time, and never across the fetch
	defer mu.Unlock()
	for _, c := range text {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'a' <= c && c <= 'z' {
			table[c-'a']++
		}
	}
}

// CountMutex fetches the documents called names all at the same time, through fetch, and returns
// how many times each letter occurs in them all. Its goroutines share one Table guarded
// by a sync.Mutex. It returns when every goroutine it started has finished; if a fetch
// fails, it cancels the others and returns that error.
func CountMutex(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu    sync.Mutex
		table Table
		wg    sync.WaitGroup
	)
	for _, name := range names {
		wg.Go(func() { countLetters(ctx, cancel, fetch, name, &mu, &table) })
	}
	wg.Wait() // told when the last one is done: no counter to poll, no sleep
	if err := context.Cause(ctx); err != nil {
		return Table{}, err
	}
	return table, nil
}
