package server

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// errNotFound is what the fake Fetch returns for a key that starts with "missing".
var errNotFound = errors.New("no such key upstream")

// fetchThrough returns a Fetch that waits at g, like a call to a slow backend, and then
// returns "value of KEY", or errNotFound for a key that starts with "missing".
func fetchThrough(g *gate) func(ctx context.Context, key string) (string, error) {
	return func(ctx context.Context, key string) (string, error) {
		if err := g.pass(ctx, "io:"+key); err != nil {
			return "", err
		}
		if strings.HasPrefix(key, "missing") {
			return "", errNotFound
		}
		return "value of " + key, nil
	}
}

// hashThrough returns a Hash that waits at g before it computes BlaBla(n), so that the
// test decides when the CPU-bound work of each request ends.
func hashThrough(g *gate) func(n int) [32]byte {
	return func(n int) [32]byte {
		g.pass(context.Background(), fmt.Sprint("hash:", n))
		return BlaBla(n)
	}
}

func hexBlaBla(n int) string {
	sum := BlaBla(n)
	return hex.EncodeToString(sum[:])
}

// oneAtATime is the diagnosis when fewer requests than sent reach the work at once.
const oneAtATime = "the handler serves one client at a time. net/http already runs each " +
	"connection on a goroutine of its own; a lock held for the whole request (around Fetch " +
	"or Hash) makes every other request wait in line behind it. Hold a lock only for the " +
	"moment it takes to update a counter, or use sync/atomic"

func TestHandlerIO(t *testing.T) {
	const k = 8
	g := newGate(t)
	h := &Handler{Fetch: fetchThrough(g), Hash: BlaBla}
	url := serve(t, h)
	cl := newClients(t)
	for i := range k {
		cl.get(fmt.Sprintf("%s/io?key=k%d", url, i), fmt.Sprintf("k%d", i))
	}
	what := fmt.Sprintf("%d concurrent GET /io?key=... on a Handler whose Fetch waits for its backend", k)
	if got := g.await(k, patience); got < k {
		t.Errorf("%s: after %v, only %d at once had reached Fetch, want all %d: %s.", what, patience, got, k, oneAtATime)
	}
	g.release()
	answers, ok := cl.all(k)
	if !ok {
		t.Fatalf("%s: only %d answers within %v once every Fetch returned:\n%v", what, len(answers), limit, answers)
	}
	var want []string
	for i := range k {
		want = append(want, answer{id: fmt.Sprintf("k%d", i), status: 200, body: fmt.Sprintf("value of k%d", i)}.String())
	}
	if diff := cmp.Diff(want, lines(answers)); diff != "" {
		t.Errorf("%s: answers (-want +got):\n%s", what, diff)
	}

	// A Fetch that fails is the backend's fault: 502 Bad Gateway.
	cl.get(url+"/io?key=missing", "missing")
	a, ok := cl.next(limit)
	switch {
	case !ok:
		t.Errorf("GET /io?key=missing, whose Fetch fails: no answer within %v", limit)
	case a.err != nil || a.status != 502:
		t.Errorf("GET /io?key=missing, whose Fetch returns %v: got %v, want status 502 Bad Gateway", errNotFound, a)
	}
}

