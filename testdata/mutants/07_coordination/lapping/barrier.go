// mutant: the last arrival leaves n-1 passes on a counter for the waiters to take, and a fast goroutine arriving for the next generation takes a pass meant for a slow one of this generation; caught by TestBarrierNoLapping

package coordination

import "sync"

// Barrier makes n goroutines wait for each other, like Python's threading.Barrier.
type Barrier struct {
	mu     sync.Mutex
	cond   sync.Cond
	n      int
	count  int // arrivals in this generation
	passes int // releases left for the waiters to take
}

// NewBarrier returns a Barrier for n goroutines. It panics if n is less than 1.
func NewBarrier(n int) *Barrier {
	if n < 1 {
		panic("coordination: NewBarrier n must be at least 1")
	}
	b := &Barrier{n: n}
	b.cond.L = &b.mu
	return b
}

// Wait blocks until n goroutines have called Wait in this generation.
func (b *Barrier) Wait() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.count++
	if b.count == b.n {
		b.count = 0
		b.passes += b.n - 1
		b.cond.Broadcast()
		return
	}
	for b.passes == 0 {
		b.cond.Wait()
	}
	b.passes--
}
