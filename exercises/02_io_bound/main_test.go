package iobound

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/golden"
	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/stretchr/testify/require"
)

// TestMain fails the run if a test leaves goroutines behind, such as a fetch nobody
// waited for, or a goroutine blocked for ever on a send nobody receives.
func TestMain(m *testing.M) {
	guard.Main(m)
}

// The fake fetches run in testing/synctest bubbles, where time is fake: a fetch of 100ms
// takes no real time, and a call that runs twenty of them one after another takes 2s of
// fake time, exactly, every run.
const (
	latency   = 100 * time.Millisecond // one fake fetch
	slow      = time.Minute            // a fetch that only cancellation cuts short
	failAfter = 10 * time.Millisecond  // when the failing fetch fails
	windDown  = time.Millisecond       // how long a cancelled fetch takes to return
	failing   = "rfc1001.txt"          // the document whose fetch fails
	fakeLimit = time.Hour              // fake time a call may take in a bubble
	limit     = guard.Limit            // real time a bubble, or a call outside one, may take
)

// errBoom is the error of the failing fetch.
var errBoom = errors.New("connection reset by peer")

// corpus is the twenty RFC-like documents of testdata/03_race, rfc1000.txt to rfc1019.txt.
type corpus struct {
	names []string
	docs  map[string][]byte
}

func loadCorpus(t testing.TB) corpus {
	t.Helper()
	c := corpus{docs: map[string][]byte{}}
	for n := 1000; n < 1020; n++ {
		name := fmt.Sprintf("rfc%d.txt", n)
		c.names = append(c.names, name)
		c.docs[name] = golden.Load(t, "03_race/"+name)
	}
	return c
}

// fakeFetcher serves documents from memory after a latency, in fake time when it runs in
// a synctest bubble, and records every call: when it started, whether its context was
// still live then, and whether it returned because its context ended. Create it inside
// the bubble.
type fakeFetcher struct {
	docs      map[string][]byte
	latency   time.Duration            // of every fetch not listed in latencies
	latencies map[string]time.Duration // the documents that take longer (or shorter)
	fail      string                   // the document that fails with errBoom after failAfter, if any
	t0        time.Time

	mu       sync.Mutex
	inFlight int
	peak     int
	calls    []call
}

// call is one call of fakeFetcher.Fetch.
type call struct {
	name      string
	start     time.Duration // since the fetcher was created
	live      bool          // the context was not done when the fetch started
	cancelled bool          // the fetch saw its context end, and gave up early
	returned  bool          // the fetch has returned
	ctx       context.Context
	ctxDone   bool // the context had ended when the call under test returned (set by invoke)
}

func newFake(c corpus, latency time.Duration) *fakeFetcher {
	return &fakeFetcher{docs: c.docs, latency: latency, t0: time.Now()}
}

// Fetch is the Fetcher.
func (f *fakeFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	f.mu.Lock()
	i := len(f.calls)
	f.calls = append(f.calls, call{name: name, start: time.Since(f.t0), live: ctx.Err() == nil, ctx: ctx})
	f.inFlight++
	f.peak = max(f.peak, f.inFlight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.calls[i].returned = true
		f.mu.Unlock()
	}()

	d := f.latency
	if l, ok := f.latencies[name]; ok {
		d = l
	}
	if name == f.fail {
		d = failAfter
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
		f.mu.Lock()
		f.calls[i].cancelled = true
		f.mu.Unlock()
		time.Sleep(windDown) // closing a connection takes a moment
		return nil, fmt.Errorf("get %s: %w", name, ctx.Err())
	}
	if name == f.fail {
		return nil, fmt.Errorf("get %s: %w", name, errBoom)
	}
	doc, ok := f.docs[name]
	if !ok {
		return nil, fmt.Errorf("get %s: no such document", name)
	}
	return doc, nil
}

// stats returns the fetches in flight now, the most there ever were at once, and a copy
// of the calls so far.
func (f *fakeFetcher) stats() (inFlight, peak int, calls []call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.inFlight, f.peak, append([]call(nil), f.calls...)
}

// outcome is how long a call took, in fake time, how many fetches were still in flight
// when it returned, and the calls of fetch as they stood then.
type outcome struct {
	elapsed  time.Duration
	inFlight int
	calls    []call
}

// invoke runs fn, which calls the function under test with f.Fetch, in a goroutine of its
// own, and returns how long it took and what was still in flight when it returned. It
// fails t if fn has not returned after fakeLimit of fake time.
func invoke(t *testing.T, what string, f *fakeFetcher, fn func()) (outcome, bool) {
	t.Helper()
	done := make(chan outcome, 1)
	go func() {
		start := time.Now()
		fn()
		elapsed := time.Since(start)
		inFlight, _, calls := f.stats()
		for i := range calls {
			calls[i].ctxDone = calls[i].ctx.Err() != nil
		}
		done <- outcome{elapsed: elapsed, inFlight: inFlight, calls: calls}
	}()
	select {
	case o := <-done:
		return o, true
	case <-time.After(fakeLimit):
		t.Errorf("%s has not returned after %v of fake time: it waits for something that never "+
			"happens (a fetch nobody cancels, a ticker it keeps waiting on after its context ended)",
			what, fakeLimit)
		return outcome{}, false
	}
}

// bubble runs f in a synctest bubble through guard.Bubble, which fails t with the stacks
// of any goroutine still blocked when f returns: a fetch nobody waited for, or a goroutine
// blocked for ever on a send nobody receives.
func bubble(t *testing.T, what string, f func(t *testing.T)) {
	t.Helper()
	guard.Bubble(t, limit, what, f)
}

