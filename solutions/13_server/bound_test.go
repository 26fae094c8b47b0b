package server

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// tracker wraps a handler and reports each request's id when it arrives, when the
// server cancels its context (its client went away) and when the wrapped handler
// returns, so that a test knows where a request is without sleeping.
type tracker struct {
	next      http.Handler
	arrived   chan string
	cancelled chan string
	returned  chan string
}

func newTracker(next http.Handler) *tracker {
	return &tracker{next: next, arrived: make(chan string, 1000), cancelled: make(chan string, 1000),
		returned: make(chan string, 1000)}
}

func (tr *tracker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get(idHeader)
	tr.arrived <- id
	stop := context.AfterFunc(r.Context(), func() { tr.cancelled <- id })
	defer func() {
		// A handler that wakes on the context's Done can return, and stop f, before the
		// cancel that woke it has started f (it did, about one run in a hundred): then
		// the report is sent here.
		if stop() && r.Context().Err() != nil {
			tr.cancelled <- id
		}
		tr.returned <- id
	}()
	tr.next.ServeHTTP(w, r)
}

// awaitID waits up to wait for id on ch, skipping others, and reports whether it came.
func awaitID(ch chan string, id string, wait time.Duration) bool {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case got := <-ch:
			if got == id {
				return true
			}
		case <-timer.C:
			return false
		}
	}
}

// awaitIDs waits up to wait until every one of ids has come on ch, in any order,
// skipping others, and returns those that did not.
func awaitIDs(ch chan string, wait time.Duration, ids ...string) (missing []string) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for len(want) > 0 {
		select {
		case got := <-ch:
			delete(want, got)
		case <-timer.C:
			for _, id := range ids {
				if want[id] {
					missing = append(missing, id)
				}
			}
			return missing
		}
	}
	return nil
}

