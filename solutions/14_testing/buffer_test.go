package concurrencytests

import (
	"errors"
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The tests of Buffer. Each runs its body in a synctest bubble through guard.Bubble:
// a Get that never wakes up becomes a failure that names it, not a hung test binary,
// and synctest.Wait tells when every goroutine the test started is parked.

// getResult is what one call of Get returned, or what it panicked with. A panic in a
// goroutine the test started would kill the whole test binary; recovered, it is a
// failure like any other.
type getResult struct {
	V     int
	OK    bool
	Panic any
}

// putResult is what one call of Put(V) returned, or what it panicked with.
type putResult struct {
	V     int
	Err   error
	Panic any
}

// startGets calls b.Get() n times, one after the other, in a new goroutine, and sends
// each result to out, which must have room for n.
func startGets(b *Buffer, n int, out chan<- getResult) {
	go func() {
		for range n {
			var r getResult
			func() {
				defer func() { r.Panic = recover() }()
				r.V, r.OK = b.Get()
			}()
			out <- r
		}
	}()
}

// startPut calls b.Put(v) in a new goroutine and sends the result to out, which must
// have room for it.
func startPut(b *Buffer, v int, out chan<- putResult) {
	go func() {
		r := putResult{V: v}
		defer func() {
			r.Panic = recover()
			out <- r
		}()
		r.Err = b.Put(v)
	}()
}

// recovered calls f and returns what it panicked with, or nil.
func recovered(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

func TestBufferFIFO(t *testing.T) {
	const what = "Put(1), Put(2), Put(3) into a Buffer(3), then Get() three times"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBuffer(3)
		for v := 1; v <= 3; v++ {
			require.NoError(t, b.Put(v), "Put(%d) into a Buffer(3) with room", v)
		}
		var got []int
		for range 3 {
			v, ok := b.Get()
			require.True(t, ok, "Get() on an open Buffer(3) holding items reported closed")
			got = append(got, v)
		}
		if diff := cmp.Diff([]int{1, 2, 3}, got); diff != "" {
			t.Errorf("%s: items mismatch (-want +got): the buffer is first-in, first-out:\n%s", what, diff)
		}
	})
}

func TestBufferGetWaits(t *testing.T) {
	const what = "Get() on an empty Buffer(2), then Put(7)"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBuffer(2)
		defer b.Close() // wakes the Get if the test fails before it returns
		gets := make(chan getResult, 1)
		startGets(b, 1, gets)
		synctest.Wait() // the Get has run as far as it can: it returned, or it is parked
		if early := ready(gets); len(early) > 0 {
			t.Fatalf("Get() on an empty Buffer(2) returned %+v before any Put, want it to wait", early[0])
		}

		require.NoError(t, b.Put(7), "Put(7) on an empty Buffer(2)")
		synctest.Wait() // no fake time passes: only a Get that was woken can have returned
		got := ready(gets)
		if len(got) == 0 {
			t.Fatalf("%s: Get() still waits after Put(7) returned, with no time passed, want it "+
				"to return 7 immediately: Put must wake a waiting Get (a lost wake-up), and a Get "+
				"must not sleep and poll the buffer (it answers late)", what)
		}
		if diff := cmp.Diff(getResult{V: 7, OK: true}, got[0]); diff != "" {
			t.Errorf("%s: Get() mismatch (-want +got):\n%s", what, diff)
		}
	})
}

func TestBufferPutWaits(t *testing.T) {
	const what = "Put(1), Put(2) into a Buffer(2), Put(3), then Get() three times"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBuffer(2)
		defer b.Close() // wakes the Put if the test fails before it returns
		require.NoError(t, b.Put(1), "Put(1) on an empty Buffer(2)")
		require.NoError(t, b.Put(2), "Put(2) on a Buffer(2) holding 1 item")
		puts := make(chan putResult, 1)
		startPut(b, 3, puts)
		synctest.Wait()
		if early := ready(puts); len(early) > 0 {
			t.Fatalf("Put(3) on a full Buffer(2) returned %+v before any Get, want it to wait: "+
				"a Put that does not wait for room overwrites or drops an item", early[0])
		}

		got := make(chan getResult, 3)
		startGets(b, 1, got)
		synctest.Wait()
		if len(ready(puts)) == 0 {
			t.Errorf("%s: Put(3) still waits after Get() made room, want it to return immediately: "+
				"Get must wake a waiting Put", what)
			return
		}
		startGets(b, 2, got)
		synctest.Wait()
		want := []getResult{{V: 1, OK: true}, {V: 2, OK: true}, {V: 3, OK: true}}
		if diff := cmp.Diff(want, ready(got)); diff != "" {
			t.Errorf("%s: Get() results mismatch (-want +got): every item comes out once, in the "+
				"order it was put:\n%s", what, diff)
		}
	})
}

// getRounds is how many times TestBufferGetRechecks repeats its scenario. The order that
// exposes the bug (the new Get runs before the woken one) comes up in about half the
// rounds under -race, which picks among runnable goroutines at random: 20 rounds miss it
// about once in a million runs.
const getRounds = 20

