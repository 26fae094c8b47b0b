package deadlock

import (
	"context"
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
// far more than a contended Lock hand-over, less than the shortest back-off.
const slowTransfer = 100 * time.Microsecond

// runTransfers makes transfers of 1 between random pairs of distinct accounts from
// GOMAXPROCS goroutines (set it with -cpu 1,2) until b.N transfers are done, under a
// watchdog so that a deadlocking Transfer fails the benchmark instead of hanging it.
// It times one transfer in 16 and reports slow-ppm: how many of those in a million took
// longer than slowTransfer.
func runTransfers(b *testing.B, accounts int, transfer func(from, to *Account, amount int) error) {
	all := openAccounts(accounts, 1_000_000)
	var seed, timed, slow atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	guard.Run(b, guard.Limit, "the benchmark's transfers", func() {
		b.RunParallel(func(pb *testing.PB) {
			// A fixed cycle of pairs, so that the loop measures the transfers, not the random numbers.
			plan := transferPlan(uint64(seed.Add(1)), accounts, 4096, 1)
			var n, late int64
			for i := 0; pb.Next(); i++ {
				tr := plan[i%len(plan)]
				if i%16 != 0 {
					_ = transfer(all[tr[0]], all[tr[1]], 1)
					continue
				}
				start := time.Now()
				_ = transfer(all[tr[0]], all[tr[1]], 1)
				n++
				if time.Since(start) > slowTransfer {
					late++
				}
			}
			timed.Add(n)
			slow.Add(late)
		})
	})
	if n := timed.Load(); n > 0 {
		b.ReportMetric(float64(slow.Load())*1e6/float64(n), "slow-ppm")
	}
}

// BenchmarkTransfer compares transfers among 65536 accounts, where two goroutines
// hardly ever want the same account at once, under one global lock and under ordered
// per-account locks. Run it with -cpu 1,2: only per-account locks let a second core
// move money at the same time as the first.
func BenchmarkTransfer(b *testing.B) {
	b.Run("accounts=65536/lock=global", func(b *testing.B) { runTransfers(b, 1<<16, globalTransfer) })
	b.Run("accounts=65536/lock=ordered", func(b *testing.B) { runTransfers(b, 1<<16, Transfer) })
}

// BenchmarkTryTransfer measures what TryLock with back-off costs. Without contention
// (65536 accounts) it costs what Transfer costs. Between two accounts that every goroutine
// fights over, the loser of each collision sleeps a back-off of half a millisecond or
// more, where Transfer's Lock would have handed the lock over in microseconds: see
// slow-ppm at -cpu 2.
func BenchmarkTryTransfer(b *testing.B) {
	try := func(from, to *Account, amount int) error {
		return TryTransfer(context.Background(), from, to, amount)
	}
	b.Run("accounts=2/lock=ordered", func(b *testing.B) { runTransfers(b, 2, Transfer) })
	b.Run("accounts=2/lock=backoff", func(b *testing.B) { runTransfers(b, 2, try) })
	b.Run("accounts=65536/lock=ordered", func(b *testing.B) { runTransfers(b, 1<<16, Transfer) })
	b.Run("accounts=65536/lock=backoff", func(b *testing.B) { runTransfers(b, 1<<16, try) })
}
