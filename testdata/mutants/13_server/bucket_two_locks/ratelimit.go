// mutant: the client's bucket is looked up under the lock and, when missing, made and inserted under the lock taken again, so two first requests of a client that come together each make a bucket of their own and both get a full burst; caught by TestLimiterConcurrent

package server

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter gives each client a token bucket: burst tokens to start with, refilled at r
// tokens a second, one token per request. Create one with [NewLimiter]; its methods may
// be called from any number of goroutines.
type Limiter struct {
	r     rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	clients map[string]*rate.Limiter
}

// NewLimiter returns a Limiter of r tokens a second and bursts of burst, that reads the
// time from now (time.Now in a real server; a fake clock in the tests).
func NewLimiter(r rate.Limit, burst int, now func() time.Time) *Limiter {
	return &Limiter{r: r, burst: burst, now: now, clients: map[string]*rate.Limiter{}}
}

// Allow reports whether client may make a request now, and takes one of its tokens if
// so. A client not seen before starts with a full bucket; clients do not share tokens.
func (l *Limiter) Allow(client string) bool {
	// The map is guarded by the mutex: the look-up under it, and the insert of a new
	// bucket under it too, without holding the lock while the bucket is made.
	l.mu.Lock()
	lim, ok := l.clients[client]
	l.mu.Unlock()
	if !ok {
		lim = rate.NewLimiter(l.r, l.burst)
		l.mu.Lock()
		l.clients[client] = lim
		l.mu.Unlock()
	}
	return lim.AllowN(l.now(), 1)
}

// Wrap returns a handler that calls next for the requests Allow lets through, and
// answers the others 429 Too Many Requests with a Retry-After header (in seconds). The
// client is the request's X-Client header, or the host of its remote address without one.
func (l *Limiter) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.Allow(ClientOf(r)) {
			next.ServeHTTP(w, r)
			return
		}
		// When the next token comes: 1/r seconds at most, rounded up.
		wait := 1
		if l.r > 0 && l.r < 1 {
			wait = int(math.Ceil(1 / float64(l.r)))
		}
		w.Header().Set("Retry-After", strconv.Itoa(wait))
		http.Error(w, "too many requests", http.StatusTooManyRequests)
	})
}

// ClientOf returns who sent r: its X-Client header, or the host of its remote address.
func ClientOf(r *http.Request) string {
	if c := r.Header.Get("X-Client"); c != "" {
		return c
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
