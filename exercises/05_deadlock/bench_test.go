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
// It reports slow-ppm: how many transfers in a million took longer than slowTransfer.
func runTransfers(b *testing.B, accounts int, transfer func(from, to *Account, amount int) error) {
	all := openAccounts(accounts, 1_000_000)
	var seed, slow atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	guard.Run(b, guard.Limit, "the benchmark's transfers", func() {
		b.RunParallel(func(pb *testing.PB) {
			// A fixed cycle of pairs, so that the loop measures the transfers, not the random numbers.
			plan := transferPlan(uint64(seed.Add(1)), accounts, 4096, 1)
			for i := 0; pb.Next(); i++ {
				tr := plan[i%len(plan)]
				start := time.Now()
				_ = transfer(all[tr[0]], all[tr[1]], 1)
				if time.Since(start) > slowTransfer {
					slow.Add(1)
				}
			}
		})
	})
	b.ReportMetric(float64(slow.Load())*1e6/float64(b.N), "slow-ppm")
}

// BenchmarkTransfer compares transfers among 1024 accounts, where two goroutines rarely
// want the same account at once, under one global lock and under ordered per-account
// locks. Run it with -cpu 1,2: only per-account locks let a second core move money too.
func BenchmarkTransfer(b *testing.B) {
	b.Run("accounts=1024/lock=global", func(b *testing.B) { runTransfers(b, 1024, globalTransfer) })
	b.Run("accounts=1024/lock=ordered", func(b *testing.B) { runTransfers(b, 1024, Transfer) })
}

// BenchmarkTryTransfer measures what TryLock with back-off costs. Without contention
// (1024 accounts) it costs what Transfer costs. Between two accounts that every goroutine
// fights over, the loser of each collision sleeps a back-off of half a millisecond or
// more, where Transfer's Lock would have handed the lock over in microseconds: see
// slow-ppm at -cpu 2.
func BenchmarkTryTransfer(b *testing.B) {
	try := func(from, to *Account, amount int) error {
		return TryTransfer(context.Background(), from, to, amount)
	}
	b.Run("accounts=2/lock=ordered", func(b *testing.B) { runTransfers(b, 2, Transfer) })
	b.Run("accounts=2/lock=backoff", func(b *testing.B) { runTransfers(b, 2, try) })
	b.Run("accounts=1024/lock=ordered", func(b *testing.B) { runTransfers(b, 1024, Transfer) })
	b.Run("accounts=1024/lock=backoff", func(b *testing.B) { runTransfers(b, 1024, try) })
}
