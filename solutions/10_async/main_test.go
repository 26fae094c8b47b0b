package async

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// TestMain fails the run if a test leaves goroutines behind, such as a task nobody
// cancelled, or a goroutine blocked for ever on a send nobody receives.
func TestMain(m *testing.M) {
	guard.Main(m)
}

// The fake tasks run in testing/synctest bubbles, where time is fake: a task of an hour
// takes no real time, and when a call returns, in fake time, is exact in every run.
const (
	slow      = time.Hour             // a task that only cancellation cuts short
	failAfter = 10 * time.Millisecond // when a failing task fails
	windDown  = time.Millisecond      // how long a cancelled task takes to return
	fakeLimit = 24 * time.Hour        // fake time a call may take in a bubble
	limit     = 5 * time.Second       // real time a bubble may take; correct code needs milliseconds
)

// errBoom is the error of a failing task.
var errBoom = errors.New("the pan boiled over")

// tracker makes fake tasks and records every run of them: whether its context was live
// when it started, and whether it returned early because its context ended. Create it
// inside the bubble.
type tracker struct {
	mu       sync.Mutex
	inFlight int
	peak     int
	runs     []run
}

// run is one call of a fake task.
type run struct {
	name      string
	live      bool // its context was not done when it started
	cancelled bool // it returned early because its context ended
}

// task returns a fake task called name. It takes d of fake time and returns name and
// nil, or a wrapped fail if fail is not nil. If its context ends first, it returns
// windDown later (closing a connection takes a moment) with an error wrapping ctx.Err().
func (tr *tracker) task(name string, d time.Duration, fail error) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		tr.mu.Lock()
		i := len(tr.runs)
		tr.runs = append(tr.runs, run{name: name, live: ctx.Err() == nil})
		tr.inFlight++
		tr.peak = max(tr.peak, tr.inFlight)
		tr.mu.Unlock()
		defer func() {
			tr.mu.Lock()
			tr.inFlight--
			tr.mu.Unlock()
		}()

		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			time.Sleep(windDown)
			tr.mu.Lock()
			tr.runs[i].cancelled = true
			tr.mu.Unlock()
			return "", fmt.Errorf("%s: %w", name, ctx.Err())
		}
		if fail != nil {
			return "", fmt.Errorf("%s: %w", name, fail)
		}
		return name, nil
	}
}

// stats returns the tasks in flight now, the most there ever were at once, and a copy of
// the runs so far.
func (tr *tracker) stats() (inFlight, peak int, runs []run) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.inFlight, tr.peak, append([]run(nil), tr.runs...)
}

// ranToEnd returns the names of the runs, other than those in except, that started with a
// live context and ran to the end instead of seeing it cancelled.
func ranToEnd(runs []run, except ...string) []string {
	var names []string
	for _, r := range runs {
		if r.live && !r.cancelled && !contains(except, r.name) {
			names = append(names, r.name)
		}
	}
	return names
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// outcome is how long a call took, in fake time, and how many tasks were still in flight
// when it returned.
type outcome struct {
	elapsed  time.Duration
	inFlight int
}

// invoke runs fn, which calls the function under test with tasks of tr, in a goroutine of
// its own, and returns how long it took and what was still in flight when it returned. It
// fails t if fn has not returned after fakeLimit of fake time.
func invoke(t *testing.T, what string, tr *tracker, fn func()) (outcome, bool) {
	t.Helper()
	done := make(chan outcome, 1)
	go func() {
		start := time.Now()
		fn()
		elapsed := time.Since(start)
		inFlight, _, _ := tr.stats()
		done <- outcome{elapsed: elapsed, inFlight: inFlight}
	}()
	select {
	case o := <-done:
		return o, true
	case <-time.After(fakeLimit):
		t.Errorf("%s has not returned after %v of fake time: it waits for something that never "+
			"happens (a task nobody cancelled, or a result that nobody will ever send)%s",
			what, fakeLimit, stuckSendersNote("the call"))
		return outcome{}, false
	}
}

// stuckSenders returns how many goroutines running fn (a function of this package, like
// "First") are blocked on a channel send. Call it after settle: they are blocked for good.
func stuckSenders(fn string) int {
	n := 0
	for _, s := range guard.States("10_async." + fn) {
		if strings.HasPrefix(s, "chan send") {
			n++
		}
	}
	return n
}

// stuckSendersNote says so if a goroutine of this package is blocked on a send.
func stuckSendersNote(call string) string {
	var n int
	for _, s := range guard.States("/10_async.") {
		if strings.HasPrefix(s, "chan send") {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(". %s blocked on a send that %s no longer receives", count(n, "goroutine is", "goroutines are"), call)
}

// count says "1 task was" or "3 tasks were".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// settle lets every task run to its end, in fake time, and waits until every goroutine
// left in the bubble is blocked: what is still blocked then is blocked for good.
func settle() {
	time.Sleep(2 * slow)
	synctest.Wait()
}

// checkNoStuckSend fails t if a goroutine started by fn is blocked for ever on a send
// after the call returned, and settles the bubble first.
func checkNoStuckSend(t *testing.T, what, fn string) {
	t.Helper()
	settle()
	if n := stuckSenders(fn); n > 0 {
		t.Errorf("%s returned while goroutines it started were still running: %s now blocked for "+
			"ever on a send (chan send), because nobody receives after the call gave up waiting: a "+
			"goroutine leak. Give the channel room for every result (make(chan result, n)), or send "+
			"in a select with <-ctx.Done()", what, count(n, "goroutine is", "goroutines are"))
	}
}

// checkNoneLeft fails t if tasks were still running when the call returned.
func checkNoneLeft(t *testing.T, what string, o outcome, why string) bool {
	t.Helper()
	if o.inFlight == 0 {
		return true
	}
	t.Errorf("%s returned after %v of fake time while %s still running: goroutines left behind, "+
		"a goroutine leak. %s", what, o.elapsed, count(o.inFlight, "task it started was", "tasks it started were"), why)
	return false
}
