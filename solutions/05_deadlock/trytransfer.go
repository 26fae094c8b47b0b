package deadlock

import (
	"context"
	"math/rand/v2"
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
	// TryLock on a mutex we already hold always fails: the loop would never succeed.
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	backoff := minBackoff
	for {
		if from.mu.TryLock() {
			if to.mu.TryLock() {
				err := move(from, to, amount)
				to.mu.Unlock()
				from.mu.Unlock()
				return err
			}
			// Holding from while waiting for to is how the deadlock starts: let go of it.
			from.mu.Unlock()
		}
		// Jitter keeps two transfers in opposite directions from retrying in lockstep.
		wait := backoff/2 + rand.N(backoff/2+1)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		backoff = min(2*backoff, maxBackoff)
	}
}