// awaitParked waits up to wait until every goroutine running fn is parked (blocked on
// a channel, a select, a lock...), not running or ready to run.
func awaitParked(fn string, wait time.Duration) {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		parked := true
		for _, st := range guard.States(fn) {
			if st == "running" || st == "runnable" || strings.HasPrefix(st, "syscall") {
				parked = false
			}
		}
		if parked {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// checkRefused reports what is wrong with a, the answer of a request Bound must refuse.
func checkRefused(a answer) string {
	switch {
	case a.err != nil:
		return fmt.Sprintf("it failed: %v; want an answer, 503 Service Unavailable", a.err)
	case a.status != http.StatusServiceUnavailable:
		return fmt.Sprintf("got status %d %q, want 503 Service Unavailable", a.status, a.body)
	case !validRetryAfter(a.retryAfter):
		return fmt.Sprintf("got 503 with Retry-After %q, want a number of seconds: it tells the client "+
			"when to try again, instead of hammering a busy server", a.retryAfter)
	}
	return ""
}

// firstOf waits up to limit for whichever comes first: another call entering g, or an
// answer. It returns entered=true for a call.
func firstOf(g *gate, cl *clients) (a answer, entered, ok bool) {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case key := <-g.entered:
		g.seen = append(g.seen, key)
		return answer{}, true, true
	case a := <-cl.answers:
		cl.got = append(cl.got, a)
		return a, false, true
	case <-timer.C:
		return answer{}, false, false
	}
}

// waitLooks and waitFor say when requests that wait for a slot are waiting for good:
// waitLooks looks in a row, over at least waitFor of real time, that find them parked
// in the handler under test. A request wakes the moment a slot frees up (a receive from
// the semaphore readies the sender it waits for); one that is still parked that long
// after will wait until something else frees a slot.
const (
	waitLooks = 10
	waitFor   = 200 * time.Millisecond
)

// slotWaiters returns how many goroutines serve a request through a tracker and wait in
// the handler under test, outside the gate: on a channel, in a select or on a
// sync.Cond, as a request does only while it waits for a slot.
func slotWaiters() int {
	n := 0
	for _, g := range allStacks() {
		header, body, _ := strings.Cut(g, "\n")
		if !strings.Contains(body, "(*tracker).ServeHTTP") || strings.Contains(body, "(*gate).pass") {
			continue
		}
		_, st, _ := strings.Cut(header, "[")
		for _, w := range []string{"chan send", "chan receive", "select", "sync.Cond.Wait"} {
			if strings.HasPrefix(st, w) {
				n++
				break
			}
		}
	}
	return n
}

func allStacks() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Split(string(buf[:n]), "\n\n")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// firstOrWaiting is firstOf that also gives up, with waiting=true, once at least n
// requests are waiting for a slot for good (see waitLooks): then neither an answer nor
// another call is coming until the test lets a call through.
func firstOrWaiting(g *gate, cl *clients, n int) (a answer, entered, waiting, ok bool) {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	look := time.NewTicker(time.Millisecond)
	defer look.Stop()
	looks, since := 0, time.Time{}
	for {
		select {
		case key := <-g.entered:
			g.seen = append(g.seen, key)
			return answer{}, true, false, true
		case a := <-cl.answers:
			cl.got = append(cl.got, a)
			return a, false, false, true
		case <-timer.C:
			return answer{}, false, false, false
		case <-look.C:
			if slotWaiters() < n {
				looks = 0
				continue
			}
			if looks == 0 {
				since = time.Now()
			}
			if looks++; looks >= waitLooks && time.Since(since) >= waitFor {
				return answer{}, false, true, true
			}
		}
	}
}

// returnedOrWaiting waits up to limit for the handler of request id to return, and
// gives up early, with waiting=true, if a request waits for a slot for good meanwhile
// (see waitLooks).
func returnedOrWaiting(tr *tracker, id string) (returned, waiting bool) {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	look := time.NewTicker(time.Millisecond)
	defer look.Stop()
	looks, since := 0, time.Time{}
	for {
		select {
		case got := <-tr.returned:
			if got == id {
				return true, false
			}
		case <-timer.C:
			return false, false
		case <-look.C:
			if slotWaiters() == 0 {
				looks = 0
				continue
			}
			if looks == 0 {
				since = time.Now()
			}
			if looks++; looks >= waitLooks && time.Since(since) >= waitFor {
				return false, true
			}
		}
	}
}

// awaitAnyID waits up to wait for one of ids on ch, skipping others, and returns it.
func awaitAnyID(ch chan string, wait time.Duration, ids ...string) (string, bool) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case got := <-ch:
			if slices.Contains(ids, got) {
				return got, true
			}
		case <-timer.C:
			return "", false
		}
	}
}

func TestBoundActive(t *testing.T) {
	const active = 2
	g := newGate(t)
	url := serve(t, newTracker(Bound(gated(g), active, 0)))
	cl := newClients(t)
	what := fmt.Sprintf("Bound(next, %d, 0)", active)

	for i := range active {
		cl.get(url, fmt.Sprintf("a%d", i))
	}
	if got := g.await(active, patience); got < active {
		t.Fatalf("%s with %d requests: %d of them ran next after %v, want %d: while a slot is free, "+
			"a request must run at once", what, active, got, patience, active)
	}

	// Both slots are taken: one more request is refused at once, and never runs next.
	cl.get(url, "extra")
	a, entered, waiting, ok := firstOrWaiting(g, cl, 1)
	switch {
	case waiting:
		t.Fatalf("%s with %d requests running and none allowed to wait: one more request waits for "+
			"a slot (it is parked in Bound), want it refused with 503 at once: with queue 0, a "+
			"request that finds every slot taken must not wait. Take a slot in a select with a "+
			"default case, and refuse in the default case", what, active)
	case !ok:
		t.Fatalf("%s with %d requests running and none allowed to wait: one more request got no "+
			"answer within %v, want 503 at once: with queue 0, a request that finds every slot "+
			"taken must not wait", what, active, limit)
	case entered:
		t.Fatalf("%s: a request ran next while %d were running already, want it refused with 503: "+
			"Bound must count the requests in next (a buffered channel of %d slots is a semaphore) "+
			"and refuse the ones beyond", what, active, active)
	}
	if msg := checkRefused(a); msg != "" {
		t.Errorf("%s with %d requests running: one more request: %s", what, active, msg)
	}
	if peak, _ := g.stats(); peak > active {
		t.Errorf("%s: %d requests ran next at once, want at most %d", what, peak, active)
	}

	// One request ends; its slot is free again for the next request.
	g.let(1)
	a, ok = cl.next(limit)
	if !ok || a.err != nil || a.status != 200 {
		t.Fatalf("%s: a running request let through: got %v (answered: %v), want 200 \"done\"", what, a, ok)
	}
	cl.get(url, "later")
	a, entered, ok = firstOf(g, cl)
	if !ok || !entered {
		t.Errorf("%s with 1 request running, after another ended: one more request got %v, want it "+
			"to run next: the slot of a request that ends must be given back (defer the release)", what, a)
	}
	g.release()
	if answers, ok := cl.all(4); !ok {
		t.Errorf("%s: the gate opened, but only these answers came within %v:\n%v", what, limit, answers)
	}
}

