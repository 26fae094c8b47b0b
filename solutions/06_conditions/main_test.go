package conditions

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

// TestMain fails the run if a test leaves goroutines behind, such as a Get still waiting
// on a buffer nobody will ever put into.
func TestMain(m *testing.M) {
	guard.Main(m)
}

// limit is the real time a test's bubble may take. Correct code needs milliseconds, even
// under -race; code that spins instead of waiting never lets the bubble settle and is
// reported when the limit is up.
const limit = 4 * time.Second

// queue is the contract Buffer and ChanBuffer share; the Close tests run on both.
type queue interface {
	Put(v int) error
	Get() (v int, ok bool)
	Close()
}

// getResult is what one call of Get returned, or the value it panicked with.
type getResult struct {
	V        int
	OK       bool
	Panicked any
}

// putResult is what one call of Put(V) returned, or the value it panicked with.
type putResult struct {
	V        int
	Err      error
	Panicked any
}

// startGets calls q.Get n times, one after the other, in a new goroutine, and sends each
// result to out, which must have room for n. A panic is recovered and sent as a result,
// so that it fails the test instead of killing the test binary.
func startGets(q queue, n int, out chan<- getResult) {
	go func() {
		for range n {
			r := getResult{}
			func() {
				defer func() { r.Panicked = recover() }()
				r.V, r.OK = q.Get()
			}()
			out <- r
			if r.Panicked != nil {
				return
			}
		}
	}()
}

// startPut calls q.Put(v) in a new goroutine and sends the result to out, which must have
// room for it. A panic (a send on a closed channel) is recovered and sent as a result.
func startPut(q queue, v int, out chan<- putResult) {
	go func() {
		r := putResult{V: v}
		func() {
			defer func() { r.Panicked = recover() }()
			r.Err = q.Put(v)
		}()
		out <- r
	}()
}

// putNow calls q.Put(v) on the calling goroutine and returns its result, recovering a panic.
func putNow(q queue, v int) (r putResult) {
	r.V = v
	defer func() { r.Panicked = recover() }()
	r.Err = q.Put(v)
	return r
}

// ready returns the results already in ch, without waiting for more.
func ready[T any](ch chan T) []T {
	var out []T
	for {
		select {
		case r := <-ch:
			out = append(out, r)
		default:
			return out
		}
	}
}

// assertParked checks that every goroutine running fn (such as "(*Buffer).Get") is
// parked in a state starting with one of want. Call it after synctest.Wait: a goroutine
// that polls with time.Sleep is then in state "sleep", which is busy waiting.
func assertParked(t *testing.T, what, fn string, want ...string) {
	t.Helper()
	states := guard.States(fn)
	if len(states) == 0 {
		t.Errorf("%s: no goroutine is running %s, want one parked in %s", what, fn, strings.Join(want, " or "))
		return
	}
	for _, s := range states {
		if !slices.ContainsFunc(want, func(w string) bool { return strings.HasPrefix(s, w) }) {
			why := "it must wait until another goroutine wakes it"
			if strings.HasPrefix(s, "sleep") {
				why = "it sleeps and polls the buffer again (busy waiting): it must wait until another goroutine wakes it"
			}
			t.Errorf("%s: the goroutine waits in state %q, want %s: %s",
				what, s, strings.Join(want, " or "), why)
		}
	}
}

// oneProc runs the rest of the test with GOMAXPROCS=1. With one P, a goroutine woken by
// Signal or Broadcast waits in the run queue until the test goroutine blocks, and a
// goroutine started after it runs first: the test decides who reaches the buffer first,
// so a woken waiter that does not check the buffer again fails every time, not once in a
// while. Correct code passes whatever the order; the order only exposes wrong code.
func oneProc(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
}

// item is the value producer p puts as its i-th item.
func item(p, i int) int { return p*1000 + i }

// startProducers starts producers goroutines on wg, producer p putting item(p, 0) …
// item(p, perProducer-1) into q in order and stopping at the first error. The error of
// producer p is in putErrs[p] once wg.Wait() has returned.
func startProducers(wg *sync.WaitGroup, q queue, producers, perProducer int) (putErrs []error) {
	putErrs = make([]error, producers)
	for p := range producers {
		wg.Go(func() {
			for i := range perProducer {
				if err := q.Put(item(p, i)); err != nil {
					putErrs[p] = err
					return
				}
			}
		})
	}
	return putErrs
}

