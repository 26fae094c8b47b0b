package conditions

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

func newChanBuffer(capacity int) queue { return NewChanBuffer(capacity) }

func TestChanHandoff(t *testing.T) {
	const what = "Get() on an empty ChanBuffer(2), Put(1), Put(2), Put(3), then Get() three times"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewChanBuffer(2)
		closeAtEnd(t, b)
		gets := make(chan getResult, 4)
		startGets(b, 1, gets)
		synctest.Wait()
		if early := ready(gets); len(early) > 0 {
			t.Fatalf("Get() on an empty ChanBuffer(2) returned %+v before any Put, want it to wait", early)
		}
		assertParked(t, "Get() on an empty ChanBuffer(2)", "(*ChanBuffer).Get", "chan receive", "select")
		if r := putNow(b, 1); r.Err != nil || r.Panicked != nil {
			t.Fatalf("Put(1) on an empty ChanBuffer(2) = %+v, want no error", r)
		}
		synctest.Wait()
		want := []getResult{{V: 1, OK: true}}
		if diff := cmp.Diff(want, ready(gets)); diff != "" {
			t.Fatalf("Get() waiting on an empty ChanBuffer(2), then Put(1): Get mismatch (-want +got):\n%s", diff)
		}

		for v := 2; v <= 3; v++ {
			if r := putNow(b, v); r.Err != nil || r.Panicked != nil {
				t.Fatalf("Put(%d) on a ChanBuffer(2) = %+v, want no error", v, r)
			}
		}
		puts := make(chan putResult, 1)
		startPut(b, 4, puts)
		synctest.Wait()
		if early := ready(puts); len(early) > 0 {
			t.Fatalf("Put(4) on a full ChanBuffer(2) returned %+v before any Get, want it to wait", early)
		}
		assertParked(t, "Put(4) on a full ChanBuffer(2)", "(*ChanBuffer).Put", "chan send", "select")
		startGets(b, 3, gets)
		synctest.Wait()
		want = []getResult{{V: 2, OK: true}, {V: 3, OK: true}, {V: 4, OK: true}}
		if diff := cmp.Diff(want, ready(gets)); diff != "" {
			t.Errorf("Put(2), Put(3), Put(4) on a ChanBuffer(2), then Get() three times mismatch "+
				"(-want +got): the buffer is first-in, first-out, and Get makes room for the waiting Put:\n%s", diff)
		}
		if r := ready(puts); len(r) != 1 || r[0] != (putResult{V: 4}) {
			t.Errorf("Put(4) waiting on a full ChanBuffer(2), then Get(): Put returned %+v, want [{V:4}]", r)
		}
	})
}

func TestChanCloseDrains(t *testing.T) {
	testCloseDrains(t, "ChanBuffer", newChanBuffer, 16)
}

func TestChanCloseWakesAll(t *testing.T) {
	testCloseWakesAll(t, "ChanBuffer", newChanBuffer)
}

func TestChanPutAfterClose(t *testing.T) {
	testPutAfterClose(t, "ChanBuffer", newChanBuffer)
}

func TestChanManyProducersConsumers(t *testing.T) {
	testCloseMany(t, "ChanBuffer", newChanBuffer)
}

// TestChanCloseConcurrent closes a ChanBuffer from several goroutines at the same time:
// once with a Put waiting (waiting_put), then, again and again for a second, two Closes
// of a new ChanBuffer started together on threads of their own (collide). No Close may
// panic. A Close that checks whether the buffer is closed (a select on a done channel,
// a flag) and then closes its channels lets two Closes both see it open: both close, and
// the second one panics with "close of closed channel". That window is a few
// nanoseconds wide, and only two Closes running on two cores at that very moment fall
// into it, so collide repeats the race until the two Closes have run at the same time in
// 200 rounds.
func TestChanCloseConcurrent(t *testing.T) {
	t.Run("waiting_put", func(t *testing.T) {
		testCloseConcurrent(t, "ChanBuffer", newChanBuffer)
	})
	t.Run("collide", testChanCloseCollide)
}

// A collide run ends once the two Closes of a round have run at the same time (their
// calls overlapped) in collideOverlaps rounds, or after collideTime of real time. A
// Close that checks and then closes panics in about half of such rounds; a busy machine
// gives fewer of them a second, and the test then runs longer.
const (
	collideOverlaps = 200
	collideTime     = 5 * time.Second
)

func testChanCloseCollide(t *testing.T) {
	// At least four threads, whatever -cpu says, so that the two Closes really run at the
	// same time; on one thread each would run from start to end in turn.
	prev := runtime.GOMAXPROCS(max(4, runtime.GOMAXPROCS(0)))
	defer runtime.GOMAXPROCS(prev)
	const what = "Close() of a new ChanBuffer(1) from two goroutines at the same time"
	var (
		step     lockstep
		cur      *ChanBuffer // the buffer of this round, set by goroutine 0 before they meet
		panics   [2]any
		spans    [2][2]time.Duration // when each Close of this round began and ended
		stop     bool                // set by goroutine 0 before they meet
		rounds   int
		overlaps int
		failure  string
	)
	t0 := time.Now()
	deadline := t0.Add(collideTime)
	guard.Run(t, guard.Limit, what, func() {
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() {
				for k := int64(1); ; k += 2 {
					if i == 0 {
						cur = NewChanBuffer(1)
					}
					step.meet(k) // both see cur, and stop, as goroutine 0 left them
					if stop {
						return
					}
					began := time.Since(t0)
					panics[i] = recovered(cur.Close)
					spans[i] = [2]time.Duration{began, time.Since(t0)}
					step.meet(k + 1) // both Closes have returned
					if i != 0 {
						continue
					}
					rounds++
					if spans[0][0] < spans[1][1] && spans[1][0] < spans[0][1] {
						overlaps++
					}
					for j, p := range panics {
						if p != nil {
							failure = fmt.Sprintf("the Close() of goroutine %d panicked: %v", j, p)
						}
					}
					for range 1000 { // drain it, so that a goroutine it may own can end
						if _, ok := cur.Get(); !ok {
							break
						}
					}
					panics = [2]any{}
					stop = failure != "" || overlaps >= collideOverlaps || time.Now().After(deadline)
				}
			})
		}
		wg.Wait()
	})
	if failure != "" {
		t.Errorf("%s (round %d): %s, want every Close to return: calls after the first do nothing. "+
			"Both looked, saw the buffer open, and both closed it. Looking (a select on done, a flag "+
			"read without a lock) and then closing is two steps, and another Close can come in "+
			"between; the race detector cannot see it, since a channel operation is not a memory "+
			"access it watches. Make the look and the close one step: sync.Once runs the close "+
			"once, and makes the other Closes wait until it is done.", what, rounds, failure)
	}
}

// lockstep lets two goroutines meet: the k-th call of meet by either returns once both
// have called it k times. They spin while they wait, so that both leave at the same
// instant, as far as the machine allows.
type lockstep struct{ n atomic.Int64 }

func (l *lockstep) meet(k int64) {
	l.n.Add(1)
	for i := 0; l.n.Load() < 2*k; i++ {
		if i%(1<<12) == (1<<12)-1 {
			runtime.Gosched() // let the other one run if it waits for this thread
		}
	}
}

// recovered calls f and returns the value it panicked with, or nil.
func recovered(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}
