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
// once with a Put waiting (waiting_put), then, one new ChanBuffer after another, from
// eight goroutines on threads of their own (collide). No Close may
// panic. A Close that checks whether the buffer is closed (a select on a done channel,
// a flag) and then closes its channels lets two Closes both see it open: both close, and
// the second one panics with "close of closed channel". That window is a few
// nanoseconds wide, and only two Closes running on two cores at that very moment fall
// into it, so collide repeats the race thousands of times.
func TestChanCloseConcurrent(t *testing.T) {
	t.Run("waiting_put", func(t *testing.T) {
		testCloseConcurrent(t, "ChanBuffer", newChanBuffer)
	})
	t.Run("collide", testChanCloseCollide)
}

// testChanCloseCollide closes collideRounds buffers, or closes them for collideTime if
// that comes first. A Close that checks and then closes panicked here at least once
// every 800 buffers, even on two cores kept busy by twenty other processes.
const (
	collideRounds = 20_000
	collideTime   = 5 * time.Second
)

// collideRound is one buffer of testChanCloseCollide, and whether a goroutine has
// claimed the job of starting the next round.
type collideRound struct {
	b       *ChanBuffer
	n       int
	claimed atomic.Bool
}

// testChanCloseCollide has eight goroutines close one new ChanBuffer after another,
// 20,000 of them: each closes the buffer of the current round, and the first to be done
// with it puts a new one in its place, which all of them then race to close. No Close may
// panic. Nothing waits for a goroutine that the machine does not run, so whenever two of
// them run at the same time they close the same buffer at the same time.
func testChanCloseCollide(t *testing.T) {
	const closers = 8
	// At least eight threads, whatever -cpu says, so that the Closes really run at the
	// same time; on one thread each would run from start to end in turn.
	prev := runtime.GOMAXPROCS(max(closers, runtime.GOMAXPROCS(0)))
	defer runtime.GOMAXPROCS(prev)
	const what = "Close() of a new ChanBuffer(1) from eight goroutines at the same time"
	var (
		cur    atomic.Pointer[collideRound]
		stop   atomic.Bool
		failed = make(chan string, 1)
	)
	cur.Store(&collideRound{b: NewChanBuffer(1), n: 1})
	timer := time.AfterFunc(collideTime, func() { stop.Store(true) })
	defer timer.Stop()
	guard.Run(t, guard.Limit, what, func() {
		var wg sync.WaitGroup
		for i := range closers {
			wg.Go(func() {
				for !stop.Load() {
					r := cur.Load()
					if p := recovered(r.b.Close); p != nil {
						select {
						case failed <- fmt.Sprintf("(buffer %d) the Close() of goroutine %d panicked: %v", r.n, i, p):
						default:
						}
						stop.Store(true)
						return
					}
					if !r.claimed.CompareAndSwap(false, true) {
						for cur.Load() == r && !stop.Load() {
							runtime.Gosched() // the next round is on its way
						}
						continue
					}
					if r.n == collideRounds {
						stop.Store(true)
						continue
					}
					cur.Store(&collideRound{b: NewChanBuffer(1), n: r.n + 1})
					drain(r.b)
				}
			})
		}
		wg.Wait()
		last := cur.Load()
		last.b.Close()
		drain(last.b)
	})
	select {
	case failure := <-failed:
		t.Errorf("%s %s, want every Close to return: calls after the first do nothing. Two Closes "+
			"looked, saw the buffer open, and both closed it. Looking (a select on done, a flag read "+
			"without a lock) and then closing is two steps, and another Close can come in between; "+
			"the race detector cannot see it, since a channel operation is not a memory access it "+
			"watches. Make the look and the close one step: sync.Once runs the close once, and makes "+
			"the other Closes wait until it is done.", what, failure)
	default:
	}
}

// drain calls b.Get until it reports the buffer closed and drained (at most 1000 times),
// so that a goroutine the buffer may own can end.
func drain(b *ChanBuffer) {
	for range 1000 {
		if _, ok := b.Get(); !ok {
			return
		}
	}
}

// recovered calls f and returns the value it panicked with, or nil.
func recovered(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}