// checkDelivery checks what consumers received from producers that each put item(p, 0)
// to item(p, perProducer-1): every item exactly once, and each producer's items in the
// order it put them, since the buffer is first-in, first-out.
func checkDelivery(t *testing.T, what string, got [][]int, producers, perProducer int) {
	t.Helper()
	var all, want []int
	for p := range producers {
		for i := range perProducer {
			want = append(want, item(p, i))
		}
	}
	for _, g := range got {
		all = append(all, g...)
	}
	slices.Sort(all)
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("%s: the items the consumers got mismatch (-want +got): a missing item was lost, "+
			"a doubled one delivered twice:\n%s", what, diff)
	}
	for c, g := range got {
		last := make([]int, producers)
		for p := range last {
			last[p] = -1
		}
		for _, v := range g {
			p, i := v/1000, v%1000
			if p < 0 || p >= producers {
				continue
			}
			if i <= last[p] {
				t.Errorf("%s: consumer %d got %d after %d, but producer %d put them the other way "+
					"round: the buffer is not first-in, first-out", what, c, v, item(p, last[p]), p)
				break
			}
			last[p] = i
		}
	}
}

// closeAtEnd closes q and takes what is left in it when the bubble's test ends, unless
// the test has failed already. Every test leaves its buffers closed and drained, so that
// a buffer whose state is owned by a goroutine of its own sees that goroutine end.
func closeAtEnd(t *testing.T, q queue) {
	t.Cleanup(func() {
		if t.Failed() {
			return // a broken Close or Get could block here
		}
		q.Close()
		for range 1000 {
			if _, ok := q.Get(); !ok {
				return
			}
		}
		t.Errorf("Get() after Close() returned ok == true 1000 times on a buffer that held a few " +
			"items: once closed and drained, Get must return (0, false)")
	})
}

// testCloseDrains puts n items into a new buffer of capacity n, closes it, and checks
// that Get returns the n items in order and then (0, false) without blocking.
func testCloseDrains(t *testing.T, name string, newQueue func(int) queue, n int) {
	what := fmt.Sprintf("Put(1..%d) into %s(%d), Close(), then Get() %d times", n, name, n, n+2)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		q := newQueue(n)
		closeAtEnd(t, q)
		for i := 1; i <= n; i++ {
			if r := putNow(q, i); r.Err != nil || r.Panicked != nil {
				t.Fatalf("Put(%d) into %s(%d) before Close = %+v, want no error", i, name, n, r)
			}
		}
		q.Close()
		gets := make(chan getResult, n+2)
		startGets(q, n+2, gets)
		synctest.Wait()
		got := ready(gets)
		want := []getResult{}
		for i := 1; i <= n; i++ {
			want = append(want, getResult{V: i, OK: true})
		}
		want = append(want, getResult{}, getResult{})
		if len(got) < len(want) {
			t.Errorf("%s: Get() call %d is still blocked: once the buffer is closed and drained, "+
				"Get must return (0, false) at once, not wait for a Put that can never come",
				what, len(got)+1)
		}
		if diff := cmp.Diff(want[:len(got)], got); diff != "" {
			t.Errorf("%s mismatch (-want +got): Close must not drop the items already buffered, "+
				"and Get reports ok == false only once they are all taken:\n%s", what, diff)
		}
	})
}

