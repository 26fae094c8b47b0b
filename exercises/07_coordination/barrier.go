package coordination

// Barrier makes n goroutines wait for each other, like Python's threading.Barrier: each
// calls Wait, and the n-th call releases all n. It is cyclic: the next n calls form the
// next generation, as often as needed. Create one with [NewBarrier] (the zero Barrier is
// not usable); Wait may be called concurrently.
type Barrier struct {
	// TODO: n, how many have arrived in this generation, and what they wait on, under
	// a mutex.
}

// NewBarrier returns a Barrier for n goroutines. It panics if n is less than 1.
func NewBarrier(n int) *Barrier {
	if n < 1 {
		panic("coordination: NewBarrier n must be at least 1")
	}
	// TODO: set up the first generation.
	return &Barrier{}
}

// Wait blocks, without using the CPU, until n goroutines have called Wait in this
// generation, then returns in all of them. Exactly n calls pass per generation; a call
// made after a generation was released belongs to the next one, and waits for it.
func (b *Barrier) Wait() {
	// TODO: count this arrival; the n-th releases its generation and starts the next,
	// the others wait for their own generation's release.
}
