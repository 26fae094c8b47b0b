package coordination

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

func TestSemaphoreHolders(t *testing.T) {
	const permits, workers, hold = 3, 10, 100 * time.Millisecond
	what := fmt.Sprintf("%d goroutines that each Acquire, hold for %v and Release a NewSemaphore(%d)",
		workers, hold, permits)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		s := NewSemaphore(permits)
		var holders gauge
		errs := make(chan error, workers)
		start := time.Now()
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				if err := s.Acquire(context.Background()); err != nil {
					errs <- fmt.Errorf("goroutine %d: Acquire(context.Background()) = %w, want nil", w, err)
					return
				}
				holders.enter(1)
				time.Sleep(hold)
				holders.leave(1)
				if err := s.Release(); err != nil {
					errs <- fmt.Errorf("goroutine %d: Release() after its Acquire = %w, want nil", w, err)
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		for _, err := range ready(errs) {
			t.Errorf("%s: %v", what, err)
		}
		switch peak := holders.max(); {
		case peak > permits:
			t.Errorf("%s: %d goroutines held a permit at once, want at most %d: Acquire let a "+
				"goroutine in while every permit was taken; it must wait until a Release frees one",
				what, peak, permits)
		case peak < permits:
			t.Errorf("%s: at most %d goroutines held a permit at once, want %d: Acquire made a "+
				"goroutine wait while a permit was free", what, peak, permits)
		}
		want := (workers + permits - 1) / permits * hold
		if elapsed != want {
			t.Errorf("%s took %v of fake time, want %v (%d rounds of %d holders): each Release "+
				"must hand its permit to a waiting Acquire at once, without polling", what, elapsed, want,
				want/hold, permits)
		}
	})
}

func TestSemaphoreWakes(t *testing.T) {
	const what = "Acquire() on a NewSemaphore(1) whose permit is held, then Release()"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		s := NewSemaphore(1)
		if err := s.Acquire(context.Background()); err != nil {
			t.Fatalf("Acquire(context.Background()) on a NewSemaphore(1) = %v, want nil", err)
		}
		acquired := make(chan error, 1)
		go func() { acquired <- s.Acquire(context.Background()) }()
		synctest.Wait()
		if early := ready(acquired); len(early) > 0 {
			t.Errorf("%s: the second Acquire() returned %v while the only permit was held, want it to "+
				"wait: a semaphore of 1 lets one holder in at a time", what, early[0])
			return
		}
		if err := s.Release(); err != nil {
			t.Fatalf("%s: Release() by the holder = %v, want nil", what, err)
		}
		synctest.Wait()
		got := ready(acquired)
		if len(got) == 0 {
			t.Errorf("%s: the waiting Acquire() still waits after Release() returned, want it to "+
				"take the freed permit at once: Release must wake a waiter (a receive that frees "+
				"room in the channel does), not leave it to poll", what)
			s.Release() // the permit the waiter may be polling for
			<-acquired  // lets the waiter end
			s.Release()
			return
		}
		if got[0] != nil {
			t.Errorf("%s: the waiting Acquire() = %v, want nil", what, got[0])
			return
		}
		if err := s.Release(); err != nil {
			t.Errorf("%s: Release() by the second holder = %v, want nil", what, err)
		}
	})
}

