// mutant: Puts and Gets wait on one condition and wake each other with Signal, which can wake a waiter of the wrong kind: a lost wake-up; caught by TestCondNoLostWakeup

package conditions

// Close closes the buffer and wakes every waiter.
func (b *Buffer) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.changed.Broadcast()
}
