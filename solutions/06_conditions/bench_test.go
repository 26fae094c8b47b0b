package conditions

import (
	"fmt"
	"sync"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// itemsPerOp is how many ints one op of the benchmarks moves through a buffer of
// benchCapacity slots. ns/item times 10,000,000 is the time 10M items take.
const (
	itemsPerOp    = 10_000
	benchCapacity = 64
)

// transfer moves items ints from pairs producers to pairs consumers through q, closes it
// once the producers are done, and returns when the consumers have drained it.
func transfer(q queue, pairs, items int) {
	var prod, cons sync.WaitGroup
	for p := range pairs {
		prod.Go(func() {
			for i := p; i < items; i += pairs {
				if err := q.Put(i); err != nil {
					panic(err)
				}
			}
		})
	}
	for range pairs {
		cons.Go(func() {
			for {
				if _, ok := q.Get(); !ok {
					return
				}
			}
		})
	}
	prod.Wait()
	q.Close()
	cons.Wait()
}

// transferChan does what transfer does on a plain buffered channel: the baseline.
func transferChan(ch chan int, pairs, items int) {
	var prod, cons sync.WaitGroup
	for p := range pairs {
		prod.Go(func() {
			for i := p; i < items; i += pairs {
				ch <- i
			}
		})
	}
	for range pairs {
		cons.Go(func() {
			for range ch {
			}
		})
	}
	prod.Wait()
	close(ch)
	cons.Wait()
}

// BenchmarkTransfer moves ints from producers to consumers: pairs=1 is one producer and
// one consumer, pairs=2 two of each. buffer=chan is a plain buffered channel, the
// baseline; buffer=cond is Buffer, buffer=chanbuffer is ChanBuffer.
func BenchmarkTransfer(b *testing.B) {
	for _, pairs := range []int{1, 2} {
		b.Run(fmt.Sprintf("buffer=chan/pairs=%d", pairs), func(b *testing.B) {
			for b.Loop() {
				bounded(b, func() { transferChan(make(chan int, benchCapacity), pairs, itemsPerOp) })
			}
			reportPerItem(b)
		})
		b.Run(fmt.Sprintf("buffer=cond/pairs=%d", pairs), func(b *testing.B) {
			for b.Loop() {
				bounded(b, func() { transfer(NewBuffer(benchCapacity), pairs, itemsPerOp) })
			}
			reportPerItem(b)
		})
		b.Run(fmt.Sprintf("buffer=chanbuffer/pairs=%d", pairs), func(b *testing.B) {
			for b.Loop() {
				bounded(b, func() { transfer(NewChanBuffer(benchCapacity), pairs, itemsPerOp) })
			}
			reportPerItem(b)
		})
	}
}

// BenchmarkSerial is the serial baseline: one goroutine fills the buffer and empties it
// again, so that no Put or Get ever waits. It is the cost of the locking alone.
func BenchmarkSerial(b *testing.B) {
	b.Run("buffer=chan", func(b *testing.B) {
		for b.Loop() {
			ch := make(chan int, benchCapacity)
			for i := 0; i < itemsPerOp; i += benchCapacity {
				for j := range benchCapacity {
					ch <- j
				}
				for range benchCapacity {
					<-ch
				}
			}
		}
		reportPerItem(b)
	})
	serial := func(b *testing.B, newQueue func(int) queue) {
		for b.Loop() {
			bounded(b, func() {
				q := newQueue(benchCapacity)
				for i := 0; i < itemsPerOp; i += benchCapacity {
					for j := range benchCapacity {
						if err := q.Put(j); err != nil {
							panic(err)
						}
					}
					for range benchCapacity {
						q.Get()
					}
				}
				q.Close() // a buffer may keep a goroutine until it is closed and drained
			})
		}
		reportPerItem(b)
	}
	b.Run("buffer=cond", func(b *testing.B) { serial(b, newBuffer) })
	b.Run("buffer=chanbuffer", func(b *testing.B) { serial(b, newChanBuffer) })
}

// bounded runs one op under a watchdog, so that a buffer whose Close never wakes the
// consumers fails the benchmark with their stacks instead of hanging it. The watchdog
// costs one goroutine and one timer per op of 10,000 items.
func bounded(b *testing.B, op func()) {
	if !guard.Run(b, guard.Limit, fmt.Sprintf("one op of %s (%d items)", b.Name(), itemsPerOp), op) {
		b.FailNow()
	}
}

// reportPerItem adds the ns/item metric: the time of one op divided by the items it moved.
func reportPerItem(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*itemsPerOp), "ns/item")
}
