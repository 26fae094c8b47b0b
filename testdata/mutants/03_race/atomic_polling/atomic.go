// mutant: the caller polls the atomic finished counter with time.Sleep(500ms) instead of waiting on a channel; caught by TestAtomicNoPolling

package race

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// CountAtomic counts the letters of the documents with atomic counters, and polls the
// finished counter with time.Sleep.
func CountAtomic(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		shared   [26]atomic.Int64
		finished atomic.Int64
	)
	for _, name := range names {
		go func() {
			defer finished.Add(1)
			text, err := fetch(ctx, name)
			if err != nil {
				cancel(fmt.Errorf("fetch %s: %w", name, err))
				return
			}
			var local Table
			local.Add(text)
			for i, n := range local {
				shared[i].Add(int64(n))
			}
		}()
	}
	for finished.Load() < int64(len(names)) {
		time.Sleep(500 * time.Millisecond)
	}
	if err := context.Cause(ctx); err != nil {
		return Table{}, err
	}
	var table Table
	for i := range shared {
		table[i] = int(shared[i].Load())
	}
	return table, nil
}
