// mutant: Wait reads the channel without the mutex, as if Clear never ran at the same time: a data race with Clear, which puts a new channel in its place; caught by TestEventClearConcurrent

package coordination

import (
	"context"
	"sync"
)

// Event is a flag that goroutines can wait for, like Python's threading.Event: Set
// raises it and wakes every waiter, Clear lowers it again. Create one with [NewEvent]
// (the zero Event is not usable); all its methods may be called concurrently.
type Event struct {
	mu  sync.Mutex
	set bool
	ch  chan struct{} // closed by Set; Clear puts a new, open one in its place
}

// NewEvent returns an Event that is not set.
func NewEvent() *Event {
	// The waiters of this generation receive from ch; Set closes it.
	return &Event{ch: make(chan struct{})}
}

// Set sets the event and wakes every goroutine waiting for it. Setting an event that is
// already set does nothing.
func (e *Event) Set() {
	e.mu.Lock()
	defer e.mu.Unlock()
	// A close wakes every receiver at once; closing twice would panic.
	if !e.set {
		e.set = true
		close(e.ch)
	}
}

// Clear unsets the event, so that later calls of Wait wait for the next Set. A Wait
// that was woken by a Set before the Clear still returns nil. Clearing an event that is
// not set does nothing.
func (e *Event) Clear() {
	e.mu.Lock()
	defer e.mu.Unlock()
	// Only a closed channel is replaced: waiters parked on an open one keep it.
	if e.set {
		e.set = false
		e.ch = make(chan struct{})
	}
}

// IsSet reports whether the event is set.
func (e *Event) IsSet() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	// The flag is read under the mutex that Set and Clear write it under.
	return e.set
}

// Wait returns nil once the event is set: immediately if it is set now, even if ctx is
// done already, or when Set is called, even if Clear is called right after that. It
// returns ctx.Err() if ctx is done before the event is set. It waits without using the
// CPU.
func (e *Event) Wait(ctx context.Context) error {
	ch := e.ch // only Clear changes it, and only between rounds: no lock needed
	select {
	case <-ch:
		return nil // set: nil, whatever ctx says
	default:
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
