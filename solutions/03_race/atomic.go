package race

import (
	"context"
	"fmt"
	"sync/atomic"
)

// CountAtomic fetches the documents called names all at the same time, through fetch, and returns
// how many times each letter occurs in them all. Its goroutines share one table of
// atomic counters, and a shared atomic count of finished documents: the goroutine whose
// increment reaches len(names) closes a channel the caller waits on. It returns when
// every goroutine it started has finished with the table; if a fetch fails, it cancels the
// others and returns that error.
func CountAtomic(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	if len(names) == 0 {
		return Table{}, nil // no goroutine would ever close done
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		shared   [26]atomic.Int64 // each update is one indivisible read-modify-write
		finished atomic.Int64     // local, not global: two calls must not share it
		done     = make(chan struct{})
	)
	for _, name := range names {
		go func() {
			defer func() {
				// Add returns the count it made, so exactly one goroutine sees the last one.
				if finished.Add(1) == int64(len(names)) {
					close(done)
				}
			}()
			text, err := fetch(ctx, name)
			if err != nil {
				cancel(fmt.Errorf("fetch %s: %w", name, err)) // the first cause wins; the other fetches stop
				return
			}
			var local Table
			local.Add(text)
			for i, n := range local {
				shared[i].Add(int64(n)) // 26 atomic adds a document, not one a letter
			}
		}()
	}
	<-done // woken by the last goroutine: no polling
	if err := context.Cause(ctx); err != nil {
		return Table{}, err
	}
	var table Table
	for i := range shared {
		table[i] = int(shared[i].Load())
	}
	return table, nil
}
