// mutant: Put writes at items[n] instead of items[(head+n)%cap], so after the ring wraps an item is overwritten and a stale one is taken twice; caught by TestCondManyProducersConsumers

package conditions

import (
	"errors"
	"sync"
)

// ErrClosed is what Put returns once the buffer is closed.
var ErrClosed = errors.New("buffer closed")

// Buffer is a bounded first-in, first-out buffer of ints for any number of producers and
// consumers. Create one with [NewBuffer] (the zero Buffer is not usable); all its methods
// may be called concurrently.
type Buffer struct {
	mu       sync.Mutex
	notEmpty sync.Cond // Gets wait here for an item; its L is &mu
	notFull  sync.Cond // Puts wait here for a free slot; its L is &mu
	items    []int     // a ring: n items starting at head
	head, n  int
	getters  int  // Gets waiting on notEmpty
	putters  int  // Puts waiting on notFull
	closed   bool // set by Close
}

// NewBuffer returns an empty, open Buffer that holds up to capacity items. It panics if
// capacity is less than 1.
func NewBuffer(capacity int) *Buffer {
	if capacity < 1 {
		panic("conditions: NewBuffer capacity must be at least 1")
	}
	b := &Buffer{items: make([]int, capacity)}
	b.notEmpty.L = &b.mu
	b.notFull.L = &b.mu
	return b
}

// Put adds v at the back of the buffer. While the buffer is full it blocks, without
// using the CPU, until a Get makes room or Close is called. It returns ErrClosed, and
// adds nothing, once the buffer is closed, including when Close is called while it waits.
func (b *Buffer) Put(v int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	// A for loop, not an if: when Wait returns, another Put may have taken the slot first.
	for !b.closed && b.n == len(b.items) {
		b.putters++
		b.notFull.Wait()
		b.putters--
	}
	// Close wins over a free slot: nothing goes in once the buffer is closed.
	if b.closed {
		return ErrClosed
	}
	b.items[b.n%len(b.items)] = v
	b.n++
	// One new item can satisfy one Get: Signal, and only if a Get is waiting.
	if b.getters > 0 {
		b.notEmpty.Signal()
	}
	return nil
}

// Get removes and returns the item at the front of the buffer, with ok == true. While the
// buffer is empty it blocks, without using the CPU, until a Put adds an item or Close is
// called. Once the buffer is closed and every item put before has been taken, Get
// returns (0, false) at once.
func (b *Buffer) Get() (v int, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	// A for loop, not an if: when Wait returns, another Get may have taken the item first.
	for b.n == 0 {
		// Closed and drained: nothing will ever arrive.
		if b.closed {
			return 0, false
		}
		b.getters++
		b.notEmpty.Wait()
		b.getters--
	}
	v = b.items[b.head]
	b.head = (b.head + 1) % len(b.items)
	b.n--
	// One free slot can satisfy one Put: Signal, and only if a Put is waiting.
	if b.putters > 0 {
		b.notFull.Signal()
	}
	return v, true
}
