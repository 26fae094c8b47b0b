package server

import (
	"net/http"
	"sync"
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
	// A buffered channel of active slots is the semaphore; waiting, under mu, bounds the queue.
	slots := make(chan struct{}, active)
	var mu sync.Mutex
	waiting := 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
		default:
			// Every slot is taken: wait in the queue if it has room, else refuse at once.
			mu.Lock()
			if waiting >= queue {
				mu.Unlock()
				w.Header().Set("Retry-After", "1")
				http.Error(w, "server busy, try again later", http.StatusServiceUnavailable)
				return
			}
			waiting++
			mu.Unlock()
			var got bool
			select {
			case slots <- struct{}{}:
				got = true
			case <-r.Context().Done():
			}
			mu.Lock()
			waiting--
			mu.Unlock()
			if !got {
				return // the client is gone: nobody would read the answer
			}
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, r)
	})
}
