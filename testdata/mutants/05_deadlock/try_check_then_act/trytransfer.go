// mutant: checks the funds once, under from's lock alone, then retries the two locks and debits without checking again, so transfers from one account at once all pass the check and overdraw it (check-then-act); caught by TestTryTransferNoOverdraft

package deadlock

import (
	"context"
	"math/rand/v2"
	"time"
)

const (
	minBackoff = time.Millisecond
	maxBackoff = 100 * time.Millisecond
)

func TryTransfer(ctx context.Context, from, to *Account, amount int) error {
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	backoff := minBackoff
	checked := false
	for {
		if !checked && from.mu.TryLock() {
			enough := from.balance >= amount
			from.mu.Unlock()
			if !enough {
				return ErrInsufficientFunds
			}
			checked = true
		}
		if checked && from.mu.TryLock() {
			if to.mu.TryLock() {
				from.balance -= amount
				to.balance += amount
				to.mu.Unlock()
				from.mu.Unlock()
				return nil
			}
			from.mu.Unlock()
		}
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
