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
	// TODO: a buffered channel with one slot per permit: a send takes a permit, a
	// receive gives one back, and the send waits while every slot is full.
}

// NewSemaphore returns a Semaphore with n free permits. It panics if n is less than 1.
func NewSemaphore(n int) *Semaphore {
	if n < 1 {
		panic("coordination: NewSemaphore n must be at least 1")
	}
	// TODO: make the channel, with room for n.
	return &Semaphore{}
}

// Acquire takes a permit, waiting without using the CPU while none is free. It returns
// nil once it holds the permit, or ctx.Err() if ctx is done before a permit is free,
// and then holds nothing.
func (s *Semaphore) Acquire(ctx context.Context) error {
	// TODO: wait for a free permit or for ctx to be done, whichever comes first.
	return nil
}

// TryAcquire takes a permit if one is free and reports whether it did. It never waits.
func (s *Semaphore) TryAcquire() bool {
	// TODO: take a permit only if one is free now.
	return false
}

// Release gives back a permit, waking one Acquire waiting for it. It never waits: if
// no permit is held it returns ErrOverRelease and changes nothing.
func (s *Semaphore) Release() error {
	// TODO: give a permit back, without waiting when none is held.
	return nil
}
