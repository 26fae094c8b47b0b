// mutant: lets go of the locks but retries at once, spinning without a back-off; caught by TestTryTransferReleasesWhileWaiting, TestTryTransferGivesUp

package deadlock

import (
	"context"
	"time"
)

// The back-off of TryTransfer: the first wait after a failed try is about minBackoff,
// each later one about twice the one before, and none longer than maxBackoff.
const (
	minBackoff = time.Millisecond
	maxBackoff = 100 * time.Millisecond
)

// TryTransfer is Transfer for callers that must not wait for a lock without a limit.
// It takes both accounts' locks with TryLock only. When either is taken it lets go of
// every lock it holds, waits a back-off that grows from minBackoff to maxBackoff with
// random jitter, and tries again. It returns what Transfer would return once it holds
// both locks, or ctx.Err(), having moved nothing, as soon as ctx is done first.
func TryTransfer(ctx context.Context, from, to *Account, amount int) error {
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	for {
		if from.mu.TryLock() {
			if to.mu.TryLock() {
				err := move(from, to, amount)
				to.mu.Unlock()
				from.mu.Unlock()
				return err
			}
			from.mu.Unlock()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}
