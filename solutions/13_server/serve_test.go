package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// closeWatcher is a listener that reports when it is closed: Shutdown closes the
// listener first, so the test knows shutting down has begun.
type closeWatcher struct {
	net.Listener
	once   sync.Once
	closed chan struct{}
}

func (l *closeWatcher) Close() error {
	err := l.Listener.Close()
	l.once.Do(func() { close(l.closed) })
	return err
}

// listen returns a listener on 127.0.0.1 on a free port, closed when the test ends.
func listen(t *testing.T) *closeWatcher {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err, "listening on 127.0.0.1:0")
	l := &closeWatcher{Listener: ln, closed: make(chan struct{})}
	t.Cleanup(func() { l.Close() })
	return l
}

// serving is a call of Serve running on a goroutine of the test's.
type serving struct {
	done chan struct{} // closed when Serve returns
	err  error         // what it returned, once done is closed
}

// startServe calls Serve(ctx, ln, h, grace) on a goroutine of its own. When the test
// ends, it waits (for a bounded time) for Serve to return.
func startServe(t *testing.T, ctx context.Context, ln net.Listener, h *tracker, grace time.Duration) *serving {
	s := &serving{done: make(chan struct{})}
	go func() {
		defer close(s.done)
		s.err = Serve(ctx, ln, h, grace)
	}()
	t.Cleanup(func() {
		guard.Run(t, limit, "Serve, once the test ended", func() { <-s.done })
	})
	return s
}

// returned reports whether Serve has returned.
func (s *serving) returned() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// wait waits up to wait for Serve to return, and reports whether it did.
func (s *serving) wait(wait time.Duration) bool {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-s.done:
		return true
	case <-timer.C:
		return false
	}
}

// awaitCalls waits up to patience until n calls have entered g, and reports whether
// they did. It gives up at once if Serve returns meanwhile, and fails t: Serve must serve
// until ctx is done.
func (s *serving) awaitCalls(t *testing.T, g *gate, n int, what string) bool {
	t.Helper()
	timer := time.NewTimer(patience)
	defer timer.Stop()
	for len(g.seen) < n {
		select {
		case key := <-g.entered:
			g.seen = append(g.seen, key)
		case <-s.done:
			t.Errorf("%s returned %v before ctx was cancelled, want it to serve until then: "+
				"run srv.Serve(ln), on a goroutine of its own, and wait for ctx.Done()", what, s.err)
			return false
		case <-timer.C:
			t.Errorf("%s with %d requests: %d of them reached the handler within %v, want %d",
				what, n, len(g.seen), patience, n)
			return false
		}
	}
	return true
}

