package conditions

// Close closes the buffer: Puts fail with ErrClosed from now on, and Gets return the
// items still buffered, then (0, false). Every Put and Get waiting on the buffer wakes
// up. Close may be called more than once and concurrently with any other method; calls
// after the first do nothing.
func (b *Buffer) Close() {
	// TODO: mark the buffer closed, and wake every Put and Get that waits on it.
}
