package deadlock

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

// The TryTransfer tests run in synctest bubbles: TryLock never blocks and the back-off
// sleeps in fake time, so a whole second of retries takes no real time. A loop that
// retries without sleeping never lets fake time pass: the bubble's real-time limit
// (spinLimit) reports it.
const spinLimit = 2 * time.Second

func TestTryTransferMoves(t *testing.T) {
	for _, tc := range moveCases {
		call := fmt.Sprintf("TryTransfer(ctx, from with %d, to with %d, %d)", tc.from, tc.to, tc.amount)
		if tc.same {
			call = fmt.Sprintf("TryTransfer(ctx, a, a, %d) with a holding %d", tc.amount, tc.from)
		}
		t.Run(tc.name, func(t *testing.T) {
			guard.Bubble(t, spinLimit, call, func(t *testing.T) {
				from, to := NewAccount(1, tc.from), NewAccount(2, tc.to)
				if tc.same {
					to = from
				}
				ctx, cancel := context.WithTimeout(t.Context(), time.Second)
				defer cancel()
				err := TryTransfer(ctx, from, to, tc.amount)
				if tc.wantErr == nil {
					if err != nil {
						t.Errorf("%s with no other transfer running = %v, want nil: both TryLocks succeed "+
							"at the first try and from holds the amount, so the money must move", call, err)
					}
				} else if !errors.Is(err, tc.wantErr) {
					t.Errorf("%s = %v, want %v: check from == to first (TryLock on a mutex you already "+
						"hold always fails), then that the amount is positive, and the funds only once you "+
						"hold both locks (move does)", call, err, tc.wantErr)
				}
				if got := from.Balance(); got != tc.wantFrom {
					t.Errorf("%s: from's balance afterwards = %d, want %d: a transfer that returns nil "+
						"takes exactly amount out of from, one that returns an error moves nothing",
						call, got, tc.wantFrom)
				}
				if !tc.same {
					if got := to.Balance(); got != tc.wantTo {
						t.Errorf("%s: to's balance afterwards = %d, want %d: a transfer that returns nil "+
							"puts exactly amount into to, one that returns an error moves nothing",
							call, got, tc.wantTo)
					}
				}
			})
		})
	}
}

// TestTryTransferReleasesWhileWaiting holds b's lock while TryTransfer(a, b) retries, and
// looks at five moments that a's lock is free: a transfer that keeps one lock while it
// waits for the other is half of a deadlock. Then it releases b's lock and checks that
// the transfer completes within one capped back-off.
func TestTryTransferReleasesWhileWaiting(t *testing.T) {
	const call = "TryTransfer(ctx with 1s timeout, a, b, 10) while the test held b's lock"
	guard.Bubble(t, spinLimit, call+" (a loop that retries without sleeping never lets fake time pass)", func(t *testing.T) {
		a, b := NewAccount(1, 100), NewAccount(2, 100)
		b.mu.Lock()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		var took time.Duration
		done := make(chan error, 1)
		go func() {
			err := TryTransfer(ctx, a, b, 10)
			took = time.Since(start)
			done <- err
		}()
		for range 5 {
			time.Sleep(50 * time.Millisecond)
			synctest.Wait()
			select {
			case err := <-done:
				b.mu.Unlock()
				t.Fatalf("%s returned %v after %v: it must keep trying until it holds both locks", call, err, took)
			default:
			}
			if !a.mu.TryLock() {
				b.mu.Unlock()
				t.Fatalf("%s held a's lock while it waited for b's at %v: let go of every lock "+
					"before backing off, or Transfer(b, a) holding b waits for a forever", call, time.Since(start))
			}
			a.mu.Unlock()
		}
		b.mu.Unlock()
		released := time.Now()
		err := <-done
		if err != nil {
			t.Fatalf("%s = %v after the test released b's lock at %v, want nil: the context still had "+
				"time left, so keep trying until you hold both locks", call, err, released.Sub(start))
		}
		if took-released.Sub(start) > maxBackoff {
			t.Errorf("%s took %v and b's lock was released at %v, want it done within maxBackoff (%v) "+
				"of that: the back-off must stop growing at maxBackoff", call, took, released.Sub(start), maxBackoff)
		}
		if diff := cmp.Diff([]int{90, 110}, []int{a.Balance(), b.Balance()}); diff != "" {
			t.Errorf("balances of a and b, each opening with 100, after %s mismatch (-want +got): money was "+
				"created or lost; the transfer that returned nil moves 10 from a to b:\n%s", call, diff)
		}
	})
}

