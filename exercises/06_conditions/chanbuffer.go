package conditions

// ChanBuffer has the contract of [Buffer], built on channels: a bounded first-in,
// first-out buffer of ints for any number of producers and consumers. Create one with
// [NewChanBuffer] (the zero ChanBuffer is not usable); all its methods may be called
// concurrently. A ChanBuffer may keep a goroutine of its own (one that owns the items and
// serves Put, Get and Close) until it is closed and drained: close every buffer you make,
// and Get until ok == false.
type ChanBuffer struct {
	// TODO: a buffered channel holds the items; Close must also wake the Puts waiting on
	// a full buffer without making them send on a closed channel.
}

// NewChanBuffer returns an empty, open ChanBuffer that holds up to capacity items. It
// panics if capacity is less than 1.
func NewChanBuffer(capacity int) *ChanBuffer {
	if capacity < 1 {
		panic("conditions: NewChanBuffer capacity must be at least 1")
	}
	// TODO: make the channels.
	return &ChanBuffer{}
}

// Put adds v at the back of the buffer, blocking while it is full, like [Buffer.Put]. It
// returns ErrClosed, and adds nothing, once the buffer is closed, including when Close is
// called while it waits. It never panics.
func (b *ChanBuffer) Put(v int) error {
	// TODO: send v, unless the buffer is closed or gets closed while Put waits.
	return nil
}

// Get removes and returns the item at the front of the buffer, blocking while it is
// empty, like [Buffer.Get]. Once the buffer is closed and drained it returns (0, false).
func (b *ChanBuffer) Get() (v int, ok bool) {
	// TODO: receive the next item; report ok == false once closed and drained.
	return 0, false
}

// Close closes the buffer, like [Buffer.Close]: Puts fail with ErrClosed from now on,
// Gets drain what is buffered and then return (0, false), and every waiting Put and Get
// wakes up. Close may be called more than once, from several goroutines at once; calls
// after the first do nothing.
func (b *ChanBuffer) Close() {
	// TODO: close what wakes the waiters, once, and only when no Put can still send.
}
