// mutant: Wait remembers when a call was made instead of when it started, so a call that waited lets the next one start with no gap; caught by TestLimiterSpacing, TestLimiterNoBurst, TestLimiterConcurrent; unchecked: no test makes several back-to-back calls and checks that each starts a full interval after the previous start

package concurrencytests

import (
	"context"
	"time"
)

// Limiter spaces out the starts of calls, like a polite client's rate limit: at most
// perSecond calls start per second, one at a time (a token bucket with a burst of 1).
// Create one with [NewLimiter] (the zero Limiter is not usable); Wait may be called
// concurrently.
//
// The contract the tests check, with interval = 1s / perSecond:
//   - Two calls of Wait that return nil return at least interval apart, however many
//     goroutines call it and however long the limiter was idle: an idle limiter saves
//     up no more than one start.
//   - Wait returns nil as soon as that allows: the first call immediately, a call
//     made an interval or more after the last start immediately, one made sooner
//     exactly one interval after the last start. Calls waiting at the same time start
//     one after another, each one interval after the previous start, in no promised order.
//   - If ctx is done before Wait may return nil, Wait returns ctx.Err() immediately,
//     including while it waits. A call that returns an error did not start: it does not
//     delay the calls after it.
type Limiter struct {
	interval time.Duration
	turn     chan struct{} // holds a token while a call is in its turn: one at a time
	last     time.Time     // when the last call that returned nil returned; guarded by turn
}

// NewLimiter returns a Limiter that lets at most perSecond calls start per second. It
// panics if perSecond is less than 1.
func NewLimiter(perSecond int) *Limiter {
	if perSecond < 1 {
		panic("concurrencytests: NewLimiter perSecond must be at least 1")
	}
	return &Limiter{interval: time.Second / time.Duration(perSecond), turn: make(chan struct{}, 1)}
}

// Wait blocks until the caller may start, and returns nil then; or returns ctx.Err() as
// soon as ctx is done, if that comes first.
func (l *Limiter) wait(ctx context.Context, called time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case l.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.turn }()
	if !l.last.IsZero() {
		if d := time.Until(l.last.Add(l.interval)); d > 0 {
			timer := time.NewTimer(d)
			defer timer.Stop()
			select {
			case <-timer.C:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	l.last = called // when the call was made, not when it started
	return nil
}

// Wait blocks until the caller may start, and returns nil then; or returns ctx.Err() as
// soon as ctx is done, if that comes first.
func (l *Limiter) Wait(ctx context.Context) error { return l.wait(ctx, time.Now()) }
