package iobound

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// The tests of the each exercise, FetchEach in each.go.

// checkResults fails t unless got holds one Result per name, in order, with the bytes of
// each document, except the documents in failed, whose Result must hold an error that
// wraps the error failed maps them to (context.DeadlineExceeded for a fetch that must
// time out). why says why those fetches must fail and the others must not.
func checkResults(t *testing.T, what string, c corpus, got []Result, failed map[string]error, why string) {
	t.Helper()
	if len(got) != len(c.names) {
		t.Errorf("%s returned %d results, want %d, one per name in the order of names", what, len(got), len(c.names))
		return
	}
	bad := 0
	for i, name := range c.names {
		r := got[i]
		var msg string
		switch {
		case r.Name != name:
			msg = fmt.Sprintf("result %d is for %q, want %q: the results must be in the order of names, "+
				"not in the order the fetches finished", i, r.Name, name)
		case failed[name] != nil && !errors.Is(r.Err, failed[name]):
			msg = fmt.Sprintf("the result for %s has error %v and %d bytes, want an error wrapping "+
				"%s. %s", name, r.Err, len(r.Body), errName(failed[name]), why)
		case failed[name] == nil && r.Err != nil:
			msg = fmt.Sprintf("the result for %s has error %v, want its %d bytes: its fetch takes "+
				"%v, well within its timeout and the caller's deadline", name, r.Err, len(c.docs[name]), latency)
			if why != "" {
				msg += ". " + why
			}
		case failed[name] == nil && docOf(c, r.Body) != name:
			msg = fmt.Sprintf("the result for %s holds %d bytes, want the %d bytes of %s", name,
				len(r.Body), len(c.docs[name]), name)
		default:
			continue
		}
		if bad++; bad > 3 {
			t.Errorf("%s: and more results differ", what)
			return
		}
		t.Errorf("%s: %s", what, msg)
	}
}

// errName names err as a learner would look for it.
func errName(err error) string {
	if err == context.DeadlineExceeded {
		return "context.DeadlineExceeded"
	}
	return fmt.Sprintf("%q", err)
}

// TestEachConcurrent checks, in fake time, that all twenty fetches are in flight at once:
// the call takes one fetch's latency, not twenty.
func TestEachConcurrent(t *testing.T) {
	c := loadCorpus(t)
	t.Run("20docs", func(t *testing.T) {
		what := fmt.Sprintf("FetchEach(20 docs, latency %v, timeout 1h)", latency)
		bubble(t, what, func(t *testing.T) {
			f := newFake(c, latency)
			var got []Result
			o, ok := invoke(t, what, f, func() { got = FetchEach(t.Context(), f.Fetch, c.names, time.Hour) })
			if !ok {
				return
			}
			checkResults(t, what, c, got, nil, "")
			checkConcurrent(t, what, f, o, len(c.names))
		})
	})
	t.Run("nodocs", func(t *testing.T) {
		what := "FetchEach(no documents)"
		bubble(t, what, func(t *testing.T) {
			f := newFake(c, latency)
			got := FetchEach(t.Context(), f.Fetch, nil, time.Hour)
			if len(got) != 0 {
				t.Errorf("%s = %v, want no results", what, got)
			}
		})
	})
}

// TestEachTimeout gives every fetch 300ms; one document's server hangs for a minute. Its
// fetch must time out after 300ms while the others deliver their documents.
func TestEachTimeout(t *testing.T) {
	c := loadCorpus(t)
	const timeout, hung = 300 * time.Millisecond, "rfc1007.txt"
	what := fmt.Sprintf("FetchEach(20 docs, latency %v but %s hangs for %v, timeout %v)", latency, hung, slow, timeout)
	bubble(t, what, func(t *testing.T) {
		f := newFake(c, latency)
		f.latencies = map[string]time.Duration{hung: slow}
		var got []Result
		o, ok := invoke(t, what, f, func() { got = FetchEach(t.Context(), f.Fetch, c.names, timeout) })
		if !ok {
			return
		}
		checkResults(t, what, c, got, map[string]error{hung: context.DeadlineExceeded},
			fmt.Sprintf("Each fetch gets %v of its own (context.WithTimeout around each call of fetch), "+
				"and the hung one must give up when they are up", timeout))
		if o.elapsed > timeout+windDown {
			t.Errorf("%s took %v of fake time, want at most %v: the hung fetch should time out after %v, "+
				"and the others, started at the same time, are done by then. Give each fetch a "+
				"context.WithTimeout(ctx, timeout), and start them all at once.",
				what, o.elapsed, timeout+windDown, timeout)
		}
		if o.inFlight > 0 {
			t.Errorf("%s returned while %d fetches were still running: a timed-out fetch was abandoned, "+
				"not cancelled. Give up on a fetch by cancelling its context, then wait for it to "+
				"return.", what, o.inFlight)
		}
	})
}

