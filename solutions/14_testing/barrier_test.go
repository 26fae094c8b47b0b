package concurrencytests

import (
	"fmt"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

// The tests of Barrier. A call of Wait that must block is parked first (synctest.Wait),
// then checked: only then does "it has not returned" mean "it waits", and "it returned"
// mean "it was released".

// startBarrierWaits calls b.Wait() in n new goroutines; each sends its number to out when
// its Wait returns. out must have room for n.
func startBarrierWaits(b *Barrier, n int, out chan<- int) {
	for i := range n {
		go func() {
			b.Wait()
			out <- i
		}()
	}
}

func TestBarrierWaitsForAll(t *testing.T) {
	const what = "Wait() in 2 goroutines on a NewBarrier(3)"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBarrier(3)
		passed := make(chan int, 3)
		startBarrierWaits(b, 2, passed)
		synctest.Wait() // both have done all they can: returned, or parked in Wait
		if early := ready(passed); len(early) > 0 {
			t.Errorf("%s: %d of the 2 Wait() returned before a third goroutine arrived, want none: "+
				"the barrier released early; nobody passes until all 3 have called Wait", what, len(early))
			return
		}
		startBarrierWaits(b, 1, passed) // the third arrival releases the two, so nothing leaks
		synctest.Wait()
	})
}

func TestBarrierReleasesAll(t *testing.T) {
	const what = "Wait() in 2 goroutines on a NewBarrier(3), then in a third"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBarrier(3)
		passed := make(chan int, 3)
		startBarrierWaits(b, 2, passed)
		synctest.Wait()
		startBarrierWaits(b, 1, passed)
		synctest.Wait() // no fake time passes: only goroutines that were woken can have returned
		if got := ready(passed); len(got) != 3 {
			t.Errorf("%s: %d of the 3 Wait() returned once the third arrived, with no time passed, "+
				"want all 3 released together: the last arrival must wake every goroutine waiting in its "+
				"generation (Broadcast, or close a channel), and a waiter must not sleep and poll",
				what, len(got))
			return
		}

		single := NewBarrier(1)
		startBarrierWaits(single, 2, passed)
		synctest.Wait()
		if got := ready(passed); len(got) != 2 {
			t.Errorf("Wait() in 2 goroutines on a NewBarrier(1): %d returned, want 2: with n = 1 "+
				"every Wait is the last of its generation and returns immediately", len(got))
		}
	})
}

func TestBarrierGenerations(t *testing.T) {
	const n, arrivals = 3, 9
	what := fmt.Sprintf("%d goroutines calling Wait() one after another on a NewBarrier(%d)", arrivals, n)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBarrier(n)
		passed := make(chan int, 2*arrivals)
		var got, want []int
		total := 0
		for k := 1; k <= arrivals; k++ {
			startBarrierWaits(b, 1, passed)
			synctest.Wait() // the new arrival is parked, or released its generation
			total += len(ready(passed))
			got = append(got, total)
			want = append(want, k/n*n)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: after each arrival, the number of Wait() that had returned mismatch "+
				"(-want +got): exactly %d pass per generation, generation after generation. More "+
				"means a Wait of a later generation passed without waiting for its own %d (the "+
				"barrier stayed open after its first release); fewer means a generation was never "+
				"released:\n%s", what, n, n, diff)
		}
	})
}

// backToBackRounds is how many generations TestBarrierBackToBack runs: the test's own
// goroutine comes back before the woken one runs in most of them.
const backToBackRounds = 10

// TestBarrierBackToBack has the test's goroutine arrive last in a generation and call
// Wait again immediately, before the goroutine it released has run (one P: see oneProc). The
// barrier must tell the two generations apart: the released goroutine passes, and the
// test's next Wait waits for it.
func TestBarrierBackToBack(t *testing.T) {
	oneProc(t)
	const what = "goroutine A calling Wait() in a loop on a NewBarrier(2); the test, the other " +
		"party, arrives last in each generation and calls Wait() again immediately"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBarrier(2)
		var arrived atomic.Int64 // how many calls of Wait A has made
		go func() {
			for range 2 * backToBackRounds {
				arrived.Add(1)
				b.Wait()
			}
		}()
		for g := 1; g <= 2*backToBackRounds; g++ {
			if g%2 == 1 {
				synctest.Wait() // A is parked in generation g: the test arrives last
			}
			b.Wait() // in even generations, the test comes back before A has even woken
			// Generation g needs A's g-th call, and A cannot pass generation g+1 without the test.
			switch a := arrived.Load(); {
			case a < int64(g):
				t.Errorf("%s: the test passed generation %d while A had called Wait only %d times: "+
					"the test's Wait passed without A. A release left for the waiters of generation "+
					"%d was taken by the next generation's first arrival", what, g, a, g-1)
				return
			case a > int64(g+1):
				t.Errorf("%s: A called Wait %d times while the test had passed only generation %d: "+
					"A passed a generation without the test", what, a, g)
				return
			}
		}
	})
}
