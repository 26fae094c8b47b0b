// mutant: waiters wait until the arrival count is back to 0, but a fast goroutine of the next generation arrives before a slow one wakes, so the slow one sees 1 and waits for ever; caught by TestBarrierNoLapping

package coordination

import "sync"

// Barrier makes n goroutines wait for each other, like Python's threading.Barrier.
type Barrier struct {
	mu    sync.Mutex
	cond  sync.Cond
	n     int
	count int // arrivals in this generation
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
		b.cond.Broadcast()
		return
	}
	for b.count != 0 {
		b.cond.Wait()
	}
}
