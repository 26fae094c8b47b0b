// mutant: the barrier never resets its arrival count, so after the first generation every Wait passes at once; caught by TestBarrierGenerations, TestBarrierBackToBack; unchecked: no test runs the barrier through a second generation and checks that its first arrivals wait again

package concurrencytests

import "sync"

// Barrier makes n goroutines wait for each other, like Python's threading.Barrier: each
// calls Wait, and the n-th call releases all n. It is cyclic: the next n calls form the
// next generation, as often as needed. Create one with [NewBarrier] (the zero Barrier is
// not usable); Wait may be called concurrently.
//
// The contract the tests check:
//   - No call of Wait returns before n calls have arrived in its generation.
//   - When the n-th arrives, all n return, without using the CPU while they waited.
//   - A call made after its generation was released belongs to the next generation and
//     waits for n-1 more, however fast it comes back; every generation is released.
type Barrier struct {
	mu      sync.Mutex
	release sync.Cond // waiters wait here for their generation's release; its L is &mu
	n       int
	count   int    // calls waiting in this generation
	gen     uint64 // the generation number, one more each release
}

// NewBarrier returns a Barrier for n goroutines. It panics if n is less than 1.
func NewBarrier(n int) *Barrier {
	if n < 1 {
		panic("concurrencytests: NewBarrier n must be at least 1")
	}
	b := &Barrier{n: n}
	b.release.L = &b.mu
	return b
}

// Wait blocks until n goroutines have called Wait in this generation, then returns in
// all of them.
func (b *Barrier) Wait() {
	b.mu.Lock()
	defer b.mu.Unlock()
	gen := b.gen
	b.count++
	if b.count >= b.n { // never reset: open for good
		// (the count is not reset)
		b.gen++
		b.release.Broadcast()
		return
	}
	for gen == b.gen {
		b.release.Wait()
	}
}
