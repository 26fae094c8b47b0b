// Package rendezvous proves that work runs in parallel without measuring speed: a call
// to [Point.Arrive] waits until k calls are in flight at once, which only happens if k
// goroutines really run the work at the same time.
//
// A serial implementation never has two calls in flight, so each Arrive waits out its
// patience and returns; the test then sees [Point.Met] is false and fails with the peak
// count. Inside a testing/synctest bubble the patience is fake time and passes at once
// when everything is blocked, so the verdict is exact and instant at any GOMAXPROCS.
package rendezvous

import (
	"sync"
	"time"
)

// Point is a rendezvous for k calls. Create one with [New]; it may be shared by any
// number of goroutines.
type Point struct {
	k        int
	patience time.Duration

	mu       sync.Mutex
	inFlight int
	peak     int
	calls    int
	met      chan struct{} // closed when k calls were in flight at once
}

// New returns a Point that is met when k calls to Arrive are in flight at once. Each
// call waits at most patience for that to happen. In a synctest bubble, create the Point
// inside the bubble so that its waits are durably blocking and its patience is fake time.
func New(k int, patience time.Duration) *Point {
	return &Point{k: k, patience: patience, met: make(chan struct{})}
}

// Arrive marks the start of one call of the work and blocks until k calls are in flight
// at once or patience has passed, whichever comes first. Call the returned function
// when the work of that call ends:
//
//	defer p.Arrive()()
func (p *Point) Arrive() (leave func()) {
	p.mu.Lock()
	p.calls++
	p.inFlight++
	p.peak = max(p.peak, p.inFlight)
	if p.inFlight >= p.k && !p.isMet() {
		close(p.met)
	}
	p.mu.Unlock()

	timer := time.NewTimer(p.patience)
	defer timer.Stop()
	select {
	case <-p.met:
	case <-timer.C:
	}
	return func() {
		p.mu.Lock()
		p.inFlight--
		p.mu.Unlock()
	}
}

func (p *Point) isMet() bool {
	select {
	case <-p.met:
		return true
	default:
		return false
	}
}

// Met reports whether k calls were ever in flight at once.
func (p *Point) Met() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.isMet()
}

// Peak returns the largest number of calls that were in flight at once.
func (p *Point) Peak() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}

// InFlight returns the number of calls in flight now.
func (p *Point) InFlight() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.inFlight
}

// Calls returns the number of calls to Arrive so far.
func (p *Point) Calls() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls
}
