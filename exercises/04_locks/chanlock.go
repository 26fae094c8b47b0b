package locks

import (
	"context"
	"errors"
)

// ErrNotLocked is the value Unlock panics with when the lock is not locked.
var ErrNotLocked = errors.New("locks: Unlock of an unlocked ChanLock")

// ChanLock is a mutual exclusion lock that can also be tried (TryLock) and waited for
// with a deadline or a cancellation (LockContext). Create one with [NewChanLock] (the zero
// ChanLock is not usable); its methods may be called from any number of goroutines at
// once. Like a sync.Mutex, and like Python's Lock, it is not tied to a goroutine: one
// goroutine may lock it and another unlock it.
type ChanLock struct {
	// TODO: a channel of capacity 1 (chan struct{}): a token in it means the lock is held.
}

// NewChanLock returns an unlocked ChanLock.
func NewChanLock() *ChanLock {
	// TODO: make the channel.
	return &ChanLock{}
}

// Lock locks l. If l is already locked, Lock blocks until it is unlocked.
func (l *ChanLock) Lock() {
	// TODO: put a token in the channel; the send waits while the channel is full.
}

// TryLock locks l if it is unlocked and reports whether it did. It never blocks.
func (l *ChanLock) TryLock() bool {
	// TODO: acquire(blocking=False): the same send, but never wait for it.
	return false
}

// LockContext locks l, waiting while it is locked, until ctx is done. It returns nil
// once it holds the lock, or ctx.Err(), holding nothing (then or later), if ctx is done
// first. If ctx is already done, LockContext returns ctx.Err() without waiting, or may
// still take a free lock.
func (l *ChanLock) LockContext(ctx context.Context) error {
	// TODO: acquire(timeout=): wait for the send or for ctx.Done(), whichever comes first.
	return nil
}

// Unlock unlocks l. It panics with ErrNotLocked, leaving l unlocked, if l is not locked:
// a recoverable panic, like Python's RuntimeError, where sync.Mutex stops the program
// with a fatal error.
func (l *ChanLock) Unlock() {
	// TODO: take the token out, or panic with ErrNotLocked if there is none, without waiting.
}