// TestTryTransferGivesUp holds one of the two locks for good: TryTransfer must return
// ctx.Err() as soon as the context is done (within one back-off), having moved nothing.
func TestTryTransferGivesUp(t *testing.T) {
	tests := []struct {
		name    string
		holdTo  bool          // hold to's lock (else from's)
		timeout time.Duration // the context's timeout, if not zero
		cancel  time.Duration // when the context is cancelled, if timeout is zero
		wantErr error
	}{
		{name: "deadline_to_held", holdTo: true, timeout: time.Second, wantErr: context.DeadlineExceeded},
		{name: "deadline_from_held", timeout: time.Second, wantErr: context.DeadlineExceeded},
		{name: "cancel_to_held", holdTo: true, cancel: 300 * time.Millisecond, wantErr: context.Canceled},
	}
	for _, tc := range tests {
		held, end := "from", tc.timeout
		if tc.holdTo {
			held = "to"
		}
		how := fmt.Sprintf("ctx with %v timeout", tc.timeout)
		if tc.timeout == 0 {
			how, end = fmt.Sprintf("ctx cancelled at %v", tc.cancel), tc.cancel
		}
		call := fmt.Sprintf("TryTransfer(%s, from, to, 10) while the test held %s's lock", how, held)
		t.Run(tc.name, func(t *testing.T) {
			guard.Bubble(t, spinLimit, call, func(t *testing.T) {
				from, to := NewAccount(1, 100), NewAccount(2, 100)
				lock := &from.mu
				if tc.holdTo {
					lock = &to.mu
				}
				lock.Lock()
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				if tc.timeout > 0 {
					ctx, cancel = context.WithTimeout(ctx, tc.timeout)
					defer cancel()
				} else {
					time.AfterFunc(tc.cancel, cancel)
				}
				start := time.Now()
				err := TryTransfer(ctx, from, to, 10)
				took := time.Since(start)
				lock.Unlock()
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("%s = %v after %v, want %v: once ctx is done, give up and return ctx.Err()",
						call, err, took, tc.wantErr)
				}
				if took < end {
					t.Errorf("%s returned after %v, want no sooner than %v: it must keep trying until ctx "+
						"is done", call, took, end)
				}
				if took > end+maxBackoff {
					t.Errorf("%s returned after %v, want within maxBackoff of %v: wait in a select on "+
						"ctx.Done() and the back-off timer", call, took, end)
				}
				if diff := cmp.Diff([]int{100, 100}, []int{from.Balance(), to.Balance()}); diff != "" {
					t.Errorf("balances of from and to, each opening with 100, after %s gave up mismatch "+
						"(-want +got): a transfer that gives up moves nothing:\n%s", call, diff)
				}
			})
		})
	}
}

// TestTryTransferNoOverdraft starts three TryTransfers of 10 from an account holding 10
// while the test holds the destination's lock, lets fake time pass until each has tried,
// failed and backed off, then releases the lock. A transfer that checked the funds before
// it held both locks has passed its check by then: all three saw 10 (check-then-act).
func TestTryTransferNoOverdraft(t *testing.T) {
	const call = "TryTransfer(ctx, a, b, 10) three times at the same time, with a holding 10, while the test held b's lock for 50ms"
	guard.Bubble(t, spinLimit, call, func(t *testing.T) {
		a, b := NewAccount(1, 10), NewAccount(2, 0)
		b.mu.Lock()
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		errs := make(chan error, 3)
		for range 3 {
			go func() { errs <- TryTransfer(ctx, a, b, 10) }()
		}
		time.Sleep(50 * time.Millisecond) // each transfer tries, finds b's lock taken and backs off
		synctest.Wait()
		b.mu.Unlock()
		var succeeded, refused int
		for range 3 {
			switch err := <-errs; {
			case err == nil:
				succeeded++
			case errors.Is(err, ErrInsufficientFunds):
				refused++
			default:
				t.Errorf("%s: a transfer returned %v, want nil or ErrInsufficientFunds", call, err)
			}
		}
		if a.Balance() == 10 && succeeded > 0 {
			t.Errorf("%s: %d transfers returned nil, but a still holds 10 and b 0: nothing moved. "+
				"Return nil only once move has moved the money", call, succeeded)
			return
		}
		if got := a.Balance(); got < 0 || succeeded > 1 {
			t.Errorf("%s: a's balance ended at %d, want 0, and %d transfers returned nil, want 1: "+
				"each transfer checked a's funds before it held both locks (check-then-act), so "+
				"several saw 10 and each took it. Check the funds while you hold both locks, in the "+
				"same critical section as the move (move does), at every try", call, got, succeeded)
			return
		}
		wantOnePaid(t, call, succeeded, refused, a, b)
	})
}

// TestTryTransferOpposite runs transfers in both directions between two accounts at
// once: with back-off and jitter they all get through, none deadlocks or gives up.
func TestTryTransferOpposite(t *testing.T) {
	const what = "4 goroutines making 50 TryTransfers of 1 each between a and b, two in each direction"
	guard.Bubble(t, spinLimit, what, func(t *testing.T) {
		accounts := []*Account{NewAccount(1, 1000), NewAccount(2, 1000)}
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		errs := make([]error, 4)
		var wg sync.WaitGroup
		for w := range 4 {
			from, to := accounts[w%2], accounts[1-w%2]
			wg.Go(func() {
				for range 50 {
					if err := TryTransfer(ctx, from, to, w+1); err != nil {
						errs[w] = err
						return
					}
				}
			})
		}
		wg.Wait()
		for w, err := range errs {
			if err != nil {
				t.Errorf("%s: goroutine %d's TryTransfer = %v, want nil for all 50: it gave up (a transfer "+
					"that keeps one lock while it retries the other can wait for good for one going the "+
					"other way)", what, w, err)
			}
		}
		want := []int{1000 - 50*1 + 50*2 - 50*3 + 50*4, 1000 + 50*1 - 50*2 + 50*3 - 50*4}
		if diff := cmp.Diff(want, []int{accounts[0].Balance(), accounts[1].Balance()}); diff != "" {
			t.Errorf("balances of a and b after %s mismatch (-want +got):\n%s", what, diff)
		}
	})
}
