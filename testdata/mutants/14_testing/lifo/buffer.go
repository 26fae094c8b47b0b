// mutant: Get takes the newest item instead of the oldest; caught by TestBufferFIFO, TestBufferPutWaits, TestBufferCloseDrains; unchecked: no test puts several items and checks that Get returns them in the order they were put

package concurrencytests

import (
	"errors"
	"sync"
)

// ErrClosed is what Put returns once the buffer is closed.
var ErrClosed = errors.New("buffer closed")

// Buffer is a bounded first-in, first-out buffer of ints for any number of producers and
// consumers. Create one with [NewBuffer] (the zero Buffer is not usable); all its methods
// may be called concurrently.
//
// The contract the tests check:
//   - Get returns the items in the order they were put, each exactly once.
//   - Put on a full buffer blocks, without using the CPU, until a Get makes room; Get on
//     an empty buffer blocks until a Put adds an item. Neither returns before that, and
//     each returns as soon as it can.
//   - Close wakes every blocked Put and Get. From then on Put returns ErrClosed and
//     adds nothing; Get hands out the items still buffered, then (0, false) immediately.
//   - Close may be called more than once, from any goroutine; the calls after the first
//     do nothing.
type Buffer struct {
	mu       sync.Mutex
	notEmpty sync.Cond // Gets wait here for an item; its L is &mu
	notFull  sync.Cond // Puts wait here for a free slot; its L is &mu
	items    []int     // oldest first
	capacity int
	closed   bool
}

// NewBuffer returns an empty, open Buffer that holds up to capacity items. It panics if
// capacity is less than 1.
func NewBuffer(capacity int) *Buffer {
	if capacity < 1 {
		panic("concurrencytests: NewBuffer capacity must be at least 1")
	}
	b := &Buffer{capacity: capacity}
	b.notEmpty.L = &b.mu
	b.notFull.L = &b.mu
	return b
}

// Put adds v at the back of the buffer. While the buffer is full it blocks until a Get
// makes room or Close is called. It returns ErrClosed, and adds nothing, once the buffer
// is closed, including when Close is called while it waits.
func (b *Buffer) Put(v int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for !b.closed && len(b.items) == b.capacity {
		b.notFull.Wait()
	}
	if b.closed {
		return ErrClosed
	}
	b.items = append(b.items, v)
	b.notEmpty.Signal()
	return nil
}

// Get removes and returns the item at the front of the buffer, with ok == true. While
// the buffer is empty it blocks until a Put adds an item or Close is called. Once the
// buffer is closed and every item put before has been taken, Get returns (0, false)
// immediately.
func (b *Buffer) Get() (v int, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.items) == 0 {
		if b.closed {
			return 0, false
		}
		b.notEmpty.Wait()
	}
	v = b.items[len(b.items)-1] // the newest
	b.items = b.items[:len(b.items)-1]
	b.notFull.Signal()
	return v, true
}

// Close closes the buffer and wakes every Put and Get waiting on it. Calling it again
// does nothing.
func (b *Buffer) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.notEmpty.Broadcast()
	b.notFull.Broadcast()
}
