package locks

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// lockResult is what a call of LockContext returned, and after how much (fake) time.
type lockResult struct {
	err   error
	after time.Duration
}

// startLockContext calls l.LockContext(ctx) in a new goroutine and sends the result to
// the returned channel, which has room for it.
func startLockContext(l *ChanLock, ctx context.Context) <-chan lockResult {
	out := make(chan lockResult, 1)
	go func() {
		start := time.Now()
		err := l.LockContext(ctx)
		out <- lockResult{err: err, after: time.Since(start)}
	}()
	return out
}

// tryUnlock calls l.Unlock() in a new goroutine of the bubble and returns what it
// panicked with, and whether it returned or panicked. If Unlock is still blocked once
// the bubble is idle, tryUnlock reports returned == false and calls l.Lock() to let it go.
func tryUnlock(l *ChanLock) (panicked any, returned bool) {
	done := make(chan any, 1)
	go func() {
		var p any
		defer func() { done <- p }()
		defer func() { p = recover() }()
		l.Unlock()
	}()
	synctest.Wait()
	select {
	case p := <-done:
		return p, true
	default:
		l.Lock() // the blocked Unlock takes this Lock's token and returns
		<-done
		return nil, false
	}
}

func TestChanLockExcludes(t *testing.T) {
	t.Run("waits", func(t *testing.T) {
		const what = "Lock() on a ChanLock, Lock() in a second goroutine, then Unlock()"
		guard.Bubble(t, limit, what, func(t *testing.T) {
			l := NewChanLock()
			l.Lock()
			locked := make(chan struct{})
			go func() {
				l.Lock()
				close(locked)
			}()
			synctest.Wait()
			if closed(locked) {
				t.Fatalf("%s: the second Lock() returned while the first still held the lock, want it "+
					"to wait: only one goroutine at a time may hold a lock", what)
			}
			l.Unlock()
			synctest.Wait()
			if !closed(locked) {
				t.Fatalf("%s: the second Lock() still waits after Unlock(), want it to take the lock "+
					"at once: Unlock must free the lock for the next Lock", what)
			}
			l.Unlock()
		})
	})
	t.Run("counter", func(t *testing.T) {
		const goroutines, each = 8, 200
		const what = "8 goroutines each adding 1 to a shared int 200 times, under Lock() and Unlock()"
		guard.Bubble(t, limit, what, func(t *testing.T) {
			l := NewChanLock()
			count := 0
			var wg sync.WaitGroup
			for range goroutines {
				wg.Go(func() {
					for range each {
						l.Lock()
						count++
						l.Unlock()
					}
				})
			}
			wg.Wait()
			if count != goroutines*each {
				t.Errorf("%s: count = %d, want %d: increments were lost, so two goroutines held the "+
					"lock at once", what, count, goroutines*each)
			}
		})
	})
}

func TestChanLockTryLock(t *testing.T) {
	const what = "TryLock() on a ChanLock"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		l := NewChanLock()
		if !l.TryLock() {
			t.Fatalf("TryLock() on a new ChanLock = false, want true: TryLock takes a free lock, " +
				"like acquire(blocking=False) returning True")
		}
		if l.TryLock() {
			t.Fatalf("TryLock() on a ChanLock that TryLock already locked = true, want false: two " +
				"holders at once")
		}
		got := make(chan bool, 1)
		go func() { got <- l.TryLock() }()
		synctest.Wait()
		select {
		case ok := <-got:
			if ok {
				t.Fatalf("TryLock() in a second goroutine while the first holds the lock = true, want false")
			}
		default:
			l.Unlock() // lets the blocked TryLock go on
			<-got
			t.Fatalf("TryLock() on a locked ChanLock blocked, want false at once: TryLock never " +
				"waits (a select with a default case)")
		}
		l.Unlock()
		if !l.TryLock() {
			t.Fatalf("TryLock() after Unlock() = false, want true: Unlock must free the lock")
		}
		l.Unlock()
		l.Lock()
		if l.TryLock() {
			t.Fatalf("TryLock() on a ChanLock held by Lock() = true, want false")
		}
		l.Unlock()
	})
}

