package async

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// The tests of the waitfor exercise, WaitFor in waitfor.go.

// TestWaitForTimeout calls WaitFor on work that finishes in time, work that fails, and
// work that would take an hour: the last must be cancelled when the time is up, and
// WaitFor must return once it has stopped, with nothing left running or blocked.
func TestWaitForTimeout(t *testing.T) {
	tests := []struct {
		name    string
		latency time.Duration // of the work, unless its context ends first
		fail    error         // the work's error, if any
		timeout time.Duration
		want    error // what the error must wrap; nil: the work's value, no error
		took    time.Duration
	}{
		{name: "fast", latency: 100 * time.Millisecond, timeout: time.Second, took: 100 * time.Millisecond},
		{name: "fails", latency: failAfter, fail: errBoom, timeout: time.Second, want: errBoom, took: failAfter},
		{name: "slow", latency: slow, timeout: 300 * time.Millisecond, want: context.DeadlineExceeded,
			took: 300*time.Millisecond + windDown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			what := fmt.Sprintf("WaitFor(ctx, %v, work that takes %v)", tt.timeout, tt.latency)
			if tt.fail != nil {
				what = fmt.Sprintf("WaitFor(ctx, %v, work that fails after %v)", tt.timeout, tt.latency)
			}
			guard.Bubble(t, limit, what, func(t *testing.T) {
				tr := &tracker{}
				var (
					got string
					err error
				)
				o, ok := invoke(t, what, tr, func() {
					got, err = WaitFor(context.Background(), tt.timeout, tr.task("boil eggs", tt.latency, tt.fail))
				})
				if !ok {
					return
				}
				_, _, runs := tr.stats()
				if len(runs) != 1 {
					t.Errorf("%s = (%q, %v) after calling work %d times, want exactly once", what, got, err, len(runs))
					return
				}
				checkNoStuckSend(t, what, "WaitFor")
				left := !checkNoneLeft(t, what, o, "The timeout stopped the waiting, not the work: "+
					"asyncio.wait_for cancels the task when the time is up and waits for it to end. "+
					"Give the work a context.WithTimeout(ctx, timeout), and return what it returns")
				switch {
				case tt.want == nil && (err != nil || got != "boil eggs"):
					t.Errorf("%s = (%q, %v), want (\"boil eggs\", nil): the work finished in time", what, got, err)
				case tt.want != nil && !errors.Is(err, tt.want):
					t.Errorf("%s = (%q, %v), want an error wrapping %v", what, got, err, tt.want)
				case left:
				case o.elapsed >= slow:
					t.Errorf("%s took %v of fake time, want %v: the work never saw the timeout and ran "+
						"to the end. Give it a context that is done when the time is up "+
						"(context.WithTimeout(ctx, timeout)).", what, o.elapsed, tt.took)
				case o.elapsed != tt.took:
					t.Errorf("%s took %v of fake time, want %v: return as soon as the work has returned, "+
						"and make the timeout stop the work (then wait the %v it takes to stop)",
						what, o.elapsed, tt.took, windDown)
				}
			})
		})
	}
}

// TestWaitForCancel cancels the caller's context while the work runs: the cancel must
// reach the work, which stops, and WaitFor returns context.Canceled.
func TestWaitForCancel(t *testing.T) {
	const cancelAfter, timeout = 50 * time.Millisecond, 10 * time.Minute
	what := fmt.Sprintf("WaitFor(ctx cancelled after %v, %v, work that takes %v)", cancelAfter, timeout, slow)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		tr := &tracker{}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		stop := time.AfterFunc(cancelAfter, cancel)
		defer stop.Stop()
		var err error
		o, ok := invoke(t, what, tr, func() {
			_, err = WaitFor(ctx, timeout, tr.task("boil eggs", slow, nil))
		})
		if !ok {
			return
		}
		checkNoStuckSend(t, what, "WaitFor")
		if !checkNoneLeft(t, what, o, "The caller's cancel stopped nothing: the work's context "+
			"must be derived from ctx, and WaitFor must return what the work returns") {
			return
		}
		if want := cancelAfter + windDown; !errors.Is(err, context.Canceled) || o.elapsed != want {
			t.Errorf("%s = %v after %v of fake time, want an error wrapping context.Canceled after %v: "+
				"the caller's cancel must reach the work. Derive the timeout's context from ctx "+
				"(context.WithTimeout(ctx, timeout)), not from context.Background()",
				what, err, o.elapsed, want)
		}
	})
}
