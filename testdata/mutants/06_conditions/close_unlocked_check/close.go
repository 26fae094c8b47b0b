// mutant: Close skips the lock when the buffer looks closed already, reading closed without holding mu: a data race with a Close running at the same time; caught by TestCloseConcurrent

package conditions

// Close closes the buffer: Puts fail with ErrClosed from now on, and Gets return the
// items still buffered, then (0, false). Every Put and Get waiting on the buffer wakes
// up. Close may be called more than once and concurrently with any other method; calls
// after the first do nothing.
func (b *Buffer) Close() {
	if b.closed {
		return // closed already: no need for the lock
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	// Every waiter must see the change, not just one: Broadcast, on both conditions.
	b.notEmpty.Broadcast()
	b.notFull.Broadcast()
}