func TestChanLockContext(t *testing.T) {
	t.Run("free", func(t *testing.T) {
		const what = "LockContext(ctx with a 1s timeout) on a free ChanLock"
		guard.Bubble(t, limit, what, func(t *testing.T) {
			l := NewChanLock()
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			defer cancel()
			r := <-startLockContext(l, ctx)
			if r.err != nil || r.after != 0 {
				t.Fatalf("%s = %v after %v, want nil at once", what, r.err, r.after)
			}
			if l.TryLock() {
				t.Fatalf("%s returned nil but TryLock() then took the lock: LockContext must hold the lock when it returns nil", what)
			}
			l.Unlock()
		})
	})
	t.Run("deadline", func(t *testing.T) {
		const what = "LockContext(ctx with a 50ms timeout) on a ChanLock held by another goroutine"
		guard.Bubble(t, limit, what, func(t *testing.T) {
			l := NewChanLock()
			l.Lock()
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			res := startLockContext(l, ctx)
			time.Sleep(50 * time.Millisecond)
			synctest.Wait()
			var r lockResult
			select {
			case r = <-res:
			default:
				l.Unlock() // lets the waiting LockContext take the lock and return
				<-res
				t.Fatalf("%s still waits after the deadline, want context.DeadlineExceeded at 50ms: "+
					"wait in a select on the send and ctx.Done()", what)
			}
			if !errors.Is(r.err, context.DeadlineExceeded) || r.after != 50*time.Millisecond {
				t.Fatalf("%s = %v after %v, want context.DeadlineExceeded after 50ms: like acquire(timeout=0.05) "+
					"returning False, LockContext gives up when ctx is done", what, r.err, r.after)
			}
			l.Unlock()
			synctest.Wait()
			if !l.TryLock() {
				t.Fatalf("%s returned %v, the holder unlocked, and TryLock() = false, want true: "+
					"the LockContext that gave up took the lock later (a goroutine left behind "+
					"calling Lock?); one that returns an error must never hold the lock", what, r.err)
			}
			l.Unlock()
		})
	})
	t.Run("unlocked_in_time", func(t *testing.T) {
		const what = "LockContext(ctx with a 1s timeout) on a ChanLock that the holder unlocks after 20ms"
		guard.Bubble(t, limit, what, func(t *testing.T) {
			l := NewChanLock()
			l.Lock()
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			defer cancel()
			res := startLockContext(l, ctx)
			time.Sleep(20 * time.Millisecond)
			synctest.Wait()
			select {
			case r := <-res:
				t.Fatalf("%s = %v after %v, before the holder unlocked, want it to wait", what, r.err, r.after)
			default:
			}
			l.Unlock()
			r := <-res
			if r.err != nil || r.after != 20*time.Millisecond {
				t.Fatalf("%s = %v after %v, want nil after 20ms, as soon as the lock is free", what, r.err, r.after)
			}
			if l.TryLock() {
				t.Fatalf("%s returned nil but TryLock() then took the lock: LockContext must hold the lock when it returns nil", what)
			}
			l.Unlock()
		})
	})
	t.Run("cancelled", func(t *testing.T) {
		const what = "LockContext(ctx) on a held ChanLock, then cancel()"
		guard.Bubble(t, limit, what, func(t *testing.T) {
			l := NewChanLock()
			l.Lock()
			ctx, cancel := context.WithCancel(t.Context())
			res := startLockContext(l, ctx)
			synctest.Wait()
			cancel()
			synctest.Wait()
			var r lockResult
			select {
			case r = <-res:
			default:
				l.Unlock()
				<-res
				t.Fatalf("%s: LockContext still waits after cancel(), want context.Canceled at once", what)
			}
			if !errors.Is(r.err, context.Canceled) {
				t.Fatalf("%s = %v, want context.Canceled", what, r.err)
			}
			l.Unlock()
			synctest.Wait()
			if !l.TryLock() {
				t.Fatalf("%s returned %v, the holder unlocked, and TryLock() = false, want true: "+
					"the cancelled LockContext took the lock later", what, r.err)
			}
			l.Unlock()
		})
	})
}

func TestChanLockUnlockUnlocked(t *testing.T) {
	const what = "Unlock() of an unlocked ChanLock"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			setup func(l *ChanLock)
		}{
			{name: "a new ChanLock", setup: func(*ChanLock) {}},
			{name: "a ChanLock after Lock() and Unlock()", setup: func(l *ChanLock) { l.Lock(); l.Unlock() }},
		} {
			l := NewChanLock()
			tc.setup(l)
			p, returned := tryUnlock(l)
			if !returned {
				t.Errorf("Unlock() of %s blocked, want a panic with ErrNotLocked at once: a receive "+
					"from an empty channel waits for a Lock that may never come; select with a default", tc.name)
				continue
			}
			err, _ := p.(error)
			if !errors.Is(err, ErrNotLocked) {
				t.Errorf("Unlock() of %s panicked with %v, want a panic with ErrNotLocked: releasing "+
					"an unlocked lock is a bug in the caller (Python raises RuntimeError); say so "+
					"instead of carrying on", tc.name, p)
			}
			if !l.TryLock() {
				t.Errorf("TryLock() after Unlock() of %s panicked = false, want true: the failed "+
					"Unlock must leave the lock free", tc.name)
				continue
			}
			l.Unlock()
		}
	})
}
