package locks

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
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

// contest is the shared state of the two goroutines of TestChanLockNeverBlocks: how many
// calls of the method under test each one has started and finished, how many calls began
// while the other goroutine's call was still running, and whether the test has stopped
// them.
type contest struct {
	mu       sync.Mutex
	ended    *sync.Cond
	started  [2]int
	finished [2]int
	overlaps int         // calls begun while the other goroutine's call was running
	enough   int         // overlaps after which the contest is over
	stop     atomic.Bool // set when the contest is over, or to let a stuck goroutine go
}

// newContest returns a contest that is over after enough overlapping calls, or after
// contestTime of real time at the latest. Call it outside the bubble, so that its timer
// runs on the real clock.
func newContest(t *testing.T, enough int) *contest {
	c := &contest{enough: enough}
	c.ended = sync.NewCond(&c.mu)
	timer := time.AfterFunc(contestTime, func() { c.stop.Store(true) })
	t.Cleanup(func() { timer.Stop() })
	return c
}

// call calls f as goroutine i, counting it as started before and finished after.
func (c *contest) call(i int, f func()) {
	c.mu.Lock()
	if c.started[1-i] > c.finished[1-i] {
		c.overlaps++
		if c.overlaps >= c.enough {
			c.stop.Store(true)
		}
	}
	c.started[i]++
	c.mu.Unlock()
	f()
	c.mu.Lock()
	c.finished[i]++
	c.ended.Broadcast()
	c.mu.Unlock()
}

// awaitOther waits, as goroutine i, until every call that the other goroutine had started
// has finished, or the contest is stopped. A call that blocks for good makes it wait for
// good too: then both goroutines are blocked, and synctest.Wait returns.
func (c *contest) awaitOther(i int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for target := c.started[1-i]; c.finished[1-i] < target && !c.stop.Load(); {
		c.ended.Wait()
	}
}

// run starts round(i) over and over in two goroutines of the bubble, i = 0 and 1, for
// up to rounds rounds each or contestTime of real time, and waits until both have
// returned or are blocked for good. It reports whether both returned; if not, it stops
// the contest and calls unstick, which must let the blocked call return.
func (c *contest) run(round func(i int), unstick func()) bool {
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			for range contestRounds {
				if c.stop.Load() {
					return
				}
				round(i)
			}
		})
	}
	synctest.Wait() // both returned, or both are blocked: nothing else runs in the bubble
	c.mu.Lock()
	stuck := c.finished != c.started
	c.mu.Unlock()
	if stuck {
		c.stop.Store(true)
		c.mu.Lock()
		c.ended.Broadcast()
		c.mu.Unlock()
		unstick()
	}
	wg.Wait()
	return !stuck
}

// A contest ends once enough calls have begun while the other goroutine's call was
// running (20,000 TryLocks, 200 Unlocks), or after contestTime of real time, or
// contestRounds rounds a goroutine, whichever comes first. A call that looks and then
// acts was caught here within a few dozen such calls, at worst within a few thousand
// TryLocks or 30 Unlocks; a busy machine gives fewer of them a second, and the contest
// then runs longer.
const (
	contestTime   = 5 * time.Second
	contestRounds = 1_000_000
)