// settled waits up to patience until Serve has returned or its goroutine is parked
// (waiting for the requests to end, say), so that whatever a Serve does when its
// context ends has been done before the test goes on.
func (s *serving) settled() {
	deadline := time.Now().Add(patience)
	for !s.returned() && time.Now().Before(deadline) {
		parked := false
		for _, st := range guard.States("_server.Serve(") {
			if st != "running" && st != "runnable" && !strings.HasPrefix(st, "syscall") {
				parked = true
			}
		}
		if parked {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

func TestServeDrains(t *testing.T) {
	const k = 3
	g := newGate(t)
	ln := listen(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	what := fmt.Sprintf("Serve(ctx, 127.0.0.1:port, h, grace %v)", limit)
	s := startServe(t, ctx, ln, newTracker(gated(g)), limit)
	url := "http://" + ln.Addr().String()
	cl := newClients(t)
	for i := range k {
		cl.get(url, fmt.Sprintf("r%d", i))
	}
	if !s.awaitCalls(t, g, k, what) {
		return
	}

	cancel() // shutting down starts
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-ln.closed:
	case <-s.done:
	case <-timer.C:
		t.Fatalf("%s with %d requests in flight: ctx was cancelled, and %v later the listener is "+
			"still open, want it closed at once: when ctx is done, call srv.Shutdown", what, k, limit)
	}
	s.settled()
	if s.returned() {
		t.Fatalf("%s with %d requests in flight: ctx was cancelled, and Serve returned %v while the "+
			"requests were still running, want it to wait for them: srv.Close (or returning as soon "+
			"as srv.Serve does) drops them; srv.Shutdown waits until they are answered, and Serve "+
			"must wait for Shutdown to return", what, k, s.err)
	}

	// New connections are refused while the old requests finish.
	if conn, err := net.DialTimeout("tcp", ln.Addr().String(), limit); err == nil {
		conn.Close()
		t.Errorf("%s: ctx was cancelled, and a new connection to %s was accepted, want it refused: "+
			"shutting down stops listening first", what, ln.Addr())
	}

	g.release()
	answers, ok := cl.all(k)
	if !ok {
		t.Fatalf("%s: the requests in flight when ctx was cancelled were let through, and only these "+
			"answers came within %v:\n%v", what, limit, answers)
	}
	for _, a := range answers {
		if a.err != nil || a.status != 200 || a.body != "done" {
			t.Errorf("%s: a request in flight when ctx was cancelled got %v, want 200 \"done\": a "+
				"graceful shutdown lets the requests in flight finish (srv.Shutdown, not srv.Close; "+
				"and not request contexts derived from ctx, which cancelling ctx cancels)", what, a)
		}
	}
	if !s.wait(limit) {
		t.Fatalf("%s: every request in flight was answered, and %v later Serve has not returned, "+
			"want it to return nil", what, limit)
	}
	if s.err != nil {
		t.Errorf("%s = %v after a shutdown that drained every request, want nil", what, s.err)
	}
}

func TestServeNoLeak(t *testing.T) {
	opts := goleak.IgnoreCurrent()
	g := newGate(t)
	g.release()
	ln := listen(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	what := fmt.Sprintf("Serve(ctx, 127.0.0.1:port, h, grace %v)", limit)
	s := startServe(t, ctx, ln, newTracker(gated(g)), limit)
	url := "http://" + ln.Addr().String()
	cl := newClients(t)
	for i := range 3 { // one after another: the connection stays open, idle, between them
		cl.get(url, fmt.Sprint("r", i))
		if !s.awaitCalls(t, g, i+1, what) {
			return
		}
		a, ok := cl.next(limit)
		if !ok || a.err != nil || a.status != 200 {
			if s.returned() {
				t.Fatalf("%s returned %v before ctx was cancelled, want it to serve until then", what, s.err)
			}
			t.Fatalf("%s: %v, want 200 \"done\"", what, a)
		}
	}
	cancel()
	if !s.wait(limit) {
		t.Fatalf("%s with no request in flight: ctx was cancelled, and %v later Serve has not "+
			"returned, want it to return at once: srv.Shutdown closes idle connections", what, limit)
	}
	if s.err != nil {
		t.Errorf("%s = %v after a shutdown with nothing in flight, want nil", what, s.err)
	}
	cl.tr.CloseIdleConnections()
	noLeaks(t, what+" returned after ctx was cancelled", opts)
}

func TestServeGrace(t *testing.T) {
	const grace = 100 * time.Millisecond
	opts := goleak.IgnoreCurrent()
	g := newGate(t)
	ln := listen(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	what := fmt.Sprintf("Serve(ctx, 127.0.0.1:port, h, grace %v)", grace)
	s := startServe(t, ctx, ln, newTracker(gated(g)), grace)
	url := "http://" + ln.Addr().String()
	cl := newClients(t)
	cl.get(url, "stuck")
	if !s.awaitCalls(t, g, 1, what) {
		return
	}

	cancel() // the request never ends by itself: the grace period runs out
	if !s.wait(patience) {
		t.Fatalf("%s with a request that does not end: ctx was cancelled, and %v later Serve has "+
			"not returned, want it to give up after %v: give srv.Shutdown a context with that "+
			"deadline (context.WithTimeout)", what, patience, grace)
	}
	if !errors.Is(s.err, context.DeadlineExceeded) {
		t.Errorf("%s with a request that does not end = %v, want an error that wraps "+
			"context.DeadlineExceeded: the caller must learn that requests were cut off", what, s.err)
	}
	a, ok := cl.next(patience)
	switch {
	case !ok:
		t.Errorf("%s returned after the grace period ran out, and %v later the request still in "+
			"flight is neither answered nor cut off, want its connection closed: when Shutdown "+
			"gives up, call srv.Close", what, patience)
	case a.err == nil:
		t.Errorf("%s returned after the grace period ran out, and the request still in flight got "+
			"%v, want its connection closed", what, a)
	}
	g.release()
	cl.all(1)
	cl.tr.CloseIdleConnections()
	noLeaks(t, what+" returned after the grace period ran out", opts)
}
