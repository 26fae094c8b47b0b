package coordination

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// startWaits calls e.Wait(ctx) in n new goroutines; each sends what its Wait returned to
// out, which must have room for n.
func startWaits(ctx context.Context, e *Event, n int, out chan<- error) {
	for range n {
		go func() { out <- e.Wait(ctx) }()
	}
}

// checkWoken checks that all n waiters returned nil, and says why if not.
func checkWoken(t *testing.T, what string, got []error, n int, why string) bool {
	t.Helper()
	if len(got) < n {
		t.Errorf("%s: %d of the %d waiters still wait, want none: %s", what, n-len(got), n, why)
		return false
	}
	for _, err := range got {
		if err != nil {
			t.Errorf("%s: Wait(context.Background()) = %v, want nil", what, err)
			return false
		}
	}
	return true
}

func TestEventWait(t *testing.T) {
	const what = "three Wait(context.Background()) on a NewEvent(), then Set()"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		e := NewEvent()
		if e.IsSet() {
			t.Errorf("NewEvent().IsSet() = true, want false: a new event is not set")
		}
		woken := make(chan error, 4)
		startWaits(context.Background(), e, 3, woken)
		synctest.Wait()
		if early := ready(woken); len(early) > 0 {
			t.Errorf("%s: %d Wait() returned (%v) before Set(), want them to wait until the event is set",
				what, len(early), early)
			return
		}
		e.Set()
		if !e.IsSet() {
			t.Errorf("%s: IsSet() = false after Set(), want true", what)
		}
		synctest.Wait()
		if !checkWoken(t, what, ready(woken), 3, "Set must wake every waiter, not one: close the "+
			"channel they receive from, which wakes them all") {
			e.Set()
			return
		}

		startWaits(context.Background(), e, 1, woken)
		synctest.Wait()
		checkWoken(t, "Set(), then Wait()", ready(woken), 1, "a Wait on an event that is set returns at once")

		if p := recovered(e.Set); p != nil {
			t.Errorf("a second Set() panicked: %v, want it to do nothing: close a channel once, and "+
				"remember that you did", p)
		}
		if !e.IsSet() {
			t.Errorf("Set(), Set(): IsSet() = false, want true")
		}
	})
}

func TestEventClear(t *testing.T) {
	const what = "Set(), Clear(), then Wait(context.Background()) on a NewEvent()"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		e := NewEvent()
		if p := recovered(e.Clear); p != nil {
			t.Fatalf("Clear() on a NewEvent() panicked: %v, want it to do nothing", p)
		}
		e.Set()
		if p := recovered(e.Clear); p != nil {
			t.Fatalf("Set(), Clear() panicked: %v", p)
		}
		if e.IsSet() {
			t.Errorf("Set(), Clear(): IsSet() = true, want false")
		}
		if p := recovered(e.Clear); p != nil {
			t.Fatalf("Set(), Clear(), Clear() panicked: %v, want the second Clear to do nothing", p)
		}
		woken := make(chan error, 2)
		startWaits(context.Background(), e, 2, woken)
		synctest.Wait()
		if early := ready(woken); len(early) > 0 {
			t.Errorf("%s: %d Wait() returned (%v), want them to wait for the next Set(): Clear must "+
				"give the event a channel that is not closed yet", what, len(early), early)
			return
		}
		e.Set()
		synctest.Wait()
		if !checkWoken(t, what+", then Set()", ready(woken), 2, "the Set after a Clear must wake "+
			"the waiters that came after the Clear") {
			return
		}
		if !e.IsSet() {
			t.Errorf("Set(), Clear(), Set(): IsSet() = false, want true")
		}
	})
}

func TestEventNoMissedWakeup(t *testing.T) {
	oneProc(t)
	const rounds = 5
	t.Run("set_then_clear", func(t *testing.T) {
		const what = "three Wait() parked on a NewEvent(), then Set() and Clear() at once"
		guard.Bubble(t, limit, what, func(t *testing.T) {
			e := NewEvent()
			woken := make(chan error, 3)
			for range rounds {
				startWaits(context.Background(), e, 3, woken)
				synctest.Wait() // the waiters are parked
				if early := ready(woken); len(early) > 0 {
					t.Fatalf("%s: %d Wait() returned (%v) before Set(), want them to wait until "+
						"the event is set", what, len(early), early)
				}
				e.Set()
				e.Clear() // before any woken waiter runs: there is one P and the test holds it
				synctest.Wait()
				if !checkWoken(t, what, ready(woken), 3, "a waiter parked before Set must return "+
					"even if Clear follows at once (Python's Event.wait returns True then). A woken "+
					"waiter that checks the flag again finds it cleared and waits on: the event is "+
					"missed. Return as soon as the channel you waited on is closed") {
					e.Set() // frees the waiters that missed the event, so that they end
					return
				}
			}
		})
	})
	t.Run("clear_then_set", func(t *testing.T) {
		const what = "three Wait() parked on a NewEvent(), then Clear() and Set()"
		guard.Bubble(t, limit, what, func(t *testing.T) {
			e := NewEvent()
			woken := make(chan error, 3)
			for range rounds {
				startWaits(context.Background(), e, 3, woken)
				synctest.Wait() // the waiters are parked on the unset event
				if early := ready(woken); len(early) > 0 {
					t.Fatalf("%s: %d Wait() returned (%v) before Set(), want them to wait until "+
						"the event is set", what, len(early), early)
				}
				e.Clear()
				e.Set()
				synctest.Wait()
				if !checkWoken(t, what, ready(woken), 3, "Clear on an event that is not set must "+
					"keep the channel the waiters are parked on; a new channel, closed by the next "+
					"Set, leaves them waiting on the old one for ever") {
					return
				}
				e.Clear()
			}
		})
	})
}

