// mutant: the table and its mutex stay at package level, as the seed's frequency_table, emptied at the start of each call: two calls at the same time count into one table; caught by TestMutexTwoCalls

package race

import (
	"context"
	"fmt"
	"sync"
)

// table is the seed's global frequency_table, guarded by mu.
var (
	mu    sync.Mutex
	table Table
)

func CountMutex(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	mu.Lock()
	table = Table{}
	mu.Unlock()
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Go(func() {
			text, err := fetch(ctx, name)
			if err != nil {
				cancel(fmt.Errorf("fetch %s: %w", name, err))
				return
			}
			mu.Lock()
			defer mu.Unlock()
			table.Add(text)
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return Table{}, err
	}
	mu.Lock()
	defer mu.Unlock()
	return table, nil
}
