// mutant: Unlock looks at len(l.held) and then receives: two Unlocks of a lock held once both see the token, one takes it and the other blocks on its receive instead of panicking with ErrNotLocked; caught by TestChanLockNeverBlocks

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
	// A token in it means the lock is held; capacity 1 makes room for one holder only.
	held chan struct{}
}

// NewChanLock returns an unlocked ChanLock.
func NewChanLock() *ChanLock {
	// Capacity 1: the first send fits, the second waits until the token is taken out.
	return &ChanLock{held: make(chan struct{}, 1)}
}

// Lock locks l. If l is already locked, Lock blocks until it is unlocked.
func (l *ChanLock) Lock() {
	// A send on a full channel of capacity 1 waits exactly until the holder takes the token out.
	l.held <- struct{}{}
}

// TryLock locks l if it is unlocked and reports whether it did. It never blocks.
func (l *ChanLock) TryLock() bool {
	// A select with a default never waits: the send either happens now or not at all.
	select {
	case l.held <- struct{}{}:
		return true
	default:
		return false
	}
}

// LockContext locks l, waiting while it is locked, until ctx is done. It returns nil
// once it holds the lock, or ctx.Err(), holding nothing (then or later), if ctx is done
// first. If ctx is already done, LockContext returns ctx.Err() without waiting, or may
// still take a free lock.
func (l *ChanLock) LockContext(ctx context.Context) error {
	// Whichever comes first wins; a select that returns on ctx.Done() has not sent.
	select {
	case l.held <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Unlock unlocks l. It panics with ErrNotLocked, leaving l unlocked, if l is not locked:
// a recoverable panic, like Python's RuntimeError, where sync.Mutex stops the program
// with a fatal error.
func (l *ChanLock) Unlock() {
	// An empty channel means the lock is not held.
	if len(l.held) == 0 {
		panic(ErrNotLocked)
	}
	<-l.held
}