// TestEachDeadline calls FetchEach with a context whose deadline comes after 250ms: the
// deadline of the whole call. Two documents take a minute; the others take 100ms and must
// all arrive before the deadline.
func TestEachDeadline(t *testing.T) {
	c := loadCorpus(t)
	const deadline = 250 * time.Millisecond
	hung := map[string]error{"rfc1003.txt": context.DeadlineExceeded, "rfc1011.txt": context.DeadlineExceeded}
	what := fmt.Sprintf("FetchEach(20 docs, latency %v but rfc1003.txt and rfc1011.txt take %v, timeout 1h) "+
		"with a context that expires after %v", latency, slow, deadline)
	bubble(t, what, func(t *testing.T) {
		f := newFake(c, latency)
		f.latencies = map[string]time.Duration{}
		for name := range hung {
			f.latencies[name] = slow
		}
		ctx, cancel := context.WithTimeout(t.Context(), deadline)
		defer cancel()
		var got []Result
		o, ok := invoke(t, what, f, func() { got = FetchEach(ctx, f.Fetch, c.names, time.Hour) })
		if !ok {
			return
		}
		checkResults(t, what, c, got, hung,
			fmt.Sprintf("The caller's deadline (%v) bounds every fetch, and 100ms fetches started at "+
				"once all finish before it; fetches run one after another reach it after two", deadline))
		if o.elapsed > deadline+windDown {
			t.Errorf("%s took %v of fake time, want at most %v: the caller's deadline is the deadline of the "+
				"whole call. Start the fetches at once, and derive each fetch's context from ctx, not "+
				"from context.Background().", what, o.elapsed, deadline+windDown)
		}
		if o.inFlight > 0 {
			t.Errorf("%s returned while %d fetches were still running: wait for every fetch to "+
				"return, even after the deadline", what, o.inFlight)
		}
	})
}

// TestEachFailure makes one document's fetch fail after 10ms, while the other nineteen,
// 100ms each, are still in flight: their results must not change. FetchEach reports every
// document's outcome; it is not all or nothing, and one failure cancels nothing.
func TestEachFailure(t *testing.T) {
	c := loadCorpus(t)
	what := fmt.Sprintf("FetchEach(20 docs, latency %v but %s fails after %v, timeout 1h)", latency, failing, failAfter)
	bubble(t, what, func(t *testing.T) {
		f := newFake(c, latency)
		f.fail = failing
		var got []Result
		o, ok := invoke(t, what, f, func() { got = FetchEach(t.Context(), f.Fetch, c.names, time.Hour) })
		if !ok {
			return
		}
		checkResults(t, what, c, got, map[string]error{failing: errBoom},
			fmt.Sprintf("%s failed after %v while the others were in flight, and one document's failure must "+
				"not touch the others: FetchEach is not all or nothing. Give each fetch a context of its "+
				"own derived from ctx, never one that an error cancels (errgroup.WithContext does that), "+
				"and wait for every fetch, not for the first error", failing, failAfter))
		switch {
		case o.inFlight > 0:
			t.Errorf("%s returned after %v of fake time while %d fetches were still running: wait for every "+
				"fetch to return, not only until one fails", what, o.elapsed, o.inFlight)
		case o.elapsed > latency:
			t.Errorf("%s took %v of fake time, want at most %v: the fetches did not all run at the same "+
				"time. Start every fetch in a goroutine of its own, then wait for them all.", what, o.elapsed, latency)
		}
	})
}