// testCloseWakesAll parks three Gets on an empty buffer and three Puts on a full one,
// closes each buffer, and checks that every waiter returned.
func testCloseWakesAll(t *testing.T, name string, newQueue func(int) queue) {
	t.Run("gets", func(t *testing.T) {
		what := fmt.Sprintf("three Get() waiting on an empty %s(1), then Close()", name)
		guard.Bubble(t, limit, what, func(t *testing.T) {
			q := newQueue(1)
			closeAtEnd(t, q)
			gets := make(chan getResult, 3)
			for range 3 {
				startGets(q, 1, gets)
			}
			synctest.Wait()
			if early := ready(gets); len(early) > 0 {
				t.Fatalf("Get() on an empty %s(1) returned %+v before anything was put or closed, "+
					"want it to wait", name, early)
			}
			q.Close()
			synctest.Wait()
			got := ready(gets)
			if len(got) < 3 {
				t.Errorf("%s: Close() woke %d of the 3 waiting Gets, want all 3: Close must wake "+
					"every waiter (Broadcast), Signal wakes only one", what, len(got))
			}
			for _, r := range got {
				if r != (getResult{}) {
					t.Errorf("%s: a woken Get() returned %+v, want (0, false): the buffer is empty "+
						"and closed; a woken waiter must check the buffer again before it takes an item", what, r)
				}
			}
		})
	})
	t.Run("puts", func(t *testing.T) {
		what := fmt.Sprintf("Put(1), Put(2), Put(3) waiting on a full %s(1), then Close()", name)
		guard.Bubble(t, limit, what, func(t *testing.T) {
			q := newQueue(1)
			closeAtEnd(t, q)
			if r := putNow(q, 100); r.Err != nil || r.Panicked != nil {
				t.Fatalf("Put(100) into an empty %s(1) = %+v, want no error", name, r)
			}
			puts := make(chan putResult, 3)
			for v := 1; v <= 3; v++ {
				startPut(q, v, puts)
			}
			synctest.Wait()
			if early := ready(puts); len(early) > 0 {
				t.Fatalf("Put on a full %s(1) returned %+v before any Get or Close, want it to wait", name, early)
			}
			q.Close()
			synctest.Wait()
			got := ready(puts)
			if len(got) < 3 {
				t.Errorf("%s: Close() woke %d of the 3 waiting Puts, want all 3: Close must wake "+
					"every waiter (Broadcast), Signal wakes only one", what, len(got))
			}
			for _, r := range got {
				switch {
				case r.Panicked != nil:
					t.Errorf("%s: Put(%d) panicked: %v: Close closed a channel that a waiting Put "+
						"was sending on; wake the Puts another way (a done channel) and close the items "+
						"channel only when no Put can send on it", what, r.V, r.Panicked)
				case r.Err != ErrClosed:
					t.Errorf("%s: Put(%d) = %v, want ErrClosed", what, r.V, r.Err)
				}
			}
			if len(got) == 3 {
				gets := make(chan getResult, 2)
				startGets(q, 2, gets)
				synctest.Wait()
				want := []getResult{{V: 100, OK: true}, {}}
				if diff := cmp.Diff(want, ready(gets)); diff != "" {
					t.Errorf("%s, then Get() twice mismatch (-want +got): only the item put before "+
						"Close is left, then the buffer reports closed:\n%s", what, diff)
				}
			}
		})
	})
}

// testPutAfterClose checks that Put on a closed buffer returns ErrClosed, adds nothing
// and never blocks, and that a second Close does nothing.
func testPutAfterClose(t *testing.T, name string, newQueue func(int) queue) {
	what := fmt.Sprintf("Close() on an empty %s(20), then Put(1..20)", name)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		q := newQueue(20)
		closeAtEnd(t, q)
		q.Close()
		for v := 1; v <= 20; v++ {
			r := putNow(q, v)
			if r.Panicked != nil {
				t.Errorf("%s: Put(%d) panicked: %v: a send on a closed channel panics; Put must see "+
					"that the buffer is closed before it sends", what, v, r.Panicked)
				break
			}
			if r.Err != ErrClosed {
				t.Errorf("%s: Put(%d) = %v, want ErrClosed: a Put after Close must fail every time "+
					"(a select with a ready send and a closed done channel picks either at random)",
					what, v, r.Err)
				break
			}
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("a second Close() on a %s panicked: %v, want it to do nothing", name, p)
				}
			}()
			q.Close()
		}()
		gets := make(chan getResult, 1)
		startGets(q, 1, gets)
		synctest.Wait()
		if got := ready(gets); len(got) != 1 || got[0] != (getResult{}) {
			t.Errorf("%s, then Get() = %+v, want [(0, false)]: nothing put after Close may come out",
				what, got)
		}

		full := newQueue(1)
		closeAtEnd(t, full)
		if r := putNow(full, 1); r.Err != nil || r.Panicked != nil {
			t.Fatalf("Put(1) into an empty %s(1) = %+v, want no error", name, r)
		}
		full.Close()
		puts := make(chan putResult, 1)
		startPut(full, 2, puts)
		synctest.Wait()
		switch got := ready(puts); {
		case len(got) == 0:
			t.Errorf("Put(2) on a full %s(1) after Close() is blocked, want ErrClosed at once: "+
				"a closed buffer never gets room for it", name)
			full.Get() // makes room, so that the blocked Put can return
		case got[0].Panicked != nil || got[0].Err != ErrClosed:
			t.Errorf("Put(2) on a full %s(1) after Close() = %+v, want ErrClosed", name, got[0])
		}
	})
}

