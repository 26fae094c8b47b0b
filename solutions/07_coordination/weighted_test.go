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
	"github.com/google/go-cmp/cmp"
)

// calls records which indexes work was called with, and how often.
type calls struct {
	mu sync.Mutex
	n  map[int]int
}

func (c *calls) add(i int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[int]int{}
	}
	c.n[i]++
}

func (c *calls) got() map[int]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[int]int{}
	for i, n := range c.n {
		out[i] = n
	}
	return out
}

// once returns the map of indexes 0 to n-1 to 1: every call made once.
func once(n int) map[int]int {
	want := map[int]int{}
	for i := range n {
		want[i] = 1
	}
	return want
}

func TestWeightedBudget(t *testing.T) {
	const budget = 10
	weights := []int64{4, 7, 3, 6, 2, 5, 8, 1, 9, 10, 3, 3}
	what := fmt.Sprintf("RunWeighted(budget %d, weights %v), each call taking 50ms + 10ms×i", budget, weights)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		var inFlight gauge
		var c calls
		err := RunWeighted(context.Background(), budget, weights, func(ctx context.Context, i int) {
			c.add(i)
			inFlight.enter(weights[i])
			time.Sleep(50*time.Millisecond + time.Duration(i)*10*time.Millisecond)
			inFlight.leave(weights[i])
		})
		if err != nil {
			t.Errorf("%s = %v, want nil", what, err)
		}
		if diff := cmp.Diff(once(len(weights)), c.got()); diff != "" {
			t.Errorf("%s: the calls of work by index mismatch (-want +got): every index is called "+
				"exactly once, and RunWeighted returns only after every call returned:\n%s", what, diff)
		}
		if peak := inFlight.max(); peak > budget {
			t.Errorf("%s: calls weighing %d in all ran at once, want at most the budget, %d: each call "+
				"must hold its weight, not 1, from before it starts until it returns "+
				"(Acquire(ctx, w) … Release(w))", what, peak, budget)
		}
	})
}

func TestWeightedConcurrent(t *testing.T) {
	const budget, latency = 4, 100 * time.Millisecond
	weights := []int64{2, 2, 2, 2, 2, 2}
	what := fmt.Sprintf("RunWeighted(budget %d, weights %v), each call taking %v", budget, weights, latency)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		var inFlight gauge
		var c calls
		start := time.Now()
		err := RunWeighted(context.Background(), budget, weights, func(ctx context.Context, i int) {
			c.add(i)
			inFlight.enter(weights[i])
			time.Sleep(latency)
			inFlight.leave(weights[i])
		})
		elapsed := time.Since(start)
		if err != nil {
			t.Errorf("%s = %v, want nil", what, err)
		}
		if diff := cmp.Diff(once(len(weights)), c.got()); diff != "" {
			t.Errorf("%s: the calls of work by index mismatch (-want +got):\n%s", what, diff)
			return
		}
		if peak := inFlight.max(); peak != budget {
			t.Errorf("%s: calls weighing %d in all ran at once, want %d: two calls of weight 2 fit "+
				"in a budget of 4 and must run together", what, peak, budget)
		}
		if want := 3 * latency; elapsed != want {
			t.Errorf("%s took %v of fake time, want %v (3 rounds of 2 calls): a call must start as "+
				"soon as its weight fits, each in a goroutine of its own, while RunWeighted goes on "+
				"to the next", what, elapsed, want)
		}
	})
}

func TestWeightedTooHeavy(t *testing.T) {
	const budget = 4
	weights := []int64{1, 5, 1}
	what := fmt.Sprintf("RunWeighted(budget %d, weights %v)", budget, weights)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var c calls
		done := make(chan error, 1)
		go func() {
			done <- RunWeighted(ctx, budget, weights, func(ctx context.Context, i int) { c.add(i) })
		}()
		synctest.Wait()
		got := ready(done)
		if len(got) == 0 {
			t.Errorf("%s is blocked, want it to return an error wrapping ErrWeight at once: "+
				"x/sync/semaphore's Acquire(ctx, 5) on NewWeighted(4) can never succeed and waits "+
				"until ctx is done, which for context.Background() is never; check the weights "+
				"before acquiring anything", what)
			cancel()
			<-done
			return
		}
		if !errors.Is(got[0], ErrWeight) {
			t.Errorf("%s = %v, want an error wrapping ErrWeight (errors.Is): a call of weight 5 can "+
				"never fit in a budget of 4", what, got[0])
		}
		if n := len(c.got()); n > 0 {
			t.Errorf("%s made %d calls of work, want none: check every weight before starting any call",
				what, n)
		}
	})
}

func TestWeightedCancel(t *testing.T) {
	const budget, latency, timeout = 2, 100 * time.Millisecond, 150 * time.Millisecond
	weights := []int64{2, 2, 2}
	what := fmt.Sprintf("RunWeighted(ctx with a %v timeout, budget %d, weights %v), each call taking %v",
		timeout, budget, weights, latency)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		var c calls
		start := time.Now()
		err := RunWeighted(ctx, budget, weights, func(ctx context.Context, i int) {
			c.add(i)
			time.Sleep(latency) // does not look at ctx: RunWeighted must wait for it
		})
		elapsed := time.Since(start)
		got := c.got()
		made := 0
		for i, n := range got {
			made += n
			if n > 1 {
				t.Errorf("%s: work(ctx, %d) was called %d times, want at most once", what, i, n)
			}
		}
		if made != 2 {
			t.Errorf("%s made %d calls of work (%v by index), want 2: two calls run one after the "+
				"other, at 0 and 100ms, and the third could start only at 200ms, after the deadline: "+
				"it must not start (acquire with ctx, not context.Background(), and stop at the "+
				"first error)", what, made, got)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s = %v, want context.DeadlineExceeded: ctx ended before every call started", what, err)
		}
		if want := 2 * latency; elapsed != want {
			t.Errorf("%s returned after %v of fake time, want %v: once ctx is done RunWeighted "+
				"starts nothing more, but still waits for the call in flight to return", what, elapsed, want)
		}
	})
}