func TestHandlerHash(t *testing.T) {
	ns := []int{0, 1, 4096, 100_000}
	k := len(ns)
	g := newGate(t)
	h := &Handler{Fetch: fetchThrough(g), Hash: hashThrough(g)}
	url := serve(t, h)
	cl := newClients(t)
	for _, n := range ns {
		cl.get(fmt.Sprintf("%s/hash?n=%d", url, n), fmt.Sprintf("n=%06d", n))
	}
	what := fmt.Sprintf("%d concurrent GET /hash?n=... (CPU-bound) at GOMAXPROCS=%d", k, runtime.GOMAXPROCS(0))
	if got := g.await(k, patience); got < k {
		t.Errorf("%s: after %v, only %d at once had reached Hash, want all %d: %s. Go has no GIL: "+
			"requests that hash at the same time run on every core at once.", what, patience, got, k, oneAtATime)
	}
	g.release()
	answers, ok := cl.all(k)
	if !ok {
		t.Fatalf("%s: only %d answers within %v once every Hash returned:\n%v", what, len(answers), limit, answers)
	}
	var want []string
	for _, n := range ns {
		want = append(want, answer{id: fmt.Sprintf("n=%06d", n), status: 200, body: hexBlaBla(n)}.String())
	}
	if diff := cmp.Diff(want, lines(answers)); diff != "" {
		t.Errorf("%s: answers (-want +got):\n%s", what, diff)
	}

	for _, tc := range []struct {
		name, path string
		status     int
	}{
		{name: "negative", path: "/hash?n=-1", status: 400},
		{name: "not_a_number", path: "/hash?n=many", status: 400},
		{name: "too_big", path: fmt.Sprintf("/hash?n=%d", MaxN+1), status: 400},
		{name: "unknown_path", path: "/nothing", status: 404},
	} {
		a := cl.do(t.Context(), url+tc.path, tc.name)
		if a.err != nil || a.status != tc.status {
			t.Errorf("GET %s: got %v, want status %d", tc.path, a, tc.status)
		}
	}
}

func TestHandlerStats(t *testing.T) {
	paths := []string{"/io?key=a", "/io?key=b", "/io?key=missing1", "/hash?n=1", "/hash?n=2", "/hash?n=3",
		"/io?key=missing2", "/io?key=c"}
	k := len(paths)
	g := newGate(t)
	h := &Handler{Fetch: fetchThrough(g), Hash: hashThrough(g)}
	url := serve(t, h)
	cl := newClients(t)
	for i, p := range paths {
		cl.get(url+p, fmt.Sprintf("r%d", i))
	}
	what := fmt.Sprintf("%d concurrent requests (5 to /io, 2 of them failing; 3 to /hash)", k)
	if got := g.await(k, patience); got < k {
		t.Errorf("%s: after %v, only %d at once had reached Fetch or Hash, want all %d: %s.", what, patience, got, k, oneAtATime)
	}

	// Every request updates the counters when its work ends; the gate lets them all
	// end at once, while another goroutine reads the counters, so that unsynchronised
	// updates or reads are a data race in every run.
	stop := make(chan struct{})
	reader := make(chan struct{})
	go func() {
		defer close(reader)
		for {
			select {
			case <-stop:
				return
			default:
				h.Stats()
				runtime.Gosched()
			}
		}
	}()
	g.release()
	answers, ok := cl.all(k)
	close(stop)
	<-reader
	if !ok {
		t.Fatalf("%s: only %d answers within %v once all the work returned:\n%v", what, len(answers), limit, answers)
	}
	want := Stats{IO: 3, Hash: 3, Failed: 2}
	if diff := cmp.Diff(want, h.Stats()); diff != "" {
		t.Errorf("%s, then Stats() (-want +got):\n%s\nEvery request updates a counter that all "+
			"requests share: without a lock (or an atomic) two updates at once can lose one, and "+
			"the race detector reports them.", what, diff)
	}

	// Each request is counted by the time ServeHTTP returns, so that Stats called then, or
	// a server shut down then, sees it. With one P, a goroutine that ServeHTTP starts and
	// does not wait for cannot have run when ServeHTTP returns.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, p := range paths {
		before := h.Stats()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, p, nil))
		after := h.Stats()
		if n := total(after) - total(before); n != 1 {
			t.Errorf("GET %s: ServeHTTP returned, then Stats() counted %d more requests than just "+
				"before it, want 1: the request was answered before its count was in. A counter "+
				"updated on a goroutine that ServeHTTP starts and does not wait for comes after "+
				"the answer, and after a Stats or a shutdown that follows it: update the counter "+
				"in ServeHTTP itself, before it returns.", p, n)
			break
		}
	}
}

// total is the number of requests s counts.
func total(s Stats) int64 { return s.IO + s.Hash + s.Failed }