// TestBufferGetRechecks wakes a waiting Get and lets another Get reach the buffer first,
// as happens all the time under load: the woken Get finds the buffer empty again and
// must go back to waiting. A Get with an if instead of a for around Wait takes an item
// that is not there.
func TestBufferGetRechecks(t *testing.T) {
	oneProc(t)
	const what = "Get() waiting on an empty Buffer(1), Put(v), then a second Get()"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBuffer(1)
		defer b.Close()
		gets := make(chan getResult, 2)
		for round := range getRounds {
			v := round + 1
			startGets(b, 1, gets)
			synctest.Wait() // the first Get waits on the empty buffer
			require.NoError(t, b.Put(v), "Put(%d) on an empty Buffer(1)", v)
			startGets(b, 1, gets) // with one P, it usually runs before the woken Get and takes v
			synctest.Wait()
			if diff := cmp.Diff([]getResult{{V: v, OK: true}}, ready(gets)); diff != "" {
				t.Errorf("%s, with v=%d: the Gets that returned mismatch (-want +got): one item "+
					"comes out once. The other Get was woken, found the buffer empty again and must "+
					"wait again (for, not if, around Wait):\n%s", what, v, diff)
				return
			}
			require.NoError(t, b.Put(-v), "Put(%d) on an empty Buffer(1)", -v)
			synctest.Wait()
			if diff := cmp.Diff([]getResult{{V: -v, OK: true}}, ready(gets)); diff != "" {
				t.Errorf("%s, with v=%d, then Put(%d): the waiting Get mismatch (-want +got):\n%s",
					what, v, -v, diff)
				return
			}
		}
	})
}

func TestBufferCloseDrains(t *testing.T) {
	const what = "Put(1), Put(2) into a Buffer(3), Close(), Put(3), Close() again, then Get() four times"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBuffer(3)
		require.NoError(t, b.Put(1), "Put(1) on an empty Buffer(3)")
		require.NoError(t, b.Put(2), "Put(2) on a Buffer(3) holding 1 item")
		b.Close()
		if err := b.Put(3); !errors.Is(err, ErrClosed) {
			t.Errorf("%s: Put(3) after Close() = %v, want ErrClosed: a closed buffer takes nothing, "+
				"even when it has room", what, err)
		}
		if p := recovered(b.Close); p != nil {
			t.Errorf("%s: the second Close() panicked: %v, want it to do nothing", what, p)
		}
		gets := make(chan getResult, 4)
		startGets(b, 4, gets)
		synctest.Wait()
		got := ready(gets)
		want := []getResult{{V: 1, OK: true}, {V: 2, OK: true}, {}, {}}
		if len(got) < len(want) {
			t.Errorf("%s: Get() call %d is still blocked: once the buffer is closed and drained, "+
				"Get must return (0, false) immediately, not wait for a Put that can never come",
				what, len(got)+1)
		}
		if diff := cmp.Diff(want[:len(got)], got); diff != "" {
			t.Errorf("%s: Get() results mismatch (-want +got): Close must not drop the items "+
				"already buffered, and Get reports ok == false only once they are all taken:\n%s",
				what, diff)
		}
	})
}

func TestBufferCloseWakesAll(t *testing.T) {
	const waiters = 3
	what := fmt.Sprintf("%d Gets waiting on an empty Buffer(1) and %d Puts on a full one, then Close() on each",
		waiters, waiters)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		empty, full := NewBuffer(1), NewBuffer(1)
		require.NoError(t, full.Put(100), "Put(100) on an empty Buffer(1)")
		gets := make(chan getResult, waiters)
		puts := make(chan putResult, waiters)
		for i := range waiters {
			startGets(empty, 1, gets)
			startPut(full, i+1, puts)
		}
		synctest.Wait()
		if early := ready(gets); len(early) > 0 {
			t.Fatalf("Get() on an empty Buffer(1) returned %+v before any Put or Close, want it to wait", early[0])
		}
		if early := ready(puts); len(early) > 0 {
			t.Fatalf("Put(%d) on a full Buffer(1) returned %+v before any Get or Close, want it to wait",
				early[0].V, early[0])
		}

		empty.Close()
		full.Close()
		synctest.Wait()
		gotGets, gotPuts := ready(gets), ready(puts)
		if len(gotGets) < waiters || len(gotPuts) < waiters {
			t.Errorf("%s: Close() woke %d of the %d waiting Gets and %d of the %d waiting Puts, "+
				"want all of them: Close must wake every waiter (Broadcast on each condition); "+
				"Signal wakes only one", what, len(gotGets), waiters, len(gotPuts), waiters)
		}
		for _, r := range gotGets {
			if diff := cmp.Diff(getResult{}, r); diff != "" {
				t.Errorf("%s: a Get woken by Close mismatch (-want +got): the buffer is empty and "+
					"closed:\n%s", what, diff)
			}
		}
		for _, r := range gotPuts {
			if !errors.Is(r.Err, ErrClosed) || r.Panic != nil {
				t.Errorf("%s: a Put woken by Close returned %+v, want ErrClosed", what, r)
			}
		}
	})
}
