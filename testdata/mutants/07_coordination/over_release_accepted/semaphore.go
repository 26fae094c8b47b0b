// mutant: Release always adds a permit, like Python's Semaphore rather than BoundedSemaphore, so an over-release lets one more goroutine in; caught by TestSemaphoreOverRelease

package coordination

import (
	"context"
	"errors"
)

// ErrOverRelease is what Release returns when no permit is held: Python's
// BoundedSemaphore raises ValueError there.
var ErrOverRelease = errors.New("semaphore released more times than acquired")

// Semaphore is a counting semaphore of n permits that is bounded: it never holds more
// than n. Create one with [NewSemaphore] (the zero Semaphore is not usable); all its
// methods may be called concurrently, and a permit may be released by another
// goroutine than the one that acquired it.
type Semaphore struct {
	permits chan struct{} // one element per permit held; its capacity is n
}

// NewSemaphore returns a Semaphore with n free permits. It panics if n is less than 1.
func NewSemaphore(n int) *Semaphore {
	if n < 1 {
		panic("coordination: NewSemaphore n must be at least 1")
	}
	// A buffered channel counts the permits held, and its send waits while all are.
	s := &Semaphore{permits: make(chan struct{}, 1024)} // free permits, as tokens
	for range n {
		s.permits <- struct{}{}
	}
	return s
}

// Acquire takes a permit, waiting without using the CPU while none is free. It returns
// nil once it holds the permit, or ctx.Err() if ctx is done before a permit is free,
// and then holds nothing.
func (s *Semaphore) Acquire(ctx context.Context) error {
	// A free permit first, by a cheap non-blocking send; then wait for one or for ctx.
	select {
	case <-s.permits:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TryAcquire takes a permit if one is free and reports whether it did. It never waits.
func (s *Semaphore) TryAcquire() bool {
	// A select with default sends only if the channel has room.
	select {
	case <-s.permits:
		return true
	default:
		return false
	}
}

// Release gives back a permit, waking one Acquire waiting for it. It never waits: if
// no permit is held it returns ErrOverRelease and changes nothing.
func (s *Semaphore) Release() error {
	// A receive from an empty channel would wait for ever: default makes it an error.
	s.permits <- struct{}{}
	return nil
}
