package server

import (
	"net"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// Limiter gives each client a token bucket: burst tokens to start with, refilled at r
// tokens a second, one token per request. Create one with [NewLimiter]; its methods may
// be called from any number of goroutines.
type Limiter struct {
	// TODO: the rate, the burst, the clock, and a map from client to its
	// *rate.Limiter, guarded by a mutex.
}

// NewLimiter returns a Limiter of r tokens a second and bursts of burst, that reads the
// time from now (time.Now in a real server; a fake clock in the tests).
func NewLimiter(r rate.Limit, burst int, now func() time.Time) *Limiter {
	// TODO: keep r, burst and now, and make the map.
	return &Limiter{}
}

// Allow reports whether client may make a request now, and takes one of its tokens if
// so. A client not seen before starts with a full bucket; clients do not share tokens.
func (l *Limiter) Allow(client string) bool {
	// TODO: find or create the client's *rate.Limiter under the lock, then ask it
	// with the injected clock's time: AllowN(l.now(), 1).
	return false
}

// Wrap returns a handler that calls next for the requests Allow lets through, and
// answers the others 429 Too Many Requests with a Retry-After header (in seconds). The
// client is the request's X-Client header, or the host of its remote address without one.
func (l *Limiter) Wrap(next http.Handler) http.Handler {
	// TODO: ask Allow(ClientOf(r)) for each request; refuse with 429 and Retry-After.
	return next
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
