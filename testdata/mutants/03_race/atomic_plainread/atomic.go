// mutant: the goroutines increment the finished counter atomically but the caller reads it with a plain load, polling; caught by TestAtomicNoRace, TestAtomicNoPolling

package race

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// CountAtomic counts the letters of the documents with atomic counters, and polls the
// finished counter with a plain read.
func CountAtomic(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		shared   [26]atomic.Int64
		finished int64
	)
	for _, name := range names {
		go func() {
			defer atomic.AddInt64(&finished, 1)
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
	for finished < int64(len(names)) {
		time.Sleep(time.Millisecond)
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
