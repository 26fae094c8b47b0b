package server

import (
	"context"
	"errors"
	"fmt"
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
	// Buffered: the goroutine running srv.Serve can always hand back its result, and end.
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	// Not ctx: it is done already. The grace period starts now.
	shutCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(shutCtx)
	if err != nil {
		// Grace is over: drop what is left rather than wait for ever.
		srv.Close()
		err = fmt.Errorf("shutdown after %v: %w", grace, err)
	}
	// Shutdown closed the listener, so srv.Serve has returned ErrServerClosed, or soon will.
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
