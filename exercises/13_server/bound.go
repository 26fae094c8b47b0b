package server

import (
	"net/http"
)

// Bound returns a handler that lets at most active requests run next at once. A request
// that finds every slot taken waits for one, if fewer than queue requests are waiting
// already; otherwise it is refused at once with 503 Service Unavailable and a
// Retry-After header (in seconds), and next never sees it. A waiting request whose
// client goes away (its context is done) stops waiting and runs nothing.
//
// For CPU-bound work, active is the number of cores (runtime.GOMAXPROCS(0)): more
// requests hashing at once would not finish sooner, only later for all of them. Bound
// panics if active < 1 or queue < 0.
func Bound(next http.Handler, active, queue int) http.Handler {
	if active < 1 || queue < 0 {
		panic("server: Bound needs active ≥ 1 and queue ≥ 0")
	}
	// TODO: a semaphore of active slots (a buffered channel), and a count of the
	// requests waiting for one, bounded by queue.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// TODO: take a free slot at once; else wait for one if the queue has room, else
		// answer 503 with a Retry-After header. Stop waiting when r.Context() is done.
		// Give the slot back when next returns.
		next.ServeHTTP(w, r)
	})
}
