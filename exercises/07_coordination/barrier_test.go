package coordination

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

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

func TestBarrierReleasesTogether(t *testing.T) {
	const what = "Wait() in 2 goroutines on a NewBarrier(3), then in a third"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBarrier(3)
		passed := make(chan int, 3)
		startBarrierWaits(b, 2, passed)
		synctest.Wait()
		if early := ready(passed); len(early) > 0 {
			t.Errorf("%s: %d of the first 2 Wait() returned before the third goroutine arrived, want "+
				"none: the barrier released early; nobody passes until all 3 have called Wait",
				what, len(early))
			startBarrierWaits(b, 3-len(early), passed) // completes what the barrier waits for, if anything
			synctest.Wait()
			return
		}
		startBarrierWaits(b, 1, passed)
		synctest.Wait()
		if got := ready(passed); len(got) != 3 {
			t.Errorf("%s: %d of the 3 Wait() returned once the third arrived, want all 3: the last "+
				"arrival must release every goroutine waiting in its generation", what, len(got))
			return
		}

		single := NewBarrier(1)
		startBarrierWaits(single, 2, passed)
		synctest.Wait()
		if got := ready(passed); len(got) != 2 {
			t.Errorf("Wait() twice on a NewBarrier(1): %d returned, want 2: with n = 1 every Wait is "+
				"the last of its generation and returns at once", len(got))
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
			synctest.Wait()
			total += len(ready(passed))
			got = append(got, total)
			want = append(want, k/n*n)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: after each arrival, the number of Wait() that had returned mismatch "+
				"(-want +got): exactly %d pass per generation, and the barrier is used again and "+
				"again. More than that means a Wait of the next generation passed without waiting "+
				"for its own %d (the barrier released only once and stayed open, or early); fewer "+
				"means a generation was not released:\n%s", what, n, n, diff)
		}
		if rest := arrivals - total; rest > 0 {
			startBarrierWaits(b, n-rest%n, passed) // releases the goroutines still waiting, if it can
		}
	})
}

func TestBarrierReusable(t *testing.T) {
	const parties, rounds = 3, 5
	what := fmt.Sprintf("%d goroutines, goroutine g sleeping (g+1)×10ms before each of %d Wait() "+
		"on a NewBarrier(%d)", parties, rounds, parties)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBarrier(parties)
		start := time.Now()
		passedAt := make([][]time.Duration, parties)
		var wg sync.WaitGroup
		for g := range parties {
			wg.Go(func() {
				for range rounds {
					time.Sleep(time.Duration(g+1) * 10 * time.Millisecond)
					b.Wait()
					passedAt[g] = append(passedAt[g], time.Since(start))
				}
			})
		}
		wg.Wait()
		want := make([][]time.Duration, parties)
		for g := range parties {
			for r := range rounds {
				// Each round ends when the slowest goroutine (30ms per round) arrives.
				want[g] = append(want[g], time.Duration(r+1)*30*time.Millisecond)
			}
		}
		if diff := cmp.Diff(want, passedAt); diff != "" {
			t.Errorf("%s: the fake time at which each goroutine (row) passed each round (column) "+
				"mismatch (-want +got): every round, all %d pass together when the slowest arrives. "+
				"A goroutine passing earlier went through a barrier that released early or "+
				"stayed open after its first generation:\n%s", what, parties, diff)
		}
	})
}

func TestBarrierNoLapping(t *testing.T) {
	oneProc(t)
	const rounds = 10
	const what = "goroutine A calling Wait() in a loop on a NewBarrier(2); the test, the second " +
		"party, arrives last in one generation and calls Wait() again at once"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		b := NewBarrier(2)
		var entered atomic.Int64 // how many Wait calls A has started
		go func() {
			for g := range 2 * rounds {
				entered.Store(int64(g + 1))
				b.Wait()
			}
		}()
		check := func(g int) bool {
			// When the test leaves generation g, A has arrived at g but cannot have passed g+1,
			// which needs the test: A has entered generation g or g+1.
			e := entered.Load()
			switch {
			case e < int64(g+1):
				t.Errorf("%s: the test passed generation %d while A had called Wait only %d times, "+
					"want A to arrive in generation %d first: the test lapped A. The last arrival of "+
					"generation %d released it, and the test's next Wait used that release again "+
					"before A took it; give every generation its own release (a new channel, or a "+
					"generation number that waiters compare)", what, g, e, g, g-1)
				return false
			case e > int64(g+2):
				t.Errorf("%s: A called Wait %d times while the test passed only generation %d, want "+
					"at most %d: A passed a generation without the test, which the barrier must wait for",
					what, e, g, g+2)
				return false
			}
			return true
		}
		for k := range rounds {
			synctest.Wait() // A waits in generation 2k
			b.Wait()        // the last arrival of 2k: releases A, which cannot run before the test blocks
			if !check(2 * k) {
				return
			}
			b.Wait() // generation 2k+1: must wait for A
			if !check(2*k + 1) {
				return
			}
		}
	})
}
