package conditions

import (
	"testing"
	"testing/synctest"

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

func TestChanCloseConcurrent(t *testing.T) {
	testCloseConcurrent(t, "ChanBuffer", newChanBuffer)
}
