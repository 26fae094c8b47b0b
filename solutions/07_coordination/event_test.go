package coordination

import (
	"context"
	"errors"
	"fmt"
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