func TestBoundQueue(t *testing.T) {
	const active, queue = 2, 2
	g := newGate(t)
	tr := newTracker(Bound(gated(g), active, queue))
	url := serve(t, tr)
	cl := newClients(t)
	what := fmt.Sprintf("Bound(next, %d, %d)", active, queue)

	for i := range active {
		cl.get(url, fmt.Sprintf("a%d", i))
	}
	if got := g.await(active, patience); got < active {
		t.Fatalf("%s with %d requests: %d of them ran next after %v, want %d: while a slot is free, "+
			"a request must run at once", what, active, got, patience, active)
	}

	// Three more: two wait in the queue, one is refused at once.
	for i := range queue + 1 {
		cl.get(url, fmt.Sprintf("q%d", i))
	}
	a, entered, waiting, ok := firstOrWaiting(g, cl, queue+1)
	switch {
	case waiting:
		t.Fatalf("%s with %d requests running, then %d more: all %d wait for a slot, want one of "+
			"them refused with 503 at once: the queue holds %d, and a request that finds it full "+
			"must not wait. Count the waiting requests (under a mutex) and refuse when the count "+
			"has reached queue", what, active, queue+1, queue+1, queue)
	case !ok:
		t.Fatalf("%s with %d requests running, then %d more: none of the %d got an answer within %v, "+
			"want one refused with 503 at once: the queue holds %d, and a request that finds it full "+
			"must not wait", what, active, queue+1, queue+1, limit, queue)
	case entered:
		t.Fatalf("%s: a request ran next while %d were running already, want it to wait in the "+
			"queue: Bound must count the requests in next and hold back the ones beyond", what, active)
	}
	if msg := checkRefused(a); msg != "" {
		t.Errorf("%s with %d running and %d more: the first answer: %s", what, active, queue+1, msg)
	}
	// Before a slot frees up, all three must have come in and been dealt with: queued
	// (parked) or refused (returned).
	if missing := awaitIDs(tr.arrived, patience, "q0", "q1", "q2"); len(missing) > 0 {
		t.Fatalf("%s: requests %v did not reach the handler within %v", what, missing, patience)
	}
	awaitParked("(*tracker).ServeHTTP", patience)

	// One running request ends: a queued one takes its slot, none is refused.
	g.let(1)
	if _, ok := awaitAnyID(tr.returned, limit, "a0", "a1"); !ok {
		t.Fatalf("%s: a running request was let through, and its handler did not return within %v",
			what, limit)
	}
	for range 2 {
		a, entered, waiting, ok = firstOrWaiting(g, cl, queue)
		if waiting {
			t.Fatalf("%s: a running request ended, but the %d queued requests still wait for a slot: "+
				"the slot of a request that ends must be given back (defer the release), and a "+
				"queued request must take it", what, queue)
		}
		if !ok {
			t.Fatalf("%s: a running request was let through, and within %v neither did it answer nor "+
				"did a queued request start", what, limit)
		}
		if entered {
			break
		}
		if a.status != 200 {
			t.Fatalf("%s with %d running and %d more: a second request was refused (%v), want it "+
				"to wait for a slot: up to %d requests may wait in the queue", what, active, queue+1, a, queue)
		}
	}
	if !entered {
		t.Fatalf("%s: a running request ended, but no queued request took its slot: a request "+
			"waiting in the queue must start when a slot frees up", what)
	}
	g.release()
	answers, ok := cl.all(active + queue + 1)
	if !ok {
		t.Fatalf("%s: the gate opened, but only these answers came within %v:\n%v", what, limit, answers)
	}
	var ok200, refused int
	for _, a := range answers {
		switch {
		case a.err == nil && a.status == 200:
			ok200++
		case a.err == nil && a.status == 503:
			refused++
		default:
			t.Errorf("%s: %v, want 200 or 503", what, a)
		}
	}
	peak, calls := g.stats()
	if ok200 != active+queue || refused != 1 || calls != active+queue || peak > active {
		t.Errorf("%s, %d requests at once: %d answered 200, %d refused with 503, %d ran next, at "+
			"most %d at once; want %d, 1, %d, at most %d: %d run, %d wait, the rest are refused",
			what, active+queue+1, ok200, refused, calls, peak, active+queue, active+queue, active,
			active, queue)
	}
}

