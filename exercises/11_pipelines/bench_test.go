package pipelines

import (
	"context"
	"crypto/sha256"
	"fmt"
	"iter"
	"sync/atomic"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// itemsPerOp is how many ints one op of BenchmarkPipeline and BenchmarkChannel moves.
const itemsPerOp = 1 << 14

// ints yields 0 … n-1 in batches of size (the last one shorter), each a new slice.
func ints(n, size int) iter.Seq[[]int] {
	return func(yield func([]int) bool) {
		for lo := 0; lo < n; lo += size {
			batch := make([]int, min(size, n-lo))
			for i := range batch {
				batch[i] = lo + i
			}
			if !yield(batch) {
				return
			}
		}
	}
}

// double doubles the ints of a batch in place: almost no work, so that what the
// benchmark measures is the cost of moving batches through the stages.
func double(_ context.Context, batch []int) []int {
	for i := range batch {
		batch[i] *= 2
	}
	return batch
}

// BenchmarkPipeline moves itemsPerOp ints through Run with 2 workers and an f that does
// almost nothing: batch=1 sends each int on its own (in a slice of one), batch=64 sends
// them 64 at a time. Every channel operation costs the same whatever it carries, so
// batches divide the cost of the three stages' hand-offs by 64.
func BenchmarkPipeline(b *testing.B) {
	for _, size := range []int{1, 64} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			for b.Loop() {
				bounded(b, fmt.Sprintf("one op of %s (%d items)", b.Name(), itemsPerOp), func() {
					out := Run(context.Background(), ints(itemsPerOp, size), Options{Workers: 2}, double)
					if out == nil {
						panic("Run returned a nil channel")
					}
					n := 0
					for batch := range out {
						n += len(batch)
					}
					if n != itemsPerOp {
						panic(fmt.Sprintf("Run delivered %d items, want %d", n, itemsPerOp))
					}
				})
			}
			reportItems(b, itemsPerOp)
		})
	}
}

// BenchmarkChannel is the bare cost of a channel, for comparison: one goroutine sends
// itemsPerOp ints on an unbuffered channel, one at a time or in batches of 64, and the
// benchmark's goroutine receives them.
func BenchmarkChannel(b *testing.B) {
	for _, size := range []int{1, 64} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			for b.Loop() {
				ch := make(chan []int)
				go func() { // ends when every batch is sent
					defer close(ch)
					for batch := range ints(itemsPerOp, size) {
						ch <- batch
					}
				}()
				n := 0
				for batch := range ch {
					n += len(batch)
				}
				if n != itemsPerOp {
					b.Fatalf("received %d items, want %d", n, itemsPerOp)
				}
			}
			reportItems(b, itemsPerOp)
		})
	}
}

// blockSize is the size of the block that f hashes for each item in BenchmarkPipelineCPU,
// and blocksPerOp the number of items of one op.
const (
	blockSize   = 1 << 20
	blocksPerOp = 16
)

// BenchmarkPipelineCPU runs a CPU-bound f, the SHA-256 of a 16 KiB block per item:
// impl=serial is a plain loop, impl=pipeline is Run with 2 workers, unordered. Compare
// impl=pipeline at -cpu 1 and -cpu 2: the second core should nearly double it.
func BenchmarkPipelineCPU(b *testing.B) {
	block := make([]byte, blockSize)
	for i := range block {
		block[i] = byte(i)
	}
	hash := func(_ context.Context, i int) [sha256.Size]byte {
		return sha256.Sum256(block)
	}
	b.Run("impl=serial", func(b *testing.B) {
		b.SetBytes(blocksPerOp * blockSize)
		for b.Loop() {
			for i := range blocksPerOp {
				hash(context.Background(), i)
			}
		}
	})
	b.Run("impl=pipeline", func(b *testing.B) {
		b.SetBytes(blocksPerOp * blockSize)
		for b.Loop() {
			bounded(b, fmt.Sprintf("one op of %s (%d blocks)", b.Name(), blocksPerOp), func() {
				out := Run(context.Background(), count(blocksPerOp, new(atomic.Int64)), Options{Workers: 2}, hash)
				if out == nil {
					panic("Run returned a nil channel")
				}
				n := 0
				for range out {
					n++
				}
				if n != blocksPerOp {
					panic(fmt.Sprintf("Run delivered %d results, want %d", n, blocksPerOp))
				}
			})
		}
	})
}

// reportItems reports the time per item and the items per second.
func reportItems(b *testing.B, perOp int) {
	items := float64(b.N) * float64(perOp)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/items, "ns/item")
	b.ReportMetric(items/b.Elapsed().Seconds(), "items/s")
}

// bounded runs one op under a watchdog, so that a pipeline that never closes its
// channel fails the benchmark with the stuck goroutines instead of hanging it.
func bounded(b *testing.B, what string, op func()) {
	if !guard.Run(b, guard.Limit, what, op) {
		b.FailNow()
	}
}
