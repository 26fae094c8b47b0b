package server

import (
	"context"
	"net"
	"net/http"
	"time"
)

// Serve serves h on ln until ctx is done, then shuts down gracefully: it stops
// accepting connections at once, closes the idle ones, and waits up to grace for the
// requests in flight to finish and their answers to be sent. It returns nil once they
// all have. If grace runs out first, it closes the connections still open and returns
// an error that wraps context.DeadlineExceeded. Either way, no goroutine of the server
// is left running when Serve returns, except handlers still busy after the grace period.
//
// If serving fails before ctx is done (ln was closed, say), Serve returns that error.
// Serve closes ln.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	_ = srv
	// TODO: run srv.Serve(ln) on a goroutine of its own, and make sure it can always
	// hand back its result and end.

	// TODO: wait until ctx is done (or srv.Serve fails), then call srv.Shutdown with a
	// context that ends after grace; if Shutdown gives up, srv.Close. Return when the
	// goroutine running srv.Serve has returned too.
	return nil
}
