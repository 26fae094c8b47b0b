package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves goroutines behind, such as a server goroutine
// blocked for ever on a send nobody receives after Serve returned.
func TestMain(m *testing.M) {
	guard.Main(m)
}

// The tests run real servers on 127.0.0.1 and real clients, so their waits are real
// time. Each wait is bounded, with margins wide enough for a loaded machine under -race:
// correct code needs milliseconds where the tests allow seconds.
const (
	// patience is how long a test waits for requests to reach the work it holds at a
	// gate. A correct server gets them there in milliseconds; a server that handles one
	// request at a time never does, and the test fails when patience runs out.
	patience = 5 * time.Second
	// limit is how long a test waits for anything else: an answer, Serve to return.
	limit = guard.Limit
	// clientTimeout bounds every request, so that no client goroutine outlives a
	// failed test for long.
	clientTimeout = 3 * guard.Limit
	// idHeader carries the test's name for a request, so that the gate and the
	// tracker can tell requests apart.
	idHeader = "X-Test-Id"
)

// gate holds the calls of the work the test injects (Fetch, Hash, or the next handler)
// until the test lets them through, and counts them. Every call enters, sends its key
// on entered, and waits for a token, for the gate to open, or for its context to end.
type gate struct {
	entered chan string   // one key per call, as it enters
	tokens  chan struct{} // each token lets one call through
	open    chan struct{} // closed: every call goes through
	once    sync.Once

	seen []string // the keys received from entered so far (test goroutine only)

	mu              sync.Mutex
	in, peak, calls int
}

// newGate returns a closed gate; the test opens it when it ends, whatever happened.
func newGate(t *testing.T) *gate {
	g := &gate{entered: make(chan string, 1000), tokens: make(chan struct{}, 1000), open: make(chan struct{})}
	t.Cleanup(g.release)
	return g
}

// pass is one call of the work: it returns nil when the test lets it through, or
// ctx.Err() if ctx ends first.
func (g *gate) pass(ctx context.Context, key string) error {
	g.mu.Lock()
	g.in++
	g.calls++
	g.peak = max(g.peak, g.in)
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.in--
		g.mu.Unlock()
	}()
	g.entered <- key
	select {
	case <-g.tokens:
		return nil
	case <-g.open:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// let lets n calls through, now or whenever they come.
func (g *gate) let(n int) {
	for range n {
		g.tokens <- struct{}{}
	}
}

// release opens the gate for good.
func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

// await waits until n calls have entered the gate since it was made, or until wait has
// passed, and returns how many had.
func (g *gate) await(n int, wait time.Duration) int {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for len(g.seen) < n {
		select { // the calls in already first, even with no time to wait
		case key := <-g.entered:
			g.seen = append(g.seen, key)
			continue
		default:
		}
		select {
		case key := <-g.entered:
			g.seen = append(g.seen, key)
		case <-timer.C:
			return len(g.seen)
		}
	}
	return len(g.seen)
}

// stats returns the most calls there were in the gate at once, and the calls in all.
func (g *gate) stats() (peak, calls int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak, g.calls
}

// gated is a handler whose work is to pass g, keyed by the request's id: it answers
// 200 "done" when let through, 500 if the request's context ended first.
func gated(g *gate) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := g.pass(r.Context(), r.Header.Get(idHeader)); err != nil {
			http.Error(w, "the request's context ended while it worked: "+err.Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "done")
	})
}

// serve starts an httptest server of h on 127.0.0.1 and returns its URL. It closes the
// server when the test ends.
func serve(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(func() { guard.Run(t, limit, "closing the test server", srv.Close) })
	return srv.URL
}

// answer is what a client got for one request.
type answer struct {
	id         string
	status     int
	body       string
	retryAfter string
	err        error
}

func (a answer) String() string {
	if a.err != nil {
		return fmt.Sprintf("request %s: error %v", a.id, a.err)
	}
	return fmt.Sprintf("request %s: %d %q", a.id, a.status, a.body)
}

// clients sends requests, each on a goroutine of its own, and collects the answers.
// Every request ends by the end of the test: it is cancelled then if not before.
type clients struct {
	t       *testing.T
	tr      *http.Transport
	c       *http.Client
	answers chan answer
	wg      sync.WaitGroup
	got     []answer // answers received so far (test goroutine only)
}

func newClients(t *testing.T) *clients {
	tr := &http.Transport{MaxIdleConnsPerHost: 100, DisableCompression: true}
	cl := &clients{t: t, tr: tr, c: &http.Client{Transport: tr, Timeout: clientTimeout},
		answers: make(chan answer, 1000)}
	t.Cleanup(func() {
		guard.Run(t, limit, "the test's clients", cl.wg.Wait)
		tr.CloseIdleConnections()
	})
	return cl
}

// get sends GET url with id in its idHeader, and more headers as name, value pairs.
func (cl *clients) get(url, id string, headers ...string) {
	cl.getCtx(cl.t.Context(), url, id, headers...)
}

// getCtx is get with a context of the test's choosing.
func (cl *clients) getCtx(ctx context.Context, url, id string, headers ...string) {
	cl.wg.Go(func() { cl.answers <- cl.do(ctx, url, id, headers...) })
}

// do sends one request and waits for its answer.
func (cl *clients) do(ctx context.Context, url, id string, headers ...string) answer {
	a := answer{id: id}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		a.err = err
		return a
	}
	req.Header.Set(idHeader, id)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := cl.c.Do(req)
	if err != nil {
		a.err = err
		return a
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	a.status, a.body, a.retryAfter, a.err = resp.StatusCode, string(body), resp.Header.Get("Retry-After"), err
	return a
}

// next waits up to wait for one more answer, and reports whether one came.
func (cl *clients) next(wait time.Duration) (answer, bool) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case a := <-cl.answers:
		cl.got = append(cl.got, a)
		return a, true
	case <-timer.C:
		return answer{}, false
	}
}

// all waits up to limit until n answers in all have come, and returns them sorted by id.
func (cl *clients) all(n int) ([]answer, bool) {
	deadline := time.Now().Add(limit)
	for len(cl.got) < n {
		if _, ok := cl.next(time.Until(deadline)); !ok {
			return sortedAnswers(cl.got), false
		}
	}
	return sortedAnswers(cl.got), true
}

// lines returns each answer's String, for cmp.Diff.
func lines(as []answer) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.String())
	}
	return out
}

func sortedAnswers(as []answer) []answer {
	as = append([]answer(nil), as...)
	sort.Slice(as, func(i, j int) bool { return as[i].id < as[j].id })
	return as
}

// validRetryAfter reports whether v is a Retry-After value: a number of seconds or an
// HTTP date.
func validRetryAfter(v string) bool {
	if n, err := strconv.Atoi(v); err == nil {
		return n >= 0
	}
	_, err := http.ParseTime(v)
	return err == nil
}

// noLeaks fails t if goroutines other than those running when opts was made are still
// running after a few seconds' grace (a goroutine on its way out gets the time to end).
func noLeaks(t *testing.T, what string, opts goleak.Option) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		err := goleak.Find(opts)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%s: goroutines are still running: a goroutine leak. Serve must see every "+
				"goroutine it started end before it returns (the one running srv.Serve included: "+
				"give it a buffered channel for its result, or receive from it).\n%v", what, err)
			return
		}
	}
}
