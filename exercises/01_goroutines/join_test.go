package goroutines

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

func TestJoinWaits(t *testing.T) {
	const n = 5
	what := fmt.Sprintf("LoadAll(%d names, each load taking %v)", n, latency)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		l := sameLatency(latency)
		names := imageNames(n)
		start := time.Now()
		LoadAll(names, l.load)
		elapsed := time.Since(start)
		s := l.stats()
		if len(s.finished) < n {
			t.Errorf("%s returned after %v of fake time, while %d of its %d loads had not finished: "+
				"it started the goroutines and did not wait for them (Python's threads started and "+
				"never joined). Wait for every goroutine before returning: a sync.WaitGroup, with "+
				"wg.Go(func() { ... }) in the loop and wg.Wait() after it.",
				what, elapsed, n-len(s.finished), n)
			letLeftoversFinish()
			return
		}
		if diff := cmp.Diff(names, slices.Sorted(slices.Values(s.started))); diff != "" {
			t.Errorf("%s: the names load was called with mismatch (-want +got): call load once "+
				"for each name:\n%s", what, diff)
		}
	})
}

func TestJoinConcurrent(t *testing.T) {
	const n = 5
	what := fmt.Sprintf("LoadAll(%d names, each load taking %v)", n, latency)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		l := sameLatency(latency)
		start := time.Now()
		LoadAll(imageNames(n), l.load)
		elapsed := time.Since(start)
		s := l.stats()
		switch {
		case len(s.finished) < n:
			t.Errorf("%s returned after %v of fake time, before its loads had finished: it does not "+
				"wait for its goroutines yet (TestJoinWaits says more). This test checks that the "+
				"loads run at the same time once it does.", what, elapsed)
			letLeftoversFinish()
		case s.peak == 1:
			t.Errorf("%s took %v of fake time, want %v: the loads ran one after another, never "+
				"more than one at a time. Call each load in a goroutine of its own (go, or wg.Go), "+
				"and wait only once they have all been started.", what, elapsed, latency)
		case elapsed != latency || s.peak != n:
			t.Errorf("%s took %v of fake time with at most %d loads running at once, want %v with "+
				"all %d at once: start every goroutine before waiting for any of them.",
				what, elapsed, s.peak, latency, n)
		}
	})
}

// TestJoinWaitsForUnstarted makes LoadAll start waiting before any of its goroutines
// has run (see oneProc), which happens now and then on a busy machine. A WaitGroup that
// each goroutine adds itself to is still at zero then, and its Wait returns at once.
func TestJoinWaitsForUnstarted(t *testing.T) {
	oneProc(t)
	const n = 5
	what := fmt.Sprintf("LoadAll(%d names, each load taking %v) with GOMAXPROCS=1", n, latency)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		l := sameLatency(latency)
		LoadAll(imageNames(n), l.load)
		s := l.stats()
		if len(s.finished) < n {
			t.Errorf("%s returned while %d of its %d loads had not finished, %d of them not even "+
				"started. With one P a new goroutine does not run until the goroutine that started "+
				"it blocks, so here LoadAll starts waiting before any of its goroutines has run. "+
				"Either LoadAll does not wait at all, or each goroutine counts itself (wg.Add(1) "+
				"inside the go func): then Wait finds the counter at 0 and returns at once. Count "+
				"each goroutine before it starts: wg.Add(1) before the go statement, or wg.Go.",
				what, n-len(s.finished), n, n-len(s.started))
			letLeftoversFinish()
		}
	})
}
