// mutant: each call reserves the next free start when it is made, and a cancelled call keeps its reservation, so the calls after it wait one interval more; caught by TestLimiterCancelFreesTurn; unchecked: no test cancels a waiting Wait and then checks that the next call starts one interval after the last real start, as if the cancelled call had never been made

package concurrencytests

import (
	"context"
	"sync"
	"time"
)

// Limiter spaces out the starts of calls: at most perSecond calls start per second.
type Limiter struct {
	interval time.Duration
	mu       sync.Mutex
	next     time.Time // the next free start; zero means now
}

// NewLimiter returns a Limiter that lets at most perSecond calls start per second. It
// panics if perSecond is less than 1.
func NewLimiter(perSecond int) *Limiter {
	if perSecond < 1 {
		panic("concurrencytests: NewLimiter perSecond must be at least 1")
	}
	return &Limiter{interval: time.Second / time.Duration(perSecond)}
}

// Wait blocks until the caller may start, and returns nil then; or returns ctx.Err() as
// soon as ctx is done, if that comes first.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	now := time.Now()
	at := l.next
	if at.Before(now) {
		at = now
	}
	l.next = at.Add(l.interval) // reserved for good, even if ctx is cancelled
	l.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
