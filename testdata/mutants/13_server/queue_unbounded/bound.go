// mutant: every request that finds the slots taken waits for one, however many wait already: the queue has no bound, and nobody is ever refused with 503; caught by TestBoundActive, TestBoundQueue

package server

import "net/http"

// Bound returns a handler that lets at most active requests run next at once; the others
// wait for a slot, or stop waiting when their client goes away.
func Bound(next http.Handler, active, queue int) http.Handler {
	if active < 1 || queue < 0 {
		panic("server: Bound needs active ≥ 1 and queue ≥ 0")
	}
	// A buffered channel of active slots is the semaphore: a send waits while all are taken.
	slots := make(chan struct{}, active)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
		case <-r.Context().Done():
			return
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, r)
	})
}
