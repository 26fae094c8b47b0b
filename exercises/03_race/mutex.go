package race

import (
	"context"
	"time"
)

// finishedCount counts the goroutines of CountMutex that have finished: the seed's global
// finished_count.
var finishedCount int

// countLetters fetches the document called name and adds its letters to table. It is the
// seed's count_letters.
func countLetters(ctx context.Context, fetch Fetcher, name string, table *Table) {
	// TODO: a failed fetch must cancel the other fetches and make CountMutex return its error.
	text, _ := fetch(ctx, name)
	// TODO: every goroutine writes this one table: guard the updates with a sync.Mutex (not the fetch).
	for _, c := range text {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'a' <= c && c <= 'z' {
			table[c-'a']++
		}
	}
	finishedCount++
}

// CountMutex fetches the documents called names all at the same time, through fetch, and returns
// how many times each letter occurs in them all. Its goroutines share one Table guarded
// by a sync.Mutex. It returns when every goroutine it started has finished; if a fetch
// fails, it cancels the others and returns that error.
func CountMutex(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	var table Table
	finishedCount = 0
	for _, name := range names {
		go countLetters(ctx, fetch, name, &table)
	}
	// TODO: wait for the goroutines (sync.WaitGroup) instead of polling a global counter.
	for finishedCount < len(names) {
		time.Sleep(500 * time.Millisecond)
	}
	return table, nil
}
