// mutant: Put and Get spin: they poll the buffer and yield with runtime.Gosched between tries, never blocking; caught by TestCondGetWaits, TestCondPutWaits

package conditions

// Close closes the buffer; the polling Puts and Gets notice at their next try.
func (b *Buffer) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
}
