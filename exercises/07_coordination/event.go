package coordination

import "context"

// Event is a flag that goroutines can wait for, like Python's threading.Event: Set
// raises it and wakes every waiter, Clear lowers it again. Create one with [NewEvent]
// (the zero Event is not usable); all its methods may be called concurrently.
type Event struct {
	// TODO: a channel that Set closes (a close wakes every receiver, and stays closed),
	// the flag, and a mutex that guards both.
}

// NewEvent returns an Event that is not set.
func NewEvent() *Event {
	// TODO: make the channel the first waiters will wait on.
	return &Event{}
}

// Set sets the event and wakes every goroutine waiting for it. Setting an event that is
// already set does nothing.
func (e *Event) Set() {
	// TODO: set the flag and close the channel, once.
}

// Clear unsets the event, so that later calls of Wait wait for the next Set. A Wait
// that was woken by a Set before the Clear still returns nil. Clearing an event that is
// not set does nothing.
func (e *Event) Clear() {
	// TODO: unset the flag and give later waiters a new channel, without taking the old
	// one away from those who wait on it.
}

// IsSet reports whether the event is set.
func (e *Event) IsSet() bool {
	// TODO: read the flag.
	return false
}

// Wait returns nil once the event is set: immediately if it is set now, even if ctx is
// done already, or when Set is called, even if Clear is called right after that. It
// returns ctx.Err() if ctx is done before the event is set. It waits without using the
// CPU.
func (e *Event) Wait(ctx context.Context) error {
	// TODO: wait on the current channel, or for ctx to be done.
	return nil
}
