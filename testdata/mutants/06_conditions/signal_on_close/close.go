// mutant: Close wakes one waiter with Signal where every waiter must wake (Broadcast); caught by TestCloseWakesAll

package conditions

// Close closes the buffer: Puts fail with ErrClosed from now on, and Gets return the
// items still buffered, then (0, false). Every Put and Get waiting on the buffer wakes
// up. Close may be called more than once and concurrently with any other method; calls
// after the first do nothing.
func (b *Buffer) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	// Every waiter must see the change, not just one: Broadcast, on both conditions.
	b.notEmpty.Signal()
	b.notFull.Signal()
}
