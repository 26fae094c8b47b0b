package concurrencytests

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// What the tests cannot see: how much the code costs, and how it behaves on the real
// clock. The benchmarks run without -race and grade nothing; the guide states their
// targets.

// itemsPerOp is how many ints one op of BenchmarkTransfer and BenchmarkSerial moves
// through a buffer of benchCapacity slots.
const (
	itemsPerOp    = 10_000
	benchCapacity = 64
)

// BenchmarkTransfer moves ints from pairs producers to pairs consumers: buffer=chan
// through a plain buffered channel (the baseline), buffer=cond through Buffer.
func BenchmarkTransfer(b *testing.B) {
	for _, pairs := range []int{1, 2} {
		b.Run(fmt.Sprintf("buffer=chan/pairs=%d", pairs), func(b *testing.B) {
			for b.Loop() {
				ch := make(chan int, benchCapacity)
				var prod, cons sync.WaitGroup
				for p := range pairs {
					prod.Go(func() {
						for i := p; i < itemsPerOp; i += pairs {
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
			perItem(b)
		})
		b.Run(fmt.Sprintf("buffer=cond/pairs=%d", pairs), func(b *testing.B) {
			for b.Loop() {
				buf := NewBuffer(benchCapacity)
				var prod, cons sync.WaitGroup
				for p := range pairs {
					prod.Go(func() {
						for i := p; i < itemsPerOp; i += pairs {
							if err := buf.Put(i); err != nil {
								panic(err)
							}
						}
					})
				}
				for range pairs {
					cons.Go(func() {
						for {
							if _, ok := buf.Get(); !ok {
								return
							}
						}
					})
				}
				prod.Wait()
				buf.Close()
				cons.Wait()
			}
			perItem(b)
		})
	}
}

// BenchmarkSerial is the serial baseline: one goroutine puts an item and takes it back,
// so that nothing ever waits.
func BenchmarkSerial(b *testing.B) {
	b.Run("buffer=cond", func(b *testing.B) {
		buf := NewBuffer(benchCapacity)
		for b.Loop() {
			for i := range itemsPerOp {
				if err := buf.Put(i); err != nil {
					panic(err)
				}
				buf.Get()
			}
		}
		perItem(b)
	})
}

// perItem reports ns/item for benchmarks that move itemsPerOp items per op.
func perItem(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/itemsPerOp, "ns/item")
}

// BenchmarkBarrier runs parties goroutines through 1,000 generations of a Barrier per
// op, and reports the cost of one generation.
func BenchmarkBarrier(b *testing.B) {
	const generations = 1000
	for _, parties := range []int{2, 4} {
		b.Run(fmt.Sprintf("parties=%d", parties), func(b *testing.B) {
			for b.Loop() {
				bar := NewBarrier(parties)
				var wg sync.WaitGroup
				for range parties {
					wg.Go(func() {
						for range generations {
							bar.Wait()
						}
					})
				}
				wg.Wait()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/generations, "ns/generation")
		})
	}
}

// BenchmarkLimiter makes 10 calls of Wait back to back on a NewLimiter(perSecond), on the
// real clock, and reports how late each start was on average against the ideal of one
// interval after the previous start. In a synctest bubble the limiter is exact; on the
// real clock every timer fires a little late, and the lateness adds up.
func BenchmarkLimiter(b *testing.B) {
	const waits = 10
	for _, perSecond := range []int{1000} {
		b.Run(fmt.Sprintf("perSecond=%d", perSecond), func(b *testing.B) {
			ideal := (waits - 1) * (time.Second / time.Duration(perSecond))
			var late time.Duration
			for b.Loop() {
				l := NewLimiter(perSecond)
				start := time.Now()
				for range waits {
					if err := l.Wait(context.Background()); err != nil {
						panic(err)
					}
				}
				late += time.Since(start) - ideal
			}
			b.ReportMetric(float64(late.Microseconds())/float64(b.N)/(waits-1), "late-µs/wait")
		})
	}
}
