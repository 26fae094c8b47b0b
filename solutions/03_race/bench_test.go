package race

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/golden"
	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// The benchmarks count text that is already in memory: no latency, so what they measure
// is the counting and the synchronisation around it. Run them without -race:
//
//	go test -run '^$' -bench . -cpu 1,2 ./solutions/03_race

// benchCorpus returns the twenty documents of testdata/03_race, one after another.
func benchCorpus(b *testing.B) []byte {
	b.Helper()
	var text []byte
	for n := 1000; n < 1020; n++ {
		text = append(text, golden.Load(b, fmt.Sprintf("03_race/rfc%d.txt", n))...)
	}
	return text
}

// BenchmarkTableAdd measures the serial letter count, Table.Add, over the corpus.
// Target: at least 2 GB/s.
func BenchmarkTableAdd(b *testing.B) {
	text := benchCorpus(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		var t Table
		t.Add(text)
	}
}

// BenchmarkCount counts the corpus repeated to 4 MiB and split into docs documents, with
// each way of counting. Compare impl=confined at -cpu 2 with impl=serial (target: at
// least 1.7 times the bytes per second), and the per-letter variants with impl=serial
// (20 and 10 times slower, or worse).
func BenchmarkCount(b *testing.B) {
	text := benchCorpus(b)
	for len(text) < 4<<20 {
		text = append(text, text...)
	}
	text = text[:4<<20]
	impls := []struct {
		name  string
		count countFunc
	}{
		{"serial", CountSerial},
		{"mutex", CountMutex},
		{"confined", CountConfined},
		{"atomic", CountAtomic},
		{"mutexPerLetter", countMutexPerLetter},
		{"atomicPerLetter", countAtomicPerLetter},
	}
	for _, impl := range impls {
		for _, docs := range []int{2} {
			fetch, names := split(text, docs)
			b.Run(fmt.Sprintf("impl=%s/docs=%d", impl.name, docs), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				b.ReportAllocs()
				for b.Loop() {
					// The watchdog costs a goroutine and a timer, next to milliseconds of
					// counting; it stops a starting program whose polled counter lost an
					// update from spinning forever.
					var err error
					if !guard.Run(b, limit, "Count"+impl.name, func() { _, err = impl.count(b.Context(), fetch, names) }) {
						b.FailNow()
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// split cuts text into n documents of about the same size and returns a Fetcher that
// serves them from memory at once.
func split(text []byte, n int) (Fetcher, []string) {
	docs := map[string][]byte{}
	for i := range n {
		docs[fmt.Sprintf("part%02d", i)] = text[i*len(text)/n : (i+1)*len(text)/n]
	}
	fetch := func(ctx context.Context, name string) ([]byte, error) {
		return docs[name], ctx.Err()
	}
	return fetch, slices.Sorted(maps.Keys(docs))
}

// countMutexPerLetter is CountMutex with the lock taken for every letter instead of once
// a document. It is correct, and every letter pays for a Lock and an Unlock; with two
// goroutines, the lock is handed from core to core, letter after letter.
func countMutexPerLetter(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	var (
		mu       sync.Mutex
		table    Table
		firstErr error
		wg       sync.WaitGroup
	)
	for _, name := range names {
		wg.Go(func() {
			text, err := fetch(ctx, name)
			if err != nil {
				mu.Lock()
				firstErr = cmp.Or(firstErr, err)
				mu.Unlock()
				return
			}
			for _, c := range text {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				if 'a' <= c && c <= 'z' {
					mu.Lock()
					table[c-'a']++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return table, firstErr
}

// countAtomicPerLetter is CountAtomic with an atomic add for every letter instead of 26 a
// document. It is correct, and every letter pays for a locked instruction; with two
// goroutines, the cache lines of the shared counters bounce from core to core.
func countAtomicPerLetter(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	var (
		shared [26]atomic.Int64
		errs   = make([]error, len(names))
		wg     sync.WaitGroup
	)
	for i, name := range names {
		wg.Go(func() {
			text, err := fetch(ctx, name)
			if err != nil {
				errs[i] = err
				return
			}
			for _, c := range text {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				if 'a' <= c && c <= 'z' {
					shared[c-'a'].Add(1)
				}
			}
		})
	}
	wg.Wait()
	var table Table
	for i := range shared {
		table[i] = int(shared[i].Load())
	}
	for _, err := range errs {
		if err != nil {
			return table, err
		}
	}
	return table, nil
}
