package conditions

import (
	"errors"
	"sync"
	"time"
)

// ErrClosed is what Put returns once the buffer is closed.
var ErrClosed = errors.New("buffer closed")

// Buffer is a bounded first-in, first-out buffer of ints for any number of producers and
// consumers. Create one with [NewBuffer] (the zero Buffer is not usable); all its methods
// may be called concurrently.
type Buffer struct {
	mu       sync.Mutex
	items    []int // oldest first
	capacity int
	closed   bool // set by Close
	// TODO: add what Put and Get wait on: a sync.Cond (or two) whose L is &mu.
}

// NewBuffer returns an empty, open Buffer that holds up to capacity items. It panics if
// capacity is less than 1.
func NewBuffer(capacity int) *Buffer {
	if capacity < 1 {
		panic("conditions: NewBuffer capacity must be at least 1")
	}
	// TODO: set up the condition(s) you added to Buffer.
	return &Buffer{capacity: capacity}
}

// Put adds v at the back of the buffer. While the buffer is full it blocks, without
// using the CPU, until a Get makes room or Close is called. It returns ErrClosed, and
// adds nothing, once the buffer is closed, including when Close is called while it waits.
func (b *Buffer) Put(v int) error {
	// TODO: this is the seed's busy wait: it polls the buffer and sleeps between tries.
	// Wait on a condition instead (in a for loop), and wake a waiting Get once v is in.
	for {
		b.mu.Lock()
		// TODO: (exercise close) return ErrClosed once the buffer is closed.
		if len(b.items) < b.capacity {
			b.items = append(b.items, v)
			b.mu.Unlock()
			return nil
		}
		b.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
}

// Get removes and returns the item at the front of the buffer, with ok == true. While the
// buffer is empty it blocks, without using the CPU, until a Put adds an item or Close is
// called. Once the buffer is closed and every item put before has been taken, Get
// returns (0, false) at once.
func (b *Buffer) Get() (v int, ok bool) {
	// TODO: the same busy wait: wait on a condition instead, and wake a waiting Put once
	// there is room.
	for {
		b.mu.Lock()
		if len(b.items) > 0 {
			v = b.items[0]
			b.items = b.items[1:]
			b.mu.Unlock()
			return v, true
		}
		// TODO: (exercise close) return (0, false) once the buffer is closed and empty.
		b.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
}
