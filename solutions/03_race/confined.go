package race

import (
	"context"
	"fmt"
	"sync"
)

// CountConfined fetches the documents called names all at the same time, through fetch, and
// returns how many times each letter occurs in them all. Each goroutine counts its
// document into a Table of its own, and CountConfined adds them up once every goroutine
// has finished, so no Table is ever touched by two goroutines at the same time and nothing needs a
// lock. It returns when every goroutine it started has finished; if a fetch fails, it
// cancels the others and returns that error.
func CountConfined(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	tables := make([]Table, len(names)) // tables[i] belongs to the goroutine of names[i] alone
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			text, err := fetch(ctx, name)
			if err != nil {
				cancel(fmt.Errorf("fetch %s: %w", name, err)) // the first cause wins; the other fetches stop
				return
			}
			tables[i].Add(text)
		})
	}
	wg.Wait() // after Wait, every goroutine's writes are visible here
	if err := context.Cause(ctx); err != nil {
		return Table{}, err
	}
	var total Table
	for i := range tables {
		total.Merge(&tables[i]) // one goroutine, after the others: no lock needed
	}
	return total, nil
}