func TestBoundClientGone(t *testing.T) {
	g := newGate(t)
	tr := newTracker(Bound(gated(g), 1, 1))
	url := serve(t, tr)
	cl := newClients(t)
	const what = "Bound(next, 1, 1)"

	cl.get(url, "running")
	if g.await(1, patience) < 1 {
		t.Fatalf("%s with one request: it did not run next within %v", what, patience)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cl.getCtx(ctx, url, "gone")
	if !awaitID(tr.arrived, "gone", patience) {
		t.Fatalf("%s: a second request did not reach the handler within %v", what, patience)
	}
	cancel() // the client gives up and closes its connection
	if !awaitID(tr.cancelled, "gone", patience) {
		t.Fatalf("%s: the second request's client went away, and the server did not cancel the "+
			"request's context within %v", what, patience)
	}
	// Its context is done: a handler that waits in a select on it is awake now.
	if returned, waiting := returnedOrWaiting(tr, "gone"); !returned {
		why := fmt.Sprintf("%v later its handler has not returned", limit)
		if waiting {
			why = "its handler still waits for a slot"
		}
		t.Fatalf("%s with one request running and a second one queued: the second one's client "+
			"went away and its context is done, but %s, want it to return: wait for the slot in a "+
			"select that also receives from r.Context().Done()", what, why)
	}

	// The queue is empty again: a new request waits there, and runs when the slot frees.
	cl.get(url, "after")
	if !awaitID(tr.arrived, "after", patience) {
		t.Fatalf("%s: a third request did not reach the handler within %v", what, patience)
	}
	g.let(1)
	if !awaitID(tr.returned, "running", limit) {
		t.Fatalf("%s: the running request was let through, and its handler did not return within %v",
			what, limit)
	}
	a, entered, waiting, ok := firstOrWaiting(g, cl, 1)
	for ok && !entered && !waiting && a.id != "after" { // the answers of "running" and "gone"
		a, entered, waiting, ok = firstOrWaiting(g, cl, 1)
	}
	if waiting {
		t.Fatalf("%s: after a queued request's client went away and the running one ended, the "+
			"next request still waits for the slot, want it to run: the slot of a request that "+
			"ends must be given back (defer the release), and a waiter that gives up must leave "+
			"the queue (count it out)", what)
	}
	if !ok || !entered {
		t.Errorf("%s: after a queued request's client went away and the running one ended, the next "+
			"request got %v, want it to wait in the queue and then run: a waiter that gives up must "+
			"leave the queue (count it out)", what, a)
	}
	g.release()
	cl.all(3)
	peak, calls := g.stats()
	if calls != 2 {
		t.Errorf("%s: %d requests ran next, want 2 (peak %d): the request whose client went away "+
			"while it waited must not run next at all", what, calls, peak)
	}
	g.await(calls, 0)
	for _, key := range g.seen {
		if key == "gone" {
			t.Errorf("%s: the request whose client went away while it waited ran next anyway, want it "+
				"to return without: nobody reads its answer", what)
		}
	}
}
