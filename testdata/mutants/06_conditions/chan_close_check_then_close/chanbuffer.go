// mutant: Close checks whether done is closed already (a select with a default) and then closes it: two Closes at the same time both find it open, both close it, and the second panics with "close of closed channel"; caught by TestChanCloseConcurrent

package conditions

import "sync"

// ChanBuffer has the contract of [Buffer], built on channels: a bounded first-in,
// first-out buffer of ints for any number of producers and consumers. Create one with
// [NewChanBuffer] (the zero ChanBuffer is not usable); all its methods may be called
// concurrently. A ChanBuffer may keep a goroutine of its own (one that owns the items and
// serves Put, Get and Close) until it is closed and drained: close every buffer you make,
// and Get until ok == false.
type ChanBuffer struct {
	items chan int      // the buffer itself; closed by Close once no Put can send on it
	done  chan struct{} // closed by Close first, to wake the Puts waiting on a full buffer
	mu    sync.RWMutex  // Puts hold it for reading while they may send on items
}

// NewChanBuffer returns an empty, open ChanBuffer that holds up to capacity items. It
// panics if capacity is less than 1.
func NewChanBuffer(capacity int) *ChanBuffer {
	if capacity < 1 {
		panic("conditions: NewChanBuffer capacity must be at least 1")
	}
	return &ChanBuffer{items: make(chan int, capacity), done: make(chan struct{})}
}

// Put adds v at the back of the buffer, blocking while it is full, like [Buffer.Put]. It
// returns ErrClosed, and adds nothing, once the buffer is closed, including when Close is
// called while it waits. It never panics.
func (b *ChanBuffer) Put(v int) error {
	// Close cannot close items while a Put holds the read lock, so the send below is safe.
	b.mu.RLock()
	defer b.mu.RUnlock()
	// Checked first: a select with both cases ready picks one at random.
	select {
	case <-b.done:
		return ErrClosed
	default:
	}
	// The fast path, when there is room, touches only the items channel.
	select {
	case b.items <- v:
		return nil
	default:
	}
	select {
	case b.items <- v:
		return nil
	case <-b.done:
		return ErrClosed
	}
}

// Get removes and returns the item at the front of the buffer, blocking while it is
// empty, like [Buffer.Get]. Once the buffer is closed and drained it returns (0, false).
func (b *ChanBuffer) Get() (v int, ok bool) {
	// A receive on a closed channel drains what is buffered, then reports ok == false.
	v, ok = <-b.items
	return v, ok
}

// Close closes the buffer, like [Buffer.Close]: Puts fail with ErrClosed from now on,
// Gets drain what is buffered and then return (0, false), and every waiting Put and Get
// wakes up. Close may be called more than once, from several goroutines at once; calls
// after the first do nothing.
func (b *ChanBuffer) Close() {
	// Closing a closed channel panics: a Close that finds done closed does nothing.
	select {
	case <-b.done:
		return
	default:
	}
	close(b.done)
	// Wait for the Puts that may still send (done woke the blocked ones) to return.
	b.mu.Lock()
	close(b.items)
	b.mu.Unlock()
}
