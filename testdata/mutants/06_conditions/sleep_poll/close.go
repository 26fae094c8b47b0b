// mutant: the seed's busy wait: Put and Get poll the buffer under the mutex and sleep between tries; caught by TestCondGetWaits, TestCondPutWaits, TestCondManyProducersConsumers

package conditions

// Close closes the buffer; the polling Puts and Gets notice at their next try.
func (b *Buffer) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
}
