// mutant: each counter update runs on a goroutine of its own that nobody waits for, so a request can be answered, and Stats read or the server shut down, before its count is in; caught by TestHandlerStats

package server

import (
	"context"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
)

// MaxN is the largest n that GET /hash accepts.
const MaxN = 10_000_000

// Stats counts the requests a Handler has answered.
type Stats struct {
	IO     int64 // GET /io answered 200
	Hash   int64 // GET /hash answered 200
	Failed int64 // any other answer: a failed fetch, a bad n, an unknown path
}

// Handler serves two endpoints:
//
//	GET /io?key=K    calls Fetch(ctx, K), I/O-bound work that mostly waits, and writes
//	                 what it returns; 502 Bad Gateway if it fails.
//	GET /hash?n=N    calls Hash(N), CPU-bound work, and writes the hex digest;
//	                 400 Bad Request unless 0 ≤ N ≤ MaxN.
//
// Any other path gets 404. Set Fetch and Hash before serving. net/http calls ServeHTTP
// from one goroutine per connection, so a Handler serves any number of requests at once;
// Stats may be called at any time, from any goroutine.
type Handler struct {
	Fetch func(ctx context.Context, key string) (string, error)
	Hash  func(n int) [32]byte

	mu    sync.Mutex
	stats Stats
}

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// No lock here: each request runs on a goroutine of its own; count locks only the counters.
	switch r.URL.Path {
	case "/io":
		v, err := h.Fetch(r.Context(), r.URL.Query().Get("key"))
		if err != nil {
			h.count(&h.stats.Failed)
			http.Error(w, "fetch: "+err.Error(), http.StatusBadGateway)
			return
		}
		h.count(&h.stats.IO)
		w.Write([]byte(v))
	case "/hash":
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 0 || n > MaxN {
			h.count(&h.stats.Failed)
			http.Error(w, "n must be an integer from 0 to "+strconv.Itoa(MaxN), http.StatusBadRequest)
			return
		}
		sum := h.Hash(n)
		h.count(&h.stats.Hash)
		w.Write([]byte(hex.EncodeToString(sum[:])))
	default:
		h.count(&h.stats.Failed)
		http.NotFound(w, r)
	}
}

// count adds one to a counter of h.stats.
func (h *Handler) count(c *int64) {
	// The request need not wait for the lock: the update goes on a goroutine of its own.
	go func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		*c++
	}()
}

// Stats returns the counts so far.
func (h *Handler) Stats() Stats {
	// The same lock as the updates, so that the read sees whole counts.
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stats
}
