package async

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

// The tests of the monitor exercise, Monitor in monitor.go.

const interval = 100 * time.Millisecond

// monitorRun is one Monitor running on a goroutine of the test: read returns 1, 2, 3, ...
// and counts its calls.
type monitorRun struct {
	quit  chan struct{}
	out   chan int
	done  chan struct{} // closed when Monitor returns
	reads atomic.Int64
	start time.Time
}

// startMonitor starts Monitor(quit, every, read, out) with an unbuffered out.
func startMonitor(every time.Duration) *monitorRun {
	m := &monitorRun{quit: make(chan struct{}), out: make(chan int), done: make(chan struct{}), start: time.Now()}
	read := func() int { return int(m.reads.Add(1)) }
	go func() {
		defer close(m.done)
		Monitor(m.quit, every, read, m.out)
	}()
	return m
}

// stop closes quit and fails t unless Monitor returns at once. If it does not, stop
// receives from out until it returns, so that a Monitor stuck on a send can end.
func (m *monitorRun) stop(t *testing.T, what string) {
	t.Helper()
	close(m.quit)
	synctest.Wait()
	select {
	case <-m.done:
		return
	default:
	}
	blocked := false
	for _, s := range guard.States("10_async.Monitor") {
		blocked = blocked || strings.HasPrefix(s, "chan send")
	}
	if blocked {
		t.Errorf("%s, then close(quit): Monitor is blocked for ever on a send to out (chan send), "+
			"after quit was closed: the receiver gave up, so nothing will ever take the reading, and "+
			"a goroutine blocked for ever on a send is a goroutine leak. Make the send one more case "+
			"of the select that waits for <-quit", what)
	} else {
		t.Errorf("%s, then close(quit): Monitor is still running after quit was closed, want it to "+
			"return at once: wait for quit in the same select as the ticker (a time.Sleep cannot "+
			"hear it)", what)
	}
	for {
		select {
		case <-m.out:
		case <-m.done:
			return
		case <-time.After(fakeLimit):
			return
		}
	}
}

// reading is a value the receiver got from out, and when, since Monitor started.
type reading struct {
	Value int
	At    time.Duration
}

// TestMonitorTicks receives every reading as soon as it is sent, for 350ms: three
// readings, one per interval, the first one interval after the start.
func TestMonitorTicks(t *testing.T) {
	what := fmt.Sprintf("Monitor(quit, %v, read, out) with a receiver always ready, for 350ms", interval)
	if spins(t, what) {
		return
	}
	guard.Bubble(t, limit, what, func(t *testing.T) {
		m := startMonitor(interval)
		var got []reading
		for range 3 {
			select {
			case v := <-m.out:
				got = append(got, reading{Value: v, At: time.Since(m.start)})
			case <-time.After(time.Second):
			}
		}
		time.Sleep(350*time.Millisecond - time.Since(m.start))
		synctest.Wait()
		want := []reading{{1, 100 * time.Millisecond}, {2, 200 * time.Millisecond}, {3, 300 * time.Millisecond}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: the readings mismatch (-want +got): want each value read sent once, as soon as "+
				"it is read, one interval apart. A reading sent before the first tick, or sent twice, "+
				"comes from a send case that is always on: set the send channel to nil while nothing "+
				"waits to be sent, and a nil channel's case is never chosen:\n%s", what, diff)
		}
		if n := m.reads.Load(); n != 3 {
			t.Errorf("%s: read was called %s, want 3: once per tick of a time.Ticker, the first one "+
				"interval after the start", what, count(int(n), "time", "times"))
		}
		m.stop(t, what)
	})
}

// TestMonitorSlowReceiver receives nothing for 1050ms: Monitor must go on reading every
// interval, and the receiver then gets the latest reading, once.
func TestMonitorSlowReceiver(t *testing.T) {
	what := fmt.Sprintf("Monitor(quit, %v, read, out) with nobody receiving for 1050ms", interval)
	if spins(t, what) {
		return
	}
	guard.Bubble(t, limit, what, func(t *testing.T) {
		m := startMonitor(interval)
		time.Sleep(1050 * time.Millisecond)
		synctest.Wait()
		if n := m.reads.Load(); n != 10 {
			t.Errorf("%s: read was called %s, want 10, one per interval: the loop stopped while "+
				"a send to out waited for the receiver. Never block on the send: make it one more "+
				"case of the select, next to the ticker and quit", what, count(int(n), "time", "times"))
		}
		select {
		case v := <-m.out:
			if v != 10 {
				t.Errorf("%s, then a receive: got reading %d, want 10, the latest: a newer reading "+
					"replaces the one waiting to be sent", what, v)
			}
		default:
			t.Errorf("%s, then a receive: Monitor offers nothing to send, want the latest reading (10) "+
				"at once", what)
		}
		synctest.Wait()
		select {
		case v := <-m.out:
			t.Errorf("%s, then two receives: the second got %d before the next tick, want nothing until "+
				"then: once a reading is sent, switch the send case off (a nil channel) until read "+
				"gives a new one", what, v)
		default:
		}
		m.stop(t, what)
	})
}

