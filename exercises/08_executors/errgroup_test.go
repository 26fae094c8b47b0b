package executors

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

func TestMapResults(t *testing.T) {
	const items, limitCalls = 8, 3
	what := fmt.Sprintf("Map(ctx, %d, items 0…%d, f) where f(i) takes (%d-i)×10ms and returns i×i",
		limitCalls, items-1, items)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		in := make([]int, items)
		want := make([]int, items)
		for i := range in {
			in[i], want[i] = i, i*i
		}
		got, err := Map(context.Background(), limitCalls, in, func(_ context.Context, i int) (int, error) {
			time.Sleep(time.Duration(items-i) * 10 * time.Millisecond)
			return i * i, nil
		})
		if err != nil {
			t.Errorf("%s returned the error %v, want nil", what, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s mismatch (-want +got): result i belongs in slot i, whichever call finished "+
				"first (Python's executor.map keeps the input's order). Appending to one slice from "+
				"every goroutine puts the results in finishing order, and is a data race; give each "+
				"call its own slot, results[i]:\n%s", what, diff)
		}
	})
}

func TestMapLimit(t *testing.T) {
	const items, limitCalls, took = 10, 3, 100 * time.Millisecond
	what := fmt.Sprintf("Map(ctx, %d, %d items, f taking %v)", limitCalls, items, took)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		var inFlight gauge
		start := time.Now()
		_, err := Map(context.Background(), limitCalls, make([]int, items), func(context.Context, int) (int, error) {
			inFlight.enter()
			defer inFlight.leave()
			time.Sleep(took)
			return 0, nil
		})
		elapsed := time.Since(start)
		if err != nil {
			t.Errorf("%s returned the error %v, want nil", what, err)
		}
		switch peak := inFlight.max(); {
		case peak > limitCalls:
			t.Errorf("%s: %d calls of f ran at once, want at most %d: errgroup.Group starts a "+
				"goroutine for every g.Go unless g.SetLimit(limit) was called first; with it, g.Go "+
				"waits while limit calls are running (max_workers)", what, peak, limitCalls)
		case peak < limitCalls:
			t.Errorf("%s: at most %d calls of f ran at once, want %d: calls waited while fewer than "+
				"limit were running", what, peak, limitCalls)
		}
		if want := (items + limitCalls - 1) / limitCalls * took; elapsed != want {
			t.Errorf("%s took %v of fake time, want %v (%d rounds of %d calls)", what, elapsed, want,
				want/took, limitCalls)
		}
	})
}

func TestMapFirstError(t *testing.T) {
	const items, limitCalls, failAt = 6, 2, 50 * time.Millisecond
	what := fmt.Sprintf("Map(ctx, %d, %d items, f) where f(1) fails after %v and every other call "+
		"takes 1s unless its ctx is done first", limitCalls, items, failAt)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		errItem := fmt.Errorf("item 1: %w", errTask)
		start := time.Now()
		got, err := Map(context.Background(), limitCalls, []int{0, 1, 2, 3, 4, 5}, func(ctx context.Context, i int) (int, error) {
			if i == 1 {
				time.Sleep(failAt)
				return 0, errItem
			}
			select {
			case <-time.After(time.Second):
				return i, nil
			case <-ctx.Done():
				return 0, ctx.Err()
			}
		})
		elapsed := time.Since(start)
		if !errors.Is(err, errTask) || got != nil {
			t.Errorf("%s = (%v, %v), want (nil, %q): Map returns the first error, and no results",
				what, got, err, errItem)
		}
		if elapsed != failAt {
			t.Errorf("%s returned after %v of fake time, want %v: the first error must cancel the "+
				"ctx the other calls got, so that they stop at once. errgroup.WithContext(ctx) "+
				"returns a Group and a ctx that is cancelled when a call returns an error: pass "+
				"that ctx to f", what, elapsed, failAt)
		}
	})
}
