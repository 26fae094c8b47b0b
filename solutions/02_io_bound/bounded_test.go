package iobound

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// The tests of the bounded exercise, FetchBounded in bounded.go.

// TestBoundedLimit checks, in fake time, that FetchBounded keeps exactly min(n, 20)
// fetches in flight while documents remain: never more (that is the bound), and never
// fewer (a slot is reused as soon as a fetch returns), so the call takes
// ceil(20/n) fetch latencies.
func TestBoundedLimit(t *testing.T) {
	c := loadCorpus(t)
	for _, n := range []int{1, 4, 7, 20, 50} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			docs := len(c.names)
			what := fmt.Sprintf("FetchBounded(20 docs, latency %v, n=%d)", latency, n)
			bubble(t, what, func(t *testing.T) {
				f := newFake(c, latency)
				var (
					got [][]byte
					err error
				)
				o, ok := invoke(t, what, f, func() { got, err = FetchBounded(t.Context(), f.Fetch, c.names, n) })
				if !ok {
					return
				}
				requireNoError(t, what, err)
				checkBodies(t, what, c, c.names, got)
				_, peak, _ := f.stats()
				wantPeak := min(n, docs)
				rounds := (docs + n - 1) / n
				want := time.Duration(rounds) * latency
				switch {
				case peak == 0:
					t.Errorf("%s took %v of fake time, want %v: it never called fetch", what, o.elapsed, want)
				case peak > n:
					t.Errorf("%s had %d fetches in flight at once, want at most %d: the fan-out is not "+
						"bounded. Take one of n slots (a send on a buffered channel of capacity n) before "+
						"each fetch starts, and give it back when the fetch returns.", what, peak, n)
				case peak < wantPeak:
					t.Errorf("%s had at most %d fetches in flight at once, want %d: the fetches waited for "+
						"each other more than the bound asks (it took %v of fake time, want %v)",
						what, peak, wantPeak, o.elapsed, want)
				case o.elapsed != want:
					t.Errorf("%s took %v of fake time, want %v (%d rounds of %v): a slot must be reused as "+
						"soon as a fetch returns", what, o.elapsed, want, rounds, latency)
				}
			})
		})
	}
}

// TestBoundedReusesSlots gives the documents uneven latencies (100, 200 and 300ms, in
// turn) and checks, from the fetches' start and end instants in fake time, that
// FetchBounded (n=4) never has fewer than n in flight while documents are left to start:
// the next fetch starts the instant any one returns, not when a whole batch of n is done.
func TestBoundedReusesSlots(t *testing.T) {
	c := loadCorpus(t)
	const n = 4
	what := fmt.Sprintf("FetchBounded(20 docs of latency 100, 200 and 300ms in turn, n=%d)", n)
	bubble(t, what, func(t *testing.T) {
		f := newFake(c, latency)
		f.latencies = map[string]time.Duration{}
		for i, name := range c.names {
			f.latencies[name] = time.Duration(1+i%3) * latency
		}
		var (
			got [][]byte
			err error
		)
		if _, ok := invoke(t, what, f, func() { got, err = FetchBounded(t.Context(), f.Fetch, c.names, n) }); !ok {
			return
		}
		requireNoError(t, what, err)
		checkBodies(t, what, c, c.names, got)
		_, _, calls := f.stats()
		if len(calls) == 0 {
			t.Errorf("%s never called fetch", what)
			return
		}
		for _, now := range calls {
			// Every instant a fetch returned: how many run from then on, how many wait.
			end := now.start + f.latencies[now.name]
			active, waiting := 0, 0
			for _, c := range calls {
				switch {
				case c.start > end:
					waiting++
				case end < c.start+f.latencies[c.name]:
					active++
				}
			}
			if active < n && waiting > 0 {
				t.Errorf("%s: from %v on, %d fetches were in flight while %d had not started, want %d in "+
					"flight: a slot stayed empty. Fetches started in batches of %d, each batch waiting "+
					"for its slowest fetch, leave the others' slots idle; start the next fetch the "+
					"moment any one returns (a semaphore of n slots, or errgroup.SetLimit(n))",
					what, end, active, waiting, n, n)
				return
			}
		}
	})
}

// TestBoundedFetchError makes one fetch fail while the others would take a minute:
// FetchBounded (n=4) must return that error at once, the other fetches seeing their
// context cancelled, and nothing left running.
func TestBoundedFetchError(t *testing.T) {
	testFirstError(t, "FetchBounded(n=4)", func(ctx context.Context, fetch Fetcher, names []string) ([][]byte, error) {
		return FetchBounded(ctx, fetch, names, 4)
	})
}
