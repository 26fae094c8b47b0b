package async

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

// The tests of the gather exercise, Gather in gather.go.

// eggs returns n task names, "egg 0" to "egg n-1".
func eggs(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("egg %d", i)
	}
	return names
}

// TestGatherOrder gathers five tasks that finish in another order than they were given
// (egg 1 first, egg 0 last): the results come in the order of the tasks, and all five
// run at once.
func TestGatherOrder(t *testing.T) {
	latencies := []time.Duration{500 * time.Millisecond, 100 * time.Millisecond, 400 * time.Millisecond,
		200 * time.Millisecond, 300 * time.Millisecond}
	names := eggs(len(latencies))
	t.Run("five", func(t *testing.T) {
		what := fmt.Sprintf("Gather(ctx, %s) taking %v", strings.Join(names, ", "), latencies)
		guard.Bubble(t, limit, what, func(t *testing.T) {
			tr := &tracker{}
			var tasks []func(context.Context) (string, error)
			for i, name := range names {
				tasks = append(tasks, tr.task(name, latencies[i], nil))
			}
			var (
				got []string
				err error
			)
			o, ok := invoke(t, what, tr, func() { got, err = Gather(context.Background(), tasks...) })
			if !ok {
				return
			}
			if _, _, runs := tr.stats(); len(runs) == 0 {
				t.Errorf("%s = (%q, %v) without running any task", what, got, err)
				return
			}
			if err != nil {
				t.Errorf("%s returned error %v, want nil: no task fails", what, err)
				return
			}
			if diff := cmp.Diff(names, got); diff != "" {
				sorted := slices.Clone(got)
				slices.Sort(sorted)
				why := "one result per task, at the task's index"
				if slices.Equal(sorted, names) {
					why = "these are the results in the order the tasks finished (as asyncio.as_completed " +
						"gives them), want the order of the tasks (as asyncio.gather gives them): store " +
						"each result at its task's index, results[i] = v"
				}
				t.Errorf("%s: results mismatch (-want +got): %s:\n%s", what, why, diff)
			}
			_, peak, _ := tr.stats()
			switch {
			case peak == 1:
				t.Errorf("%s took %v of fake time, want 500ms: the tasks ran one after another, never "+
					"more than 1 at once. Start every task on a goroutine of its own (errgroup's g.Go), "+
					"then wait for them all", what, o.elapsed)
			case peak < len(names):
				t.Errorf("%s took %v of fake time, want 500ms: at most %d tasks ran at once, want all %d",
					what, o.elapsed, peak, len(names))
			case o.elapsed != 500*time.Millisecond:
				t.Errorf("%s took %v of fake time, want 500ms, the slowest task's time", what, o.elapsed)
			}
			checkNoneLeft(t, what, o, "Wait for every task before returning")
		})
	})
	t.Run("none", func(t *testing.T) {
		const what = "Gather(ctx) with no tasks"
		guard.Bubble(t, limit, what, func(t *testing.T) {
			got, err := Gather[string](context.Background())
			if len(got) != 0 || err != nil {
				t.Errorf("%s = (%q, %v), want no results and no error", what, got, err)
			}
		})
	})
}

// TestGatherFirstError makes egg 2 fail after 10ms while the other tasks would take an
// hour: the error must cancel them, and Gather return it once they have all stopped.
func TestGatherFirstError(t *testing.T) {
	const failing = "egg 2"
	names := eggs(5)
	what := fmt.Sprintf("Gather(ctx, %s), %s fails after %v, the others take %v",
		strings.Join(names, ", "), failing, failAfter, slow)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		tr := &tracker{}
		var tasks []func(context.Context) (string, error)
		for _, name := range names {
			if name == failing {
				tasks = append(tasks, tr.task(name, failAfter, errBoom))
			} else {
				tasks = append(tasks, tr.task(name, slow, nil))
			}
		}
		var (
			got []string
			err error
		)
		o, ok := invoke(t, what, tr, func() { got, err = Gather(context.Background(), tasks...) })
		if !ok {
			return
		}
		_, _, runs := tr.stats()
		if len(runs) == 0 {
			t.Errorf("%s = (%q, %v) without running any task", what, got, err)
			return
		}
		checkNoStuckSend(t, what, "Gather")
		_, _, runs = tr.stats() // now that every task has returned, cancelled or not
		left := !checkNoneLeft(t, what, o, "Cancel the other tasks on the first error, then wait "+
			"for every one of them before returning, even after an error (asyncio.TaskGroup does)")
		if !errors.Is(err, errBoom) {
			t.Errorf("%s = (%q, %v), want nil and the failed task's error (%v)", what, got, err, errBoom)
		} else if got != nil {
			t.Errorf("%s returned %d results with its error, want nil", what, len(got))
		}
		if ran := ranToEnd(runs, failing); len(ran) > 0 {
			t.Errorf("%s took %v of fake time: the first error did not cancel the rest. After %s "+
				"failed, %d tasks (%s) ran to the end instead of seeing their context cancelled. Give "+
				"them the context that errgroup.WithContext returns: it is cancelled on the first error",
				what, o.elapsed, failing, len(ran), strings.Join(ran, ", "))
		} else if want := failAfter + windDown; !left && o.elapsed != want {
			t.Errorf("%s took %v of fake time, want %v: return once the cancelled tasks have returned",
				what, o.elapsed, want)
		}
	})
}