// TestChanLockNeverBlocks has two goroutines call TryLock, then Unlock, as close together
// as they can, until their calls have overlapped often enough (or for 5s): two TryLocks
// on a free ChanLock, and two Unlocks of a ChanLock locked once, again and again. In
// each such pair one call wins, and the other must return all the same: TryLock with
// false, Unlock with a panic with ErrNotLocked. A call that first looks at the channel
// (len(ch)) and then acts on what it saw can see the same state as the other call, and
// then block on its send or receive. Each goroutine waits, after its call, until the
// other's call has returned, so a call that blocks leaves both goroutines blocked for
// good, where the test sees them.
func TestChanLockNeverBlocks(t *testing.T) {
	// At least four threads, whatever -cpu says, so that the two goroutines really run at
	// the same time; on one thread each call would run from start to end in turn.
	prev := runtime.GOMAXPROCS(max(4, runtime.GOMAXPROCS(0)))
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	const lookThenAct = "Looking at the channel (len(ch)) and then acting on what you saw is two steps, " +
		"and the other goroutine can come in between. Do the send or the receive in a select with a " +
		"default case: it happens now, or the default runs, in one step. (The race detector cannot " +
		"see this: a channel's length is not a memory access it watches.)"
	t.Run("trylock", func(t *testing.T) {
		const what = "two goroutines calling TryLock() on one ChanLock at the same time, and Unlock() when it returns true"
		c := newContest(t, 20_000)
		guard.Bubble(t, guard.Limit, what, func(t *testing.T) {
			if !NewChanLock().TryLock() {
				t.Fatalf("TryLock() on a new ChanLock = false, want true (see TestChanLockTryLock)")
			}
			l := NewChanLock()
			var holders, won atomic.Int32
			twice := make(chan struct{}, 1)
			wrong := make(chan any, 1)
			ok := c.run(func(i int) {
				var got bool
				c.call(i, func() { got = l.TryLock() })
				if !got {
					return
				}
				won.Add(1)
				if holders.Add(1) > 1 {
					select {
					case twice <- struct{}{}:
					default:
					}
				}
				c.awaitOther(i) // the other's TryLock, begun while this one won, must return
				holders.Add(-1)
				if c.stop.Load() {
					return // the lock is left as it is: the test is over
				}
				if p := recovered(l.Unlock); p != nil {
					select {
					case wrong <- p:
					default:
					}
				}
			}, func() {
				l.Unlock() // the blocked TryLock takes the lock, and returns
			})
			if !ok {
				t.Fatalf("%s: one TryLock() took the lock and the other one blocked, want false immediately: "+
					"TryLock never waits. Both saw the lock free, and both tried to take it; the "+
					"second one waits on its send until the lock is unlocked. %s", what, lookThenAct)
			}
			if len(twice) > 0 {
				t.Fatalf("%s: both held the lock at the same time, want one holder at most", what)
			}
			select {
			case p := <-wrong:
				t.Fatalf("%s: Unlock() by the goroutine whose TryLock() returned true panicked with %v, "+
					"want it to unlock: that goroutine held the lock", what, p)
			default:
			}
			if won.Load() == 0 {
				t.Fatalf("%s: no TryLock() ever returned true, want the lock taken whenever it was free", what)
			}
		})
	})
	t.Run("unlock", func(t *testing.T) {
		const what = "two goroutines calling TryLock() and then Unlock() on one ChanLock, so that two " +
			"Unlocks meet a lock locked once"
		c := newContest(t, 200)
		guard.Bubble(t, guard.Limit, what, func(t *testing.T) {
			if p := recovered(NewChanLock().Unlock); p == nil {
				t.Fatalf("Unlock() of a new ChanLock returned, want a panic with ErrNotLocked (see " +
					"TestChanLockUnlockUnlocked)")
			}
			l := NewChanLock()
			var locked, unlocked atomic.Int64
			wrong := make(chan any, 1)
			ok := c.run(func(i int) {
				if l.TryLock() {
					locked.Add(1)
				}
				var p any
				c.call(i, func() { p = recovered(l.Unlock) })
				if err, _ := p.(error); p == nil {
					unlocked.Add(1)
				} else if !errors.Is(err, ErrNotLocked) {
					select {
					case wrong <- p:
					default:
					}
				}
				c.awaitOther(i) // the other's Unlock must return before this one locks again
			}, func() {
				l.Lock() // gives the blocked Unlock a token to take
			})
			if !ok {
				t.Fatalf("%s: one Unlock() unlocked and the other one blocked, want it to panic with "+
					"ErrNotLocked immediately: Unlock never waits. Both saw the lock locked, and both "+
					"tried to unlock it; the second one waits on its receive for a Lock that may "+
					"never come. %s", what, lookThenAct)
			}
			select {
			case p := <-wrong:
				t.Fatalf("%s: an Unlock() panicked with %v, want ErrNotLocked", what, p)
			default:
			}
			if u, k := unlocked.Load(), locked.Load(); u > k {
				t.Fatalf("%s: %d Unlocks returned for %d TryLocks that took the lock, want at most one "+
					"for each: an Unlock of an unlocked lock must panic with ErrNotLocked", what, u, k)
			}
		})
	})
}

// recovered calls f and returns the value it panicked with, or nil.
func recovered(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}
