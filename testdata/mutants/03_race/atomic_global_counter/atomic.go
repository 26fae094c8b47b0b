// mutant: the finished counter stays a package-level atomic.Int64, as in the seed, reset at the start of each call: two calls at the same time share it, and one of them is never woken; caught by TestAtomicTwoCalls

package race

import (
	"context"
	"fmt"
	"sync/atomic"
)

// finishedAtomic counts the goroutines of CountAtomic that have finished: the seed's
// global finished_count, made atomic.
var finishedAtomic atomic.Int64

func CountAtomic(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	if len(names) == 0 {
		return Table{}, nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		shared [26]atomic.Int64
		done   = make(chan struct{})
	)
	finishedAtomic.Store(0)
	for _, name := range names {
		go func() {
			defer func() {
				if finishedAtomic.Add(1) == int64(len(names)) {
					close(done)
				}
			}()
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
	<-done
	if err := context.Cause(ctx); err != nil {
		return Table{}, err
	}
	var table Table
	for i := range shared {
		table[i] = int(shared[i].Load())
	}
	return table, nil
}
