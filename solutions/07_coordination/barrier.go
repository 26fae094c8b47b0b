package coordination

import "sync"

// Barrier makes n goroutines wait for each other, like Python's threading.Barrier: each
// calls Wait, and the n-th call releases all n. It is cyclic: the next n calls form the
// next generation, as often as needed. Create one with [NewBarrier] (the zero Barrier is
// not usable); Wait may be called concurrently.
type Barrier struct {
	mu      sync.Mutex
	n       int
	count   int           // calls waiting in this generation
	release chan struct{} // closed when this generation is complete
}

// NewBarrier returns a Barrier for n goroutines. It panics if n is less than 1.
func NewBarrier(n int) *Barrier {
	if n < 1 {
		panic("coordination: NewBarrier n must be at least 1")
	}
	// One channel per generation, closed by its last arrival.
	return &Barrier{n: n, release: make(chan struct{})}
}

// Wait blocks, without using the CPU, until n goroutines have called Wait in this
// generation, then returns in all of them. Exactly n calls pass per generation; a call
// made after a generation was released belongs to the next one, and waits for it.
func (b *Barrier) Wait() {
	b.mu.Lock()
	b.count++
	if b.count == b.n {
		// A new channel per generation: an early arrival of the next cannot pass on the old.
		close(b.release)
		b.release = make(chan struct{})
		b.count = 0
		b.mu.Unlock()
		return
	}
	release := b.release
	b.mu.Unlock()
	<-release
}
