package deadlock

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// bank is the one lock of globalTransfer, the serial baseline.
var bank sync.Mutex

// globalTransfer is the baseline the ordered per-account locks are measured against:
// one lock for every account, so that no two transfers run at once.
func globalTransfer(from, to *Account, amount int) error {
	if from == to {
		return ErrSameAccount
	}
	bank.Lock()
	defer bank.Unlock()
	return move(from, to, amount)
}

// slowTransfer is how long a transfer must take to count as slow in the slow-ppm metric:
// far more than a contended Lock usually waits, less than the shortest back-off.
const slowTransfer = 100 * time.Microsecond

// runTransfers makes transfers of 1 between random pairs of distinct accounts from
// GOMAXPROCS goroutines (set it with -cpu 1,2) until b.N transfers are done, under a
// watchdog so that a deadlocking Transfer fails the benchmark instead of hanging it.
// It times one transfer in 16 and reports how many of those in a million took longer
// than slowTransfer (slow-ppm) and the longest one (max-µs).
func runTransfers(b *testing.B, accounts int, transfer func(from, to *Account, amount int) error) {
	all := openAccounts(accounts, 1_000_000)
	var seed atomic.Uint64
	var mu sync.Mutex // guards timed, slow and worst
	var timed, slow int
	var worst time.Duration
	runtime.GC() // so that marking the new accounts takes no CPU from the transfers
	b.ReportAllocs()
	b.ResetTimer()
	guard.Run(b, guard.Limit, "the benchmark's transfers", func() {
		b.RunParallel(func(pb *testing.PB) {
			// A fixed cycle of pairs, so that the loop measures the transfers, not the random numbers.
			plan := transferPlan(seed.Add(1), accounts, 4096, 1)
			var n, late int
			var longest time.Duration
			for i := 0; pb.Next(); i++ {
				tr := plan[i%len(plan)]
				if i%16 != 0 {
					_ = transfer(all[tr[0]], all[tr[1]], 1)
					continue
				}
				start := time.Now()
				_ = transfer(all[tr[0]], all[tr[1]], 1)
				took := time.Since(start)
				n++
				if took > slowTransfer {
					late++
				}
				longest = max(longest, took)
			}
			mu.Lock()
			timed, slow, worst = timed+n, slow+late, max(worst, longest)
			mu.Unlock()
		})
	})
	if timed > 0 {
		b.ReportMetric(float64(slow)*1e6/float64(timed), "slow-ppm")
		b.ReportMetric(float64(worst.Microseconds()), "max-µs")
	}
}

// BenchmarkTransfer compares transfers among a million accounts, where two goroutines
// hardly ever want the same account at once, under one global lock and under ordered
// per-account locks. Run it with -cpu 1,2: only per-account locks let a second core
// move money at the same time as the first.
func BenchmarkTransfer(b *testing.B) {
	b.Run("accounts=1M/lock=global", func(b *testing.B) { runTransfers(b, 1<<20, globalTransfer) })
	b.Run("accounts=1M/lock=ordered", func(b *testing.B) { runTransfers(b, 1<<20, Transfer) })
}

// BenchmarkTryTransfer measures what TryLock with back-off costs. The loser of every
// collision sleeps at least half a millisecond, and longer each time it loses again,
// where a blocking Lock waits only until the holder unlocks: see max-µs and slow-ppm at
// -cpu 2, and how much (or little) the second core helps among a million accounts.
func BenchmarkTryTransfer(b *testing.B) {
	try := func(from, to *Account, amount int) error {
		return TryTransfer(context.Background(), from, to, amount)
	}
	b.Run("accounts=2/lock=ordered", func(b *testing.B) { runTransfers(b, 2, Transfer) })
	b.Run("accounts=2/lock=backoff", func(b *testing.B) { runTransfers(b, 2, try) })
	b.Run("accounts=1M/lock=ordered", func(b *testing.B) { runTransfers(b, 1<<20, Transfer) })
	b.Run("accounts=1M/lock=backoff", func(b *testing.B) { runTransfers(b, 1<<20, try) })
}
