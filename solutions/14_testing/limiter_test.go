package concurrencytests

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The tests of Limiter. In a synctest bubble the clock is fake: it moves only when every
// goroutine of the bubble is blocked, straight to the next timer, so "Wait returned
// 100ms after the start" is exact, and the 100ms take no real time at all.

// interval is the spacing of NewLimiter(perSecond): 1s / 10.
const (
	perSecond = 10
	interval  = time.Second / perSecond
)

// waitResult is what one call of Wait returned, and when: the fake time since the
// test's start.
type waitResult struct {
	At  time.Duration
	Err error
}

// startWait calls l.Wait(ctx) in a new goroutine and sends its result, stamped with the
// fake time since start, to out, which must have room for it.
func startWait(ctx context.Context, l *Limiter, start time.Time, out chan<- waitResult) {
	go func() {
		err := l.Wait(ctx)
		out <- waitResult{At: time.Since(start), Err: err}
	}()
}

// waitTimes calls l.Wait(ctx) n times back to back and returns when each returned, as
// fake time since start. It fails the test at the first error.
func waitTimes(t *testing.T, ctx context.Context, l *Limiter, start time.Time, n int) []time.Duration {
	t.Helper()
	var at []time.Duration
	for i := range n {
		require.NoError(t, l.Wait(ctx), "Wait call %d of %d on NewLimiter(%d) with a live context", i+1, n, perSecond)
		at = append(at, time.Since(start))
	}
	return at
}

// spaced returns from, from+interval, from+2×interval, …: n starts one interval apart.
func spaced(from time.Duration, n int) []time.Duration {
	var at []time.Duration
	for i := range n {
		at = append(at, from+time.Duration(i)*interval)
	}
	return at
}

func TestLimiterFirstAtOnce(t *testing.T) {
	const what = "Wait() on a new NewLimiter(10), then again after the limiter sat idle 250ms"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		l := NewLimiter(perSecond)
		start := time.Now()
		got := waitTimes(t, t.Context(), l, start, 1)
		time.Sleep(250 * time.Millisecond) // fake time: idle for more than an interval
		got = append(got, waitTimes(t, t.Context(), l, start, 1)...)
		want := []time.Duration{0, 250 * time.Millisecond}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: the fake times at which Wait returned mismatch (-want +got): the first "+
				"call starts immediately, and so does a call made an interval or more after the last "+
				"start; waiting for a first tick makes every caller pay an interval for nothing:\n%s",
				what, diff)
		}
	})
}

func TestLimiterSpacing(t *testing.T) {
	const calls = 5
	const what = "5 Wait() back to back on a NewLimiter(10)"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		l := NewLimiter(perSecond)
		got := waitTimes(t, t.Context(), l, time.Now(), calls)
		if diff := cmp.Diff(spaced(0, calls), got); diff != "" {
			t.Errorf("%s: the fake times at which Wait returned mismatch (-want +got): each start "+
				"comes a full interval (%v) after the previous start, not sooner, and not later:\n%s",
				what, interval, diff)
		}
	})
}

func TestLimiterNoBurst(t *testing.T) {
	const calls = 3
	const what = "Wait() on a NewLimiter(10), 1s idle, then 3 Wait() back to back"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		l := NewLimiter(perSecond)
		start := time.Now()
		waitTimes(t, t.Context(), l, start, 1)
		time.Sleep(time.Second) // fake time: ten intervals without a call
		got := waitTimes(t, t.Context(), l, start, calls)
		if diff := cmp.Diff(spaced(time.Second, calls), got); diff != "" {
			t.Errorf("%s: the fake times at which Wait returned mismatch (-want +got): an idle "+
				"limiter saves up one start, no more; the calls after it are an interval apart "+
				"again. A limiter that saves up its idle time lets a burst through:\n%s", what, diff)
		}
	})
}

func TestLimiterConcurrent(t *testing.T) {
	const callers = 5
	const what = "Wait() from 5 goroutines at the same time on a NewLimiter(10)"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		l := NewLimiter(perSecond)
		start := time.Now()
		results := make(chan waitResult, callers)
		for range callers {
			startWait(t.Context(), l, start, results)
		}
		var got []time.Duration
		for range callers {
			r := <-results
			require.NoError(t, r.Err, "Wait() with a live context")
			got = append(got, r.At)
		}
		slices.Sort(got) // the callers may start in any order
		if diff := cmp.Diff(spaced(0, callers), got); diff != "" {
			t.Errorf("%s: the fake times at which the calls returned, sorted, mismatch (-want "+
				"+got): one starts immediately, the others one interval after another. Calls that "+
				"start together read the limiter's state before any of them wrote it: guard it "+
				"(a mutex, or one turn at a time):\n%s", what, diff)
		}
	})
}

func TestLimiterCancel(t *testing.T) {
	const what = "Wait() on a NewLimiter(10), a second Wait() whose context is cancelled 50ms later"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		l := NewLimiter(perSecond)
		start := time.Now()
		waitTimes(t, t.Context(), l, start, 1)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		results := make(chan waitResult, 1)
		startWait(ctx, l, start, results)
		time.Sleep(interval / 2) // fake time: the second Wait waits for its start at 100ms
		if early := ready(results); len(early) > 0 {
			t.Fatalf("%s: the second Wait() returned %+v at 50ms, before its start at 100ms, want it to wait", what, early[0])
		}

		cancel()
		synctest.Wait() // no fake time passes: only a Wait that watches ctx can return now
		got := ready(results)
		if len(got) == 0 {
			t.Errorf("%s: Wait() still waits after its context was cancelled, want it to return "+
				"context.Canceled immediately: a Wait must select on ctx.Done() while it waits, not "+
				"sleep through it", what)
			<-results // it ends when its start comes
			return
		}
		if got[0].At != interval/2 || !errors.Is(got[0].Err, context.Canceled) {
			t.Errorf("%s: Wait() = %v at %v, want context.Canceled at %v", what, got[0].Err, got[0].At, interval/2)
		}
	})
}

func TestLimiterCancelFreesTurn(t *testing.T) {
	const what = "Wait() on a NewLimiter(10); at 0 a second Wait(), cancelled at 50ms; at 50ms a third Wait()"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		l := NewLimiter(perSecond)
		start := time.Now()
		waitTimes(t, t.Context(), l, start, 1)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		results := make(chan waitResult, 1)
		startWait(ctx, l, start, results)
		time.Sleep(interval / 2)
		cancel()
		r := <-results
		require.ErrorIs(t, r.Err, context.Canceled, "the second Wait(), whose context was cancelled at 50ms")

		got := waitTimes(t, t.Context(), l, start, 1)
		if diff := cmp.Diff([]time.Duration{interval}, got); diff != "" {
			t.Errorf("%s: the fake time at which the third Wait() returned mismatch (-want +got): "+
				"the cancelled call never started, so the third starts one interval after the "+
				"first; a cancelled Wait must give its turn back, not keep it reserved:\n%s", what, diff)
		}
	})
}
