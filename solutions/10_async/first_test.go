package async

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// The tests of the first exercise, First in first.go.

// replica is one fake replica of a First call: how long it takes, and its error, if any.
type replica struct {
	name    string
	latency time.Duration
	fail    error
}

// runFirst calls First on the replicas in a bubble's tracker and returns what it
// returned, how long it took and the runs of the replicas.
func runFirst(t *testing.T, what string, tr *tracker, replicas []replica) (string, error, outcome, []run, bool) {
	t.Helper()
	var fns []func(context.Context) (string, error)
	for _, r := range replicas {
		fns = append(fns, tr.task(r.name, r.latency, r.fail))
	}
	var (
		got string
		err error
	)
	o, ok := invoke(t, what, tr, func() { got, err = First(context.Background(), fns...) })
	_, _, runs := tr.stats()
	if ok && len(runs) == 0 {
		t.Errorf("%s = (%q, %v) without running any replica", what, got, err)
		ok = false
	}
	return got, err, o, runs, ok
}

// describe names the replicas and their latencies for a failure message.
func describe(replicas []replica) string {
	var parts []string
	for _, r := range replicas {
		if r.fail != nil {
			parts = append(parts, fmt.Sprintf("%s fails after %v", r.name, r.latency))
		} else {
			parts = append(parts, fmt.Sprintf("%s answers after %v", r.name, r.latency))
		}
	}
	return strings.Join(parts, ", ")
}

// TestFirstWins asks three replicas; the second answers first. First must return its
// answer, cancel the two others, and return once they have stopped: none left running,
// none blocked for ever on a send of its result.
func TestFirstWins(t *testing.T) {
	replicas := []replica{
		{name: "replica 0", latency: 300 * time.Millisecond},
		{name: "replica 1", latency: 100 * time.Millisecond},
		{name: "replica 2", latency: 200 * time.Millisecond},
	}
	what := fmt.Sprintf("First(ctx, %s)", describe(replicas))
	guard.Bubble(t, limit, what, func(t *testing.T) {
		tr := &tracker{}
		got, err, o, _, ok := runFirst(t, what, tr, replicas)
		if !ok {
			return
		}
		checkNoStuckSend(t, what, "First")
		_, _, runs := tr.stats() // now that every replica has returned, cancelled or not
		left := !checkNoneLeft(t, what, o, "The losers must be cancelled and waited for: "+
			"cancel their context when the winner is known, then receive every result (or wait on "+
			"a WaitGroup) before returning")
		if got != "replica 1" || err != nil {
			t.Errorf("%s = (%q, %v), want (\"replica 1\", nil): the first answer wins", what, got, err)
		}
		if ran := ranToEnd(runs, "replica 1"); len(ran) > 0 {
			t.Errorf("%s took %v of fake time: after replica 1 answered, %s ran to the end instead of "+
				"seeing their context cancelled. Cancel the losers: give every replica a context of "+
				"context.WithCancel(ctx), and cancel it when the winner is known", what, o.elapsed,
				strings.Join(ran, " and "))
		} else if want := 100*time.Millisecond + windDown; !left && o.elapsed != want {
			t.Errorf("%s took %v of fake time, want %v: return as soon as the cancelled losers have "+
				"returned", what, o.elapsed, want)
		}
	})
}

// TestFirstSkipsErrors makes the fastest replica fail: the first answer that is not an
// error wins.
func TestFirstSkipsErrors(t *testing.T) {
	replicas := []replica{
		{name: "replica 0", latency: failAfter, fail: errBoom},
		{name: "replica 1", latency: 50 * time.Millisecond},
		{name: "replica 2", latency: slow},
	}
	what := fmt.Sprintf("First(ctx, %s)", describe(replicas))
	guard.Bubble(t, limit, what, func(t *testing.T) {
		tr := &tracker{}
		got, err, o, _, ok := runFirst(t, what, tr, replicas)
		if !ok {
			return
		}
		checkNoStuckSend(t, what, "First")
		checkNoneLeft(t, what, o, "Cancel the losers and wait for them before returning")
		if got != "replica 1" || err != nil {
			t.Errorf("%s = (%q, %v), want (\"replica 1\", nil): a replica that fails does not win; the "+
				"first one that succeeds does. Keep waiting after an error while other replicas run",
				what, got, err)
		}
	})
}

// TestFirstAllFail makes every replica fail: First returns an error that wraps them all,
// once the last has failed.
func TestFirstAllFail(t *testing.T) {
	errs := []error{errors.New("connection refused"), errors.New("no route to host"), errBoom}
	replicas := []replica{
		{name: "replica 0", latency: 30 * time.Millisecond, fail: errs[0]},
		{name: "replica 1", latency: 10 * time.Millisecond, fail: errs[1]},
		{name: "replica 2", latency: 20 * time.Millisecond, fail: errs[2]},
	}
	what := fmt.Sprintf("First(ctx, %s)", describe(replicas))
	guard.Bubble(t, limit, what, func(t *testing.T) {
		tr := &tracker{}
		got, err, o, _, ok := runFirst(t, what, tr, replicas)
		if !ok {
			return
		}
		checkNoStuckSend(t, what, "First")
		checkNoneLeft(t, what, o, "Wait for every replica before returning")
		var missing []string
		for _, e := range errs {
			if !errors.Is(err, e) {
				missing = append(missing, fmt.Sprintf("%q", e))
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s = (%q, %v), want an error wrapping every replica's error; it does not wrap %s. "+
				"Collect the errors and return errors.Join(errs...) when no replica succeeds",
				what, got, err, strings.Join(missing, ", "))
		}
		if o.elapsed != 30*time.Millisecond {
			t.Errorf("%s took %v of fake time, want 30ms: while a replica still runs, it may succeed; "+
				"give up only when the last one has failed", what, o.elapsed)
		}
	})
}
