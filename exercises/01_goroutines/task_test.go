package goroutines

import (
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

func TestTaskStart(t *testing.T) {
	// f waits until the test lets it finish.
	const what = `Start("loader-1", f)`
	guard.Bubble(t, limit, what, func(t *testing.T) {
		release := make(chan struct{})
		ran := make(chan struct{})
		started := make(chan *Task, 1)
		go func() {
			started <- Start("loader-1", func() {
				close(ran)
				<-release
			})
		}()
		synctest.Wait() // every goroutine is blocked now: f on release, if it runs
		var task *Task
		select {
		case task = <-started:
		default:
			t.Errorf("%s has not returned while f runs: Start calls f itself, on the caller's "+
				"goroutine, and waits for it to return (like calling thread.run() instead of "+
				"thread.start()). Run f in a new goroutine: go func() { ...; f() }().", what)
			close(release)
			return
		}
		select {
		case <-ran:
		default:
			t.Errorf("%s returned, but f never ran: Start must start a goroutine that calls f.", what)
		}
		if got := task.Name(); got != "loader-1" {
			t.Errorf("%s, then Name() = %q, want %q", what, got, "loader-1")
		}
		close(release)
		synctest.Wait() // f returns, and its goroutine ends
	})
}

// nilChan reports whether a goroutine's state (guard.States) is a wait on a nil channel.
func nilChan(state string) bool { return strings.Contains(state, "nil chan") }

// joinTask calls task.Join and sends the size f wrote, as seen after Join, on out. It is
// a named function so that guard.States can find the goroutines waiting in Join.
func joinTask(task *Task, size *int, out chan<- int) {
	task.Join()
	out <- *size
}

func TestTaskJoin(t *testing.T) {
	const what = `Start("loader", f), with 3 goroutines calling Join() while f runs`
	guard.Bubble(t, limit, what, func(t *testing.T) {
		release := make(chan struct{})
		size := 0 // written by f, read after Join: Join must make f's writes visible
		task := Start("loader", func() {
			<-release
			size = 42
		})
		joined := make(chan int, 4)
		for range 3 {
			go joinTask(task, &size, joined)
		}
		synctest.Wait() // every goroutine is blocked now: f, and the three in Join
		if early := ready(joined); len(early) > 0 {
			t.Errorf("%s: %d of the 3 Join() calls returned while f was still running, want "+
				"them to wait until f has returned.", what, len(early))
			close(release)
			return
		}
		for _, s := range guard.States("01_goroutines.joinTask(") {
			if strings.HasPrefix(s, "sleep") {
				t.Errorf("%s: Join() waits in time.Sleep: it polls (sleeps, then looks again) "+
					"instead of waiting to be told. Block on a channel that the task's goroutine "+
					"closes when f returns: <-t.done.", what)
				close(release)
				letLeftoversFinish() // the polling Joins look again, see f has returned, and return
				return
			}
		}

		close(release) // f returns
		synctest.Wait()
		got := ready(joined)
		if len(got) == 0 && slices.ContainsFunc(guard.States("01_goroutines.joinTask("), nilChan) {
			t.Errorf("%s: after f returned, none of the 3 Join() calls returned: they wait on a "+
				"nil channel, and a receive from a nil channel blocks for ever. Make the channel "+
				"in Start (done: make(chan struct{})) and close it in the task's goroutine once f "+
				"returns.", what)
			return
		}
		if len(got) < 3 {
			t.Errorf("%s: after f returned, %d of the 3 Join() calls returned, want all 3, at "+
				"once: a value sent on a channel wakes one receiver, closing the channel wakes "+
				"them all (and every later one).", what, len(got))
		}
		for _, v := range got {
			if v != 42 {
				t.Errorf("%s: after Join() returned, f's write was not visible (size = %d, want "+
					"42): Join must return only once f has returned.", what, v)
				break
			}
		}

		go joinTask(task, &size, joined)
		synctest.Wait()
		if len(ready(joined)) == 0 {
			t.Errorf("%s: Join() called after f returned (and after 3 Joins) still waits, want "+
				"it to return at once: the task is over for good, so Join must say so every "+
				"time. Close the channel instead of sending on it.", what)
		}
	})
}

func TestTaskIsAlive(t *testing.T) {
	t.Run("right_after_start", func(t *testing.T) {
		// With one P, f's goroutine has not run yet when Start returns, but the task is
		// alive from Start on: f has not returned.
		oneProc(t)
		const what = `Start("loader", f), then IsAlive() immediately`
		guard.Bubble(t, limit, what, func(t *testing.T) {
			task := Start("loader", func() {})
			if !task.IsAlive() {
				t.Errorf("%s = false, want true: with GOMAXPROCS=1, f's goroutine has not even "+
					"run yet, and f has certainly not returned. The task is alive from the moment "+
					"Start returns until f returns (a channel made by Start and closed once f "+
					"returns says exactly that).", what)
			}
			task.Join()
		})
	})
	t.Run("while_running", func(t *testing.T) {
		const what = `Start("loader", f), then IsAlive() while f runs and after it returned`
		guard.Bubble(t, limit, what, func(t *testing.T) {
			release := make(chan struct{})
			task := Start("loader", func() { <-release })
			alive := make(chan bool, 1)
			go func() { alive <- task.IsAlive() }()
			synctest.Wait() // every goroutine is blocked now: f, and IsAlive if it waits
			select {
			case a := <-alive:
				if !a {
					t.Errorf("%s: IsAlive() = false while f is still running, want true.", what)
				}
			default:
				t.Errorf("%s: IsAlive() blocks while f is still running, want it to answer at "+
					"once: waiting is Join's job. Look at the channel without waiting, with a "+
					"select that has a default case.", what)
			}
			close(release) // f returns
			synctest.Wait()
			if task.IsAlive() {
				t.Errorf("%s: IsAlive() = true after f returned, want false.", what)
			}
		})
	})
	t.Run("polled", func(t *testing.T) {
		// Outside a bubble, another goroutine polls IsAlive while f finishes: the race
		// detector sees whether IsAlive synchronises with the end of f.
		const what = `Start("loader", f), then polling IsAlive() until it reports false`
		size := 0 // written by f, read once IsAlive reports false
		var returned atomic.Bool
		fDone := make(chan struct{}) // closed when f returns; only the test goroutine waits on it
		task := Start("loader", func() {
			defer close(fDone)
			for range 100 {
				runtime.Gosched() // let the poller look a few times while f runs
			}
			size = 42
			returned.Store(true)
		})
		type look struct {
			returned bool // whether f had returned when IsAlive reported false
			size     int  // f's write, as the poller saw it
		}
		looked := make(chan look, 1)
		var stop atomic.Bool // set when the test gives up waiting for the poller
		go func() {
			for task.IsAlive() && !stop.Load() {
				runtime.Gosched()
			}
			got := size // before returned.Load, which would synchronise on its own
			looked <- look{returned.Load(), got}
		}()

		var l look
		select {
		case l = <-looked:
		case <-fDone:
			// f has returned: IsAlive must report false at its next look.
			select {
			case l = <-looked:
			case <-time.After(pollGrace):
				stop.Store(true)
				t.Errorf("%s: IsAlive() still reported true %v of real time after f had returned, "+
					"want false: nothing tells IsAlive that f is over. The task's goroutine must "+
					"close the channel that IsAlive looks at once f returns.", what, pollGrace)
				return
			}
		case <-time.After(limit):
			stop.Store(true)
			t.Errorf("%s: after %v of real time f has not returned and IsAlive() still reports "+
				"true: Start must run f in a goroutine of its own.", what, limit)
			return
		}
		if !l.returned {
			t.Errorf("%s: IsAlive() reported false before f had returned.", what)
		} else if l.size != 42 {
			t.Errorf("%s: IsAlive() reported false, but f's write was not visible (size = "+
				"%d, want 42).", what, l.size)
		}
		if t.Failed() {
			t.Log("Run with -race: if IsAlive reads a plain bool that the task's goroutine " +
				"writes, that is a data race, and it does not make f's writes visible either. " +
				"Close a channel when f returns, and look at it with select and default.")
		}
	})
}

// pollGrace is the real time a goroutine polling IsAlive gets to see that f has
// returned. A correct IsAlive reports false at its first look after the task's goroutine
// closed its channel, microseconds after f returns.
const pollGrace = 5 * time.Second