func TestSemaphoreAcquireContext(t *testing.T) {
	const timeout = 50 * time.Millisecond
	what := fmt.Sprintf("Acquire(ctx with a %v timeout) on a NewSemaphore(2) with both permits held", timeout)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		s := NewSemaphore(2)
		for i := range 2 {
			if err := s.Acquire(context.Background()); err != nil {
				t.Fatalf("Acquire(context.Background()) number %d on a NewSemaphore(2) = %v, want nil", i+1, err)
			}
		}
		type result struct {
			err  error
			took time.Duration
		}
		results := make(chan result, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			start := time.Now()
			err := s.Acquire(ctx)
			results <- result{err, time.Since(start)}
		}()
		time.Sleep(timeout)
		synctest.Wait()
		got := ready(results)
		if len(got) == 0 {
			t.Errorf("%s: Acquire is still waiting after the %v deadline, want it to return "+
				"context.DeadlineExceeded then: this is Python's acquire(timeout=); Acquire must wait "+
				"on ctx.Done() as well as for a permit (a select with both)", what, timeout)
			s.Release() // lets the stuck Acquire in, so that it ends
			<-results
			return
		}
		if !errors.Is(got[0].err, context.DeadlineExceeded) || got[0].took != timeout {
			t.Errorf("%s = %v after %v of fake time, want context.DeadlineExceeded after %v: while "+
				"every permit is held, Acquire must wait until ctx is done and then fail",
				what, got[0].err, got[0].took, timeout)
			return
		}

		// The Acquire that failed holds nothing: after one Release a new Acquire gets in.
		if err := s.Release(); err != nil {
			t.Fatalf("%s: Release() by one of the two holders = %v, want nil", what, err)
		}
		acquired := make(chan error, 1)
		go func() { acquired <- s.Acquire(context.Background()) }()
		synctest.Wait()
		if len(ready(acquired)) == 0 {
			t.Errorf("%s, then Release() and Acquire(): the new Acquire waits, but only one permit "+
				"of two is held: the Acquire that timed out kept a permit although it returned an error",
				what)
			s.Release()
			<-acquired
		}

		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		if err := s.Acquire(cancelled); !errors.Is(err, context.Canceled) {
			t.Errorf("Acquire(a cancelled ctx) on a NewSemaphore(2) with both permits held = %v, "+
				"want context.Canceled at once", err)
		}
	})
}

func TestSemaphoreTryAcquire(t *testing.T) {
	const what = "TryAcquire() three times on a NewSemaphore(2), Release(), TryAcquire() twice"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		s := NewSemaphore(2)
		var got []bool
		for range 3 {
			got = append(got, s.TryAcquire())
		}
		if err := s.Release(); err != nil {
			t.Errorf("%s: Release() after two TryAcquire() = %v, want nil", what, err)
		}
		for range 2 {
			got = append(got, s.TryAcquire())
		}
		want := []bool{true, true, false, true, false}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v: TryAcquire takes a free permit, and reports false at once "+
				"when all are held (a select with a default case)", what, got, want)
		}
	})
}

func TestSemaphoreOverRelease(t *testing.T) {
	const what = "Release() on a NewSemaphore(2) that holds no permit"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		s := NewSemaphore(2)
		released := make(chan error, 1)
		go func() { released <- s.Release() }()
		synctest.Wait()
		got := ready(released)
		if len(got) == 0 {
			t.Errorf("%s is still blocked, want ErrOverRelease at once: a receive from an empty "+
				"channel waits for a send that may never come; use a select with a default case", what)
			s.TryAcquire() // hands the blocked Release something to receive
			<-released
			return
		}
		if !errors.Is(got[0], ErrOverRelease) {
			t.Errorf("%s = %v, want ErrOverRelease: a bounded semaphore refuses a release it never "+
				"handed out (Python's BoundedSemaphore raises ValueError); accepting it hides a bug in "+
				"the caller, or lets one goroutine more than the permits in", what, got[0])
		}
		var took int
		for range 3 {
			if s.TryAcquire() {
				took++
			}
		}
		if took != 2 {
			t.Errorf("%s, then TryAcquire() three times: %d succeeded, want 2: the refused Release "+
				"must not add a permit", what, took)
		}
		for i := range 2 {
			if err := s.Release(); err != nil {
				t.Errorf("Release() number %d on a NewSemaphore(2) holding 2 permits = %v, want nil", i+1, err)
			}
		}
		if err := s.Release(); !errors.Is(err, ErrOverRelease) {
			t.Errorf("Acquire twice, Release three times on a NewSemaphore(2): the third Release() = %v, "+
				"want ErrOverRelease: one Release per permit held, no more", err)
		}
	})
}
