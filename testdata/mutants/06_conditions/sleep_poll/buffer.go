// mutant: the seed's busy wait: Put and Get poll the buffer under the mutex and sleep between tries; caught by TestCondGetWaits, TestCondPutWaits, TestCondManyProducersConsumers

package conditions

import (
	"errors"
	"sync"
	"time"
)

// ErrClosed is what Put returns once the buffer is closed.
var ErrClosed = errors.New("buffer closed")

// Buffer is a bounded first-in, first-out buffer of ints.
type Buffer struct {
	mu       sync.Mutex
	items    []int // oldest first
	capacity int
	closed   bool
}

// NewBuffer returns an empty Buffer that holds up to capacity items.
func NewBuffer(capacity int) *Buffer {
	if capacity < 1 {
		panic("conditions: NewBuffer capacity must be at least 1")
	}
	return &Buffer{capacity: capacity}
}

// Put adds v at the back of the buffer, polling while it is full.
func (b *Buffer) Put(v int) error {
	for {
		b.mu.Lock()
		if b.closed {
			b.mu.Unlock()
			return ErrClosed
		}
		if len(b.items) < b.capacity {
			b.items = append(b.items, v)
			b.mu.Unlock()
			return nil
		}
		b.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
}

// Get removes and returns the item at the front, polling while the buffer is empty.
func (b *Buffer) Get() (v int, ok bool) {
	for {
		b.mu.Lock()
		if len(b.items) > 0 {
			v = b.items[0]
			b.items = b.items[1:]
			b.mu.Unlock()
			return v, true
		}
		if b.closed {
			b.mu.Unlock()
			return 0, false
		}
		b.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
}