// TestMonitorQuit closes quit while a reading waits to be sent, and between two ticks:
// Monitor must return at once both times.
func TestMonitorQuit(t *testing.T) {
	if spins(t, fmt.Sprintf("Monitor(quit, %v, read, out), then close(quit)", interval)) {
		return
	}
	t.Run("pending", func(t *testing.T) {
		what := fmt.Sprintf("Monitor(quit, %v, read, out) with nobody receiving, for 250ms", interval)
		guard.Bubble(t, limit, what, func(t *testing.T) {
			m := startMonitor(interval)
			time.Sleep(250 * time.Millisecond)
			m.stop(t, what)
		})
	})
	t.Run("idle", func(t *testing.T) {
		what := fmt.Sprintf("Monitor(quit, %v, read, out) for 50ms, before the first tick", interval)
		guard.Bubble(t, limit, what, func(t *testing.T) {
			m := startMonitor(interval)
			time.Sleep(50 * time.Millisecond)
			synctest.Wait()
			if n := m.reads.Load(); n != 0 {
				t.Errorf("%s: read was called %s, want 0: the first reading is one interval "+
					"after the start", what, count(int(n), "time", "times"))
			}
			m.stop(t, what)
		})
	})
}

// TestMonitorParks runs Monitor with an interval of an hour, in real time, and looks at
// where its goroutine waits: it must be parked in its select, not spinning through a
// default case, and not sleeping between looks at quit.
func TestMonitorParks(t *testing.T) {
	const what = "Monitor(quit, 1h, read, out) with nothing to do"
	quit, out, done := make(chan struct{}), make(chan int), make(chan struct{})
	go func() {
		defer close(done)
		Monitor(quit, time.Hour, func() int { return 0 }, out)
	}()
	states, verdict := awaitParked("10_async.Monitor")
	switch verdict {
	case sleeping:
		t.Errorf("%s: Monitor waits in time.Sleep, want it parked in a select: a loop that sleeps "+
			"and then looks at quit is busy waiting with a sleep (polling). It hears quit only between "+
			"sleeps, up to an interval late. Wait for the ticker and quit in one select", what)
		close(quit)
		return // it sleeps for an hour: goleak reports it at the end of the run
	case spinning:
		t.Errorf("%s: after %d looks and %v of real time Monitor's goroutine is still %s, want it "+
			"parked in its select: a select with a default case never waits, so the loop spins, busy "+
			"waiting, and burns a core doing nothing. Remove the default case: the select must block "+
			"until the ticker, quit or the receiver is ready", what, parkLooks, parkPatience,
			strings.Join(states, ", "))
	case returned:
		t.Errorf("%s: Monitor returned before quit was closed, want it to run, parked in its select, "+
			"until then", what)
	}
	close(quit)
	select {
	case <-done:
	case <-time.After(limit):
		t.Errorf("%s, then close(quit): Monitor is still running after %v of real time, want it to "+
			"return at once", what, limit)
	}
}

// Where a goroutine of Monitor is, as awaitParked sees it.
const (
	parked   = "parked"   // blocked on a channel, a select, a lock or a condition
	sleeping = "sleeping" // in time.Sleep
	spinning = "spinning" // running or runnable at every look
	returned = "returned" // no goroutine runs Monitor: it returned
)

// parkLooks and parkPatience bound how long awaitParked watches before it calls a
// goroutine spinning: at least parkLooks looks, each after a sleep that hands the CPU
// over, and at least parkPatience of real time. A goroutine that parks does so within
// microseconds of its first run; the looks make sure it had that run, however busy the
// machine.
const (
	parkLooks    = 100
	parkPatience = time.Second
)

// awaitParked watches the goroutines running fn until every one is parked, or one
// sleeps, or they have been running or runnable at every look for parkLooks looks and
// parkPatience of real time. It returns what it saw last and its verdict.
func awaitParked(fn string) (states []string, verdict string) {
	deadline := time.Now().Add(parkPatience)
	for looks := 1; ; looks++ {
		states = guard.States(fn)
		verdict = parked
		if len(states) == 0 {
			verdict = spinning // not started yet
		}
		for _, s := range states {
			switch s {
			case "sleep":
				return states, sleeping
			case "running", "runnable", "syscall":
				verdict = spinning
			}
		}
		if verdict == parked || (looks >= parkLooks && time.Now().After(deadline)) {
			if len(states) == 0 {
				verdict = returned
			}
			return states, verdict
		}
		time.Sleep(time.Millisecond)
	}
}

// spins runs Monitor with nothing to do, outside a bubble, and fails t at once if its
// goroutine never parks. The other tests run Monitor in a synctest bubble, where fake
// time passes only while every goroutine is blocked: a Monitor that spins stops the
// clock, and the test would only end at its real-time limit, saying less.
func spins(t *testing.T, what string) bool {
	t.Helper()
	quit, out := make(chan struct{}), make(chan int)
	go Monitor(quit, time.Hour, func() int { return 0 }, out)
	states, verdict := awaitParked("10_async.Monitor")
	close(quit) // a Monitor that hears quit returns; one that does not is a leak the tests report
	if verdict != spinning {
		return false
	}
	t.Errorf("%s: Monitor never parks: with nothing to do, after %d looks and %v of real time its "+
		"goroutine is still %s. A select with a default case never waits, so the loop spins, busy "+
		"waiting, and burns a core doing nothing; in the test's synctest bubble it also stops fake "+
		"time, so nothing else can be tested. Remove the default case: the select must block until "+
		"the ticker, quit or the receiver is ready", what, parkLooks, parkPatience, strings.Join(states, ", "))
	return true
}
