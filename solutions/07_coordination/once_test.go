package coordination

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

// The tests of concurrent first calls run outside a synctest bubble: sync.Once makes the
// callers that come while the set-up runs wait on a sync.Mutex, which a bubble does not
// count as blocked, so its fake clock would never move. The set-up waits on a gate that
// the test opens once every caller is inside Get, and real-time limits catch a hang.

// getResult is what one call of Get returned, and whether it returned before the set-up
// was allowed to finish.
type getResult struct {
	V     int
	Err   error
	Early bool
}

// gatedSetup returns a set-up that counts its runs, waits until gate is closed, and
// returns 100 + the number of its run (101 for the first), or err if err is not nil.
func gatedSetup(gate <-chan struct{}, err error) (func() (int, error), *atomic.Int64) {
	var runs atomic.Int64
	return func() (int, error) {
		n := runs.Add(1)
		<-gate
		if err != nil {
			return 0, err
		}
		return 100 + int(n), nil
	}, &runs
}

// callGet calls l.Get() and notes whether it returned before gate was closed.
func callGet(l *Lazy[int], gate <-chan struct{}) getResult {
	v, err := l.Get()
	r := getResult{V: v, Err: err}
	select {
	case <-gate:
	default:
		r.Early = true
	}
	return r
}

// concurrentGets calls l.Get() in n goroutines at once, waits until each of them has
// returned or is parked (inside Get, waiting for the set-up, or running the set-up and
// waiting on the gate), then opens the gate and returns what each Get returned.
func concurrentGets(t *testing.T, what string, l *Lazy[int], n int, gate chan struct{}) []getResult {
	t.Helper()
	results := make([]getResult, n)
	var started atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			started.Add(1)
			results[i] = callGet(l, gate)
		})
	}
	allStarted := func() bool { return started.Load() == int64(n) }
	if states, ok := awaitParked(allStarted, "coordination.concurrentGets.func", guard.Limit); !ok {
		t.Errorf("%s: the callers of Get never all waited: after %v their states are %v; a caller "+
			"that loops until the set-up is done (spinning) instead of waiting for it keeps the CPU "+
			"busy", what, guard.Limit, states)
	}
	close(gate)
	if !guard.Run(t, guard.Limit, what, wg.Wait) {
		t.FailNow()
	}
	return results
}

// awaitParked polls until started() is true and no goroutine running fn is running or
// runnable, that is, until every one of them has returned or waits for something, and
// reports whether that happened within limit, with the states it saw last.
func awaitParked(started func() bool, fn string, limit time.Duration) ([]string, bool) {
	deadline := time.Now().Add(limit)
	for {
		states := guard.States(fn)
		busy := !started()
		for _, s := range states {
			busy = busy || strings.HasPrefix(s, "running") || strings.HasPrefix(s, "runnable")
		}
		if !busy {
			return states, true
		}
		if time.Now().After(deadline) {
			return states, false
		}
		time.Sleep(time.Millisecond)
	}
}

func TestOnceConcurrentFirstCalls(t *testing.T) {
	const callers = 8
	what := fmt.Sprintf("Get() in %d goroutines at once on a NewLazy(setup), while setup runs", callers)
	gate := make(chan struct{})
	setup, runs := gatedSetup(gate, nil)
	l := NewLazy(setup)
	if n := runs.Load(); n != 0 {
		t.Errorf("NewLazy(setup) ran setup %d times, want 0: the set-up runs on the first Get", n)
	}
	got := concurrentGets(t, what, l, callers, gate)
	switch n := runs.Load(); {
	case n == 0:
		t.Errorf("%s never ran setup, want it run once, by the first Get", what)
	case n > 1:
		t.Errorf("%s ran setup %d times, want once: several callers saw that the set-up had not "+
			"run yet, and ran it. Checking a flag and then setting it are two steps another "+
			"goroutine can come between; sync.Once (or sync.OnceValues) makes them one", what, n)
	}
	want := make([]getResult, callers)
	for i := range want {
		want[i] = getResult{V: 101}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: what each Get returned mismatch (-want +got): every caller gets the value of "+
			"the one run of setup (101), and a caller that comes while setup runs waits for it to "+
			"finish (Early: true means it returned before setup did, with a value not set yet):\n%s",
			what, diff)
	}
}

func TestOnceLaterCalls(t *testing.T) {
	const took = 100 * time.Millisecond
	what := fmt.Sprintf("Get(), then Get() three more times at 1s intervals on a NewLazy(setup taking %v)", took)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		var runs atomic.Int64
		l := NewLazy(func() (int, error) {
			n := runs.Add(1)
			time.Sleep(took)
			return 100 + int(n), nil
		})
		type result struct {
			V   int
			Err error
			At  time.Duration
		}
		start := time.Now()
		var got []result
		for i := range 4 {
			if i > 0 {
				time.Sleep(time.Second)
			}
			v, err := l.Get()
			got = append(got, result{V: v, Err: err, At: time.Since(start)})
		}
		want := []result{
			{V: 101, At: took},
			{V: 101, At: took + time.Second},
			{V: 101, At: took + 2*time.Second},
			{V: 101, At: took + 3*time.Second},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: what each Get returned, and when in fake time, mismatch (-want +got): the "+
				"first call runs setup, the later ones return its value at once:\n%s", what, diff)
		}
		if n := runs.Load(); n != 1 {
			t.Errorf("%s ran setup %d times, want once: the first Get runs it, the later ones "+
				"return what it returned", what, n)
		}
	})
}

func TestOnceError(t *testing.T) {
	const callers = 4
	errSetup := errors.New("config file not found")
	what := fmt.Sprintf("Get() in %d goroutines at once, then twice more, on a NewLazy(setup "+
		"that fails)", callers)
	gate := make(chan struct{})
	setup, runs := gatedSetup(gate, errSetup)
	l := NewLazy(setup)
	got := concurrentGets(t, what, l, callers, gate)
	for range 2 {
		got = append(got, callGet(l, gate))
	}
	for i, r := range got {
		if !errors.Is(r.Err, errSetup) || r.V != 0 || r.Early {
			t.Errorf("%s: Get() number %d = (%d, %v), returned early: %v, want (0, %v) after setup "+
				"returned: every caller gets what the one run of setup returned, its error included",
				what, i+1, r.V, r.Err, r.Early, errSetup)
			break
		}
	}
	switch n := runs.Load(); {
	case n == 0:
		t.Errorf("%s never ran setup, want it run once, by the first Get", what)
	case n > 1:
		t.Errorf("%s ran setup %d times, want once: a set-up that failed is not run again "+
			"(sync.OnceValues remembers the error too); a retry belongs in the caller", what, n)
	}
}