func TestEventWaitContext(t *testing.T) {
	const timeout = 50 * time.Millisecond
	what := fmt.Sprintf("Wait(ctx with a %v timeout) on a NewEvent() never set", timeout)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		e := NewEvent()
		type result struct {
			err  error
			took time.Duration
		}
		results := make(chan result, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			start := time.Now()
			err := e.Wait(ctx)
			results <- result{err, time.Since(start)}
		}()
		time.Sleep(timeout)
		synctest.Wait()
		got := ready(results)
		if len(got) == 0 {
			t.Errorf("%s is still waiting after the %v deadline, want context.DeadlineExceeded then: "+
				"this is Python's wait(timeout=); wait on ctx.Done() as well as on the event (a select "+
				"with both)", what, timeout)
			e.Set() // lets the stuck Wait end
			<-results
			return
		}
		if !errors.Is(got[0].err, context.DeadlineExceeded) || got[0].took != timeout {
			t.Errorf("%s = %v after %v of fake time, want context.DeadlineExceeded after %v: Wait "+
				"waits until the event is set or ctx is done, whichever comes first",
				what, got[0].err, got[0].took, timeout)
		}
		if e.IsSet() {
			t.Errorf("%s: IsSet() = true after the Wait timed out, want false: Wait does not set the event", what)
		}
	})
}

// TestEventWaitSetDone calls Wait with a context that is already done: once on an event
// that is not set, which must return ctx.Err(), and then 1,000 times on an event that is
// set, which must return nil every time. The doc comment promises nil once the event is
// set, whatever ctx says. A Wait that selects on the event's channel and ctx.Done()
// together gets nil or ctx.Err() at random when both are ready: a select picks at random
// among ready cases. Look at the event first.
func TestEventWaitSetDone(t *testing.T) {
	const calls = 1000
	const what = "Wait(ctx already cancelled)"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		e := NewEvent()
		if err := e.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("%s on a NewEvent() = %v, want context.Canceled: the event is not set and ctx is done", what, err)
		}
		e.Set()
		failed := 0
		var first error
		for range calls {
			if err := e.Wait(ctx); err != nil {
				if failed == 0 {
					first = err
				}
				failed++
			}
		}
		if failed > 0 {
			t.Errorf("%s on an event that is set returned an error in %d of %d calls (the first: %v), "+
				"want nil every time: the event is set, and Wait returns nil once it is, whatever ctx "+
				"says. A select with both cases ready (the closed channel and ctx.Done()) picks one "+
				"at random; look at the event first (a select with a default case on the channel, or "+
				"the flag under the mutex), and wait on both only if it is not set", what, failed,
				calls, first)
		}
	})
}

// TestEventClearConcurrent calls Set and Clear (in turn, from two goroutines), IsSet and
// Wait from four goroutines at the same time, 200 times each; each Wait gives up after
// 1ms of fake time. Nothing may panic
// or stay stuck, and the race detector watches the event's fields meanwhile: Clear runs
// while the other methods do, where the other tests call it only while everything else
// is parked. Then the event must still work: Set, a Wait that returns nil, Clear.
func TestEventClearConcurrent(t *testing.T) {
	const rounds = 200
	const what = "Set() and Clear() in turn from two goroutines, IsSet() and Wait(ctx with a 1ms timeout) " +
		"from two more, at the same time, 200 times each"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		e := NewEvent()
		panics := make(chan any, 4)
		var wg sync.WaitGroup
		for _, f := range []func(){
			func() { e.Set(); e.Clear() }, // so that Clear has a closed channel to replace
			func() { e.Clear(); e.Set() },
			func() { e.IsSet() },
			func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
				defer cancel()
				if err := e.Wait(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
					panic(fmt.Sprintf("Wait returned %v, want nil or context.DeadlineExceeded", err))
				}
			},
		} {
			wg.Go(func() {
				defer func() {
					if p := recover(); p != nil {
						panics <- p
					}
				}()
				for range rounds {
					f()
					runtime.Gosched() // let the others run in between, even with one thread
				}
			})
		}
		wg.Wait()
		if got := ready(panics); len(got) > 0 {
			t.Fatalf("%s: %v, want no panic", what, got[0])
		}
		e.Set()
		if !e.IsSet() {
			t.Fatalf("%s, then Set(): IsSet() = false, want true", what)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := e.Wait(ctx); err != nil {
			t.Fatalf("%s, then Set(), then Wait(ctx with a 1s timeout) = %v, want nil", what, err)
		}
		e.Clear()
		if e.IsSet() {
			t.Fatalf("%s, then Set() and Clear(): IsSet() = true, want false", what)
		}
	})
}