// checkBodies fails t unless got holds the documents called names, in that order.
func checkBodies(t *testing.T, what string, c corpus, names []string, got [][]byte) {
	t.Helper()
	if len(got) != len(names) {
		t.Errorf("%s returned %d bodies, want %d, one per name in the order of names", what, len(got), len(names))
		return
	}
	bad := 0
	for i, name := range names {
		if bytes.Equal(got[i], c.docs[name]) {
			continue
		}
		if bad++; bad > 3 {
			t.Errorf("%s: and more bodies differ", what)
			return
		}
		if other := docOf(c, got[i]); other != "" {
			t.Errorf("%s: body %d holds %s, want %s: the bodies must be in the order of names, "+
				"not in the order the fetches finished; store each at its own index", what, i, other, name)
		} else {
			t.Errorf("%s: body %d (%s) is %d bytes, want the %d bytes of %s", what, i, name, len(got[i]),
				len(c.docs[name]), name)
		}
	}
}

// docOf returns the name of the document whose bytes are body, or "".
func docOf(c corpus, body []byte) string {
	for _, name := range c.names {
		if len(body) > 0 && bytes.Equal(body, c.docs[name]) {
			return name
		}
	}
	return ""
}

// checkConcurrent fails t unless all n fetches were in flight at once and the call took
// one fetch's latency.
func checkConcurrent(t *testing.T, what string, f *fakeFetcher, o outcome, n int) {
	t.Helper()
	_, peak, _ := f.stats()
	switch {
	case peak == 0:
		t.Errorf("%s took %v of fake time, want %v: it never called fetch", what, o.elapsed, latency)
	case peak == 1:
		t.Errorf("%s took %v of fake time, want %v: the fetches ran one after another (never more "+
			"than 1 in flight, want %d), and the CPU idled while each one waited. Start a goroutine "+
			"per document, then wait for them all.", what, o.elapsed, latency, n)
	case peak < n:
		t.Errorf("%s took %v of fake time, want %v: at most %d fetches were in flight at once, want "+
			"all %d", what, o.elapsed, latency, peak, n)
	case o.elapsed != latency:
		t.Errorf("%s took %v of fake time, want %v: all %d fetches were in flight at once, so the call "+
			"should return as soon as they have", what, o.elapsed, latency, n)
	}
}

// fetchFunc is the shape of FetchAll, and of FetchBounded and FetchPolite with their
// limit fixed.
type fetchFunc func(ctx context.Context, fetch Fetcher, names []string) ([][]byte, error)

// testFirstError runs call over the corpus with failing failing after failAfter and every
// other fetch taking a minute unless its context ends. It checks that call returns the
// failed fetch's error and no bodies, that every other fetch saw its context cancelled
// instead of running to the end, and that none was still running when call returned.
func testFirstError(t *testing.T, what string, call fetchFunc) {
	c := loadCorpus(t)
	what = fmt.Sprintf("%s(20 docs, %s fails after %v, the others take %v)", what, failing, failAfter, slow)
	bubble(t, what, func(t *testing.T) {
		f := newFake(c, slow)
		f.fail = failing
		var (
			bodies [][]byte
			err    error
		)
		o, ok := invoke(t, what, f, func() { bodies, err = call(t.Context(), f.Fetch, c.names) })
		if !ok {
			return
		}
		calls := o.calls
		if len(calls) == 0 {
			t.Errorf("%s returned (%d bodies, %v) without calling fetch", what, len(bodies), err)
			return
		}
		if !errors.Is(err, errBoom) {
			t.Errorf("%s returned error %v, want the failed fetch's error (%v)", what, err, errBoom)
		}
		if err != nil && bodies != nil {
			t.Errorf("%s returned %d bodies with its error, want nil: it is all or nothing", what, len(bodies))
		}
		// As the calls stood when the function under test returned: which fetches ran to
		// the end with nothing cancelling them, and which were still running.
		var ranOn, running []string
		uncancelled := 0
		for _, cl := range calls {
			switch {
			case !cl.returned:
				running = append(running, cl.name)
				if !cl.ctxDone {
					uncancelled++
				}
			case cl.name != failing && cl.live && !cl.cancelled:
				ranOn = append(ranOn, cl.name)
			}
		}
		if len(ranOn) > 0 {
			t.Errorf("%s took %v of fake time: after %s failed, %d fetches (%s) ran to the end instead "+
				"of seeing their context cancelled. Give them a context you cancel on the first error "+
				"(context.WithCancelCause, or errgroup.WithContext).", what, o.elapsed, failing,
				len(ranOn), strings.Join(ranOn, ", "))
		}
		switch {
		case len(running) > 0 && uncancelled == 0:
			t.Errorf("%s returned after %v of fake time while %d fetches (%s) were still running: their "+
				"context was cancelled, but the call returned before they ended. Cancelling asks a "+
				"fetch to stop; it has stopped only once it returns. Wait for every goroutine you "+
				"started (wg.Wait(), or g.Wait()) before returning, even after an error.", what,
				o.elapsed, len(running), strings.Join(running, ", "))
		case len(running) > 0:
			t.Errorf("%s returned after %v of fake time while %d fetches (%s) were still running, %d "+
				"of them with their context never cancelled: goroutines left behind. Cancel the "+
				"others on the first error, then wait for every goroutine you started before "+
				"returning.", what, o.elapsed, len(running), strings.Join(running, ", "), uncancelled)
		}
	})
}

// requireNoError fails t at once if err is not nil: no fetch fails in the test, so an
// error means the call gave up on something it should have waited for.
func requireNoError(t *testing.T, what string, err error) {
	t.Helper()
	require.NoError(t, err, "%s: no fetch fails here", what)
}
