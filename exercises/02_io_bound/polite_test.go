package iobound

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// The tests of the polite exercise, FetchPolite in polite.go.

// busiest returns the most starts that fall in one window [s, s+window).
func busiest(starts []time.Duration, window time.Duration) int {
	most := 0
	for i := range starts {
		j := i
		for j < len(starts) && starts[j]-starts[i] < window {
			j++
		}
		most = max(most, j-i)
	}
	return most
}

// startsOf returns the start times of calls, sorted.
func startsOf(calls []call) []time.Duration {
	var starts []time.Duration
	for _, cl := range calls {
		starts = append(starts, cl.start)
	}
	slices.Sort(starts)
	return starts
}

// TestPoliteRate checks, in fake time, that FetchPolite starts its fetches at least
// 1/perSecond apart, so that no one-second window holds more than perSecond starts.
func TestPoliteRate(t *testing.T) {
	c := loadCorpus(t)
	for _, perSecond := range []int{2, 8} {
		t.Run(fmt.Sprintf("perSecond=%d", perSecond), func(t *testing.T) {
			gap := time.Second / time.Duration(perSecond)
			what := fmt.Sprintf("FetchPolite(20 docs, latency %v, perSecond=%d)", latency, perSecond)
			bubble(t, what, func(t *testing.T) {
				f := newFake(c, latency)
				var (
					got [][]byte
					err error
				)
				_, ok := invoke(t, what, f, func() { got, err = FetchPolite(t.Context(), f.Fetch, c.names, perSecond) })
				if !ok {
					return
				}
				requireNoError(t, what, err)
				checkBodies(t, what, c, c.names, got)
				_, _, calls := f.stats()
				starts := startsOf(calls)
				for i := 1; i < len(starts); i++ {
					if d := starts[i] - starts[i-1]; d < gap {
						t.Errorf("%s started two fetches %v apart (at %v and %v), want at least %v: %d fetches "+
							"started within one second, want at most %d. A token bucket with a burst of b lets b "+
							"go at once: the burst must be 1 (rate.NewLimiter(rate.Limit(perSecond), 1)), or "+
							"wait for a tick of a time.Ticker of period time.Second/perSecond before every "+
							"start but the first.", what, d, starts[i-1], starts[i], gap,
							busiest(starts, time.Second), perSecond)
						break
					}
				}
			})
		})
	}
}

// TestPoliteConcurrent checks, in fake time, that FetchPolite does not wait for a fetch
// to return before it starts the next: with fetches of 300ms at 8 a second, three are in
// flight at once, and the call takes about 20/8 s plus one fetch, not 20 × 300ms.
func TestPoliteConcurrent(t *testing.T) {
	c := loadCorpus(t)
	const perSecond, slowish = 8, 300 * time.Millisecond
	gap := time.Second / perSecond
	what := fmt.Sprintf("FetchPolite(20 docs, latency %v, perSecond=%d)", slowish, perSecond)
	bubble(t, what, func(t *testing.T) {
		f := newFake(c, slowish)
		var (
			got [][]byte
			err error
		)
		o, ok := invoke(t, what, f, func() { got, err = FetchPolite(t.Context(), f.Fetch, c.names, perSecond) })
		if !ok {
			return
		}
		requireNoError(t, what, err)
		checkBodies(t, what, c, c.names, got)
		_, peak, _ := f.stats()
		// The twentieth start comes 19 gaps after the first, or 20 if the first waited for a
		// tick too; then it takes one fetch.
		want := time.Duration(len(c.names))*gap + slowish
		if peak < 2 || o.elapsed > want {
			t.Errorf("%s took %v of fake time with at most %d fetches in flight, want at most %v: a "+
				"polite client spaces the starts of its requests, not the requests themselves. Start "+
				"each fetch in a goroutine of its own and go on waiting for the next tick at once.",
				what, o.elapsed, peak, want)
		}
	})
}

// TestPoliteDeadline calls FetchPolite (8 a second, 20 docs, which takes 2.5s) with a
// context that expires after about a second. FetchPolite must stop starting fetches at
// the deadline, return an error, and leave nothing running: once while a fetch is in
// flight at the deadline, once while it is waiting for the next start.
func TestPoliteDeadline(t *testing.T) {
	c := loadCorpus(t)
	const perSecond = 8
	for _, tc := range []struct {
		name     string
		latency  time.Duration
		deadline time.Duration
	}{
		{name: "in_flight", latency: 100 * time.Millisecond, deadline: 1050 * time.Millisecond},
		{name: "between", latency: 50 * time.Millisecond, deadline: 1100 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			what := fmt.Sprintf("FetchPolite(20 docs, latency %v, perSecond=%d) with a context that expires "+
				"after %v", tc.latency, perSecond, tc.deadline)
			bubble(t, what, func(t *testing.T) {
				f := newFake(c, tc.latency)
				ctx, cancel := context.WithTimeout(t.Context(), tc.deadline)
				defer cancel()
				var (
					got [][]byte
					err error
				)
				o, ok := invoke(t, what, f, func() { got, err = FetchPolite(ctx, f.Fetch, c.names, perSecond) })
				if !ok {
					return
				}
				calls := o.calls
				if len(calls) == 0 {
					t.Errorf("%s returned (%d bodies, %v) without calling fetch", what, len(got), err)
					return
				}
				if err == nil {
					t.Errorf("%s returned %d bodies and no error, want an error: the deadline passed before "+
						"every document was fetched. When the context ends between two starts, no fetch "+
						"fails, so return ctx.Err() yourself.", what, len(got))
				}
				if err != nil && got != nil {
					t.Errorf("%s returned %d bodies with its error, want nil: it is all or nothing", what, len(got))
				}
				if o.elapsed > tc.deadline+windDown {
					// Why it took longer: fetches that ran on past the deadline, fetches started
					// after it, or neither (it waited for a tick before looking at ctx).
					var ranOn, late int
					for _, cl := range calls {
						switch {
						case !cl.live:
							late++
						case !cl.cancelled && cl.start+tc.latency > tc.deadline:
							ranOn++
						}
					}
					var why string
					switch {
					case ranOn > 0:
						why = fmt.Sprintf("%d fetches in flight at the deadline ran to the end instead of seeing "+
							"their context end. Pass every fetch ctx (or a context derived from it), never "+
							"context.Background().", ranOn)
					case late > 0:
						why = fmt.Sprintf("it went on waiting for ticks after the context ended, and started %d "+
							"fetches whose context had already ended. Wait for the next tick in a select that "+
							"also receives from ctx.Done(), or use the limiter's Wait(ctx).", late)
					default:
						why = "it started no fetch after the deadline, but it went on waiting for the next tick " +
							"before it noticed that the context had ended. Wait for the tick in a select that " +
							"also receives from ctx.Done(), or use the limiter's Wait(ctx), which returns " +
							"as soon as ctx ends."
					}
					t.Errorf("%s took %v of fake time, want at most %v: %s", what, o.elapsed,
						tc.deadline+windDown, why)
				}
				if o.inFlight > 0 {
					t.Errorf("%s returned while %d fetches were still running: wait for every fetch you "+
						"started, even after the deadline", what, o.inFlight)
				}
			})
		})
	}
}

// TestPoliteFetchError makes the second document fail while the others would take a
// minute: FetchPolite (8 a second) must return that error at once, the other fetches
// seeing their context cancelled, and nothing left running.
func TestPoliteFetchError(t *testing.T) {
	testFirstError(t, "FetchPolite(perSecond=8)", func(ctx context.Context, fetch Fetcher, names []string) ([][]byte, error) {
		return FetchPolite(ctx, fetch, names, 8)
	})
}
