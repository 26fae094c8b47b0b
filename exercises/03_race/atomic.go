package race

import (
	"context"
	"time"
)

// finishedAtomic counts the goroutines of CountAtomic that have finished: the seed's
// global finished_count.
var finishedAtomic int64

// CountAtomic fetches the documents called names all at the same time, through fetch, and returns
// how many times each letter occurs in them all. Its goroutines share one table of
// atomic counters, and a shared atomic count of finished documents: the goroutine whose
// increment reaches len(names) closes a channel the caller waits on. It returns when
// every goroutine it started has finished with the table; if a fetch fails, it cancels the
// others and returns that error.
func CountAtomic(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	// TODO: make every update of the shared table atomic: [26]atomic.Int64.
	var shared [26]int64
	// TODO: a local atomic.Int64; the goroutine whose Add returns len(names) closes a channel.
	finishedAtomic = 0
	for _, name := range names {
		go func() {
			// TODO: a failed fetch must cancel the other fetches and make CountAtomic return its error.
			text, _ := fetch(ctx, name)
			for _, c := range text {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				if 'a' <= c && c <= 'z' {
					shared[c-'a']++
				}
			}
			finishedAtomic++
		}()
	}
	// TODO: wait on that channel instead of polling the counter.
	for finishedAtomic < int64(len(names)) {
		time.Sleep(500 * time.Millisecond)
	}
	var table Table
	for i := range shared {
		table[i] = int(shared[i])
	}
	return table, nil
}
