// mutant: Puts and Gets wait on one condition and wake each other with Signal, which can wake a waiter of the wrong kind: a lost wake-up; caught by TestCondNoLostWakeup

package conditions

import (
	"errors"
	"sync"
)

// ErrClosed is what Put returns once the buffer is closed.
var ErrClosed = errors.New("buffer closed")

// Buffer is a bounded first-in, first-out buffer of ints.
type Buffer struct {
	mu      sync.Mutex
	changed sync.Cond // Puts and Gets both wait here
	items   []int
	head, n int
	closed  bool
}

// NewBuffer returns an empty Buffer that holds up to capacity items.
func NewBuffer(capacity int) *Buffer {
	if capacity < 1 {
		panic("conditions: NewBuffer capacity must be at least 1")
	}
	b := &Buffer{items: make([]int, capacity)}
	b.changed.L = &b.mu
	return b
}

// Put adds v at the back of the buffer, waiting while it is full.
func (b *Buffer) Put(v int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for !b.closed && b.n == len(b.items) {
		b.changed.Wait()
	}
	if b.closed {
		return ErrClosed
	}
	b.items[(b.head+b.n)%len(b.items)] = v
	b.n++
	b.changed.Signal()
	return nil
}

// Get removes and returns the item at the front, waiting while the buffer is empty.
func (b *Buffer) Get() (v int, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.n == 0 {
		if b.closed {
			return 0, false
		}
		b.changed.Wait()
	}
	v = b.items[b.head]
	b.head = (b.head + 1) % len(b.items)
	b.n--
	b.changed.Signal()
	return v, true
}