// testCloseConcurrent calls Close from eight goroutines at once on a full buffer with a
// Put waiting: none of the calls may panic (a channel closed twice), the waiting Put
// must return ErrClosed, and the item put before Close must still come out. Under -race
// the detector reports a flag that the Closes read and write without a lock.
func testCloseConcurrent(t *testing.T, name string, newQueue func(int) queue) {
	const closers = 8
	what := fmt.Sprintf("Put(1) into a %s(1), Put(2) waiting, then Close() from %d goroutines at once",
		name, closers)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		q := newQueue(1)
		closeAtEnd(t, q)
		if r := putNow(q, 1); r.Err != nil || r.Panicked != nil {
			t.Fatalf("Put(1) into an empty %s(1) = %+v, want no error", name, r)
		}
		puts := make(chan putResult, 1)
		startPut(q, 2, puts)
		synctest.Wait()
		if early := ready(puts); len(early) > 0 {
			t.Fatalf("Put(2) on a full %s(1) returned %+v before any Get or Close, want it to wait", name, early)
		}
		start := make(chan struct{})
		panics := make([]any, closers)
		var wg sync.WaitGroup
		for i := range closers {
			wg.Go(func() {
				defer func() { panics[i] = recover() }()
				<-start
				q.Close()
			})
		}
		synctest.Wait() // every closer waits at the start line
		close(start)
		wg.Wait()
		for i, p := range panics {
			if p != nil {
				t.Errorf("%s: Close() in goroutine %d panicked: %v: two Closes at once both found the "+
					"buffer open and both closed it. Make the check and the close one step (sync.Once, "+
					"or a flag read and set under the lock)", what, i, p)
				break
			}
		}
		synctest.Wait()
		switch got := ready(puts); {
		case len(got) == 0:
			t.Errorf("%s: Put(2) still waits after Close(), want ErrClosed", what)
			q.Get() // makes room, so that the waiting Put can return
		case got[0].Panicked != nil || got[0].Err != ErrClosed:
			t.Errorf("%s: the waiting Put(2) = %+v, want ErrClosed", what, got[0])
		}
		gets := make(chan getResult, 2)
		startGets(q, 2, gets)
		synctest.Wait()
		want := []getResult{{V: 1, OK: true}, {}}
		if diff := cmp.Diff(want, ready(gets)); diff != "" {
			t.Errorf("%s, then Get() twice mismatch (-want +got): the item put before Close comes "+
				"out, then the buffer reports closed:\n%s", what, diff)
		}
	})
}

// testCloseMany runs producers and consumers on one buffer: the producers put their items,
// the test closes the buffer once they are done, and the consumers Get until ok == false.
func testCloseMany(t *testing.T, name string, newQueue func(int) queue) {
	const producers, consumers, perProducer, capacity = 4, 3, 50, 3
	what := fmt.Sprintf("%d producers putting %d items each into a %s(%d), %d consumers getting "+
		"until Close", producers, perProducer, name, capacity, consumers)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		q := newQueue(capacity)
		closeAtEnd(t, q)
		got := make([][]int, consumers)
		finished := make(chan int, consumers)
		var prod, cons sync.WaitGroup
		putErrs := startProducers(&prod, q, producers, perProducer)
		for c := range consumers {
			cons.Go(func() {
				for {
					v, ok := q.Get()
					if !ok {
						finished <- c
						return
					}
					got[c] = append(got[c], v)
				}
			})
		}
		prod.Wait()
		for p, err := range putErrs {
			if err != nil {
				t.Errorf("%s: producer %d: Put = %v before Close, want nil", what, p, err)
			}
		}
		q.Close()
		synctest.Wait()
		if n := len(ready(finished)); n < consumers {
			t.Errorf("%s: after Close, %d of %d consumers are still blocked in Get(): a closed, "+
				"drained buffer must make Get return (0, false)", what, consumers-n, consumers)
			return
		}
		cons.Wait()
		checkDelivery(t, what, got, producers, perProducer)
	})
}
